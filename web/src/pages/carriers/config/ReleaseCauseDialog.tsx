import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, Field, Input, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import type { ReleaseCause } from "../types";
import { ErrorBanner, NumberInput } from "../interconnect/fields";
import { ToggleRow } from "../interconnect/shared";
import { q850Name } from "./q850";

interface Form {
  sipCode: number | null;
  q850Cause: number | null;
  description: string;
  failover: boolean;
}

/** Add or edit one SIP response ↔ Q.850 mapping (the SIP code of a row cannot change). */
export function ReleaseCauseDialog({ open, onClose, cause, readOnly }: { open: boolean; onClose: () => void; cause: ReleaseCause | null; readOnly?: boolean }) {
  const qc = useQueryClient();
  const editing = cause !== null;
  const blank = (): Form => ({ sipCode: cause?.sipCode ?? null, q850Cause: cause?.q850Cause ?? null, description: cause?.description ?? "", failover: cause?.failover ?? true });
  const [form, setForm] = useState<Form>(blank);
  const [local, setLocal] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: () => {
      const body = { q850Cause: form.q850Cause, description: form.description.trim(), failover: form.failover };
      return editing ? api.patch<ReleaseCause>(`/release-causes/${cause.id}`, body) : api.post<ReleaseCause>("/release-causes", { ...body, sipCode: form.sipCode });
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: ["release-causes"] });
      toast.success(`${editing ? "Saved" : "Added"} SIP ${saved.sipCode} → Q.850 ${saved.q850Cause}`);
      onClose();
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(blank());
      setLocal({});
      reset();
    }
    // Restart when opened or for another row.
  }, [open, cause?.id, reset]);

  const server = fieldErrors(save.error);
  const err = (k: string) => (local[k] ? [local[k]] : server[k]);
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setLocal({});
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (readOnly) return;
    const errs: Record<string, string> = {};
    if (!editing && (form.sipCode === null || form.sipCode < 300 || form.sipCode > 699)) errs.sipCode = "A SIP response code from 300 to 699";
    if (form.q850Cause === null || form.q850Cause < 1 || form.q850Cause > 127) errs.q850Cause = "A Q.850 cause from 1 to 127";
    if (!form.description.trim()) errs.description = "Enter the SIP reason phrase";
    setLocal(errs);
    if (!Object.keys(errs).length) save.mutate();
  };
  const dis = readOnly || save.isPending;
  const general = save.error && Object.keys(server).length === 0 ? save.error : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="md"
      dismissible={!save.isPending}
      title={editing ? `SIP ${cause.sipCode} ${cause.description}` : "Add release cause mapping"}
      description="How a SIP response maps to a Q.850 cause, and whether the call fails over to the next route."
      footer={
        readOnly ? (
          <Button onClick={onClose}>Close</Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={save.isPending}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="release-cause-form" loading={save.isPending}>
              {editing ? "Save changes" : "Add mapping"}
            </Button>
          </>
        )
      }
    >
      <form id="release-cause-form" onSubmit={submit} noValidate className="grid gap-3.5 sm:grid-cols-2">
        {general && <ErrorBanner error={general} className="sm:col-span-2" />}
        <Field label="SIP code" required error={err("sipCode")} hint={editing ? "Cannot change; delete and add instead." : "300–699."}>
          <NumberInput value={form.sipCode} onChange={(sipCode) => set({ sipCode })} placeholder="e.g. 486" disabled={dis || editing} maxDigits={3} />
        </Field>
        <Field label="Q.850 cause" required error={err("q850Cause")} hint={form.q850Cause ? q850Name(form.q850Cause) : "1–127."}>
          <NumberInput value={form.q850Cause} onChange={(q850Cause) => set({ q850Cause })} placeholder="e.g. 17" disabled={dis} maxDigits={3} />
        </Field>
        <Field label="SIP reason" required error={err("description")} className="sm:col-span-2">
          <Input value={form.description} onChange={(e) => set({ description: e.target.value })} maxLength={120} placeholder="e.g. Busy Here" disabled={dis} />
        </Field>
        <ToggleRow
          className="sm:col-span-2"
          label="Failover"
          description={form.failover ? "Try the next route when a supplier returns this code." : "Stop and return this code to the customer."}
          checked={form.failover}
          onChange={(failover) => set({ failover })}
          disabled={dis}
        />
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
