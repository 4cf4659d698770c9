import { RefreshCw } from "lucide-react";
import { Badge, Button, Dialog, EmptyState, ErrorState, SkeletonText, TimeCell, type BadgeTone } from "../../../components";
import { formatRelative } from "../../../lib/format";
import type { SyncEvent } from "../types";
import { useSyncEvents } from "./hooks";

export const SYNC_TONE: Record<SyncEvent["status"], BadgeTone> = { pending: "warning", recorded: "info", pushed: "success", failed: "danger" };
export const SYNC_LABEL: Record<SyncEvent["status"], string> = { pending: "Pending", recorded: "Recorded", pushed: "Pushed", failed: "Failed" };

/** One-line switch sync status (latest event), as a button opening the history. */
export function SyncStatusLine({ events, loading, onOpen }: { events: SyncEvent[] | undefined; loading: boolean; onOpen: () => void }) {
  const last = events?.[0];
  return (
    <button type="button" onClick={onOpen} className="inline-flex items-center gap-1.5 rounded text-xs text-fg-muted hover:text-fg" title="Sync history">
      <RefreshCw className="size-3" aria-hidden />
      <span>Switch sync:</span>
      {loading ? (
        <span className="text-fg-subtle">…</span>
      ) : last ? (
        <>
          <Badge tone={SYNC_TONE[last.status] ?? "neutral"} dot>
            {SYNC_LABEL[last.status] ?? last.status}
          </Badge>
          <span>
            {last.action} · {formatRelative(last.createdAt)}
          </span>
        </>
      ) : (
        <span className="text-fg-subtle">no events</span>
      )}
    </button>
  );
}

/** Recent switch sync events of an interconnect or service. */
export function SyncHistoryDialog({ open, onClose, entityType, entityId, name }: { open: boolean; onClose: () => void; entityType: "interconnect" | "service"; entityId: string; name: string }) {
  const q = useSyncEvents(entityType, entityId, open);
  const rows = q.data?.rows;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Sync history"
      description={`What the softswitch was told about ${name}.`}
      footerStart={<span>Changes are queued as jobs (System → Jobs) and pushed to the switch in order.</span>}
      footer={
        <>
          <Button size="md" onClick={() => void q.refetch()} loading={q.isFetching && !q.isLoading}>
            Refresh
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {q.isLoading ? (
        <SkeletonText lines={5} />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} compact />
      ) : !rows?.length ? (
        <EmptyState compact title="No sync events" description="Nothing has been sent to the switch yet." />
      ) : (
        <div className="overflow-x-auto rounded-md border border-line">
          <table className="w-full text-sm">
            <thead className="bg-surface-2 text-left text-xs text-fg-muted">
              <tr>
                <th className="px-3 py-1.5 font-medium">Action</th>
                <th className="px-3 py-1.5 font-medium">Status</th>
                <th className="px-3 py-1.5 font-medium">Queued</th>
                <th className="px-3 py-1.5 font-medium">Processed</th>
                <th className="px-3 py-1.5 font-medium">Job</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-line align-top">
                  <td className="px-3 py-1.5 font-medium text-fg capitalize">{r.action}</td>
                  <td className="px-3 py-1.5">
                    <Badge tone={SYNC_TONE[r.status] ?? "neutral"} dot>
                      {SYNC_LABEL[r.status] ?? r.status}
                    </Badge>
                    {r.error && <p className="mt-1 max-w-64 text-xs break-words text-red-600 dark:text-red-400">{r.error}</p>}
                  </td>
                  <td className="px-3 py-1.5 whitespace-nowrap text-fg-muted">
                    <TimeCell value={r.createdAt} />
                  </td>
                  <td className="px-3 py-1.5 whitespace-nowrap text-fg-muted">
                    <TimeCell value={r.processedAt} empty="—" />
                  </td>
                  <td className="px-3 py-1.5">
                    {r.jobId ? (
                      <span className="font-mono text-xs text-fg-muted" title={r.jobId}>
                        {r.jobId.slice(0, 8)}
                      </span>
                    ) : (
                      <span className="text-fg-subtle">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
