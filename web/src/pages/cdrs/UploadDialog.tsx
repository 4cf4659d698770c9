import { useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, FileUp, Upload } from "lucide-react";
import { Button, Dialog } from "../../components";
import { ApiError, api } from "../../lib/api";
import { formatBytes, formatNumber } from "../../lib/format";
import { FormError } from "../carriers/carrier/ui";
import { cdrKeys, type IngestResult } from "./types";

/** The CSV columns the server reads (header names, snake_case or camelCase). */
export const CSV_COLUMNS = "switch_id, call_id, attempt, service_id, ingress_interconnect_id, egress_interconnect_id, calling_number, called_number, start_at, answer_at, end_at, duration_s, pdd_ms, sip_status, q850_cause, disposition, codec";

/** 422 "line N" fields → sorted bad lines; 400 header problems come as `file`. */
function badLinesOf(err: unknown): { line: string; reason: string }[] {
  if (!(err instanceof ApiError) || !err.fields) return [];
  return Object.entries(err.fields)
    .map(([k, reasons]) => ({ line: k.replace(/^line /, ""), reason: reasons.join("; ") }))
    .sort((a, b) => (Number(a.line) || 0) - (Number(b.line) || 0));
}

/** Upload a CDR file: all or nothing; every bad line is listed; re-sent CDRs change nothing. */
export function UploadDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (f: File) => api.upload<IngestResult>("/cdrs/upload", f, "text/csv", { fileName: f.name }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: cdrKeys.all }),
  });
  useEffect(() => {
    if (!open) return;
    setFile(null);
    upload.reset();
  }, [open]);
  const bad = useMemo(() => badLinesOf(upload.error), [upload.error]);
  const result = upload.data;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!upload.isPending}
      size="lg"
      title="Upload CDRs"
      description="A CSV file with a header row. All or nothing: one bad line rejects the file and nothing is ingested. CDRs sent before (same switch, call id and attempt) change nothing."
      footer={
        <>
          <Button onClick={onClose} disabled={upload.isPending}>
            {result ? "Close" : "Cancel"}
          </Button>
          {!result && (
            <Button variant="primary" icon={<Upload className="size-4" />} disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)}>
              Upload
            </Button>
          )}
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <div
          className="flex flex-wrap items-center gap-3 rounded-md border border-dashed border-line-strong bg-surface-2/50 p-4"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            const f = e.dataTransfer.files[0];
            if (f) {
              setFile(f);
              upload.reset();
            }
          }}
        >
          <FileUp className="size-6 text-fg-subtle" />
          <div className="min-w-0 flex-1 text-sm">
            {file ? (
              <p className="font-medium">
                {file.name} <span className="font-normal text-fg-muted">· {formatBytes(file.size)}</span>
              </p>
            ) : (
              <p className="font-medium">Drop a .csv file here or choose one.</p>
            )}
            <p className="text-xs text-fg-muted">Times are ISO-8601 with a zone (2026-11-20T10:00:00Z). Blank cells are empty values.</p>
          </div>
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv,text/plain"
            aria-label="CDR file"
            className="sr-only"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) {
                setFile(f);
                upload.reset();
              }
              e.target.value = "";
            }}
          />
          <Button icon={<FileUp className="size-4" />} onClick={() => input.current?.click()} disabled={upload.isPending}>
            Choose file…
          </Button>
        </div>
        <details className="text-xs text-fg-muted">
          <summary className="cursor-pointer select-none">Columns</summary>
          <p className="mt-1 font-mono leading-5">{CSV_COLUMNS}</p>
          <p className="mt-1">Required: switch_id, call_id, called_number, start_at, end_at, duration_s, sip_status, disposition (answered, busy, no_answer, failed, cancelled). Name a service or an ingress interconnect (its service is found by tech prefix) and the egress interconnect to rate both sides.</p>
        </details>

        {result && (
          <div role="status" className="flex gap-2 rounded-md border border-emerald-500/25 bg-emerald-50 p-3 text-sm dark:bg-emerald-500/10">
            <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
            <div>
              <p className="font-medium text-emerald-800 dark:text-emerald-300">
                {formatNumber(result.received)} CDRs read: {formatNumber(result.inserted)} new, {formatNumber(result.duplicates)} already ingested.
              </p>
              <p className="text-xs text-emerald-800/80 dark:text-emerald-300/80">{result.message}</p>
            </div>
          </div>
        )}
        {upload.error && bad.length === 0 && <FormError error={upload.error} />}
        {bad.length > 0 && (
          <div role="alert" className="rounded-md border border-red-500/25 bg-red-50 p-3 text-sm dark:bg-red-500/10">
            <p className="mb-2 font-medium text-red-700 dark:text-red-300">{(upload.error as Error).message}</p>
            <div className="max-h-64 overflow-auto">
              <table className="w-full text-xs text-red-800 dark:text-red-200" aria-label="Bad lines">
                <thead>
                  <tr className="text-left">
                    <th className="w-16 pb-1 font-semibold">Line</th>
                    <th className="pb-1 font-semibold">Problem</th>
                  </tr>
                </thead>
                <tbody className="font-mono">
                  {bad.map((b) => (
                    <tr key={b.line} className="border-t border-red-500/15 align-top">
                      <td className="py-1 font-semibold">{b.line}</td>
                      <td className="py-1">{b.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </div>
    </Dialog>
  );
}
