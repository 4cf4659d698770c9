import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, ConfirmDialog, Dialog, Field, Input, Select, Textarea, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import { currencyOptions } from "../carriers/carrier/labels";
import { FormError } from "../carriers/carrier/ui";
import { routingKeys, type RoutingPlan, type RoutingPlanBody } from "./types";

interface Form {
  name: string;
  currency: string;
  description: string;
  maxAttempts: string;
  noRateSipCode: "404" | "484";
}

const DEFAULTS: Form = { name: "", currency: "USD", description: "", maxAttempts: "3", noRateSipCode: "404" };

const fromPlan = (p: RoutingPlan): Form => ({
  name: p.name,
  currency: p.currency,
  description: p.description ?? "",
  maxAttempts: String(p.maxAttempts),
  noRateSipCode: p.noRateSipCode === 484 ? "484" : "404",
});

function validate(f: Form): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.name.trim()) e.name = "Required";
  const n = Number(f.maxAttempts);
  if (!/^\d+$/.test(f.maxAttempts.trim()) || n < 1 || n > 20) e.maxAttempts = "A whole number 1–20";
  return e;
}

/** Add Routing Plan / Edit plan settings. The currency is locked once the plan has entries. */
export function PlanDialog({ open, onClose, plan }: { open: boolean; onClose: () => void; plan: RoutingPlan | null }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>(DEFAULTS);
  const [touched, setTouched] = useState(false);
  const save = useMutation({
    mutationFn: (body: RoutingPlanBody) => (plan ? api.patch<RoutingPlan>(`/routing-plans/${plan.id}`, body) : api.post<RoutingPlan>("/routing-plans", body)),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: routingKeys.plans });
      void qc.invalidateQueries({ queryKey: routingKeys.plan(p.id) });
      toast.success(plan ? "Plan settings saved" : `Routing plan "${p.name}" created`);
      onClose();
      if (!plan) navigate(`/routing/plans/${p.id}`);
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(plan ? fromPlan(plan) : DEFAULTS);
      setTouched(false);
      reset();
    }
  }, [open, plan, reset]);

  const local = useMemo(() => validate(form), [form]);
  const server = fieldErrors(save.error);
  const err = (k: string) => (touched ? local[k] : undefined) ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const currencies = useMemo(() => currencyOptions([form.currency]), [form.currency]);
  const currencyLocked = !!plan && plan.entryCount > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(local).length) return;
    save.mutate({
      name: form.name.trim(),
      currency: form.currency,
      description: form.description.trim() || null,
      maxAttempts: Number(form.maxAttempts),
      noRateSipCode: Number(form.noRateSipCode),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      title={plan ? "Edit plan settings" : "Add Routing Plan"}
      description={plan ? plan.name : "Entries by destination prefix, each with a strategy and its supplier candidates."}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="routing-plan-form" loading={save.isPending}>
            {plan ? "Save settings" : "Create plan"}
          </Button>
        </>
      }
    >
      <form id="routing-plan-form" onSubmit={submit} noValidate className="grid grid-cols-2 gap-3">
        <div className="col-span-2">
          <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        </div>
        <Field label="Plan Name" required error={err("name")} className="col-span-2">
          <Input value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" data-autofocus />
        </Field>
        <Field label="Currency" required error={err("currency")} hint={currencyLocked ? "Fixed: the entries' thresholds are in it." : "Supplier rates are compared in it."}>
          <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} disabled={currencyLocked} options={currencies.map((c) => ({ value: c, label: c }))} />
        </Field>
        <Field label="Max Attempts" required error={err("maxAttempts")} hint="Routes offered per call.">
          <Input inputMode="numeric" value={form.maxAttempts} onChange={(e) => set("maxAttempts", e.target.value)} trailing="routes" />
        </Field>
        <Field label="No-rate SIP Status" error={err("noRateSipCode")} hint="When the customer plan has no rate." className="col-span-2">
          <Select
            value={form.noRateSipCode}
            onChange={(e) => set("noRateSipCode", e.target.value as Form["noRateSipCode"])}
            options={[
              { value: "404", label: "404 Not Found" },
              { value: "484", label: "484 Address Incomplete" },
            ]}
          />
        </Field>
        <Field label="Description" error={err("description")} className="col-span-2">
          <Textarea value={form.description} onChange={(e) => set("description", e.target.value)} maxLength={500} rows={2} className="min-h-14" placeholder="Optional" />
        </Field>
      </form>
    </Dialog>
  );
}

/** Soft-deletes a plan (the server refuses with 409 while a service uses it). */
export function DeletePlanDialog({ plan, onClose, onDeleted }: { plan: RoutingPlan | null; onClose: () => void; onDeleted?: () => void }) {
  const qc = useQueryClient();
  const n = plan?.serviceCount ?? 0;
  return (
    <ConfirmDialog
      open={plan !== null}
      onClose={onClose}
      tone="danger"
      title={`Delete ${plan?.name ?? "plan"}?`}
      message={n ? `${n} service${n === 1 ? " uses" : "s use"} this plan: give ${n === 1 ? "it" : "them"} another routing plan first.` : `The plan and its ${formatNumber(plan?.entryCount ?? 0)} entries move to the recycle bin.`}
      confirmLabel="Delete plan"
      onConfirm={async () => {
        if (!plan) return;
        await api.del(`/routing-plans/${plan.id}`);
        qc.removeQueries({ queryKey: routingKeys.plan(plan.id) });
        void qc.invalidateQueries({ queryKey: routingKeys.plans });
        toast.success(`Deleted ${plan.name}`);
        onDeleted?.();
      }}
    />
  );
}
