import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import type { Page as ListPage } from "../../../lib/types";
import type { Carrier, Direction, Interconnect, Service, SyncEvent, TrunkGroup } from "../types";

/**
 * Queries shared by the interconnect detail, the services table and the carrier
 * configuration pages. Keys start with the API collection name, so invalidating
 * ["interconnects"] or ["services"] refreshes every view of them.
 */
export const keys = {
  interconnect: (id: string) => ["interconnects", "one", id] as const,
  interconnectOptions: (direction: Direction | undefined, carrierId: string | undefined) => ["interconnects", "options", direction ?? "all", carrierId ?? "all"] as const,
  carrier: (id: string) => ["carriers", "one", id] as const,
  carrierOptions: ["carriers", "options"] as const,
  services: ["services"] as const,
  serviceOptions: ["services", "options"] as const,
  trunkGroups: ["trunk-groups"] as const,
  trunkGroupOptions: (direction: Direction) => ["trunk-groups", "options", direction] as const,
  sync: (entityType: string, id: string) => ["switch-sync", entityType, id] as const,
  releaseCauses: ["release-causes"] as const,
  blacklist: ["blacklist"] as const,
};

export function useInterconnect(id: string | undefined) {
  return useQuery({
    queryKey: keys.interconnect(id ?? ""),
    queryFn: ({ signal }) => api.get<Interconnect>(`/interconnects/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCarrier(id: string | undefined) {
  return useQuery({
    queryKey: keys.carrier(id ?? ""),
    queryFn: ({ signal }) => api.get<Carrier>(`/carriers/${id}`, undefined, signal),
    enabled: !!id,
    staleTime: 30_000,
  });
}

/** Interconnects for pickers (first 100 by name; the demo and typical tenants fit). */
export function useInterconnectOptions(opts: { direction?: Direction; carrierId?: string; enabled?: boolean }) {
  return useQuery({
    queryKey: keys.interconnectOptions(opts.direction, opts.carrierId),
    queryFn: ({ signal }) => api.get<ListPage<Interconnect>>("/interconnects", { direction: opts.direction, carrierId: opts.carrierId, pageSize: 100, sort: "name:asc" }, signal),
    enabled: opts.enabled ?? true,
    staleTime: 30_000,
  });
}

export function useCarrierOptions(enabled = true) {
  return useQuery({
    queryKey: keys.carrierOptions,
    queryFn: ({ signal }) => api.get<ListPage<Carrier>>("/carriers", { pageSize: 500, sort: "name:asc" }, signal),
    enabled,
    staleTime: 60_000,
  });
}

export function useServiceOptions(enabled = true) {
  return useQuery({
    queryKey: keys.serviceOptions,
    queryFn: ({ signal }) => api.get<ListPage<Service>>("/services", { pageSize: 500, sort: "name:asc" }, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useTrunkGroupOptions(direction: Direction, enabled = true) {
  return useQuery({
    queryKey: keys.trunkGroupOptions(direction),
    queryFn: ({ signal }) => api.get<ListPage<TrunkGroup>>("/trunk-groups", { direction, pageSize: 500 }, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useSyncEvents(entityType: "interconnect" | "service", id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.sync(entityType, id ?? ""),
    queryFn: ({ signal }) => api.get<{ rows: SyncEvent[] }>("/switch-sync", { entityType, entityId: id }, signal),
    enabled: enabled && !!id,
    refetchInterval: (q) => (q.state.data?.rows.some((r) => r.status === "pending") ? 10_000 : false),
  });
}

/** Refreshes everything a hierarchy change can touch (counts on carriers, interconnect lists, services). */
export function useInvalidateHierarchy() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ["services"] }),
      qc.invalidateQueries({ queryKey: ["interconnects"] }),
      qc.invalidateQueries({ queryKey: ["carriers"] }),
      qc.invalidateQueries({ queryKey: ["switch-sync"] }),
    ]);
}
