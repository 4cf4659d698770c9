import { useMemo } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { FileUp, Table2 } from "lucide-react";
import { Badge, Button, DataTable, EmptyState, Select, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useTableState } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { formatRate, increments, ratingKeys, type Rate, type RatingPlan } from "./types";

const FILTERS = ["state"] as const;

/** Rates tab: the plan's rates, searchable by prefix or destination, by live / future / expired. */
export function RatesTab({ plan, onImport }: { plan: RatingPlan; onImport?: () => void }) {
  const t = useTableState({ defaultPageSize: 50, filters: FILTERS });
  const query = { page: t.page, pageSize: t.pageSize, q: t.query.q, state: t.filters.state || undefined };
  const list = useQuery({
    queryKey: [...ratingKeys.rates(plan.id), query],
    queryFn: ({ signal }) => api.get<ListPage<Rate>>(`/rating-plans/${plan.id}/rates`, query, signal),
    placeholderData: keepPreviousData,
  });
  // "Now" for the future / expired badges: the moment the rows were fetched.
  const now = useMemo(() => (list.dataUpdatedAt ? Date.now() : 0), [list.dataUpdatedAt]);
  const columns = useMemo<ColumnDef<Rate>[]>(
    () => [
      { id: "prefix", header: "Prefix", enableHiding: false, meta: { skeleton: "w-16" }, cell: ({ row }) => <span className="font-mono text-xs font-semibold">{row.original.prefix}</span> },
      { id: "destination", header: "Destination", meta: { className: "max-w-72 truncate", skeleton: "w-40" }, cell: ({ row }) => <span title={row.original.destination}>{row.original.destination || <span className="text-fg-subtle">—</span>}</span> },
      {
        id: "rate",
        header: `Rate/min (${plan.currency})`,
        meta: { align: "right", label: "Rate per minute" },
        cell: ({ row }) => <span className="font-mono text-xs font-medium">{formatRate(row.original.rate)}</span>,
      },
      {
        id: "connectionFee",
        header: "Fee",
        meta: { align: "right", label: "Connection fee" },
        cell: ({ row }) =>
          row.original.connectionFee == null ? (
            <span className="font-mono text-xs text-fg-subtle" title="The plan's connection fee">
              {formatRate(plan.connectionFee)}
            </span>
          ) : (
            <span className="font-mono text-xs">{formatRate(row.original.connectionFee)}</span>
          ),
      },
      {
        id: "increments",
        header: "Increments",
        meta: { align: "right" },
        cell: ({ row }) => {
          const own = increments(row.original.incrementFirstS, row.original.incrementNextS);
          return own ? (
            <span className="font-mono text-xs">{own}</span>
          ) : (
            <span className="font-mono text-xs text-fg-subtle" title="The plan's increments">
              {plan.incrementFirstS}/{plan.incrementNextS}
            </span>
          );
        },
      },
      { id: "timeClass", header: "Time class", cell: ({ row }) => (row.original.timeClass ? <Badge>{row.original.timeClass}</Badge> : <span className="text-fg-subtle">all times</span>) },
      {
        id: "effectiveFrom",
        header: "Effective from",
        cell: ({ row }) => (
          <span className="flex items-center gap-1.5">
            <TimeCell value={row.original.effectiveFrom} />
            {new Date(row.original.effectiveFrom).getTime() > now && <Badge tone="info">future</Badge>}
          </span>
        ),
      },
      {
        id: "effectiveTo",
        header: "Effective to",
        cell: ({ row }) =>
          row.original.effectiveTo ? (
            <span className="flex items-center gap-1.5">
              <TimeCell value={row.original.effectiveTo} />
              {new Date(row.original.effectiveTo).getTime() <= now && <Badge tone="neutral">expired</Badge>}
            </span>
          ) : (
            <span className="text-fg-subtle">open</span>
          ),
      },
    ],
    [plan, now],
  );
  return (
    <DataTable
      aria-label="Rates"
      tableId="rating-rates"
      columns={columns}
      rows={list.data?.rows}
      total={list.data?.total ?? 0}
      getRowId={(r) => r.id}
      page={t.page}
      pageSize={t.pageSize}
      onPageChange={t.setPage}
      onPageSizeChange={t.setPageSize}
      search={{ value: t.q, onChange: t.setQ, placeholder: "Prefix digits or destination…" }}
      filters={
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
      }
      hasFilters={t.hasFilters}
      onClearFilters={t.clearFilters}
      onRefresh={() => list.refetch()}
      isFetching={list.isFetching}
      isLoading={list.isLoading}
      stale={list.isPlaceholderData}
      error={list.error}
      rowClassName={(r) => (r.effectiveTo && new Date(r.effectiveTo).getTime() <= now ? "text-fg-muted" : undefined)}
      emptyState={
        <EmptyState
          icon={<Table2 />}
          title="No rates yet"
          description="Import a rate deck to fill this plan: each row is a prefix, its destination, a per-minute rate and the date it takes effect."
          action={
            onImport && (
              <Button variant="primary" size="sm" icon={<FileUp className="size-3.5" />} onClick={onImport}>
                Import deck
              </Button>
            )
          }
        />
      }
    />
  );
}
