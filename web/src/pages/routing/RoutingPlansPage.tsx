import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Ellipsis, Pencil, Plus, Split, Trash2 } from "lucide-react";
import { ActionDock, Button, DataTable, DropdownMenu, EmptyState, IconButton, Page, PageHeader, Select, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { currencyOptions } from "../carriers/carrier/labels";
import { DeletePlanDialog, PlanDialog } from "./PlanDialog";
import { routingKeys, type RoutingPlan } from "./types";

const FILTERS = ["currency"] as const;

/** Routing / Routing Plans: every plan with its comparison currency, entry and service counts. */
export default function RoutingPlansPage() {
  const can = useCan();
  const canWrite = can("routing:write");
  const navigate = useNavigate();
  const [editing, setEditing] = useState<{ plan: RoutingPlan | null } | null>(null);
  const [deleting, setDeleting] = useState<RoutingPlan | null>(null);
  const t = useTableState({ defaultPageSize: 25, defaultSort: "name:asc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...routingKeys.plans, t.query],
    queryFn: ({ signal }) => api.get<ListPage<RoutingPlan>>("/routing-plans", t.query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<RoutingPlan>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-40", className: "max-w-80" },
        cell: ({ row }) => (
          <span className="block truncate font-medium text-fg" title={row.original.name}>
            {row.original.name}
          </span>
        ),
      },
      { id: "currency", header: "Currency", enableSorting: true, cell: ({ row }) => <span className="font-mono text-xs font-semibold">{row.original.currency}</span> },
      { id: "entryCount", header: "Entries", meta: { align: "right" }, cell: ({ row }) => <span className="font-mono text-xs">{formatNumber(row.original.entryCount)}</span> },
      {
        id: "serviceCount",
        header: "Services",
        meta: { align: "right", label: "Services using it" },
        cell: ({ row }) => (row.original.serviceCount ? <span className="font-mono text-xs">{formatNumber(row.original.serviceCount)}</span> : <span className="text-xs text-fg-subtle">unused</span>),
      },
      { id: "maxAttempts", header: "Max attempts", meta: { align: "right" }, cell: ({ row }) => <span className="font-mono text-xs">{row.original.maxAttempts}</span> },
      {
        id: "noRateSipCode",
        header: "No rate",
        meta: { align: "right", label: "SIP status when there is no customer rate" },
        cell: ({ row }) => (
          <span className="font-mono text-xs" title={row.original.noRateSipCode === 484 ? "484 Address Incomplete" : "404 Not Found"}>
            {row.original.noRateSipCode}
          </span>
        ),
      },
      { id: "description", header: "Description", meta: { className: "max-w-80 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.description ?? ""}>{row.original.description ?? "—"}</span> },
      { id: "updatedAt", header: "Updated", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.updatedAt} relative /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) =>
          canWrite && (
            <div onClick={(e) => e.stopPropagation()} className="flex justify-end">
              <DropdownMenu
                align="end"
                items={[
                  { label: "Edit settings…", icon: <Pencil />, onSelect: () => setEditing({ plan: row.original }) },
                  { type: "separator" },
                  { label: "Delete…", icon: <Trash2 />, danger: true, onSelect: () => setDeleting(row.original) },
                ]}
                trigger={(p) => <IconButton {...p} label={`Options for ${row.original.name}`} tooltip={false} size="sm" icon={<Ellipsis className="size-4" />} />}
              />
            </div>
          ),
      },
    ],
    [canWrite],
  );

  const currencies = useMemo(() => currencyOptions([t.filters.currency]).slice(0, 40), [t.filters.currency]);
  const add = () => setEditing({ plan: null });

  return (
    <Page
      fill
      header={<PageHeader title="Routing Plans" breadcrumb={["Routing", "Routing Plans"]} description="Per-destination route lists: strategy (LCR, priority, weighted, quality), supplier candidates, profit guard and caps." />}
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">A service uses one routing plan; try a number in the Route Simulator.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={add}>
              Add Routing Plan
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Routing plans"
        tableId="routing-plans"
        columns={columns}
        getRowId={(p) => p.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search plan name…" }}
        filters={
          <Select
            size="sm"
            aria-label="Currency"
            value={t.filters.currency}
            onChange={(e) => t.setFilter("currency", e.target.value)}
            placeholder="All currencies"
            options={currencies.map((c) => ({ value: c, label: c }))}
            wrapperClassName="w-36"
          />
        }
        onRowClick={(p) => navigate(`/routing/plans/${p.id}`)}
        emptyState={
          <EmptyState
            icon={<Split />}
            title="No routing plans yet"
            description="A routing plan lists, per destination prefix, the suppliers to try and in what order. Give it to a service and its calls route by it."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={add}>
                  Add Routing Plan
                </Button>
              )
            }
          />
        }
      />
      {canWrite && <PlanDialog open={editing !== null} onClose={() => setEditing(null)} plan={editing?.plan ?? null} />}
      <DeletePlanDialog plan={deleting} onClose={() => setDeleting(null)} />
    </Page>
  );
}
