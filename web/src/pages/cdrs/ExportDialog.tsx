import { useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Download, FileDown } from "lucide-react";
import { Button, Dialog, KeyValue } from "../../components";
import { api } from "../../lib/api";
import { formatBytes, formatFull, formatNumber } from "../../lib/format";
import { FormError } from "../carriers/carrier/ui";
import { JobProgressPanel, useCdrJob } from "./JobProgress";
import { DISPOSITION_LABEL, RATING_LABEL, type Disposition, type RatingStatus } from "./types";

export interface ExportFilter {
  from: string;
  to: string;
  carrierId?: string;
  number?: string;
  disposition?: Disposition;
  ratingStatus?: RatingStatus;
}

/** Exports the CDRs of the current filter as CSV: a job with progress, then the download. */
export function ExportDialog({ open, onClose, filter, carrierName, matching }: { open: boolean; onClose: () => void; filter: ExportFilter; carrierName?: string; matching: string | null }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api.post<{ jobId: string }>("/cdrs/exports", filter),
    onSuccess: (r) => setJobId(r.jobId),
  });
  const job = useCdrJob(jobId);
  useEffect(() => {
    if (!open) return;
    setJobId(null);
    start.reset();
  }, [open]);
  const ready = job.data?.state === "completed" && job.data.export;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="md"
      title="Export CDRs as CSV"
      description="The export runs as a background job (also listed under System → Jobs); you can close this and keep working."
      footer={
        <>
          <Button onClick={onClose}>{jobId ? "Close" : "Cancel"}</Button>
          {!jobId && (
            <Button variant="primary" icon={<FileDown className="size-4" />} loading={start.isPending} onClick={() => start.mutate()}>
              Start export
            </Button>
          )}
          {ready && (
            <a
              href={`/api/cdrs/exports/${jobId}/download`}
              download={job.data?.export?.fileName}
              className="inline-flex h-8 items-center gap-1.5 rounded-md bg-accent px-3 text-sm font-medium text-accent-fg shadow-xs hover:bg-accent-hover"
            >
              <Download className="size-4" /> Download
            </a>
          )}
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <KeyValue
          items={[
            { label: "From", value: formatFull(filter.from) },
            { label: "To", value: formatFull(filter.to) },
            { label: "Carrier", value: filter.carrierId ? (carrierName ?? filter.carrierId) : "All carriers" },
            { label: "Number", value: filter.number ?? "Any" },
            { label: "Disposition", value: filter.disposition ? DISPOSITION_LABEL[filter.disposition] : "Any" },
            { label: "Rating status", value: filter.ratingStatus ? RATING_LABEL[filter.ratingStatus] : "Any" },
            ...(matching ? [{ label: "Matching", value: `${matching} CDRs` }] : []),
          ]}
        />
        <FormError error={start.error} />
        {jobId && (
          <JobProgressPanel
            job={job.data}
            error={job.error}
            title="Exporting"
            done={
              job.data?.export && (
                <>
                  <span className="font-medium text-fg">{job.data.export.fileName}</span> · {formatNumber(job.data.export.rows)} CDRs · {formatBytes(job.data.export.bytes)}
                </>
              )
            }
          />
        )}
      </div>
    </Dialog>
  );
}
