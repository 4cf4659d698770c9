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

export interface TrafficFigures {
  attempts: number;
  answered: number;
  asrPercent: number;
  acdS: number;
  pddMs: number;
  minutes: number;
}
export interface TrafficStats {
  windowMinutes: 5 | 60;
  cps: number;
  totals: TrafficFigures;
  byEgress: (TrafficFigures & { id: string; name: string })[];
  byCustomer: (TrafficFigures & { id: string; name: string })[];
}

/** ASR, ACD and PDD from the CDRs of the last 5 or 60 minutes (refreshed every 30 s). */
export function useTrafficStats(windowMinutes: 5 | 60) {
  const can = useCan();
  return useQuery({
    queryKey: ["switch", "stats", windowMinutes],
    queryFn: ({ signal }) => api.get<TrafficStats>("/switch/stats", { windowMinutes }, signal),
    enabled: can("switch:read"),
    refetchInterval: 30_000,
  });
}
