import { useQuery } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import type { SwitchStatus } from "./types";

/** The switch cluster's state; the status page, the dashboard and the calls page share it. */
export function useSwitchStatus(refetchMs = 3000) {
  const can = useCan();
  return useQuery({
    queryKey: ["switch", "status"],
    queryFn: ({ signal }) => api.get<SwitchStatus>("/switch/status", undefined, signal),
    enabled: can("switch:read"),
    refetchInterval: refetchMs,
  });
}

/** How to bring a switch up, shown wherever "not connected" is. */
export const START_HINT = {
  command: "npm run switch",
  apt: "sudo apt-get install kamailio kamailio-json-modules kamailio-utils-modules kamailio-extra-modules kamailio-postgres-modules sip-tester",
};
