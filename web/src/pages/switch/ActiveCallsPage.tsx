import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { PhoneCall, PhoneOff } from "lucide-react";
import { Badge, Button, ConfirmDialog, DataTable, EmptyState, Page, PageHeader, Select, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatDateTime, formatFull, formatNumber } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import type { Page as ListPage } from "../../lib/types";
import { useTableState } from "../../lib/useTableState";
import type { Interconnect, Service } from "../carriers/types";
import { useServiceOptions } from "../carriers/interconnect/hooks";
import { useSwitchStatus } from "./hooks";
import { NotConnectedHelp } from "./SwitchStatusPage";
import type { LiveCall } from "./types";

const FILTERS = ["state"] as const;
const CALLS_KEY = ["switch", "calls"];

/** "m:ss" or "h:mm:ss", the way a NOC wall display counts. */
export function clock(s: number): string {
  const t = Math.max(0, Math.floor(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Talk time once answered, ringing time before; ticks with `now` between 2 s refreshes. */
const elapsedS = (c: LiveCall, now: number) => (now - Date.parse(c.answeredAt ?? c.startedAt)) / 1000;

/** SIP URI → the user part a NOC engineer reads ("sip:4420…@host" → "4420…"). */
const userPart = (uri: string) => /^(?:sips?:)?([^@;>]+)/.exec(uri.replace(/^<|>$/g, ""))?.[1] ?? uri;

function InterconnectName({ id, map }: { id: string | null; map: Map<string, Interconnect> }) {
  if (!id) return <span className="text-fg-subtle">—</span>;
  const ic = map.get(id);
  if (!ic) return <span className="font-mono text-xs text-fg-subtle" title={id}>{id.slice(0, 8)}</span>;
  return (
    <span className="flex min-w-0 flex-col leading-tight">
      <Link to={`/carriers/interconnects/${ic.id}`} onClick={(e) => e.stopPropagation()} className="max-w-44 truncate text-fg hover:underline">
        {ic.name}
      </Link>
      <span className="max-w-44 truncate text-xs text-fg-subtle">{ic.carrierName}</span>
    </span>
  );
}

/** Live calls on the switch for this tenant, with a hang-up action. */
export default function ActiveCallsPage() {
  const can = useCan();
  const canHangUp = can("switch:write");
  const qc = useQueryClient();
  const now = useNow(1000);
  const t = useTableState({ defaultPageSize: 100, filters: FILTERS });
  const [hangup, setHangup] = useState<LiveCall | null>(null);

  const status = useSwitchStatus(5000);
  const calls = useQuery({
    queryKey: CALLS_KEY,
    queryFn: ({ signal }) => api.get<LiveCall[]>("/switch/calls", undefined, signal),
    refetchInterval: 2000,
  });
  // Names for the ids the switch reports; fetched once, ids outside them show shortened.
  const interconnects = useQuery({
    queryKey: ["interconnects", "options", "all", "all", 500],
    queryFn: ({ signal }) => api.get<ListPage<Interconnect>>("/interconnects", { pageSize: 500, sort: "name:asc" }, signal),
    enabled: can("carriers:read"),
    staleTime: 60_000,
  });
  const services = useServiceOptions(can("carriers:read"));
  const icMap = useMemo(() => new Map((interconnects.data?.rows ?? []).map((i) => [i.id, i])), [interconnects.data]);
  const svcMap = useMemo(() => new Map((services.data?.rows ?? []).map((s: Service) => [s.id, s])), [services.data]);

  const filtered = useMemo(() => {
    const q = t.q.toLowerCase();
    return (calls.data ?? []).filter((c) => {
      if (t.filters.state && c.state !== t.filters.state) return false;
      if (!q) return true;
      const names = [c.ingressInterconnectId, c.egressInterconnectId].map((id) => (id ? `${icMap.get(id)?.name ?? ""} ${icMap.get(id)?.carrierName ?? ""}` : ""));
      return `${c.from} ${c.to} ${c.callId} ${names.join(" ")} ${c.serviceId ? (svcMap.get(c.serviceId)?.name ?? "") : ""}`.toLowerCase().includes(q);
    });
  }, [calls.data, t.q, t.filters.state, icMap, svcMap]);
  const pageRows = calls.data ? filtered.slice((t.page - 1) * t.pageSize, t.page * t.pageSize) : undefined;

  const columns = useMemo<ColumnDef<LiveCall>[]>(
    () => [
      {
        id: "state",
        header: "State",
        meta: { className: "w-24", skeleton: "w-16" },
        cell: ({ row }) =>
          row.original.state === "answered" ? (
            <Badge tone="success" dot>
              Answered
            </Badge>
          ) : (
            <Badge tone="info" dot>
              Ringing
            </Badge>
          ),
      },
      {
        id: "duration",
        header: "Duration",
        meta: { className: "w-20 text-right font-mono text-xs tabular", headerClassName: "text-right", skeleton: "w-10" },
        cell: ({ row }) => <span title={row.original.state === "answered" ? "Talk time" : "Ringing for"}>{clock(elapsedS(row.original, now))}</span>,
      },
      { id: "from", header: "From", meta: { className: "font-mono text-xs" }, cell: ({ row }) => <span title={row.original.from}>{userPart(row.original.from)}</span> },
      { id: "to", header: "To", meta: { className: "font-mono text-xs" }, cell: ({ row }) => <span title={row.original.to}>{userPart(row.original.to)}</span> },
      { id: "ingress", header: "Customer (ingress)", meta: { skeleton: "w-32" }, cell: ({ row }) => <InterconnectName id={row.original.ingressInterconnectId} map={icMap} /> },
      {
        id: "service",
        header: "Service",
        cell: ({ row }) => {
          const id = row.original.serviceId;
          return id ? <span className="block max-w-44 truncate text-fg-muted">{svcMap.get(id)?.name ?? id.slice(0, 8)}</span> : <span className="text-fg-subtle">—</span>;
        },
      },
      { id: "egress", header: "Supplier (egress)", meta: { skeleton: "w-32" }, cell: ({ row }) => <InterconnectName id={row.original.egressInterconnectId} map={icMap} /> },
      { id: "attempt", header: "Attempt", meta: { className: "w-16 text-right tabular", headerClassName: "text-right" }, cell: ({ row }) => row.original.attempt ?? "—" },
      {
        id: "startedAt",
        header: "Started",
        meta: { className: "font-mono text-xs text-fg-muted" },
        // Live calls are minutes old: the time of day (tenant zone) is enough, the date is in the title.
        cell: ({ row }) => (
          <time dateTime={row.original.startedAt} title={formatFull(row.original.startedAt)}>
            {formatDateTime(row.original.startedAt, { seconds: true }).slice(11)}
          </time>
        ),
      },
      { id: "switch", header: "Switch", meta: { className: "font-mono text-xs text-fg-muted" }, cell: ({ row }) => row.original.switchId },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-20 text-right", headerClassName: "w-20" },
        cell: ({ row }) =>
          canHangUp && (
            <Button size="sm" variant="ghost" className="text-red-600 hover:text-red-700 dark:text-red-400" icon={<PhoneOff className="size-3.5" />} onClick={() => setHangup(row.original)} aria-label={`Hang up call to ${userPart(row.original.to)}`}>
              Hang up
            </Button>
          ),
      },
    ],
    [now, icMap, svcMap, canHangUp],
  );

  const answered = calls.data?.filter((c) => c.state === "answered").length ?? 0;
  const connected = status.data?.connected;

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Active Calls"
          description="Live calls on the switch, refreshed every 2 s. Durations count talk time once answered."
          meta={
            calls.data && (
              <span className="flex items-center gap-1.5">
                <Badge tone="neutral">{formatNumber(calls.data.length)}</Badge>
                {calls.data.length > 0 && <Badge tone="success">{formatNumber(answered)} answered</Badge>}
                {status.data && !connected && (
                  <Badge tone="warning" dot>
                    Switch not connected
                  </Badge>
                )}
              </span>
            )
          }
        />
      }
    >
      {status.data && !connected && <NotConnectedHelp nodes={status.data.nodes} className="mb-3" />}
      <DataTable
        aria-label="Active calls"
        tableId="switch-calls"
        columns={columns}
        rows={pageRows}
        total={filtered.length}
        getRowId={(c) => `${c.switchId}/${c.callId}`}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Number, carrier, interconnect…", autoFocus: false }}
        filters={
          <Select
            size="sm"
            aria-label="State"
            value={t.filters.state}
            onChange={(e) => t.setFilter("state", e.target.value)}
            placeholder="All states"
            options={[
              { value: "answered", label: "Answered" },
              { value: "ringing", label: "Ringing" },
            ]}
            wrapperClassName="w-36"
          />
        }
        hasFilters={t.hasFilters}
        onClearFilters={t.clearFilters}
        onRefresh={() => calls.refetch()}
        isFetching={calls.isFetching}
        isLoading={calls.isLoading}
        error={calls.error}
        initialHidden={["switch"]}
        emptyState={
          <EmptyState
            icon={<PhoneCall />}
            title={status.data && !connected ? "No calls: the switch is not connected" : "No active calls"}
            description={status.data && !connected ? "Start the switch to carry calls; they appear here within 2 s." : "Calls appear here as soon as the switch accepts them."}
          />
        }
      />
      <ConfirmDialog
        open={hangup !== null}
        onClose={() => setHangup(null)}
        tone="danger"
        title={hangup ? `Hang up the call to ${userPart(hangup.to)}?` : "Hang up?"}
        message={
          hangup &&
          `The switch ends the call from ${userPart(hangup.from)} at once, on both legs (${hangup.state}, ${clock(elapsedS(hangup, Date.now()))}). Its CDR is written as usual.`
        }
        confirmLabel="Hang up"
        onConfirm={async () => {
          if (!hangup) return;
          await api.post("/switch/calls/hangup", { switchId: hangup.switchId, callId: hangup.callId });
          toast.success(`Hung up the call to ${userPart(hangup.to)}`);
          await qc.invalidateQueries({ queryKey: ["switch"] });
        }}
      />
    </Page>
  );
}
