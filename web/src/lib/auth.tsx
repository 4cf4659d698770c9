import { createContext, useCallback, useContext, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, setCsrfToken } from "./api";
import { setDisplayTimeZone } from "./format";
import { PORTAL_ROLES, type Me, type Permission, type Role } from "./types";

export const meKey = ["me"] as const;

export async function fetchMe(): Promise<Me> {
  const me = await api.get<Me>("/auth/me");
  acceptMe(me);
  return me;
}

/** Remembers what the client needs from a Me response (CSRF token, display time zone). */
export function acceptMe(me: Me): void {
  setCsrfToken(me.csrfToken);
  setDisplayTimeZone(me.tenant.timeZone);
}

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });
}

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

/** The signed-in user; only inside the authenticated shell. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe() used outside the signed-in console");
  return me;
}

export function useCan(): (p: Permission) => boolean {
  const me = useMe();
  return useCallback((p: Permission) => me.permissions.includes(p), [me]);
}

export const isPortalRole = (role: Role) => (PORTAL_ROLES as readonly Role[]).includes(role);
