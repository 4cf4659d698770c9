import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, RefreshCcw } from "lucide-react";
import { ActionDock, Badge, Button, Card, CardHeader, EmptyState, ErrorState, Page, PageHeader, Skeleton, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { useTableState } from "../../lib/useTableState";
import { CdrDetail } from "./CdrDetail";
import { CDR_FILTERS, CdrTable, cdrColumns, countLabel, useCdrQuery } from "./list";
import { RerateDialog } from "./RerateDialog";
import { cdrKeys, type Cdr, type RatingErrorGroup } from "./types";

/** Why CDRs could not be rated, grouped by reason (all time). */
function ErrorSummary() {
  const summary = useQuery({ queryKey: cdrKeys.errorSummary, queryFn: ({ signal }) => api.get<RatingErrorGroup[]>("/cdrs/rating-errors/summary", undefined, signal) });
  const total = summary.data?.reduce((n, g) => n + g.count, 0) ?? 0;
  return (
    <Card className="mb-4 flex max-h-[34vh] shrink-0 flex-col">
      <CardHeader
        title="Errors by reason"
        description="All CDRs still unrated, grouped by why (numbers and ids folded). Fix the cause — a missing rate, a service without a plan — then re-rate."
        actions={summary.data ? <Badge tone={total ? "danger" : "success"}>{formatNumber(total)} CDRs</Badge> : undefined}
      />
      <div className="min-h-0 overflow-auto">
        {summary.error ? (
          <ErrorState error={summary.error} onRetry={() => void summary.refetch()} compact />
        ) : !summary.data ? (
          <div className="flex flex-col gap-2 p-4">
            <Skeleton className="h-3 w-2/3" />
            <Skeleton className="h-3 w-1/2" />
          </div>
        ) : summary.data.length === 0 ? (
          <EmptyState compact icon={<CheckCircle2 />} title="No rating errors" description="Every CDR received so far has been rated." />
        ) : (
          <table className="w-full border-separate border-spacing-0 text-sm" aria-label="Rating errors by reason">
            <thead>
              <tr>
                {["Reason", "CDRs", "First call", "Last call"].map((h, i) => (
                  <th key={h} className={`sticky top-0 z-10 h-8 border-b border-line bg-surface-2 px-3 text-xs font-medium text-fg-muted first:pl-4 last:pr-4 ${i === 1 ? "text-right" : "text-left"}`}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary.data.map((g) => (
                <tr key={g.reason} className="hover:bg-surface-2">
                  <td className="h-8 border-b border-line px-3 pl-4 text-red-700 dark:text-red-300">{g.reason}</td>
                  <td className="h-8 border-b border-line px-3 text-right font-medium tabular">{formatNumber(g.count)}</td>
                  <td className="h-8 border-b border-line px-3 whitespace-nowrap text-fg-muted">
                    <TimeCell value={g.firstStartAt} />
                  </td>
                  <td className="h-8 border-b border-line px-3 pr-4 whitespace-nowrap text-fg-muted">
                    <TimeCell value={g.lastStartAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  );
}

/** Billing / Rating Errors: CDRs that could not be rated, why, and re-rating after the fix. */
export default function RatingErrorsPage() {
  const can = useCan();
  const t = useTableState({ defaultPageSize: 25, defaultSort: "startAt:desc", filters: CDR_FILTERS });
  const { list, filter, now } = useCdrQuery(t, { defaultRange: "7d", ratingStatus: "error" });
  const [open, setOpen] = useState<Cdr | null>(null);
  const [rerating, setRerating] = useState(false);
  const columns = useMemo(() => {
    const cols = cdrColumns({ money: false }).filter((c) => c.id !== "ratingStatus");
    cols.push({
      id: "ratingError",
      header: "Error",
      enableHiding: false,
      meta: { className: "max-w-[28rem]", skeleton: "w-64" },
      cell: ({ row }) => (
        <span className="block truncate text-red-700 dark:text-red-300" title={row.original.ratingError ?? undefined}>
          {row.original.ratingError}
        </span>
      ),
    });
    return cols;
  }, []);
  const count = countLabel(list.data);

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Rating Errors"
          breadcrumb={["Billing", "Rating Errors"]}
          description="CDRs that could not be rated (no rate for the number, no service matched, a service or trunk without a rating plan). They stay here until re-rated."
          meta={count ? <Badge tone={list.data?.total ? "danger" : "neutral"}>{count}</Badge> : undefined}
        />
      }
      dock={
        can("cdrs:write") ? (
          <ActionDock
            start={
              <span className="hidden text-xs text-fg-subtle sm:inline">
                Fix the plan or service first, then re-rate the period. ·{" "}
                <Link to="/billing/cdrs?ratingStatus=error" className="text-accent hover:underline">
                  Open in CDRs
                </Link>
              </span>
            }
          >
            <Button variant="primary" icon={<RefreshCcw className="size-4" />} onClick={() => setRerating(true)}>
              Re-rate…
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <ErrorSummary />
      <CdrTable
        t={t}
        list={list}
        columns={columns}
        label="CDRs with rating errors"
        defaultRange="7d"
        nowMs={now}
        searchAutoFocus={false}
        onRowClick={setOpen}
        initialHidden={["destination", "pdd", "callId", "sip", "duration"]}
        emptyState={<EmptyState icon={<CheckCircle2 />} title="No rating errors in this time range" description="Every CDR of the period was rated. A longer range may show older errors." />}
      />
      <CdrDetail cdr={open} onClose={() => setOpen(null)} />
      {can("cdrs:write") && <RerateDialog open={rerating} onClose={() => setRerating(false)} initial={filter} />}
    </Page>
  );
}
