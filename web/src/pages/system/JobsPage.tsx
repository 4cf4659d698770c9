import { useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { clsx } from "clsx";
import { Ban, ListChecks, RotateCcw } from "lucide-react";
import { Badge, Button, Card, DataTable, Dialog, DropdownMenu, EmptyState, ErrorState, IdCell, JsonView, KeyValue, Page, PageHeader, ProgressBar, Select, Skeleton, TimeCell, toast, type BadgeTone } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatDuration, formatFull, formatNumber } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import { useTableState } from "../../lib/useTableState";
import { JOB_STATES, type Job, type JobState, type Page as ListPage, type QueueSummary } from "../../lib/types";

const FILTERS = ["state", "queue"] as const;
const LIVE_STATES: JobState[] = ["created", "retry", "active"];

const STATE_TONE: Record<JobState, BadgeTone> = {
  created: "neutral",
  retry: "warning",
  active: "info",
  completed: "success",
  cancelled: "neutral",
  failed: "danger",
};
const STATE_LABEL: Record<JobState, string> = { created: "Queued", retry: "Retrying", active: "Active", completed: "Completed", cancelled: "Cancelled", failed: "Failed" };

export default function JobsPage() {
  const can = useCan();
  const canWrite = can("jobs:write");
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 25, defaultSort: "createdOn:desc", filters: FILTERS });
  const [paused, setPaused] = useState(false);
  const [detail, setDetail] = useState<Job | null>(null);
  const now = useNow(1000);

  const list = useQuery({
    queryKey: ["jobs", t.query],
    queryFn: ({ signal }) => api.get<ListPage<Job>>("/jobs", t.query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (!paused && q.state.data?.rows.some((j) => LIVE_STATES.includes(j.state)) ? 3000 : false),
  });
  const queues = useQuery({
    queryKey: ["job-queues"],
    queryFn: () => api.get<{ queues: QueueSummary[] }>("/jobs/queues"),
    refetchInterval: (q) => (!paused && q.state.data?.queues.some((x) => LIVE_STATES.some((s) => (x.counts[s] ?? 0) > 0)) ? 3000 : false),
  });
  const live = !paused && (list.data?.rows.some((j) => LIVE_STATES.includes(j.state)) || queues.data?.queues.some((x) => LIVE_STATES.some((s) => (x.counts[s] ?? 0) > 0)));

  const invalidate = () => Promise.all([qc.invalidateQueries({ queryKey: ["jobs"] }), qc.invalidateQueries({ queryKey: ["job-queues"] })]);
  const act = useMutation({
    mutationFn: ({ job, op }: { job: Job; op: "retry" | "cancel" }) => api.post(`/jobs/${job.id}/${op}`),
    onSuccess: (_d, { op, job }) => {
      toast.success(op === "retry" ? `Retrying ${job.queue}` : `Cancelled ${job.queue}`);
      void invalidate();
    },
    onError: (e) => toast.error(e),
  });
  const run = act.mutate;

  const columns = useMemo<ColumnDef<Job>[]>(
    () => [
      { id: "id", header: "Job", enableHiding: false, cell: ({ row }) => <IdCell prefix="job" id={row.original.id} /> },
      { id: "queue", header: "Queue", enableSorting: true, meta: { className: "font-mono text-xs" }, cell: ({ row }) => row.original.queue },
      {
        id: "state",
        header: "State",
        enableSorting: true,
        cell: ({ row }) => (
          <Badge tone={STATE_TONE[row.original.state]} dot>
            {STATE_LABEL[row.original.state]}
          </Badge>
        ),
      },
      {
        id: "progress",
        header: "Progress",
        meta: { className: "w-64 min-w-48" },
        cell: ({ row }) => {
          const j = row.original;
          return (
            <div className="flex min-w-0 items-center gap-2" title={j.message ?? undefined}>
              <ProgressBar value={j.percent} tone={j.state === "failed" ? "danger" : j.state === "completed" ? "success" : j.state === "cancelled" ? "neutral" : "accent"} className="w-20 shrink-0" label={`${j.queue} progress`} />
              <span className="w-8 shrink-0 text-right text-xs text-fg-muted tabular">{j.percent}%</span>
              {j.message && <span className="min-w-0 truncate text-xs text-fg-subtle">{j.message}</span>}
            </div>
          );
        },
      },
      {
        id: "attempts",
        header: "Attempts",
        meta: { align: "right", className: "text-fg-muted" },
        cell: ({ row }) => (
          <span title={`${row.original.retryCount} retries of ${row.original.retryLimit} allowed`}>
            {row.original.retryCount}/{row.original.retryLimit}
          </span>
        ),
      },
      { id: "createdOn", header: "Created", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdOn} /> },
      { id: "startedOn", header: "Started", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.startedOn} relative /> },
      {
        id: "duration",
        header: "Duration",
        meta: { align: "right", className: "text-fg-muted" },
        cell: ({ row }) => {
          const j = row.original;
          if (!j.startedOn) return <span className="text-fg-subtle">—</span>;
          const end = j.completedOn ? new Date(j.completedOn).getTime() : j.state === "active" ? Date.now() : null;
          return end ? formatDuration(end - new Date(j.startedOn).getTime()) : <span className="text-fg-subtle">—</span>;
        },
      },
      {
        id: "error",
        header: "Error",
        meta: { className: "max-w-72 truncate text-xs text-red-700 dark:text-red-300" },
        cell: ({ row }) => (row.original.error ? <span title={row.original.error}>{row.original.error}</span> : <span className="text-fg-subtle">—</span>),
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-24 text-right" },
        cell: ({ row }) => {
          const j = row.original;
          if (!canWrite) return null;
          return (
            <div onClick={(e) => e.stopPropagation()} className="flex justify-end">
              {j.state === "failed" && (
                <Button size="xs" icon={<RotateCcw className="size-3" />} onClick={() => run({ job: j, op: "retry" })} aria-label={`Retry job ${j.id}`}>
                  Retry
                </Button>
              )}
              {LIVE_STATES.includes(j.state) && (
                <Button size="xs" variant="ghost" icon={<Ban className="size-3" />} onClick={() => run({ job: j, op: "cancel" })} aria-label={`Cancel job ${j.id}`}>
                  Cancel
                </Button>
              )}
            </div>
          );
        },
      },
    ],
    // `now` (ticking every second) keeps running durations current.
    [canWrite, run, now],
  );

  const queueNames = queues.data?.queues.map((q) => q.queue) ?? [];

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Jobs"
          description="Background work: imports, purges, invoice runs. Queued and running jobs refresh every 3 seconds."
          meta={
            live ? (
              <Badge tone="info" dot className="[&>span]:animate-pulse">
                Live
              </Badge>
            ) : undefined
          }
          actions={
            <DropdownMenu
              items={[
                { label: paused ? "Resume auto-refresh" : "Pause auto-refresh", onSelect: () => setPaused((p) => !p) },
                { label: "Show failed jobs", onSelect: () => t.setFilters({ state: "failed", queue: "" }) },
                { label: "Show running and queued", onSelect: () => t.setFilters({ state: "active", queue: "" }) },
                { label: "Clear filters", disabled: !t.hasFilters, onSelect: t.clearFilters },
              ]}
            />
          }
        />
      }
    >
      <section aria-label="Queues" className="mb-4 grid shrink-0 grid-cols-1 gap-3 md:grid-cols-2 2xl:grid-cols-3">
        {queues.isLoading ? (
          <Skeleton className="h-[88px] rounded-lg" />
        ) : queues.error ? (
          <Card className="md:col-span-2">
            <ErrorState compact error={queues.error} onRetry={() => void queues.refetch()} />
          </Card>
        ) : (
          queues.data?.queues.map((q) => {
            const total = JOB_STATES.reduce((n, s) => n + (q.counts[s] ?? 0), 0);
            const selected = t.filters.queue === q.queue;
            return (
              <Card key={q.queue} className={clsx("p-3.5", selected && "border-accent ring-1 ring-accent/30")}>
                <div className="flex items-center justify-between gap-2">
                  <button type="button" onClick={() => t.setFilters({ queue: selected ? "" : q.queue, state: "" })} className="min-w-0 truncate text-left font-mono text-sm font-medium text-fg hover:underline" title="Filter the table by this queue">
                    {q.queue}
                  </button>
                  <span className="shrink-0 text-xs text-fg-subtle tabular">{formatNumber(total)} job{total === 1 ? "" : "s"}</span>
                </div>
                <div className="mt-2.5 flex flex-wrap gap-1.5">
                  {JOB_STATES.map((s) => {
                    const n = q.counts[s] ?? 0;
                    const on = selected && t.filters.state === s;
                    return (
                      <button
                        key={s}
                        type="button"
                        onClick={() => t.setFilters({ queue: q.queue, state: on ? "" : s })}
                        className={clsx("rounded transition-opacity", n === 0 && !on && "opacity-50 hover:opacity-100", on && "ring-2 ring-accent/50")}
                        title={`Show ${STATE_LABEL[s].toLowerCase()} jobs of ${q.queue}`}
                      >
                        <Badge tone={n > 0 ? STATE_TONE[s] : "neutral"}>
                          {STATE_LABEL[s]} <span className="tabular">{formatNumber(n)}</span>
                        </Badge>
                      </button>
                    );
                  })}
                </div>
              </Card>
            );
          })
        )}
      </section>

      <DataTable
        aria-label="Jobs"
        tableId="jobs"
        columns={columns}
        rows={list.data?.rows}
        total={list.data?.total ?? 0}
        getRowId={(j) => j.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        sort={t.sort}
        onSortChange={t.setSort}
        filters={
          <>
            <Select
              size="sm"
              aria-label="State"
              value={t.filters.state}
              onChange={(e) => t.setFilter("state", e.target.value)}
              placeholder="Any state"
              options={JOB_STATES.map((s) => ({ value: s, label: STATE_LABEL[s] }))}
              wrapperClassName="w-32"
            />
            <Select
              size="sm"
              aria-label="Queue"
              value={t.filters.queue}
              onChange={(e) => t.setFilter("queue", e.target.value)}
              placeholder="All queues"
              options={[...new Set([...queueNames, ...(t.filters.queue ? [t.filters.queue] : [])])].map((q) => ({ value: q, label: q }))}
              wrapperClassName="w-48"
            />
          </>
        }
        hasFilters={t.hasFilters}
        onClearFilters={t.clearFilters}
        onRefresh={() => Promise.all([list.refetch(), queues.refetch()])}
        isFetching={list.isFetching}
        isLoading={list.isLoading}
          stale={list.isPlaceholderData}
        error={list.error}
        onRowClick={setDetail}
        initialHidden={["startedOn"]}
        emptyState={<EmptyState icon={<ListChecks />} title="No jobs yet" description="Background work such as recycle-bin purges and imports shows up here with its progress." />}
      />
      <JobDetail job={detail && (list.data?.rows.find((j) => j.id === detail.id) ?? detail)} onClose={() => setDetail(null)} />
    </Page>
  );
}

function JobDetail({ job, onClose }: { job: Job | null; onClose: () => void }) {
  return (
    <Dialog open={job !== null} onClose={onClose} variant="sheet" size="md" title={job ? <span className="font-mono">{job.queue}</span> : ""} description={job ? `Job ${job.id}` : undefined}>
      {job && (
        <div className="flex flex-col gap-5">
          <div>
            <div className="mb-1.5 flex items-center justify-between text-sm">
              <Badge tone={STATE_TONE[job.state]} dot>
                {STATE_LABEL[job.state]}
              </Badge>
              <span className="text-fg-muted tabular">{job.percent}%</span>
            </div>
            <ProgressBar value={job.percent} tone={job.state === "failed" ? "danger" : job.state === "completed" ? "success" : "accent"} />
            {job.message && <p className="mt-1.5 text-sm text-fg-muted">{job.message}</p>}
          </div>
          <KeyValue
            items={[
              { label: "Created", value: formatFull(job.createdOn) },
              { label: "Started", value: job.startedOn ? formatFull(job.startedOn) : "—" },
              { label: "Completed", value: job.completedOn ? formatFull(job.completedOn) : "—" },
              { label: "Attempts", value: `${job.retryCount} of ${job.retryLimit} retries used` },
            ]}
          />
          {job.error && (
            <section>
              <h3 className="mb-2 text-xs font-semibold tracking-wide text-fg-muted uppercase">Error</h3>
              <pre className="overflow-auto rounded-md border border-red-500/25 bg-red-50 p-3 font-mono text-xs whitespace-pre-wrap text-red-800 dark:bg-red-500/10 dark:text-red-200">{job.error}</pre>
            </section>
          )}
          <section>
            <h3 className="mb-2 text-xs font-semibold tracking-wide text-fg-muted uppercase">Payload</h3>
            <JsonView value={job.data} />
          </section>
        </div>
      )}
    </Dialog>
  );
}
