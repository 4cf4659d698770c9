import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { AlertTriangle, ArrowLeft, ArrowRight, Check, FileUp, Play } from "lucide-react";
import { Badge, Button, Dialog, Field, Select, Textarea } from "../../components";
import { ApiError, api } from "../../lib/api";
import { formatBytes, formatDateTime, formatNumber } from "../../lib/format";
import { FormError, SectionHeading } from "../carriers/carrier/ui";
import { ApplyProgress, DeckErrors, DiffTable, useApplyRevision } from "./revisions";
import { formatRate, ratingKeys, type ImportMode, type NoticePolicy, type Preview, type RatingPlan, type Revision } from "./types";

/** Deck fields the server understands, with header names the wizard maps by default (the server's own aliases plus common vendor names). */
const FIELDS = [
  { id: "prefix", label: "Prefix (dial code)", required: true, aliases: ["prefix", "code", "dial_code", "dialcode"] },
  { id: "destination", label: "Destination", required: false, aliases: ["destination", "description", "name", "country", "destination_name"] },
  { id: "rate", label: "Rate per minute", required: true, aliases: ["rate", "price", "price_per_min", "rate_per_min", "rate_per_minute"] },
  { id: "effective_date", label: "Effective date", required: true, aliases: ["effective_date", "effective_from", "effective", "date", "valid_from", "start_date"] },
  { id: "connection_fee", label: "Connection fee", required: false, aliases: ["connection_fee", "setup_fee", "setup"] },
  { id: "increments", label: "Increments (30/6)", required: false, aliases: ["increments", "increment", "billing_increments"] },
  { id: "first_increment", label: "First increment", required: false, aliases: ["first_increment", "increment_first", "first_increment_s"] },
  { id: "next_increment", label: "Next increment", required: false, aliases: ["next_increment", "increment_next", "next_increment_s"] },
  { id: "time_class", label: "Time class", required: false, aliases: ["time_class", "timeclass", "period"] },
] as const;
type FieldId = (typeof FIELDS)[number]["id"];
type Mapping = Partial<Record<FieldId, string>>;

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, "_");

/** One CSV record (quotes and doubled quotes understood). */
function splitRecord(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** The head of a deck: header, a few sample rows, and the row count when the head is the whole deck. */
function analyse(head: string, complete: boolean, delimiterChoice: "auto" | "," | ";") {
  const lines = head.replace(/^\uFEFF/, "").split(/\r?\n/);
  // A head cut off mid-file ends with a partial line.
  if (!complete) lines.pop();
  const nonEmpty = lines.filter((l) => l.trim() !== "");
  const first = nonEmpty[0] ?? "";
  const delimiter: "," | ";" = delimiterChoice !== "auto" ? delimiterChoice : (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
  const header = splitRecord(first, delimiter);
  const sample = nonEmpty.slice(1, 4).map((l) => splitRecord(l, delimiter));
  return { delimiter, header, sample, rows: complete ? Math.max(0, nonEmpty.length - 1) : null };
}

/** Only the start of a file is read in the browser (for the column mapping); the server reads the rest as it uploads. */
const HEAD_BYTES = 64 * 1024;
/** Notice violations listed in the preview (the first ones; the count says how many in all). */
const NOTICE_ROWS = 500;

function defaultMapping(header: string[]): Mapping {
  const m: Mapping = {};
  const normalized = header.map(norm);
  for (const f of FIELDS) {
    const at = normalized.findIndex((h) => (f.aliases as readonly string[]).includes(h));
    if (at >= 0) m[f.id] = header[at];
  }
  return m;
}

type Step = 1 | 2 | 3 | 4;
const STEPS: { n: Step; label: string }[] = [
  { n: 1, label: "Upload" },
  { n: 2, label: "Map columns" },
  { n: 3, label: "Preview" },
  { n: 4, label: "Apply" },
];

/** Import deck wizard: choose a file (or paste) → map columns → upload and preview the diff → apply with progress. */
export function ImportWizard({ open, onClose, plan, onApplied }: { open: boolean; onClose: () => void; plan: RatingPlan; onApplied: () => void }) {
  const qc = useQueryClient();
  const [step, setStep] = useState<Step>(1);
  // A chosen file is kept as a File (uploaded as it is); a pasted deck is text.
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState({ text: "", complete: true });
  const [pasted, setPasted] = useState("");
  const [readError, setReadError] = useState<string | null>(null);
  const [delimiterChoice, setDelimiterChoice] = useState<"auto" | "," | ";">("auto");
  const [mapping, setMapping] = useState<Mapping>({});
  const [mode, setMode] = useState<ImportMode>("partial");
  const [noticePolicy, setNoticePolicy] = useState<NoticePolicy>("reject");
  const [applying, setApplying] = useState<{ revisionId: string; jobId: string | null } | null>(null);
  const [applied, setApplied] = useState<Revision | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const preview = useMutation({
    mutationFn: () =>
      api.upload<Preview>(`/rating-plans/${plan.id}/imports/upload`, file ?? new Blob([pasted], { type: "text/csv" }), "text/csv", {
        fileName: file?.name ?? "deck.csv",
        delimiter: info.delimiter,
        mode,
        noticePolicy,
        mapping: JSON.stringify(Object.fromEntries(Object.entries(mapping).filter(([, v]) => v))),
      }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ratingKeys.revisions(plan.id) }),
  });
  const apply = useApplyRevision(plan.id);

  useEffect(() => {
    if (!open) return;
    setStep(1);
    setFile(null);
    setHead({ text: "", complete: true });
    setPasted("");
    setReadError(null);
    setDelimiterChoice("auto");
    setMapping({});
    setMode("partial");
    setNoticePolicy("reject");
    setApplying(null);
    setApplied(null);
    preview.reset();
    apply.reset();
  }, [open]);

  const info = useMemo(() => analyse(head.text, head.complete, delimiterChoice), [head, delimiterChoice]);
  const headerKey = info.header.join("\u0001");
  // A new header (another file, another delimiter) starts from the default mapping.
  useEffect(() => setMapping(defaultMapping(info.header)), [headerKey]);

  const missing = FIELDS.filter((f) => f.required && !mapping[f.id]);
  const rejected = preview.error instanceof ApiError && preview.error.code === "deck_rejected" ? preview.error : null;
  const badLines = useMemo(
    () =>
      rejected?.fields
        ? Object.entries(rejected.fields)
            .map(([k, reasons]) => ({ line: Number(k.replace(/^line /, "")) || 0, reason: reasons.join("; ") }))
            .sort((a, b) => a.line - b.line)
        : [],
    [rejected],
  );
  const result = preview.data;
  // Every increase with too little notice is listed, not only those on the diff's first page.
  const notice = useQuery({
    queryKey: [...ratingKeys.revision(result?.revision.id ?? "none"), "notice"],
    queryFn: ({ signal }) => api.get<Preview>(`/rating-revisions/${result!.revision.id}`, { notice: true, pageSize: NOTICE_ROWS }, signal),
    enabled: !!result && result.revision.noticeViolationCount > 0,
  });
  const violations = notice.data?.diff.rows ?? [];
  const busy = preview.isPending || apply.isPending || (!!applying && !applied);

  const readFile = async (f: File) => {
    setReadError(null);
    try {
      const text = await f.slice(0, HEAD_BYTES).text();
      setFile(f);
      setPasted("");
      setHead({ text, complete: f.size <= HEAD_BYTES });
    } catch {
      setReadError("Could not read the file.");
    }
  };
  const hasDeck = file ? file.size > 0 : pasted.trim() !== "";

  const goPreview = () => {
    setStep(3);
    preview.mutate();
  };

  const footer = (
    <>
      {step > 1 && step < 4 && (
        <Button icon={<ArrowLeft className="size-4" />} onClick={() => setStep((s) => (s - 1) as Step)} disabled={busy}>
          Back
        </Button>
      )}
      <Button onClick={onClose} disabled={busy}>
        {applied ? "Close" : "Cancel"}
      </Button>
      {step === 1 && (
        <Button variant="primary" iconRight={<ArrowRight className="size-4" />} disabled={!hasDeck} onClick={() => setStep(2)}>
          Next: map columns
        </Button>
      )}
      {step === 2 && (
        <Button variant="primary" iconRight={<ArrowRight className="size-4" />} disabled={missing.length > 0} onClick={goPreview}>
          Preview changes
        </Button>
      )}
      {step === 3 && result && (
        <Button
          variant="primary"
          icon={<Play className="size-4" />}
          loading={apply.isPending}
          onClick={() =>
            apply.mutate(result.revision.id, {
              onSuccess: (r) => {
                setApplying({ revisionId: r.revision.id, jobId: r.jobId });
                setStep(4);
              },
            })
          }
        >
          Apply {formatNumber(result.revision.rowCount)} rows
        </Button>
      )}
      {step === 4 && applied && (
        <Button variant="primary" icon={<Check className="size-4" />} onClick={onClose}>
          View rates
        </Button>
      )}
    </>
  );

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!busy}
      size="xl"
      title="Import rate deck"
      description={`Into ${plan.name} (${plan.currency}, ${plan.timeZone}). Nothing changes until you apply the previewed revision.`}
      footer={footer}
      footerStart={
        <ol className="hidden items-center gap-1 text-xs sm:flex" aria-label="Steps">
          {STEPS.map((s) => (
            <li key={s.n} aria-current={s.n === step ? "step" : undefined} className={clsx("flex items-center gap-1 rounded px-1.5 py-0.5", s.n === step ? "bg-accent-soft font-semibold text-accent-text" : s.n < step ? "text-fg-muted" : "text-fg-subtle")}>
              <span className="tabular">{s.n}</span> {s.label}
            </li>
          ))}
        </ol>
      }
    >
      {step === 1 && (
        <div className="flex flex-col gap-3">
          <div
            className="flex flex-wrap items-center gap-3 rounded-md border border-dashed border-line-strong bg-surface-2/50 p-4"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const f = e.dataTransfer.files[0];
              if (f) void readFile(f);
            }}
          >
            <FileUp className="size-6 text-fg-subtle" />
            <div className="min-w-0 flex-1 text-sm">
              <p className="font-medium">Drop a .csv deck here or choose a file{file ? "" : ", or paste it below"}.</p>
              <p className="text-xs text-fg-muted">
                Columns: prefix, destination, rate, effective_date, and optionally increments (30/6), connection_fee, time_class. ";" decks with decimal commas work too. Any size: the server
                reads the file as it uploads.
              </p>
            </div>
            <input
              ref={fileInput}
              type="file"
              accept=".csv,text/csv,text/plain"
              aria-label="Deck file"
              className="sr-only"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void readFile(f);
                e.target.value = "";
              }}
            />
            <Button icon={<FileUp className="size-4" />} onClick={() => fileInput.current?.click()}>
              Choose file…
            </Button>
          </div>
          {readError && <p className="text-sm text-red-600">{readError}</p>}
          {file ? (
            <div className="flex items-center gap-3 rounded-md border border-line px-3 py-2 text-sm">
              <span className="font-medium">{file.name}</span>
              <span className="text-fg-muted">
                {formatBytes(file.size)}
                {info.rows != null && ` · ${formatNumber(info.rows)} rows`}
              </span>
              <Button
                size="sm"
                className="ml-auto"
                onClick={() => {
                  setFile(null);
                  setHead({ text: "", complete: true });
                }}
              >
                Remove
              </Button>
            </div>
          ) : (
            <Field label="Or paste a deck (CSV)" aside={pasted.trim() ? <span className="text-xs text-fg-muted">{formatNumber(info.rows ?? 0)} rows</span> : undefined}>
              <Textarea
                value={pasted}
                onChange={(e) => {
                  setPasted(e.target.value);
                  setHead({ text: e.target.value, complete: true });
                }}
                rows={10}
                className="font-mono text-xs"
                placeholder={"prefix,destination,rate,effective_date,increments\n44,United Kingdom,0.0120,2025-01-01,30/6"}
                spellCheck={false}
              />
            </Field>
          )}
        </div>
      )}

      {step === 2 && (
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
            <Field label="Delimiter" hint={delimiterChoice === "auto" ? `Detected "${info.delimiter}"` : undefined}>
              <Select
                value={delimiterChoice}
                onChange={(e) => setDelimiterChoice(e.target.value as "auto" | "," | ";")}
                options={[
                  { value: "auto", label: "Detect" },
                  { value: ",", label: "Comma ( , )" },
                  { value: ";", label: "Semicolon ( ; )" },
                ]}
              />
            </Field>
            <Field label="Mode" hint={mode === "full" ? "Prefixes missing from the deck are closed." : "Only the listed prefixes change."}>
              <Select
                value={mode}
                onChange={(e) => setMode(e.target.value as ImportMode)}
                options={[
                  { value: "partial", label: "Partial update" },
                  { value: "full", label: "Full replacement" },
                ]}
              />
            </Field>
            <Field label="Notice policy" hint={`Increases need ${plan.noticeDays} days' notice.`}>
              <Select
                value={noticePolicy}
                onChange={(e) => setNoticePolicy(e.target.value as NoticePolicy)}
                options={[
                  { value: "reject", label: "Reject short-notice increases" },
                  { value: "defer", label: "Defer them to the notice date" },
                ]}
              />
            </Field>
          </div>
          <SectionHeading>Columns · header row: {info.header.length} columns</SectionHeading>
          <div className="grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-3">
            {FIELDS.map((f) => (
              <Field key={f.id} label={f.label} required={f.required} error={f.required && !mapping[f.id] ? "Pick the column" : undefined}>
                <Select
                  size="sm"
                  value={mapping[f.id] ?? ""}
                  onChange={(e) => setMapping((m) => ({ ...m, [f.id]: e.target.value || undefined }))}
                  placeholder={f.required ? "Choose a column…" : "Not in this deck"}
                  options={info.header.filter(Boolean).map((h) => ({ value: h, label: h }))}
                />
              </Field>
            ))}
          </div>
          {info.sample.length > 0 && (
            <div className="overflow-x-auto rounded-md border border-line">
              <table className="w-full text-xs">
                <caption className="sr-only">First rows of the deck</caption>
                <thead className="bg-surface-2 text-fg-muted">
                  <tr>
                    {info.header.map((h, i) => {
                      const field = FIELDS.find((f) => mapping[f.id] === h);
                      return (
                        <th key={i} className="px-2 py-1 text-left font-medium whitespace-nowrap">
                          {h}
                          {field && (
                            <Badge tone="accent" className="ml-1">
                              {field.id}
                            </Badge>
                          )}
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody className="font-mono">
                  {info.sample.map((r, i) => (
                    <tr key={i} className="border-t border-line">
                      {info.header.map((_, j) => (
                        <td key={j} className="px-2 py-1 whitespace-nowrap">
                          {r[j] ?? ""}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}

      {step === 3 && (
        <div className="flex flex-col gap-3">
          {preview.isPending && (
            <p className="py-10 text-center text-sm text-fg-muted">Uploading {file ? `${file.name} (${formatBytes(file.size)})` : "the deck"} and checking it against the live rates…</p>
          )}
          {rejected && <DeckErrors errors={badLines} total={badLines.length} />}
          {preview.error && !rejected && (
            <>
              <FormError error={preview.error} />
              {preview.error instanceof ApiError && preview.error.fields && (
                <ul className="text-xs text-red-700 dark:text-red-300">
                  {Object.entries(preview.error.fields).map(([k, v]) => (
                    <li key={k}>
                      <span className="font-mono">{k}</span>: {v.join("; ")}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          {result && (
            <>
              <p className="text-sm">
                <span className="font-medium">{result.revision.fileName}</span> · {formatNumber(result.revision.rowCount)} rows ·{" "}
                {result.revision.mode === "full" ? "full replacement" : "partial update"}
                {result.revision.effectiveFrom && <> · earliest effective {formatDateTime(result.revision.effectiveFrom)}</>}
              </p>
              {violations.length > 0 && (
                <div className="rounded-md border border-amber-500/30 bg-amber-50 p-3 text-sm dark:bg-amber-500/10" role="status">
                  <p className="mb-1 flex items-center gap-1.5 font-medium text-amber-800 dark:text-amber-300">
                    <AlertTriangle className="size-4" /> {formatNumber(result.revision.noticeViolationCount)} increases with less than {plan.noticeDays} days' notice
                    {result.revision.noticePolicy === "defer" ? " — deferred to the notice date and compared with the rate live then" : ""}
                    {result.revision.noticeViolationCount > violations.length && ` (the first ${formatNumber(violations.length)} listed)`}
                  </p>
                  <ul className="max-h-32 overflow-auto font-mono text-xs text-amber-900 dark:text-amber-200">
                    {violations.map((r) => (
                      <li key={`${r.line}-${r.prefix}`}>
                        Line {r.line ?? "—"}: {r.prefix} {r.destination} {formatRate(r.previousRate)} → {formatRate(r.rate)} from {formatDateTime(r.effectiveFrom)}
                        {r.effectiveFromAdjusted && ` (deferred to ${formatDateTime(r.effectiveFromAdjusted)})`}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <DiffTable revision={result.revision} initial={result.diff} />
              <FormError error={apply.error} />
            </>
          )}
        </div>
      )}

      {step === 4 && applying && (
        <div className="flex flex-col gap-3">
          <ApplyProgress
            revisionId={applying.revisionId}
            jobId={applying.jobId}
            planId={plan.id}
            onDone={(r) => {
              setApplied(r);
              if (r.status === "applied") onApplied();
            }}
          />
          {result && (
            <p className="text-sm text-fg-muted">
              {formatNumber(result.revision.newCount)} new, {formatNumber(result.revision.increaseCount)} increases, {formatNumber(result.revision.decreaseCount)} decreases, {formatNumber(result.revision.closedCount)} closed.
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
