import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Gavel, Play, Upload } from "lucide-react";
import { Badge, Button, Card, CardBody, CardHeader, DataTable, Dialog, ErrorState, Field, Input, Page, PageHeader, ProgressBar, Select, Tabs, Textarea, TimeCell, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import type { Page as ListPage } from "../../lib/types";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { Amount } from "../ledger/shared";
import { fromMicros, toMicros } from "./ReconciliationRunsPage";
import { CLASS, RUN_STATUS, TIME_FORMAT_LABEL, reconKeys, type DestinationTotals, type Dispute, type Mapping, type Result, type ResultClass, type Run, type TimeFormat } from "./types";

const FIELDS: { key: keyof Mapping; label: string; required: boolean; guess: RegExp }[] = [
  { key: "callId", label: "Call ID", required: false, guess: /call.?id|ref|session/i },
  { key: "calledNumber", label: "Called Number", required: true, guess: /cld|called|dest.*(num|no)|b.?num|dnis|to/i },
  { key: "startAt", label: "Start Time", required: true, guess: /start|date|time|setup/i },
  { key: "durationS", label: "Duration (s)", required: true, guess: /dur|sec|bill/i },
  { key: "amount", label: "Amount", required: true, guess: /amount|charge|cost|price/i },
  { key: "destination", label: "Destination", required: false, guess: /^dest(ination)?$|country|zone|area/i },
];
const active = (r: Run | undefined) => r?.status === "queued" || r?.status === "running";

/** A first mapping for a new supplier: the saved one, else columns guessed by name. */
function initialMapping(run: Run): Mapping {
  const base = run.mapping ?? run.savedMapping;
  if (base) return base;
  const used = new Set<string>();
  const pick = (re: RegExp) => {
    const h = run.header?.find((x) => re.test(x) && !used.has(x)) ?? null;
    if (h) used.add(h);
    return h;
  };
  const m = Object.fromEntries(FIELDS.map((f) => [f.key, pick(f.guess)])) as Record<string, string | null>;
  return { callId: m.callId ?? null, calledNumber: m.calledNumber ?? "", startAt: m.startAt ?? "", startFormat: "iso", timeZone: "UTC", durationS: m.durationS ?? "", amount: m.amount ?? "", destination: m.destination ?? null };
}

/** Billing / Reconciliation / a run: upload their file, map its columns, follow the job, read the results, open a dispute. */
export default function RunDetailPage() {
  const { runId = "" } = useParams();
  const can = useCan();
  const canWrite = can("reconciliation:write");
  const qc = useQueryClient();
  const navigate = useNavigate();
  const run = useQuery({
    queryKey: reconKeys.run(runId),
    queryFn: ({ signal }) => api.get<Run>(`/reconciliation/runs/${runId}`, undefined, signal),
    refetchInterval: (q) => (active(q.state.data) ? 700 : false),
  });
  const r = run.data;
  const wasActive = useRef(false);
  useEffect(() => {
    if (wasActive.current && r && !active(r)) void qc.invalidateQueries({ queryKey: [...reconKeys.run(runId), "rows"] });
    wasActive.current = active(r);
  }, [r?.status]);
  const [disputing, setDisputing] = useState(false);
  // Result rows picked for a dispute, across pages (their amounts give the default claim).
  const [picked, setPicked] = useState<Map<number, Result>>(new Map());

  if (run.error) return <Page header={<PageHeader title="Reconciliation" breadcrumb={["Billing", "Reconciliation"]} />}><ErrorState error={run.error} onRetry={() => run.refetch()} /></Page>;
  return (
    <Page
      header={
        <PageHeader
          title={r ? `${r.carrierName ?? "Supplier"} · ${r.periodFrom} – ${r.periodTo}` : "Reconciliation"}
          breadcrumb={["Billing", "Reconciliation", r?.carrierName ?? "…"]}
          description={r && `${r.currency} · start ±${r.startToleranceS} s · duration ±${r.durationToleranceS} s · amount ±${r.amountTolerance.replace(/\.?0+$/, "")}${r.invoiceNumber ? ` · invoice ${r.invoiceNumber}` : ""}`}
          meta={r && <Badge tone={RUN_STATUS[r.status].tone} dot>{RUN_STATUS[r.status].label}</Badge>}
          actions={
            r?.status === "done" && canWrite ? (
              <Button variant="primary" icon={<Gavel className="size-4" />} onClick={() => setDisputing(true)}>
                {picked.size ? `Dispute ${picked.size} selected row${picked.size === 1 ? "" : "s"}` : "Open dispute"}
              </Button>
            ) : undefined
          }
        />
      }
    >
      {r && (
        <div className="flex flex-col gap-4">
          {canWrite && !active(r) && <UploadCard run={r} />}
          {r.header && canWrite && !active(r) && <MappingCard run={r} />}
          {active(r) && (
            <Card>
              <CardBody>
                <p className="mb-2 text-sm font-medium">Matching {r.fileRows?.toLocaleString()} rows…</p>
                <ProgressBar value={r.progress?.percent ?? 0} label={`${r.progress?.percent ?? 0}% · ${r.progress?.message ?? "queued"}`} />
              </CardBody>
            </Card>
          )}
          {r.status === "failed" && <ErrorState error={new Error(r.failureMessage ?? "The run failed")} />}
          {r.status === "done" && <Results run={r} selectable={canWrite} picked={picked} onPickedChange={setPicked} />}
        </div>
      )}
      {r && canWrite && <DisputeDialog run={r} rows={[...picked.values()]} open={disputing} onClose={() => setDisputing(false)} onOpened={() => navigate("/billing/disputes")} />}
    </Page>
  );
}

function UploadCard({ run }: { run: Run }) {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const upload = useMutation({
    mutationFn: (f: File) => api.upload<Run>(`/reconciliation/runs/${run.id}/upload`, f, "text/csv", { fileName: f.name }),
    onSuccess: (r) => {
      qc.setQueryData(reconKeys.run(run.id), r);
      void qc.invalidateQueries({ queryKey: reconKeys.runs });
      toast.success(`${r.fileRows?.toLocaleString()} rows uploaded: map the columns`);
    },
    onError: (e) => toast.error((e as Error).message),
  });
  return (
    <Card>
      <CardHeader title="1 · Their CDR file" description={run.fileName ? `${run.fileName}: ${run.fileRows?.toLocaleString()} rows. Upload again to replace it.` : "A CSV with a header row (comma, semicolon or tab). Large files stream in; 1 000 000 rows is fine."} />
      <CardBody>
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv,text/plain"
          aria-label="Supplier CDR file"
          className="hidden"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) upload.mutate(f);
            e.target.value = "";
          }}
        />
        <Button icon={<Upload className="size-4" />} loading={upload.isPending} onClick={() => input.current?.click()}>
          {run.fileName ? "Replace file" : "Upload file"}
        </Button>
      </CardBody>
    </Card>
  );
}

function MappingCard({ run }: { run: Run }) {
  const qc = useQueryClient();
  const [mapping, setMapping] = useState<Mapping>(() => initialMapping(run));
  useEffect(() => setMapping(initialMapping(run)), [run.fileName, run.fileRows]);
  const start = useMutation({
    mutationFn: () => api.post<{ jobId: string; run: Run }>(`/reconciliation/runs/${run.id}/mapping`, mapping),
    onSuccess: (r) => {
      qc.setQueryData(reconKeys.run(run.id), r.run);
      void qc.invalidateQueries({ queryKey: reconKeys.runs });
    },
  });
  const errors = fieldErrors(start.error);
  const columns = (run.header ?? []).map((h) => ({ value: h, label: h }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  return (
    <Card>
      <CardHeader title="2 · Map the columns" description={run.savedMapping && !run.mapping ? "Using the mapping saved from this supplier's last file." : "Pick the column holding each field; the mapping is saved for this supplier's next file."} />
      <CardBody>
        <div className="mb-3 overflow-x-auto rounded-md border border-line">
          <table className="w-full text-xs" aria-label="File preview">
            <thead className="bg-surface-subtle text-left">
              <tr>{run.header?.map((h, i) => <th key={i} className="px-2 py-1 font-medium whitespace-nowrap">{h}</th>)}</tr>
            </thead>
            <tbody className="font-mono">
              {run.sample?.slice(0, 5).map((row, i) => (
                <tr key={i} className="border-t border-line">{row.map((c, j) => <td key={j} className="px-2 py-1 whitespace-nowrap">{c}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
        <form onSubmit={submit} noValidate className="flex flex-col gap-3">
          <FormError error={start.error && Object.keys(errors).length === 0 ? start.error : null} />
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
            {FIELDS.map((f) => (
              <Field key={f.key} label={f.label} required={f.required} error={errors[f.key]}>
                <Select
                  aria-label={f.label}
                  value={(mapping[f.key] as string | null) ?? ""}
                  onChange={(e) => setMapping((m) => ({ ...m, [f.key]: e.target.value || (f.required ? "" : null) }))}
                  placeholder={f.required ? "Choose…" : "Not in the file"}
                  options={columns}
                />
              </Field>
            ))}
            <Field label="Start Time Format" required error={errors.startFormat}>
              <Select aria-label="Start Time Format" value={mapping.startFormat} onChange={(e) => setMapping((m) => ({ ...m, startFormat: e.target.value as TimeFormat }))} options={(Object.keys(TIME_FORMAT_LABEL) as TimeFormat[]).map((k) => ({ value: k, label: TIME_FORMAT_LABEL[k] }))} />
            </Field>
            <Field label="Time Zone" error={errors.timeZone} hint="Of times without an offset">
              <Input aria-label="Time Zone" value={mapping.timeZone} onChange={(e) => setMapping((m) => ({ ...m, timeZone: e.target.value }))} />
            </Field>
          </div>
          <div>
            <Button variant="primary" type="submit" icon={<Play className="size-4" />} loading={start.isPending}>
              Run match
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function Results({ run, selectable, picked, onPickedChange }: { run: Run; selectable: boolean; picked: Map<number, Result>; onPickedChange: (rows: Map<number, Result>) => void }) {
  const [tab, setTab] = useState<"results" | "destinations" | "errors">("results");
  const [cls, setCls] = useState<ResultClass | "">("");
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [dPage, setDPage] = useState(1);
  const [dPageSize, setDPageSize] = useState(25);
  const [dSort, setDSort] = useState("difference:desc");
  const results = useQuery({
    queryKey: [...reconKeys.run(run.id), "rows", "results", cls, page, pageSize],
    queryFn: ({ signal }) => api.get<ListPage<Result>>(`/reconciliation/runs/${run.id}/results`, { class: cls || undefined, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
  const dests = useQuery({
    queryKey: [...reconKeys.run(run.id), "rows", "destinations", dPage, dPageSize, dSort],
    queryFn: ({ signal }) => api.get<ListPage<DestinationTotals> & { totals: Omit<DestinationTotals, "destination"> }>(`/reconciliation/runs/${run.id}/destinations`, { page: dPage, pageSize: dPageSize, sort: dSort }, signal),
    placeholderData: keepPreviousData,
  });
  const s = run.summary!;
  const resultColumns = useMemo<ColumnDef<Result>[]>(
    () => [
      { id: "seq", header: "#", cell: ({ row }) => <span className="tabular text-fg-muted">{row.original.seq}</span> },
      { id: "class", header: "Class", cell: ({ row }) => <Badge tone={CLASS[row.original.class].tone} dot>{CLASS[row.original.class].label}</Badge> },
      { id: "matchedBy", header: "By", cell: ({ row }) => <span className="text-fg-muted">{row.original.matchedBy === "call_id" ? "Call ID" : row.original.matchedBy === "number_time" ? "Number + time" : "—"}</span> },
      { id: "calledNumber", header: "Called", cell: ({ row }) => <span className="font-mono text-xs">{row.original.calledNumber}</span> },
      { id: "destination", header: "Destination", meta: { className: "max-w-40 truncate" }, cell: ({ row }) => row.original.destination ?? "—" },
      { id: "theirStart", header: "Their start", cell: ({ row }) => <TimeCell value={row.original.theirStartAt} /> },
      { id: "ourStart", header: "Our start", cell: ({ row }) => <TimeCell value={row.original.ourStartAt} /> },
      { id: "duration", header: "Sec theirs / ours", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{row.original.theirDurationS ?? "—"} / {row.original.ourDurationS ?? "—"}</span> },
      { id: "theirAmount", header: "Theirs", meta: { align: "right" }, cell: ({ row }) => (row.original.theirAmount ? <Amount value={row.original.theirAmount} tone={false} /> : "—") },
      { id: "ourAmount", header: "Ours", meta: { align: "right" }, cell: ({ row }) => (row.original.ourAmount ? <Amount value={row.original.ourAmount} tone={false} /> : "—") },
      { id: "difference", header: "Difference", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.difference} /> },
      { id: "ids", header: "Call IDs theirs / ours", meta: { className: "max-w-56 truncate font-mono text-xs text-fg-muted" }, cell: ({ row }) => `${row.original.theirCallId ?? "—"} / ${row.original.ourCallId ?? "—"}` },
      { id: "line", header: "Line", meta: { align: "right" }, cell: ({ row }) => <span className="tabular text-fg-muted">{row.original.theirLine ?? "—"}</span> },
    ],
    [],
  );
  const destColumns = useMemo<ColumnDef<DestinationTotals>[]>(
    () => [
      { id: "destination", header: "Destination", enableSorting: true, cell: ({ row }) => <span className="font-medium">{row.original.destination}</span> },
      { id: "theirCalls", header: "Calls theirs", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{row.original.theirCalls.toLocaleString()}</span> },
      { id: "ourCalls", header: "Calls ours", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{row.original.ourCalls.toLocaleString()}</span> },
      { id: "minutes", header: "Minutes theirs / ours", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{(row.original.theirDurationS / 60).toFixed(1)} / {(row.original.ourDurationS / 60).toFixed(1)}</span> },
      { id: "theirAmount", header: "Theirs", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.theirAmount} currency={run.currency} tone={false} /> },
      { id: "ourAmount", header: "Ours", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.ourAmount} currency={run.currency} tone={false} /> },
      { id: "difference", header: "Difference", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.difference} currency={run.currency} /> },
    ],
    [run.currency],
  );
  const pick = (c: ResultClass) => {
    setCls((x) => (x === c ? "" : c));
    setPage(1);
    setTab("results");
  };
  return (
    <>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {(Object.keys(CLASS) as ResultClass[]).map((c) => (
          <button key={c} type="button" onClick={() => pick(c)} className={`rounded-lg text-left ring-accent ${cls === c ? "ring-2" : ""}`} aria-pressed={cls === c} aria-label={`Show ${CLASS[c].label}`}>
            <div className="rounded-lg border border-line bg-surface p-3 shadow-xs">
              <div className="flex items-center justify-between">
                <Badge tone={CLASS[c].tone} dot>{CLASS[c].label}</Badge>
                <span className="text-lg font-semibold tabular">{s[c].rows.toLocaleString()}</span>
              </div>
              <p className="mt-1.5 text-xs text-fg-muted">
                theirs <Amount value={s[c].theirAmount} tone={false} /> · ours <Amount value={s[c].ourAmount} tone={false} />
              </p>
            </div>
          </button>
        ))}
      </div>
      <Tabs
        aria-label="Run results"
        value={tab}
        onChange={(v) => setTab(v as typeof tab)}
        items={[
          { id: "results", label: cls ? `Results · ${CLASS[cls].label}` : "Results", count: results.data?.total },
          { id: "destinations", label: "By destination", count: dests.data?.total },
          { id: "errors", label: "Unusable rows", count: run.errorCount },
        ]}
      />
      {tab === "results" && (
        <DataTable
          aria-label="Match results"
          tableId="reconciliation-results"
          initialHidden={["line"]}
          columns={resultColumns}
          rows={results.data?.rows}
          total={results.data?.total ?? 0}
          getRowId={(x) => String(x.seq)}
          selectable={selectable}
          rowSelection={Object.fromEntries([...picked.keys()].map((seq) => [String(seq), true]))}
          onRowSelectionChange={(sel) => {
            // The selection spans pages: rows of other pages stay picked, this page's follow the checkboxes.
            const next = new Map([...picked].filter(([seq]) => !results.data?.rows.some((x) => x.seq === seq)));
            for (const x of results.data?.rows ?? []) if (sel[String(x.seq)]) next.set(x.seq, x);
            onPickedChange(next);
          }}
          page={page}
          pageSize={pageSize}
          onPageChange={setPage}
          onPageSizeChange={(n) => {
            setPageSize(n);
            setPage(1);
          }}
          filters={<Select size="sm" aria-label="Class" value={cls} onChange={(e) => { setCls(e.target.value as ResultClass | ""); setPage(1); }} placeholder="All classes" options={(Object.keys(CLASS) as ResultClass[]).map((c) => ({ value: c, label: CLASS[c].label }))} wrapperClassName="w-44" />}
          hasFilters={!!cls}
          onClearFilters={() => setCls("")}
          onRefresh={() => results.refetch()}
          isFetching={results.isFetching}
          isLoading={results.isLoading}
          stale={results.isPlaceholderData}
          error={results.error}
        />
      )}
      {tab === "destinations" && (
        <>
          <DataTable
            aria-label="Totals by destination"
            tableId="reconciliation-destinations"
            columns={destColumns}
            rows={dests.data?.rows}
            total={dests.data?.total ?? 0}
            getRowId={(x) => x.destination}
            page={dPage}
            pageSize={dPageSize}
            onPageChange={setDPage}
            onPageSizeChange={setDPageSize}
            sort={dSort}
            onSortChange={(v) => setDSort(v && /^(destination|difference):(asc|desc)$|^(theirAmount|ourAmount):desc$/.test(v) ? v : "difference:desc")}
            onRefresh={() => dests.refetch()}
            isFetching={dests.isFetching}
            isLoading={dests.isLoading}
            error={dests.error}
          />
          {dests.data && (
            <p className="text-right text-xs text-fg-muted">
              Total: theirs <Amount value={dests.data.totals.theirAmount} currency={run.currency} tone={false} /> · ours <Amount value={dests.data.totals.ourAmount} currency={run.currency} tone={false} /> · difference{" "}
              <Amount value={dests.data.totals.difference} currency={run.currency} />
            </p>
          )}
        </>
      )}
      {tab === "errors" && (
        <Card>
          <CardBody>
            {run.errors.length ? (
              <ul className="max-h-96 overflow-auto font-mono text-xs" aria-label="Unusable rows">
                {run.errors.map((e) => (
                  <li key={e.line} className="border-b border-line py-1">
                    <span className="text-fg-muted">line {e.line}</span> · {e.reason}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-fg-muted">Every row of their file was usable.</p>
            )}
            {run.errorCount > run.errors.length && <p className="mt-2 text-xs text-fg-muted">… and {run.errorCount - run.errors.length} more.</p>}
          </CardBody>
        </Card>
      )}
    </>
  );
}

/**
 * The money a dispute would claim by default: what they billed above us, where they did —
 * on the picked rows, or else on every mismatched and unmatched row of the run.
 */
function overbilled(run: Run, rows: readonly Result[]): string {
  const s = run.summary!;
  const m = rows.length
    ? rows.reduce((a, x) => (toMicros(x.difference) > 0n ? a + toMicros(x.difference) : a), 0n)
    : (["duration_mismatch", "amount_mismatch", "only_theirs"] as const).reduce((a, c) => a + toMicros(s[c].theirAmount) - toMicros(s[c].ourAmount), 0n);
  return m > 0n ? fromMicros(m).replace(/\.?0+$/, "") : "";
}

function DisputeDialog({ run, rows, open, onClose, onOpened }: { run: Run; rows: readonly Result[]; open: boolean; onClose: () => void; onOpened: () => void }) {
  const qc = useQueryClient();
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  useEffect(() => {
    if (!open) return;
    setAmount(overbilled(run, rows));
    setNote("");
    save.reset();
  }, [open]);
  const save = useMutation({
    mutationFn: () => api.post<Dispute>("/supplier-disputes", { runId: run.id, disputedAmount: amount.trim(), note: note.trim(), resultSeqs: rows.map((x) => x.seq) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: reconKeys.all });
      toast.success("Dispute opened");
      onClose();
      onOpened();
    },
  });
  const errors = fieldErrors(save.error);
  const bad = !MONEY_INPUT_RE.test(amount.trim()) || !/[1-9]/.test(amount) || !note.trim();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="md"
      title="Open dispute"
      description={`With ${run.carrierName ?? "the supplier"} over ${run.periodFrom} – ${run.periodTo}${rows.length ? `, on ${rows.length} selected row${rows.length === 1 ? "" : "s"} (${rows.map((x) => `#${x.seq}`).join(", ")})` : ""}. Track it on the Disputes page; an agreed credit posts to their payable.`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="dispute-form" loading={save.isPending} disabled={bad}>
            Open dispute
          </Button>
        </>
      }
    >
      <form
        id="dispute-form"
        noValidate
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!bad) save.mutate();
        }}
      >
        <FormError error={save.error && Object.keys(errors).length === 0 ? save.error : null} />
        <Field label="Disputed Amount" required error={errors.disputedAmount} hint={rows.length ? "Defaults to what they billed above us on the selected rows" : "Defaults to what they billed above us on mismatched and unmatched rows"}>
          <Input inputMode="decimal" className="font-mono" value={amount} onChange={(e) => setAmount(e.target.value)} trailing={run.currency} />
        </Field>
        <Field label="Note" required error={errors.note}>
          <Textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} placeholder="What is disputed and why" />
        </Field>
      </form>
    </Dialog>
  );
}
