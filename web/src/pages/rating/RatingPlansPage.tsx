import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Calculator, Plus } from "lucide-react";
import { ActionDock, Badge, Button, DataTable, EmptyState, Page, PageHeader, Select, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { PlanDialog } from "./PlanDialog";
import { KIND_LABEL, KIND_TONE, formatRate, ratingKeys, type PlanKind, type RatingPlan } from "./types";

const FILTERS = ["kind"] as const;

/** Rating / Rating Plans: every customer and supplier plan with its billing rules. */
export default function RatingPlansPage() {
  const can = useCan();
  const canWrite = can("rating:write");
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const t = useTableState({ defaultPageSize: 25, defaultSort: "name:asc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...ratingKeys.plans, t.query],
    queryFn: ({ signal }) => api.get<ListPage<RatingPlan>>("/rating-plans", t.query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<RatingPlan>[]>(
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
      { id: "kind", header: "Kind", enableSorting: true, cell: ({ row }) => <Badge tone={KIND_TONE[row.original.kind]}>{KIND_LABEL[row.original.kind]}</Badge> },
      { id: "currency", header: "Currency", enableSorting: true, cell: ({ row }) => <span className="font-mono text-xs font-semibold">{row.original.currency}</span> },
      {
        id: "increments",
        header: "Increments",
        meta: { align: "right", label: "Increments (first/next s)" },
        cell: ({ row }) => (
          <span className="font-mono text-xs" title={`First ${row.original.incrementFirstS} s, then every ${row.original.incrementNextS} s`}>
            {row.original.incrementFirstS}/{row.original.incrementNextS}
          </span>
        ),
      },
      {
        id: "minGrace",
        header: "Min / Grace",
        meta: { align: "right", label: "Minimum duration / grace period" },
        cell: ({ row }) => (
          <span className="font-mono text-xs" title={`Minimum ${row.original.minimumDurationS} s, grace ${row.original.gracePeriodS} s`}>
            {row.original.minimumDurationS}s / {row.original.gracePeriodS}s
          </span>
        ),
      },
      {
        id: "connectionFee",
        header: "Conn. fee",
        meta: { align: "right", label: "Connection fee" },
        cell: ({ row }) => <span className="font-mono text-xs">{formatRate(row.original.connectionFee)}</span>,
      },
      { id: "noticeDays", header: "Notice", meta: { align: "right", label: "Notice days" }, cell: ({ row }) => <span className="tabular">{row.original.noticeDays} d</span> },
      { id: "timeClasses", header: "Time classes", cell: ({ row }) => (row.original.timeClasses.length ? row.original.timeClasses.map((c) => c.name).join(", ") : <span className="text-fg-subtle">—</span>) },
      { id: "rateCount", header: "Live rates", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{formatNumber(row.original.rateCount)}</span> },
      { id: "updatedAt", header: "Updated", cell: ({ row }) => <TimeCell value={row.original.updatedAt} relative /> },
    ],
    [],
  );

  return (
    <Page
      fill
      header={<PageHeader title="Rating Plans" breadcrumb={["Rating", "Rating Plans"]} description="Customer (sell) and supplier (buy) rate plans: per-prefix rates, increments, time classes and deck revisions." />}
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Open a plan to import a deck, browse its rates or quote a call.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setAdding(true)}>
              Add Rating Plan
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Rating plans"
        tableId="rating-plans"
        columns={columns}
        getRowId={(p) => p.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search plan name…" }}
        filters={
          <Select
            size="sm"
            aria-label="Kind"
            value={t.filters.kind}
            onChange={(e) => t.setFilter("kind", e.target.value)}
            placeholder="All kinds"
            options={(Object.keys(KIND_LABEL) as PlanKind[]).map((k) => ({ value: k, label: KIND_LABEL[k] }))}
            wrapperClassName="w-40"
          />
        }
        onRowClick={(p) => navigate(`/rating/plans/${p.id}`)}
        emptyState={
          <EmptyState
            icon={<Calculator />}
            title="No rating plans yet"
            description="A rating plan prices calls: import a customer or supplier rate deck into it and every call is rated by its longest matching prefix."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setAdding(true)}>
                  Add Rating Plan
                </Button>
              )
            }
          />
        }
      />
      {canWrite && <PlanDialog open={adding} onClose={() => setAdding(false)} plan={null} />}
    </Page>
  );
}
