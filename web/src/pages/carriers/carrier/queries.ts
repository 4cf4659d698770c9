import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import type { Page as ListPage, User } from "../../../lib/types";
import type { Carrier, Contact, CreditAlert, CreditControl, SyncEvent } from "../types";

/** Query keys of the carrier pages; everything about one carrier starts with ["carrier", id]. */
export const keys = {
  carriers: ["carriers"] as const,
  carrier: (id: string) => ["carrier", id] as const,
  creditControl: (id: string) => ["carrier", id, "credit-control"] as const,
  contacts: (id: string) => ["carrier", id, "contacts"] as const,
  alerts: (id: string) => ["carrier", id, "credit-alerts"] as const,
  sync: (id: string) => ["carrier", id, "switch-sync"] as const,
  interconnects: ["interconnects"] as const,
  staff: ["users", "staff-options"] as const,
};

export function useCarrier(id: string | undefined) {
  return useQuery({ queryKey: keys.carrier(id ?? ""), queryFn: ({ signal }) => api.get<Carrier>(`/carriers/${id}`, undefined, signal), enabled: !!id });
}

export function useCreditControl(id: string, enabled = true) {
  return useQuery({ queryKey: keys.creditControl(id), queryFn: ({ signal }) => api.get<CreditControl>(`/carriers/${id}/credit-control`, undefined, signal), enabled });
}

export function useContacts(id: string, enabled = true) {
  return useQuery({ queryKey: keys.contacts(id), queryFn: ({ signal }) => api.get<{ rows: Contact[] }>(`/carriers/${id}/contacts`, undefined, signal), enabled });
}

export function useCreditAlerts(id: string, enabled = true) {
  return useQuery({ queryKey: keys.alerts(id), queryFn: ({ signal }) => api.get<{ rows: CreditAlert[] }>(`/carriers/${id}/credit-alerts`, undefined, signal), enabled });
}

export function useSyncEvents(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.sync(id),
    queryFn: ({ signal }) => api.get<{ rows: SyncEvent[] }>("/switch-sync", { entityType: "carrier", entityId: id }, signal),
    enabled,
    // Pending events turn "recorded" within seconds; look again while any is pending.
    refetchInterval: (q) => (q.state.data?.rows.some((r) => r.status === "pending") ? 3000 : false),
  });
}

const PORTAL_ROLES = ["customer", "carrier"];

/** Active staff users, for the Account Manager select. */
export function useStaffUsers(enabled: boolean) {
  return useQuery({
    queryKey: keys.staff,
    queryFn: async ({ signal }) => {
      const page = await api.get<ListPage<User>>("/users", { pageSize: 100, status: "active", sort: "name:asc" }, signal);
      return page.rows.filter((u) => !PORTAL_ROLES.includes(u.role));
    },
    enabled,
    staleTime: 60_000,
  });
}

/** Invalidates everything that shows this carrier (detail, lists, credit control). */
export function useInvalidateCarrier() {
  const qc = useQueryClient();
  return (id?: string) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: keys.carriers }),
      id ? qc.invalidateQueries({ queryKey: ["carrier", id] }) : Promise.resolve(),
    ]);
}
