import { useMemo, useState } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ChevronRight, Ellipsis, Layers, Pencil, Plus, Route, Trash2 } from "lucide-react";
import { Badge, Button, ConfirmDialog, DataTable, DropdownMenu, EmptyState, IconButton, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { formatRate } from "../rating/types";
import { STATE_TONE, STRATEGIES, STRATEGY_LABEL, STRATEGY_TONE, routingKeys, type Candidate, type RoutingEntry, type RoutingPlan } from "./types";

const FILTERS = ["state", "strategy"] as const;

function CandidateSummary({ entry }: { entry: RoutingEntry }) {
  const c = entry.candidates;
  if (!c.length) return <span className="text-fg-subtle">none</span>;
  const show = (x: Candidate) => {
    const order = entry.strategy === "weighted" ? `${x.weight}%` : entry.strategy === "priority_lcr" ? `G${x.priority}` : entry.strategy === "priority" ? `P${x.priority}` : null;
    return `${x.targetName ?? "(deleted)"}${order ? ` ${order}` : ""}${x.blocked ? " (blocked)" : ""}`;
  };
  return (
    <span className="flex max-w-md min-w-0 items-center gap-2" title={c.map((x, i) => `${i + 1}. ${show(x)}${x.carrier ? ` — ${x.carrier.name}` : ""}`).join("\n")}>
      <span className="shrink-0 rounded bg-surface-3 px-1.5 text-xs font-medium text-fg tabular">{c.length}</span>
      <span className="flex min-w-0 items-center gap-0.5 truncate text-fg-muted">
        {c.slice(0, 3).map((x, i) => (
          <span key={x.id} className="flex shrink-0 items-center gap-0.5">
            {i > 0 && <ChevronRight className="size-3 text-fg-subtle" aria-hidden />}
            {x.trunkGroupId && <Layers className="size-3 text-fg-subtle" aria-label="Trunk group" />}
            <span className={x.blocked || x.targetStatus === "deleted" ? "line-through" : x.targetStatus !== "active" && x.targetStatus !== "trunk_group" ? "text-amber-700 dark:text-amber-300" : ""}>{x.targetName ?? "(deleted)"}</span>
            {entry.strategy === "weighted" && <span className="font-mono text-2xs text-fg-subtle">{x.weight}%</span>}
            {entry.strategy === "priority_lcr" && <span className="font-mono text-2xs text-fg-subtle">G{x.priority}</span>}
          </span>
        ))}
        {c.length > 3 && <span className="ml-1 text-xs">+{c.length - 3}</span>}
      </span>
    </span>
  );
}

/** Profit guard in one cell: `≥ 0.0010 · 5%`, `no loss`, or `off`. */
function guardLabel(e: RoutingEntry): string {
  if (!e.profitGuard) return "off";
  const parts = [];
  if (e.minMargin && /[1-9]/.test(e.minMargin)) parts.push(`≥ ${formatRate(e.minMargin)}`);
  if (e.minMarginPercent != null) parts.push(`${e.minMarginPercent}%`);
  return parts.length ? parts.join(" · ") : "no loss";
}

/** The plan's entries: server-side pages, search by prefix, live / future / expired and strategy filters. */
export function EntriesTable({ plan, onAdd, onEdit, simulateServiceId }: { plan: RoutingPlan; onAdd?: () => void; onEdit: (e: RoutingEntry) => void; simulateServiceId?: string }) {
  const qc = useQueryClient();
  const canWrite = !!onAdd;
  const [deleting, setDeleting] = useState<RoutingEntry | null>(null);
  const t = useTableState({ defaultPageSize: 50, defaultSort: "prefix:asc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...routingKeys.entries(plan.id), t.query],
    queryFn: ({ signal }) => api.get<ListPage<RoutingEntry>>(`/routing-plans/${plan.id}/entries`, t.query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<RoutingEntry>[]>(
    () => [
      {
        id: "prefix",
        header: "Prefix",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-16" },
        cell: ({ row }) => (row.original.prefix ? <span className="font-mono text-xs font-semibold">{row.original.prefix}</span> : <span className="text-xs text-fg-muted italic">default</span>),
      },
      { id: "description", header: "Description", meta: { className: "max-w-56 truncate", skeleton: "w-32" }, cell: ({ row }) => <span title={row.original.description ?? ""}>{row.original.description ?? <span className="text-fg-subtle">—</span>}</span> },
      {
        id: "strategy",
        header: "Strategy",
        enableSorting: true,
        cell: ({ row }) =>
          row.original.blocked ? (
            <Badge tone="danger">Blocked</Badge>
          ) : (
            <Badge tone={STRATEGY_TONE[row.original.strategy]}>
              {STRATEGY_LABEL[row.original.strategy]}
              {row.original.strategy === "quality" ? ` (${row.original.qualityBase === "lcr" ? "LCR" : "priority"})` : ""}
            </Badge>
          ),
      },
      { id: "candidates", header: "Candidates", meta: { skeleton: "w-48" }, cell: ({ row }) => <CandidateSummary entry={row.original} /> },
      {
        id: "guard",
        header: "Profit guard",
        meta: { align: "right", label: `Profit guard (${plan.currency}/min)` },
        cell: ({ row }) => <span className={row.original.profitGuard ? "font-mono text-xs" : "text-xs text-fg-subtle"}>{guardLabel(row.original)}</span>,
      },
      {
        id: "maxSupplierRate",
        header: "Max rate",
        meta: { align: "right", label: `Max supplier rate (${plan.currency}/min)` },
        cell: ({ row }) => (row.original.maxSupplierRate ? <span className="font-mono text-xs">{formatRate(row.original.maxSupplierRate)}</span> : <span className="text-xs text-fg-subtle">—</span>),
      },
      {
        id: "maxAttempts",
        header: "Attempts",
        meta: { align: "right" },
        cell: ({ row }) =>
          row.original.maxAttempts == null ? (
            <span className="font-mono text-xs text-fg-subtle" title="The plan's maximum">
              {plan.maxAttempts}
            </span>
          ) : (
            <span className="font-mono text-xs">{row.original.maxAttempts}</span>
          ),
      },
      { id: "effectiveFrom", header: "From", enableSorting: true, cell: ({ row }) => <TimeCell value={row.original.effectiveFrom} empty={<span className="text-fg-subtle">always</span>} /> },
      { id: "effectiveTo", header: "To", cell: ({ row }) => <TimeCell value={row.original.effectiveTo} empty={<span className="text-fg-subtle">open</span>} /> },
      { id: "state", header: "State", cell: ({ row }) => <Badge tone={STATE_TONE[row.original.state]} dot>{row.original.state}</Badge> },
      { id: "updatedAt", header: "Updated", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.updatedAt} relative /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) => (
          <div onClick={(e) => e.stopPropagation()} className="flex justify-end">
            <DropdownMenu
              align="end"
              items={[
                { label: canWrite ? "Edit…" : "View…", icon: <Pencil />, onSelect: () => onEdit(row.original) },
                { label: "Simulate a call", icon: <Route />, to: `/routing/simulator?dialled=${row.original.prefix || "0"}${simulateServiceId ? `&serviceId=${simulateServiceId}` : ""}` },
                { type: "separator", hidden: !canWrite },
                { label: "Delete…", icon: <Trash2 />, danger: true, hidden: !canWrite, onSelect: () => setDeleting(row.original) },
              ]}
              trigger={(p) => <IconButton {...p} label={`Options for ${row.original.prefix || "default route"}`} tooltip={false} size="sm" icon={<Ellipsis className="size-4" />} />}
            />
          </div>
        ),
      },
    ],
    [plan, canWrite, onEdit, simulateServiceId],
  );

  return (
    <>
      <DataTable
        aria-label="Routing entries"
        tableId="routing-entries"
        columns={columns}
        getRowId={(r) => r.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Prefix digits or description…" }}
        filters={
          <>
            <Select
              size="sm"
              aria-label="State"
              value={t.filters.state}
              onChange={(e) => t.setFilter("state", e.target.value)}
              placeholder="Live + future + expired"
              options={[
                { value: "live", label: "Live now" },
                { value: "future", label: "Future" },
                { value: "expired", label: "Expired" },
              ]}
              wrapperClassName="w-48"
            />
            <Select size="sm" aria-label="Strategy" value={t.filters.strategy} onChange={(e) => t.setFilter("strategy", e.target.value)} placeholder="All strategies" options={STRATEGIES.map((s) => ({ value: s, label: STRATEGY_LABEL[s] }))} wrapperClassName="w-48" />
          </>
        }
        onRowClick={onEdit}
        rowClassName={(r) => (r.state === "expired" ? "text-fg-muted" : undefined)}
        emptyState={
          <EmptyState
            icon={<Route />}
            title="No entries yet"
            description="Add an entry per destination prefix (empty prefix = every destination): its strategy orders the supplier candidates, the longest live prefix of a number wins."
            action={
              onAdd && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={onAdd}>
                  Add entry
                </Button>
              )
            }
          />
        }
      />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        tone="danger"
        title={`Delete entry ${deleting?.prefix || "(default route)"}?`}
        message="The entry and its candidates are deleted (the audit log keeps a copy). Calls to this prefix fall back to the next shorter live prefix."
        confirmLabel="Delete entry"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/routing-entries/${deleting.id}`);
          void qc.invalidateQueries({ queryKey: routingKeys.plan(plan.id) });
          void qc.invalidateQueries({ queryKey: routingKeys.plans });
          toast.success(`Deleted entry ${deleting.prefix || "(default route)"}`);
        }}
      />
    </>
  );
}
