import { useQuery } from "@tanstack/react-query";
import { HeartPulse } from "lucide-react";
import { Badge, Card, CardBody, CardHeader, EmptyState, ErrorState, KeyValue, SkeletonText, TimeCell } from "../../../components";
import { api } from "../../../lib/api";
import { useCan } from "../../../lib/auth";
import { formatFull, formatNumber, formatRelative } from "../../../lib/format";
import type { InterconnectHealth } from "../../switch/types";

export function useInterconnectHealth(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["switch", "health", id],
    queryFn: ({ signal }) => api.get<InterconnectHealth | null>(`/interconnects/${id}/health`, undefined, signal),
    enabled,
    refetchInterval: 5000,
  });
}

/** What the switch's OPTIONS monitor currently thinks of an egress interconnect (refreshes every 5 s). */
export function HealthCard({ interconnectId, monitored }: { interconnectId: string; monitored: boolean }) {
  const can = useCan();
  const health = useInterconnectHealth(interconnectId, can("switch:read"));
  if (!can("switch:read")) return null;
  const h = health.data;
  return (
    <Card className="xl:col-span-2">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            Monitoring state
            {h && (
              <Badge tone={h.state === "up" ? "success" : "danger"} dot>
                {h.state === "up" ? "Up" : "Down"}
              </Badge>
            )}
          </span>
        }
        description={h ? (h.state === "up" ? "In routing: answering the switch's probes." : "Out of routing: the switch skips it until it answers again.") : "Live from the switch's SIP OPTIONS monitor."}
      />
      {health.isLoading ? (
        <SkeletonText lines={3} className="p-4" />
      ) : health.error ? (
        <ErrorState compact error={health.error} onRetry={() => void health.refetch()} retrying={health.isFetching} />
      ) : !h ? (
        <EmptyState
          compact
          icon={<HeartPulse />}
          title="Not monitored yet"
          description={monitored ? "The switch has not pinged this interconnect yet; the state appears after the first probe." : "Turn on SIP OPTIONS ping or call response monitoring to track it."}
        />
      ) : (
        <CardBody>
          <KeyValue
            className="sm:grid-cols-[max-content_minmax(0,1fr)_max-content_minmax(0,1fr)]"
            items={[
              { label: "State", value: `${h.state === "up" ? "Up" : "Down"} since ${formatRelative(h.changedAt)}` },
              { label: "Last ping", value: h.lastPingAt ? <time dateTime={h.lastPingAt} title={formatFull(h.lastPingAt)}>{formatRelative(h.lastPingAt)}</time> : "—" },
              { label: "Round trip", value: h.lastRttMs === null ? "—" : `${formatNumber(h.lastRttMs)} ms` },
              { label: "Changed", value: <TimeCell value={h.changedAt} /> },
              { label: "Consecutive failures", value: <span className={h.consecutiveFailures > 0 ? "text-red-700 dark:text-red-400" : undefined}>{formatNumber(h.consecutiveFailures)}</span> },
              { label: "Consecutive successes", value: formatNumber(h.consecutiveSuccesses) },
              { label: "Last error", value: h.lastError ? <span className="text-red-700 dark:text-red-400" title={h.lastError}>{h.lastError}</span> : "—" },
            ]}
          />
        </CardBody>
      )}
    </Card>
  );
}

/** Up/Down next to an egress interconnect's name; nothing until the monitor has a state. */
export function HealthBadge({ interconnectId }: { interconnectId: string }) {
  const can = useCan();
  const h = useInterconnectHealth(interconnectId, can("switch:read")).data;
  if (!h) return null;
  return (
    <Badge tone={h.state === "up" ? "success" : "danger"} title={`SIP OPTIONS monitor: ${h.state} since ${formatFull(h.changedAt)}`}>
      {h.state === "up" ? "Monitor up" : "Monitor down"}
    </Badge>
  );
}
