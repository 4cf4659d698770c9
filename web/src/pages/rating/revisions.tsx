import { useEffect, useMemo, useRef, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { AlertTriangle, CheckCircle2, FileSpreadsheet, Play, XCircle } from "lucide-react";
import { Badge, Button, DataTable, Dialog, EmptyState, ProgressBar, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatDateTime, formatFull, formatNumber } from "../../lib/format";
import type { Job, Page as ListPage } from "../../lib/types";
import { FormError } from "../carriers/carrier/ui";
import { CHANGE_KINDS, CHANGE_LABEL, CHANGE_TONE, STATUS_LABEL, STATUS_TONE, formatRate, increments, ratingKeys, type ChangeKind, type DiffRow, type Preview, type Revision } from "./types";

/** Counts per change kind as small badges; `onPick` makes them filter buttons. */
export function ChangeCounts({ revision, onPick, active }: { revision: Revision; onPick?: (c: ChangeKind | "") => void; active?: ChangeKind | "" }) {
  const counts: Record<ChangeKind, number> = {
    new: revision.newCount,
    increase: revision.increaseCount,
    decrease: revision.decreaseCount,
    unchanged: revision.unchangedCount,
    closed: revision.closedCount,
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5" aria-label="Changes">
      {CHANGE_KINDS.map((c) => {
        const badge = (
          <Badge tone={counts[c] ? CHANGE_TONE[c] : "neutral"} className={active === c ? "ring-2" : undefined}>
            <span className="tabular font-semibold">{formatNumber(counts[c])}</span> {CHANGE_LABEL[c].toLowerCase()}
          </Badge>
        );
        return onPick ? (
          <button key={c} type="button" onClick={() => onPick(active === c ? "" : c)} aria-pressed={active === c} className="rounded-md focus-visible:outline-2">
            {badge}
          </button>
        ) : (
          <span key={c}>{badge}</span>
        );
      })}
      {revision.noticeViolationCount > 0 && (
        <Badge tone="warning" title={revision.noticePolicy === "defer" ? "Increases with too little notice were deferred" : "Increases with too little notice"}>
          <AlertTriangle className="size-3" /> {formatNumber(revision.noticeViolationCount)} notice {revision.noticePolicy === "defer" ? "deferred" : "violations"}
        </Badge>
      )}
    </div>
  );
}

/** `deckDate`: the revision's effective date; a closed version that starts after it is cancelled outright. */
const diffColumns = (deckDate: string | null): ColumnDef<DiffRow>[] => [
  { id: "line", header: "Line", meta: { align: "right", className: "w-14" }, cell: ({ row }) => <span className="font-mono text-xs text-fg-subtle">{row.original.line ?? "—"}</span> },
  { id: "change", header: "Change", cell: ({ row }) => <Badge tone={CHANGE_TONE[row.original.change]}>{CHANGE_LABEL[row.original.change]}</Badge> },
  { id: "prefix", header: "Prefix", enableHiding: false, cell: ({ row }) => <span className="font-mono text-xs font-semibold">{row.original.prefix}</span> },
  { id: "destination", header: "Destination", meta: { className: "max-w-60 truncate" }, cell: ({ row }) => <span title={row.original.destination}>{row.original.destination || "—"}</span> },
  { id: "previousRate", header: "Old rate", meta: { align: "right" }, cell: ({ row }) => <span className="font-mono text-xs text-fg-muted">{formatRate(row.original.previousRate)}</span> },
  {
    id: "rate",
    header: "New rate",
    meta: { align: "right" },
    cell: ({ row }) => (
      <span className={`font-mono text-xs ${row.original.change === "increase" ? "text-red-600 dark:text-red-400" : row.original.change === "decrease" ? "text-emerald-700 dark:text-emerald-400" : ""}`}>{formatRate(row.original.rate)}</span>
    ),
  },
  { id: "increments", header: "Incr.", meta: { align: "right" }, cell: ({ row }) => <span className="font-mono text-xs">{increments(row.original.incrementFirstS, row.original.incrementNextS) ?? <span className="text-fg-subtle">plan</span>}</span> },
  { id: "timeClass", header: "Time class", cell: ({ row }) => row.original.timeClass ?? <span className="text-fg-subtle">all</span> },
  {
    id: "effectiveFrom",
    header: "Effective from",
    cell: ({ row }) => {
      const r = row.original;
      return (
        <span className="flex items-center gap-1.5 whitespace-nowrap">
          <span className={r.effectiveFromAdjusted ? "text-fg-subtle line-through" : undefined} title={formatFull(r.effectiveFrom)}>
            {formatDateTime(r.effectiveFrom)}
          </span>
          {r.effectiveFromAdjusted && <span title={`Deferred for notice: ${formatFull(r.effectiveFromAdjusted)}`}>{formatDateTime(r.effectiveFromAdjusted)}</span>}
          {r.noticeViolation && (
            <Badge tone="warning" title="An increase with less notice than the plan requires">
              notice
            </Badge>
          )}
          {r.change === "closed" && deckDate && Date.parse(r.effectiveFrom) > Date.parse(deckDate) && (
            <Badge tone="neutral" title="A future version of a code the full deck leaves out: it never takes effect">
              cancelled
            </Badge>
          )}
        </span>
      );
    },
  },
];

/** One revision's diff rows, paginated on the server and filterable by change kind. */
export function DiffTable({ revision, initial }: { revision: Revision; initial?: Preview["diff"] }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [change, setChange] = useState<ChangeKind | "">("");
  const useInitial = !!initial && page === 1 && pageSize >= initial.pageSize && change === "" && initial.pageSize === pageSize;
  const q = useQuery({
    queryKey: [...ratingKeys.revision(revision.id), "diff", page, pageSize, change],
    queryFn: ({ signal }) => api.get<Preview>(`/rating-revisions/${revision.id}`, { page, pageSize, change: change || undefined }, signal),
    placeholderData: keepPreviousData,
    enabled: !useInitial,
  });
  const diff = useInitial ? initial : q.data?.diff;
  const columns = useMemo(() => diffColumns(revision.effectiveFrom), [revision.effectiveFrom]);
  return (
    <div className="flex flex-col gap-2">
      <ChangeCounts
        revision={revision}
        active={change}
        onPick={(c) => {
          setChange(c);
          setPage(1);
        }}
      />
      <DataTable
        aria-label="Deck changes"
        columns={columns}
        rows={diff?.rows}
        total={diff?.total ?? 0}
        getRowId={(r) => `${r.line ?? "x"}-${r.prefix}-${r.timeClass ?? ""}-${r.change}-${r.effectiveFrom}`}
        page={page}
        pageSize={pageSize}
        onPageChange={setPage}
        onPageSizeChange={(s) => {
          setPageSize(s);
          setPage(1);
        }}
        filters={
          <Select
            size="sm"
            aria-label="Change"
            value={change}
            onChange={(e) => {
              setChange(e.target.value as ChangeKind | "");
              setPage(1);
            }}
            placeholder="All changes"
            options={CHANGE_KINDS.map((c) => ({ value: c, label: CHANGE_LABEL[c] }))}
            wrapperClassName="w-36"
          />
        }
        hasFilters={change !== ""}
        onClearFilters={() => setChange("")}
        isLoading={!useInitial && q.isLoading}
        isFetching={!useInitial && q.isFetching}
        stale={q.isPlaceholderData}
        error={useInitial ? null : q.error}
        rowClassName={(r) => (r.noticeViolation ? "bg-amber-50/60 dark:bg-amber-500/5" : undefined)}
        className="max-h-[52vh]"
        emptyState={<EmptyState icon={<FileSpreadsheet />} title={change ? `No ${CHANGE_LABEL[change].toLowerCase()} rows` : "No rows"} />}
      />
    </div>
  );
}

/** Starts applying a previewed revision. */
export function useApplyRevision(planId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (revisionId: string) => api.post<{ jobId: string; revision: Revision }>(`/rating-revisions/${revisionId}/apply`),
    onSuccess: (r) => {
      qc.setQueryData(ratingKeys.revision(r.revision.id), (old: Preview | undefined) => (old ? { ...old, revision: r.revision } : old));
      void qc.invalidateQueries({ queryKey: ratingKeys.revisions(planId) });
    },
  });
}

/**
 * Progress of an applying revision: polls the revision until it is applied or failed,
 * and the job list for the job's percent and message.
 */
export function ApplyProgress({ revisionId, jobId, planId, onDone }: { revisionId: string; jobId: string | null; planId: string; onDone?: (r: Revision) => void }) {
  const qc = useQueryClient();
  const can = useCan();
  const rev = useQuery({
    queryKey: [...ratingKeys.revision(revisionId), "status"],
    queryFn: ({ signal }) => api.get<Preview>(`/rating-revisions/${revisionId}`, { pageSize: 1 }, signal),
    refetchInterval: (q) => (q.state.data && ["applied", "failed"].includes(q.state.data.revision.status) ? false : 800),
  });
  const status = rev.data?.revision.status;
  const finished = status === "applied" || status === "failed";
  const job = useQuery({
    queryKey: ["jobs", "rating-apply", jobId],
    queryFn: ({ signal }) => api.get<ListPage<Job>>("/jobs", { pageSize: 50 }, signal),
    select: (d) => d.rows.find((j) => j.id === jobId) ?? null,
    enabled: !!jobId && can("jobs:read") && !finished,
    refetchInterval: 800,
  });
  const done = useRef(false);
  useEffect(() => {
    if (!finished || done.current || !rev.data) return;
    done.current = true;
    void qc.invalidateQueries({ queryKey: ratingKeys.plan(planId) });
    void qc.invalidateQueries({ queryKey: ratingKeys.plans });
    if (status === "applied") toast.success("Deck applied", { description: `${rev.data.revision.fileName}: rates are updated.` });
    onDone?.(rev.data.revision);
  }, [finished, status, rev.data, planId, qc, onDone]);

  const percent = status === "applied" ? 100 : (job.data?.percent ?? (status === "applying" ? 5 : 0));
  return (
    <div className="flex flex-col gap-2 rounded-md border border-line bg-surface-2/50 p-3" aria-live="polite">
      <div className="flex items-center gap-2 text-sm">
        {status === "applied" ? (
          <CheckCircle2 className="size-4 text-emerald-600 dark:text-emerald-400" />
        ) : status === "failed" ? (
          <XCircle className="size-4 text-red-600 dark:text-red-400" />
        ) : (
          <Play className="size-4 text-accent" />
        )}
        <span className="font-medium">{status === "applied" ? "Applied" : status === "failed" ? "Apply failed" : "Applying deck…"}</span>
        <span className="ml-auto font-mono text-xs text-fg-muted tabular">{Math.round(percent)}%</span>
      </div>
      <ProgressBar value={percent} tone={status === "applied" ? "success" : status === "failed" ? "danger" : "accent"} label="Apply progress" />
      <p className="text-xs text-fg-muted">{status === "failed" ? (rev.data?.revision.failureMessage ?? job.data?.error ?? "The job failed.") : status === "applied" ? "The new rates are live." : (job.data?.message ?? "Waiting for the job…")}</p>
      <FormError error={rev.error} />
    </div>
  );
}

/** A revision's detail: counts, errors, the paginated diff; a previewed revision can be applied here. */
export function RevisionDialog({ revision, planId, onClose }: { revision: Revision | null; planId: string; onClose: () => void }) {
  const can = useCan();
  const apply = useApplyRevision(planId);
  const [applying, setApplying] = useState<{ revisionId: string; jobId: string | null } | null>(null);
  useEffect(() => {
    setApplying(revision?.status === "applying" ? { revisionId: revision.id, jobId: revision.jobId } : null);
    apply.reset();
    // reset when another revision opens
  }, [revision?.id]);
  const summary = useMemo(
    () =>
      revision && [
        ["Mode", revision.mode === "full" ? "Full (closes prefixes not in the deck)" : "Partial (only the listed prefixes)"],
        ["Notice policy", revision.noticePolicy === "defer" ? "Defer short-notice increases" : "Reject short-notice increases"],
        ["Rows", formatNumber(revision.rowCount)],
        ["Uploaded", `${formatDateTime(revision.createdAt)} by ${revision.createdBy}`],
        ["Applied", revision.appliedAt ? formatDateTime(revision.appliedAt) : "—"],
      ],
    [revision],
  );
  if (!revision) return null;
  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title={
        <span className="flex items-center gap-2">
          {revision.fileName}
          <Badge tone={STATUS_TONE[revision.status]} dot>
            {STATUS_LABEL[revision.status]}
          </Badge>
        </span>
      }
      description="Deck revision: what it changes against the rates that were live when it was uploaded."
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          {revision.status === "previewed" && can("rating:write") && !applying && (
            <Button
              variant="primary"
              icon={<Play className="size-4" />}
              loading={apply.isPending}
              onClick={() => apply.mutate(revision.id, { onSuccess: (r) => setApplying({ revisionId: r.revision.id, jobId: r.jobId }) })}
            >
              Apply revision
            </Button>
          )}
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
          {summary?.map(([k, v]) => (
            <div key={k} className="min-w-0">
              <dt className="text-2xs font-semibold tracking-wide text-fg-subtle uppercase">{k}</dt>
              <dd className="truncate">{v}</dd>
            </div>
          ))}
        </dl>
        <FormError error={apply.error} />
        {applying && <ApplyProgress revisionId={applying.revisionId} jobId={applying.jobId} planId={planId} />}
        {revision.failureMessage && <p className="text-sm text-red-600 dark:text-red-400">{revision.failureMessage}</p>}
        {revision.status === "rejected" ? <DeckErrors errors={revision.errors} total={revision.errorCount} /> : <DiffTable revision={revision} />}
      </div>
    </Dialog>
  );
}

/** The bad lines of a rejected deck. */
export function DeckErrors({ errors, total }: { errors: { line: number; reason: string }[]; total: number }) {
  return (
    <div role="alert" className="rounded-md border border-red-500/25 bg-red-50 p-3 text-sm dark:bg-red-500/10">
      <p className="mb-2 font-medium text-red-700 dark:text-red-300">
        The deck was rejected: {formatNumber(total)} bad {total === 1 ? "line" : "lines"}. Fix {total === 1 ? "it" : "them"} and upload again — nothing was changed.
      </p>
      <ul className="max-h-64 overflow-auto font-mono text-xs text-red-800 dark:text-red-200" aria-label="Bad lines">
        {errors.map((e, i) => (
          <li key={`${e.line}-${i}`} className="flex gap-3 border-t border-red-500/15 py-1 first:border-t-0">
            <span className="w-16 shrink-0 font-semibold">Line {e.line}</span>
            <span className="min-w-0">{e.reason}</span>
          </li>
        ))}
      </ul>
      {total > errors.length && <p className="mt-1 text-xs text-red-700 dark:text-red-300">…and {formatNumber(total - errors.length)} more.</p>}
    </div>
  );
}

/** Revisions tab: every upload of the plan. */
export function RevisionsTab({ planId }: { planId: string }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [open, setOpen] = useState<Revision | null>(null);
  const q = useQuery({
    queryKey: [...ratingKeys.revisions(planId), page, pageSize],
    queryFn: ({ signal }) => api.get<ListPage<Revision>>(`/rating-plans/${planId}/revisions`, { page, pageSize }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (qq) => (qq.state.data?.rows.some((r) => r.status === "applying") ? 2000 : false),
  });
  const columns = useMemo<ColumnDef<Revision>[]>(
    () => [
      { id: "fileName", header: "File", enableHiding: false, meta: { className: "max-w-64 truncate", skeleton: "w-32" }, cell: ({ row }) => <span className="font-medium" title={row.original.fileName}>{row.original.fileName}</span> },
      { id: "mode", header: "Mode", cell: ({ row }) => <span className="capitalize">{row.original.mode}</span> },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => (
          <Badge tone={STATUS_TONE[row.original.status]} dot>
            {STATUS_LABEL[row.original.status]}
          </Badge>
        ),
      },
      { id: "rowCount", header: "Rows", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{formatNumber(row.original.rowCount)}</span> },
      ...CHANGE_KINDS.map<ColumnDef<Revision>>((c) => ({
        id: c,
        header: CHANGE_LABEL[c],
        meta: { align: "right" },
        cell: ({ row }) => {
          const n = row.original[`${c}Count` as `${ChangeKind}Count`];
          return <span className={`tabular ${n ? "" : "text-fg-subtle"}`}>{formatNumber(n)}</span>;
        },
      })),
      {
        id: "notice",
        header: "Notice",
        meta: { align: "right", label: "Notice violations" },
        cell: ({ row }) => (row.original.noticeViolationCount ? <Badge tone="warning">{formatNumber(row.original.noticeViolationCount)}</Badge> : <span className="text-fg-subtle tabular">0</span>),
      },
      { id: "errors", header: "Errors", meta: { align: "right" }, cell: ({ row }) => (row.original.errorCount ? <Badge tone="danger">{formatNumber(row.original.errorCount)}</Badge> : <span className="text-fg-subtle tabular">0</span>) },
      { id: "createdBy", header: "By", meta: { className: "max-w-40 truncate" }, cell: ({ row }) => <span title={row.original.createdBy}>{row.original.createdBy}</span> },
      { id: "createdAt", header: "Uploaded", cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      { id: "appliedAt", header: "Applied", cell: ({ row }) => <TimeCell value={row.original.appliedAt} /> },
    ],
    [],
  );
  return (
    <>
      <DataTable
        aria-label="Revisions"
        tableId="rating-revisions"
        columns={columns}
        rows={q.data?.rows}
        total={q.data?.total ?? 0}
        getRowId={(r) => r.id}
        page={page}
        pageSize={pageSize}
        onPageChange={setPage}
        onPageSizeChange={(s) => {
          setPageSize(s);
          setPage(1);
        }}
        onRefresh={() => q.refetch()}
        isFetching={q.isFetching}
        isLoading={q.isLoading}
        stale={q.isPlaceholderData}
        error={q.error}
        onRowClick={setOpen}
        emptyState={<EmptyState icon={<FileSpreadsheet />} title="No deck uploads yet" description="Every import is kept here as a revision: its diff, who uploaded it and when it was applied." />}
      />
      <RevisionDialog revision={open ? (q.data?.rows.find((r) => r.id === open.id) ?? open) : null} planId={planId} onClose={() => setOpen(null)} />
    </>
  );
}
