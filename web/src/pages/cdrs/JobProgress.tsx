import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import { ProgressBar } from "../../components";
import { api } from "../../lib/api";
import { FormError } from "../carriers/carrier/ui";
import { cdrKeys, type CdrJob } from "./types";

const FINISHED = new Set<CdrJob["state"]>(["completed", "failed", "cancelled"]);
export const isFinished = (job: CdrJob | undefined) => !!job && FINISHED.has(job.state);

/** Polls a CDR job (export or rating) until it finishes. */
export function useCdrJob(jobId: string | null) {
  return useQuery({
    queryKey: cdrKeys.job(jobId ?? ""),
    queryFn: ({ signal }) => api.get<CdrJob>(`/cdrs/jobs/${jobId}`, undefined, signal),
    enabled: !!jobId,
    refetchInterval: (q) => (isFinished(q.state.data) ? false : 700),
  });
}

/** A job's state, percent and message, as the Jobs page shows them. */
export function JobProgressPanel({ job, error, title, done }: { job: CdrJob | undefined; error: unknown; title: string; done: ReactNode }) {
  const state = job?.state ?? "created";
  const failed = state === "failed" || state === "cancelled";
  const completed = state === "completed";
  const percent = job?.percent ?? 0;
  return (
    <div className="flex flex-col gap-2 rounded-md border border-line bg-surface-2/50 p-3" aria-live="polite">
      <div className="flex items-center gap-2 text-sm">
        {completed ? (
          <CheckCircle2 className="size-4 text-emerald-600 dark:text-emerald-400" />
        ) : failed ? (
          <XCircle className="size-4 text-red-600 dark:text-red-400" />
        ) : (
          <Loader2 className="size-4 animate-spin text-accent" />
        )}
        <span className="font-medium">{completed ? "Done" : failed ? (state === "cancelled" ? "Cancelled" : "Failed") : state === "created" ? `${title}: queued…` : `${title}…`}</span>
        <span className="ml-auto font-mono text-xs text-fg-muted tabular">{Math.round(percent)}%</span>
      </div>
      <ProgressBar value={percent} tone={completed ? "success" : failed ? "danger" : "accent"} label={`${title} progress`} />
      <div className="text-xs text-fg-muted">{completed ? done : failed ? (job?.error ?? "The job did not finish.") : (job?.message ?? "Waiting for a worker…")}</div>
      <FormError error={error} />
    </div>
  );
}
