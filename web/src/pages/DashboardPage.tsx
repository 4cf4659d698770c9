import { Link } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Activity, Bell, Clock, Gauge, HeartPulse, ListChecks, PhoneCall, PlugZap, RadioTower, Timer, Users } from "lucide-react";
import { Badge, Card, CardHeader, DropdownMenu, EmptyState, ErrorState, Page, PageHeader, RefreshButton, SkeletonText, StatTile } from "../components";
import { api } from "../lib/api";
import { useCan, useMe } from "../lib/auth";
import { formatFull, formatNumber, formatRelative } from "../lib/format";
import { useNow } from "../lib/hooks";
import type { AuditEvent, Page as ListPage, QueueSummary, User } from "../lib/types";
import { useNotifications } from "../layout/NotificationsMenu";
import { useSwitchStatus, useTrafficStats, type TrafficFigures, type TrafficStats } from "./switch/hooks";

const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;

/** ASR, ACD and PDD of the last 5 minutes, with the last hour beside them (from CDRs). */
function TrafficTiles() {
  const five = useTrafficStats(5);
  const hour = useTrafficStats(60);
  const f = five.data?.totals;
  const h = hour.data?.totals;
  const err = five.error ? (five.error as Error).message : null;
  const tile = (label: string, icon: React.ReactNode, value: (t: TrafficFigures) => string) => (
    <StatTile
      label={`${label} · 5 min`}
      icon={icon}
      loading={five.isLoading}
      muted={!f?.attempts}
      value={f?.attempts ? value(f) : "—"}
      note={err ?? (h?.attempts ? `60 min: ${value(h)} · ${plural(h.attempts, "attempt")}` : "no calls in the last hour")}
    />
  );
  return (
    <>
      {tile("ASR", <Activity />, (t) => `${t.asrPercent}%`)}
      {tile("ACD", <Timer />, (t) => `${t.acdS} s`)}
      {tile("PDD", <Gauge />, (t) => `${formatNumber(t.pddMs)} ms`)}
    </>
  );
}

/** The busiest suppliers and customers of the last hour: attempts, ASR, ACD, PDD. */
function TrafficCard() {
  const hour = useTrafficStats(60);
  const table = (title: string, rows: TrafficStats["byEgress"]) => (
    <div className="min-w-0">
      <p className="px-4 pt-2 text-xs font-medium text-fg-muted">{title}</p>
      <table className="w-full text-xs tabular">
        <thead className="text-fg-subtle">
          <tr>
            <th className="px-4 py-1 text-left font-medium">Name</th>
            <th className="px-2 py-1 text-right font-medium">Attempts</th>
            <th className="px-2 py-1 text-right font-medium">ASR</th>
            <th className="px-2 py-1 text-right font-medium">ACD</th>
            <th className="px-4 py-1 text-right font-medium">PDD</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.slice(0, 8).map((r) => (
            <tr key={r.id}>
              <td className="max-w-0 truncate px-4 py-1 text-fg">{r.name}</td>
              <td className="px-2 py-1 text-right">{formatNumber(r.attempts)}</td>
              <td className="px-2 py-1 text-right">{r.asrPercent}%</td>
              <td className="px-2 py-1 text-right">{r.acdS} s</td>
              <td className="px-4 py-1 text-right">{formatNumber(r.pddMs)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <Card className="mt-3">
      <CardHeader title="Traffic, last 60 minutes" description={hour.data ? `${plural(hour.data.totals.attempts, "attempt")} · ${hour.data.cps} CPS on average · quality routing reads the same figures` : "From the CDRs of the last hour."} />
      {hour.isLoading ? (
        <SkeletonText lines={4} className="p-4" />
      ) : hour.error ? (
        <ErrorState compact error={hour.error} onRetry={() => void hour.refetch()} />
      ) : !hour.data?.totals.attempts ? (
        <EmptyState compact title="No calls in the last hour" />
      ) : (
        <div className="grid grid-cols-1 gap-2 pb-2 lg:grid-cols-2">
          {table("By supplier interconnect", hour.data.byEgress)}
          {table("By customer", hour.data.byCustomer)}
        </div>
      )}
    </Card>
  );
}

/** Switch connected, live calls and monitored interconnects, from /switch/status every 5 s. */
function SwitchTiles() {
  const status = useSwitchStatus(5000);
  const s = status.data;
  const err = status.error ? (status.error as Error).message : null;
  return (
    <>
      <StatTile
        label="Switch"
        icon={<RadioTower />}
        loading={status.isLoading}
        value={
          s ? (
            <Badge tone={s.connected ? "success" : "warning"} dot className="text-sm">
              {s.connected ? "Connected" : "Not connected"}
            </Badge>
          ) : (
            "—"
          )
        }
        note={
          err ??
          (s?.connected ? (
            `${s.nodes.filter((n) => n.connected).length} of ${s.nodes.length} node${s.nodes.length === 1 ? "" : "s"} reporting`
          ) : (
            <span className="inline-flex items-center gap-1">
              <PlugZap className="size-3" aria-hidden /> npm run switch
            </span>
          ))
        }
        footer={
          <Link to="/switch" className="text-xs font-medium text-accent-text hover:underline">
            Switch status
          </Link>
        }
      />
      <StatTile
        label="Active calls"
        icon={<PhoneCall />}
        loading={status.isLoading}
        muted={!s?.connected}
        value={s ? formatNumber(s.activeCalls) : "—"}
        note={err ?? (s?.connected ? "live on the switch" : "switch not connected")}
        footer={
          <Link to="/switch/calls" className="text-xs font-medium text-accent-text hover:underline">
            Active calls
          </Link>
        }
      />
      <StatTile
        label="Monitoring"
        icon={<HeartPulse />}
        loading={status.isLoading}
        value={s ? formatNumber(s.monitoring.up + s.monitoring.down) : "—"}
        note={err ?? "egress interconnects pinged"}
        footer={
          s && (
            <div className="flex gap-1.5">
              <Badge tone="success">{formatNumber(s.monitoring.up)} up</Badge>
              <Badge tone={s.monitoring.down > 0 ? "danger" : "neutral"}>{formatNumber(s.monitoring.down)} down</Badge>
            </div>
          )
        }
      />
    </>
  );
}

export default function DashboardPage() {
  const me = useMe();
  const can = useCan();
  const qc = useQueryClient();
  useNow(30_000);

  const users = useQuery({
    queryKey: ["users", { page: 1, pageSize: 1, stat: true }],
    queryFn: () => api.get<ListPage<User>>("/users", { page: 1, pageSize: 1 }),
    enabled: can("users:read"),
  });
  const activeUsers = useQuery({
    queryKey: ["users", { page: 1, pageSize: 1, status: "active", stat: true }],
    queryFn: () => api.get<ListPage<User>>("/users", { page: 1, pageSize: 1, status: "active" }),
    enabled: can("users:read"),
  });
  const queues = useQuery({
    queryKey: ["job-queues"],
    queryFn: () => api.get<{ queues: QueueSummary[] }>("/jobs/queues"),
    enabled: can("jobs:read"),
  });
  const notifications = useNotifications();
  const audit = useQuery({
    queryKey: ["audit-events", { page: 1, pageSize: 8, recent: true }],
    queryFn: () => api.get<ListPage<AuditEvent>>("/audit-events", { page: 1, pageSize: 8 }),
    enabled: can("audit:read"),
  });

  const jobTotals = (queues.data?.queues ?? []).reduce(
    (acc, q) => {
      acc.active += q.counts.active ?? 0;
      acc.queued += (q.counts.created ?? 0) + (q.counts.retry ?? 0);
      acc.failed += q.counts.failed ?? 0;
      acc.completed += q.counts.completed ?? 0;
      return acc;
    },
    { active: 0, queued: 0, failed: 0, completed: 0 },
  );

  const fetching = users.isFetching || queues.isFetching || notifications.isFetching || audit.isFetching;
  const refreshAll = () =>
    Promise.all([users.refetch(), activeUsers.refetch(), can("jobs:read") ? queues.refetch() : null, notifications.refetch(), can("audit:read") ? audit.refetch() : null]);

  const hour = Number(new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: me.tenant.timeZone }).format(new Date()));
  const greeting = hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening";

  return (
    <Page
      header={
        <PageHeader
          title="Dashboard"
          description={`${greeting}, ${me.user.name.split(" ")[0]}. Here is ${me.tenant.name} right now.`}
          actions={
            <>
              <RefreshButton onRefresh={refreshAll} fetching={fetching} />
              <DropdownMenu
                items={[
                  { label: "Refresh all", onSelect: () => void refreshAll() },
                  { label: "Clear cached data", onSelect: () => void qc.invalidateQueries() },
                  { type: "separator" },
                  { label: "Open tenant settings", to: "/settings/tenant", hidden: !can("tenant:read") },
                  { label: "Open audit trail", to: "/system/audit", hidden: !can("audit:read") },
                ]}
              />
            </>
          }
        />
      }
    >
      <section aria-label="Traffic" className="grid grid-cols-1 gap-3 sm:grid-cols-3 xl:grid-cols-6">
        {can("switch:read") && <SwitchTiles />}
        {can("switch:read") && <TrafficTiles />}
      </section>
      {can("switch:read") && <TrafficCard />}

      <section aria-label="Platform" className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
        {can("users:read") && (
          <StatTile
            label="Users"
            icon={<Users />}
            loading={users.isLoading}
            value={users.error ? "—" : formatNumber(users.data?.total ?? 0)}
            note={users.error ? (users.error as Error).message : activeUsers.data ? `${formatNumber(activeUsers.data.total)} active · ${formatNumber((users.data?.total ?? 0) - activeUsers.data.total)} inactive` : " "}
            footer={
              <Link to="/settings/users" className="text-xs font-medium text-accent-text hover:underline">
                Manage people
              </Link>
            }
          />
        )}
        {can("jobs:read") && (
          <StatTile
            label="Background work"
            icon={<ListChecks />}
            loading={queues.isLoading}
            value={queues.error ? "—" : formatNumber(jobTotals.active + jobTotals.queued)}
            note={queues.error ? (queues.error as Error).message : "running or queued"}
            footer={
              <div className="flex flex-wrap items-center gap-1.5">
                <Badge tone="info" dot>
                  {jobTotals.active} active
                </Badge>
                <Badge tone="neutral">{jobTotals.queued} queued</Badge>
                <Badge tone={jobTotals.failed > 0 ? "danger" : "neutral"}>{jobTotals.failed} failed</Badge>
                <Badge tone="success">{formatNumber(jobTotals.completed)} done</Badge>
              </div>
            }
          />
        )}
        <StatTile
          label="Unread notifications"
          icon={<Bell />}
          loading={notifications.isLoading}
          value={notifications.error ? "—" : formatNumber(notifications.data?.unread ?? 0)}
          note={notifications.data ? `${notifications.data.rows.length} recent in total` : " "}
        />
        <StatTile
          label="Tenant"
          icon={<Clock />}
          value={<span className="text-base font-semibold">{me.tenant.brandName}</span>}
          note={`${me.tenant.timeZone} · recycle bin keeps ${me.tenant.retentionDays} days`}
        />
      </section>

      <div className="mt-3 grid grid-cols-1 gap-3 xl:grid-cols-3">
        {can("audit:read") && (
          <Card className="xl:col-span-2">
            <CardHeader title="Recent activity" description="Latest changes recorded in the audit log." />
            {audit.isLoading ? (
              <SkeletonText lines={6} className="p-4" />
            ) : audit.error ? (
              <ErrorState compact error={audit.error} onRetry={() => void audit.refetch()} retrying={audit.isFetching} />
            ) : !audit.data?.rows.length ? (
              <EmptyState compact title="No activity yet" />
            ) : (
              <ul className="divide-y divide-line">
                {audit.data.rows.map((e) => (
                  <li key={e.id} className="flex min-w-0 items-center gap-3 px-4 py-2">
                    <Badge mono tone={e.action.endsWith("delete") ? "danger" : e.action.includes("login") ? "info" : "neutral"}>
                      {e.action}
                    </Badge>
                    <span className="min-w-0 flex-1 truncate text-sm text-fg-muted">
                      <span className="text-fg">{e.actorLabel}</span> · {e.entityType}
                    </span>
                    <time className="shrink-0 text-xs text-fg-subtle tabular" dateTime={e.createdAt} title={formatFull(e.createdAt)}>
                      {formatRelative(e.createdAt)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {can("jobs:read") && (
          <Card>
            <CardHeader title="Queues" description="Jobs per queue and state." />
            {queues.isLoading ? (
              <SkeletonText lines={4} className="p-4" />
            ) : queues.error ? (
              <ErrorState compact error={queues.error} onRetry={() => void queues.refetch()} />
            ) : !queues.data?.queues.length ? (
              <EmptyState compact title="No queues" />
            ) : (
              <ul className="divide-y divide-line">
                {queues.data.queues.map((q) => (
                  <li key={q.queue} className="flex min-w-0 items-center justify-between gap-3 px-4 py-2.5">
                    <span className="min-w-0 truncate font-mono text-xs text-fg">{q.queue}</span>
                    <span className="flex shrink-0 gap-1">
                      {(q.counts.active ?? 0) > 0 && <Badge tone="info">{q.counts.active} active</Badge>}
                      {(q.counts.failed ?? 0) > 0 && <Badge tone="danger">{q.counts.failed} failed</Badge>}
                      <Badge tone="neutral">{q.counts.completed ?? 0} done</Badge>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
      </div>
    </Page>
  );
}
