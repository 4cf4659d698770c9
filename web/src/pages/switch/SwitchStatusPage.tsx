import type { ReactNode } from "react";
import { Link } from "react-router";
import { clsx } from "clsx";
import { CheckCircle2, HeartPulse, Inbox, PhoneCall, PlugZap, RefreshCw, Server } from "lucide-react";
import { Badge, Card, CardHeader, EmptyState, ErrorState, Page, PageHeader, RefreshButton, SkeletonText, StatTile, TimeCell, type BadgeTone } from "../../components";
import { formatFull, formatNumber, formatRelative } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import { START_HINT, useSwitchStatus } from "./hooks";
import type { SwitchNode, SwitchStatus } from "./types";

const NODE_TONE: Record<string, BadgeTone> = { running: "success", starting: "info", stopped: "neutral", failed: "danger" };
const SYNC_TONE: Record<string, BadgeTone> = { pushed: "success", recorded: "success", pending: "info", failed: "danger" };

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The command block of the "not connected" help. */
function Command({ children }: { children: ReactNode }) {
  return <code className="block overflow-x-auto rounded-md border border-line bg-surface-2 px-3 py-1.5 font-mono text-xs whitespace-pre text-fg">{children}</code>;
}

/** Why no switch is connected and how to start one; also used by Active Calls. */
export function NotConnectedHelp({ nodes, className }: { nodes: SwitchNode[]; className?: string }) {
  const stale = nodes.filter((n) => !n.connected);
  return (
    <div role="status" className={clsx("rounded-lg border border-amber-500/40 bg-amber-500/5 p-4", className)}>
      <div className="flex items-start gap-3">
        <PlugZap className="mt-0.5 size-5 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
        <div className="min-w-0 space-y-2 text-sm">
          <p className="font-semibold text-fg">No switch is connected</p>
          <p className="text-fg-muted">
            Calls are not being carried. {stale.length > 0 ? `${stale.length} known node${stale.length === 1 ? " has" : "s have"} stopped reporting. ` : ""}Start Kamailio next to the platform (it connects to the same database):
          </p>
          <Command>{START_HINT.command}</Command>
          <p className="text-fg-muted">It needs the Debian packages:</p>
          <Command>{START_HINT.apt}</Command>
        </div>
      </div>
    </div>
  );
}

function ConnectedBanner({ status }: { status: SwitchStatus }) {
  const up = status.nodes.filter((n) => n.connected);
  return (
    <div role="status" className="flex items-center gap-3 rounded-lg border border-emerald-500/40 bg-emerald-500/5 px-4 py-3 text-sm">
      <CheckCircle2 className="size-5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
      <p className="min-w-0 text-fg">
        <span className="font-semibold">Switch connected</span>
        <span className="text-fg-muted">
          {" "}
          · {up.length} of {status.nodes.length} node{status.nodes.length === 1 ? "" : "s"} reporting ({up.map((n) => n.id).join(", ")}); calls are routed by the platform.
        </span>
      </p>
    </div>
  );
}

function NodesTable({ nodes }: { nodes: SwitchNode[] }) {
  const th = "h-8 border-b border-line bg-surface-2 px-3 text-left text-xs font-medium whitespace-nowrap text-fg-muted first:pl-4 last:pr-4";
  const td = "h-8 border-b border-line px-3 whitespace-nowrap first:pl-4 last:pr-4 group-last:border-b-0";
  return (
    <div className="overflow-x-auto">
      <table aria-label="Switch nodes" className="w-full border-separate border-spacing-0 text-sm">
        <thead>
          <tr>
            {["Node", "SIP address", "Version", "Status", "Config generation", "Started", "Last seen", "Last error"].map((h) => (
              <th key={h} scope="col" className={th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.id} className="group">
              <td className={clsx(td, "font-mono text-xs font-semibold text-fg")}>{n.id}</td>
              <td className={clsx(td, "font-mono text-xs text-fg")}>
                {n.sipAddress}:{n.sipPort}
              </td>
              <td className={clsx(td, "text-fg-muted")}>{n.version ?? "—"}</td>
              <td className={td}>
                <span className="flex items-center gap-1.5">
                  <Badge tone={n.connected ? "success" : (NODE_TONE[n.status] ?? "neutral")} dot>
                    {cap(n.status)}
                  </Badge>
                  {!n.connected && n.status === "running" && <Badge tone="warning">Not reporting</Badge>}
                </span>
              </td>
              <td className={clsx(td, "font-mono text-xs text-fg-muted")} title={n.configGeneration}>
                {n.configGeneration.slice(0, 12)}
              </td>
              <td className={clsx(td, "text-fg-muted")}>
                <TimeCell value={n.startedAt} />
              </td>
              <td className={clsx(td, n.connected ? "text-fg-muted" : "text-amber-700 dark:text-amber-400")}>
                <time dateTime={n.lastSeenAt} title={formatFull(n.lastSeenAt)} className="tabular">
                  {formatRelative(n.lastSeenAt)}
                </time>
              </td>
              <td className={clsx(td, "max-w-80 truncate", n.lastError ? "text-red-700 dark:text-red-400" : "text-fg-subtle")} title={n.lastError ?? undefined}>
                {n.lastError ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Switch Status: which Kamailio nodes carry calls, and what is waiting between them and the platform. */
export default function SwitchStatusPage() {
  const status = useSwitchStatus(3000);
  // Ticks "last seen" between refreshes.
  useNow(1000);
  const s = status.data;
  const syncTotal = (k: string) => s?.sync.find((x) => x.status === k)?.count ?? 0;

  return (
    <Page
      header={
        <PageHeader
          title="Switch Status"
          description="Kamailio nodes under the platform, their configuration, the CDR spool, switch-sync and interconnect monitoring. Refreshes every 3 s."
          meta={
            s && (
              <Badge tone={s.connected ? "success" : "warning"} dot>
                {s.connected ? "Connected" : "Not connected"}
              </Badge>
            )
          }
          actions={<RefreshButton onRefresh={() => status.refetch()} fetching={status.isFetching} />}
        />
      }
    >
      {status.isLoading ? (
        <Card>
          <SkeletonText lines={6} className="p-4" />
        </Card>
      ) : status.error || !s ? (
        <Card>
          <ErrorState error={status.error} onRetry={() => void status.refetch()} retrying={status.isFetching} />
        </Card>
      ) : (
        <div className="space-y-3">
          {s.connected ? <ConnectedBanner status={s} /> : <NotConnectedHelp nodes={s.nodes} />}

          <section aria-label="Switch figures" className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
            <StatTile
              label="Active calls"
              icon={<PhoneCall />}
              value={formatNumber(s.activeCalls)}
              muted={!s.connected}
              footer={
                <Link to="/switch/calls" className="text-xs font-medium text-accent-text hover:underline">
                  Open Active Calls
                </Link>
              }
            />
            <StatTile
              label="CDR spool"
              icon={<Inbox />}
              value={formatNumber(s.spool.pending)}
              note="attempts waiting to be pulled into CDRs"
              footer={
                <div className="flex gap-1.5">
                  <Badge tone="info">{formatNumber(s.spool.pending)} pending</Badge>
                  <Badge tone={s.spool.failed > 0 ? "danger" : "neutral"}>{formatNumber(s.spool.failed)} failed</Badge>
                </div>
              }
            />
            <StatTile
              label="Switch sync"
              icon={<RefreshCw />}
              value={formatNumber(syncTotal("pending"))}
              note="changes waiting for the switch"
              footer={
                <div className="flex flex-wrap gap-1.5">
                  {s.sync.length === 0 ? (
                    <span className="text-xs text-fg-subtle">No changes synced yet</span>
                  ) : (
                    s.sync.map((x) => (
                      <Badge key={x.status} tone={SYNC_TONE[x.status] ?? "neutral"} title={x.lastAt ? `Last ${formatFull(x.lastAt)}` : undefined}>
                        {formatNumber(x.count)} {x.status}
                      </Badge>
                    ))
                  )}
                </div>
              }
            />
            <StatTile
              label="Monitored interconnects"
              icon={<HeartPulse />}
              value={
                <span>
                  {formatNumber(s.monitoring.up)}
                  <span className="text-base font-medium text-fg-subtle"> up</span>
                  {s.monitoring.down > 0 && (
                    <span className="text-red-600 dark:text-red-400">
                      {" "}
                      · {formatNumber(s.monitoring.down)}
                      <span className="text-base font-medium"> down</span>
                    </span>
                  )}
                </span>
              }
              note="egress interconnects pinged with SIP OPTIONS"
            />
          </section>

          <Card>
            <CardHeader title="Nodes" description="A node is connected while it reports at least every 10 s." />
            {s.nodes.length === 0 ? (
              <EmptyState compact icon={<Server />} title="No switch has ever registered" description={`Run ${START_HINT.command} to register one.`} />
            ) : (
              <NodesTable nodes={s.nodes} />
            )}
          </Card>

          <Card>
            <CardHeader title="Switch-sync events" description="Carrier, interconnect, service and plan changes pushed to the switch, by status." />
            {s.sync.length === 0 ? (
              <EmptyState compact icon={<RefreshCw />} title="No sync events" />
            ) : (
              <ul className="divide-y divide-line">
                {s.sync.map((x) => (
                  <li key={x.status} className="flex items-center justify-between gap-3 px-4 py-2">
                    <Badge tone={SYNC_TONE[x.status] ?? "neutral"} dot>
                      {cap(x.status)}
                    </Badge>
                    <span className="flex items-center gap-4 text-sm">
                      <span className="font-medium text-fg tabular">{formatNumber(x.count)}</span>
                      <span className="w-32 text-right text-xs text-fg-subtle">{x.lastAt ? <TimeCell value={x.lastAt} relative /> : "—"}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </Page>
  );
}
