import { useEffect, useRef, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RefreshCcw } from "lucide-react";
import { Button, Checkbox, Dialog, Field, Input } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { formatNumber, getDisplayTimeZone } from "../../lib/format";
import { FormError } from "../carriers/carrier/ui";
import { zonedLocalToIso } from "../rating/types";
import { CarrierFilter } from "./filters";
import { JobProgressPanel, useCdrJob } from "./JobProgress";
import { cdrKeys, localOf } from "./types";

/**
 * Re-rate a period: the CDRs go back to pending with a new rating version and the rating
 * job rates them again with today's plans (after a deck fix, or to clear rating errors).
 */
export function RerateDialog({ open, onClose, initial }: { open: boolean; onClose: () => void; initial: { from: string; to: string; carrierId?: string } }) {
  const qc = useQueryClient();
  const tz = getDisplayTimeZone();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [carrierId, setCarrierId] = useState("");
  const [onlyErrors, setOnlyErrors] = useState(true);
  const rerate = useMutation({
    mutationFn: () => api.post<{ jobId: string | null; count: number }>("/cdrs/rerate", { from: zonedLocalToIso(from, tz), to: zonedLocalToIso(to, tz), carrierId: carrierId || undefined, onlyErrors }),
  });
  const job = useCdrJob(rerate.data?.jobId ?? null);
  useEffect(() => {
    if (!open) return;
    setFrom(localOf(initial.from));
    setTo(localOf(initial.to));
    setCarrierId(initial.carrierId ?? "");
    setOnlyErrors(true);
    rerate.reset();
  }, [open]);
  // Once the job is done, every list and the summary show the new ratings.
  const settled = useRef<string | null>(null);
  useEffect(() => {
    const id = job.data?.id;
    if (!id || job.data?.state !== "completed" || settled.current === id) return;
    settled.current = id;
    void qc.invalidateQueries({ queryKey: cdrKeys.all });
  }, [job.data, qc]);
  const errs = fieldErrors(rerate.error);
  const started = !!rerate.data;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="md"
      title="Re-rate CDRs"
      description="The CDRs of the period are rated again with the rating plans as they are now, under a new rating version. Money already posted is corrected by reversing entries, never edited."
      footer={
        <>
          <Button onClick={onClose}>{started ? "Close" : "Cancel"}</Button>
          {!started && (
            <Button variant="primary" icon={<RefreshCcw className="size-4" />} loading={rerate.isPending} disabled={!from || !to} onClick={() => rerate.mutate()}>
              Re-rate
            </Button>
          )}
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <div className="grid grid-cols-2 gap-3">
          <Field label={`From (${tz})`} error={errs.from} required>
            <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} disabled={started} />
          </Field>
          <Field label="To (exclusive)" error={errs.to} required>
            <Input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} disabled={started} />
          </Field>
        </div>
        <Field label="Carrier" error={errs.carrierId} hint="Customer or supplier side; all carriers when empty.">
          <CarrierFilter value={carrierId} onChange={setCarrierId} />
        </Field>
        <Checkbox label="Only CDRs with rating errors" description="Leave on after fixing a plan or a service; turn off to re-rate every CDR of the period (e.g. after a deck correction)." checked={onlyErrors} onChange={(e) => setOnlyErrors(e.target.checked)} disabled={started} />
        {rerate.error && !Object.keys(errs).length && <FormError error={rerate.error} />}
        {rerate.data && rerate.data.count === 0 && <p className="rounded-md border border-line bg-surface-2 px-3 py-2 text-sm text-fg-muted">No CDRs matched: nothing to re-rate.</p>}
        {rerate.data?.jobId && (
          <JobProgressPanel
            job={job.data}
            error={job.error}
            title={`Re-rating ${formatNumber(rerate.data.count)} CDRs`}
            done={`${formatNumber(rerate.data.count)} CDRs re-rated${job.data?.message && job.data.message !== "done" ? `: ${job.data.message}` : "."}`}
          />
        )}
      </div>
    </Dialog>
  );
}
