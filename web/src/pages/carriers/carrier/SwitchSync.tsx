import { RefreshCw } from "lucide-react";
import { Badge, Button, Dialog, EmptyState, ErrorState, RefreshButton, SkeletonText, TimeCell, Tooltip, type BadgeTone } from "../../../components";
import { formatRelative } from "../../../lib/format";
import type { SyncEvent } from "../types";
import { useSyncEvents } from "./queries";

const TONE: Record<string, BadgeTone> = { pending: "warning", recorded: "info", pushed: "success", failed: "danger" };
const LABEL: Record<string, string> = { pending: "Pending", recorded: "Recorded", pushed: "Pushed", failed: "Failed" };
const statusLabel = (s: string) => LABEL[s] ?? s;

/** "Switch sync" status of the carrier's last change, next to the page title. */
export function SyncStatus({ carrierId, onOpen }: { carrierId: string; onOpen: () => void }) {
  const sync = useSyncEvents(carrierId);
  const last: SyncEvent | undefined = sync.data?.rows[0];
  if (!last) return null;
  return (
    <Tooltip content={`Switch sync of the last change (${last.action}): ${statusLabel(last.status)} ${formatRelative(last.processedAt ?? last.createdAt)}${last.status === "recorded" ? " — no switch connected yet" : ""}`}>
      <button type="button" onClick={onOpen} className="inline-flex rounded" aria-label={`Switch sync: ${statusLabel(last.status)}. Open sync history`}>
        <Badge tone={TONE[last.status] ?? "neutral"} className="cursor-pointer">
          <RefreshCw className={last.status === "pending" ? "size-3 animate-spin" : "size-3"} aria-hidden />
          Sync: {statusLabel(last.status)}
        </Badge>
      </button>
    </Tooltip>
  );
}

export function SyncHistoryDialog({ open, onClose, carrierId, carrierName }: { open: boolean; onClose: () => void; carrierId: string; carrierName: string }) {
  const sync = useSyncEvents(carrierId, open);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Switch sync history"
      description={`Changes of ${carrierName} pushed to the softswitch (last 20).`}
      footerStart={<span>“Recorded”: no switch is connected yet; the change is kept for the first push.</span>}
      footer={
        <>
          <RefreshButton size="sm" onRefresh={() => sync.refetch()} fetching={sync.isFetching} />
          <Button onClick={onClose} data-autofocus>
            Close
          </Button>
        </>
      }
    >
      {sync.isLoading ? (
        <SkeletonText lines={5} />
      ) : sync.error ? (
        <ErrorState error={sync.error} compact onRetry={() => void sync.refetch()} />
      ) : !sync.data?.rows.length ? (
        <EmptyState compact icon={<RefreshCw />} title="Nothing synced yet" />
      ) : (
        <div className="overflow-hidden rounded-md border border-line">
          <table className="w-full border-separate border-spacing-0 text-sm" aria-label="Sync events">
            <thead>
              <tr>
                {["Time", "Action", "Status", "Processed"].map((h) => (
                  <th key={h} scope="col" className="h-7 border-b border-line bg-surface-2 px-3 text-left text-2xs font-medium text-fg-muted">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sync.data.rows.map((e) => (
                <tr key={e.id} className="group/row">
                  <td className="h-8 border-b border-line px-3 whitespace-nowrap group-last/row:border-b-0">
                    <TimeCell value={e.createdAt} />
                  </td>
                  <td className="h-8 border-b border-line px-3 font-mono text-xs group-last/row:border-b-0">{e.action}</td>
                  <td className="h-8 border-b border-line px-3 group-last/row:border-b-0">
                    <Badge tone={TONE[e.status] ?? "neutral"} dot>
                      {statusLabel(e.status)}
                    </Badge>
                    {e.error && <span className="ml-2 text-xs text-red-600 dark:text-red-400">{e.error}</span>}
                  </td>
                  <td className="h-8 border-b border-line px-3 whitespace-nowrap text-fg-muted group-last/row:border-b-0">
                    <TimeCell value={e.processedAt} relative empty="—" />
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
