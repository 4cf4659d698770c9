import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Plus, Trash2 } from "lucide-react";
import { Button, Dialog, Field, IconButton, Input, Select, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { currencyOptions, timeZoneOptions } from "../carriers/carrier/labels";
import { MONEY_INPUT_RE, moneyForInput } from "../carriers/carrier/money";
import { FormError, SectionHeading } from "../carriers/carrier/ui";
import { DAY_LABELS, KIND_LABEL, ratingKeys, type PlanBody, type PlanKind, type RatingPlan, type TimeClass } from "./types";

interface Form {
  name: string;
  kind: PlanKind;
  currency: string;
  timeZone: string;
  incrementFirstS: string;
  incrementNextS: string;
  minimumDurationS: string;
  gracePeriodS: string;
  connectionFee: string;
  noticeDays: string;
  precision: string;
  timeClasses: TimeClass[];
}

const DEFAULTS: Form = {
  name: "",
  kind: "customer",
  currency: "USD",
  timeZone: "UTC",
  incrementFirstS: "60",
  incrementNextS: "60",
  minimumDurationS: "0",
  gracePeriodS: "0",
  connectionFee: "0",
  noticeDays: "7",
  precision: "0.0001",
  timeClasses: [],
};

function fromPlan(p: RatingPlan): Form {
  return {
    name: p.name,
    kind: p.kind,
    currency: p.currency,
    timeZone: p.timeZone,
    incrementFirstS: String(p.incrementFirstS),
    incrementNextS: String(p.incrementNextS),
    minimumDurationS: String(p.minimumDurationS),
    gracePeriodS: String(p.gracePeriodS),
    connectionFee: moneyForInput(p.connectionFee),
    noticeDays: String(p.noticeDays),
    precision: moneyForInput(p.precision),
    timeClasses: p.timeClasses.map((c) => ({ ...c, days: [...c.days] })),
  };
}

const INT_FIELDS = [
  ["incrementFirstS", 1, 3600],
  ["incrementNextS", 1, 3600],
  ["minimumDurationS", 0, 3600],
  ["gracePeriodS", 0, 3600],
  ["noticeDays", 0, 365],
] as const;
const HHMM = /^(?:([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

function validate(f: Form): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.name.trim()) e.name = "Required";
  for (const [k, min, max] of INT_FIELDS) {
    const n = Number(f[k]);
    if (!/^\d+$/.test(f[k].trim()) || n < min || n > max) e[k] = `A whole number ${min}–${max}`;
  }
  if (!MONEY_INPUT_RE.test(f.connectionFee.trim())) e.connectionFee = "A decimal amount with at most 6 decimals";
  if (!MONEY_INPUT_RE.test(f.precision.trim()) || !/[1-9]/.test(f.precision) || Number(f.precision) > 1) e.precision = "Between 0.000001 and 1";
  const names = new Set<string>();
  f.timeClasses.forEach((c, i) => {
    if (!c.name.trim()) e[`timeClasses.${i}.name`] = "Name required";
    else if (names.has(c.name.trim().toLowerCase())) e[`timeClasses.${i}.name`] = "Each name once";
    names.add(c.name.trim().toLowerCase());
    if (c.days.length === 0) e[`timeClasses.${i}.days`] = "Pick at least one day";
    if (!HHMM.test(c.start)) e[`timeClasses.${i}.start`] = "HH:MM";
    if (!HHMM.test(c.end)) e[`timeClasses.${i}.end`] = "HH:MM";
  });
  return e;
}

function toBody(f: Form): PlanBody {
  return {
    name: f.name.trim(),
    kind: f.kind,
    currency: f.currency,
    timeZone: f.timeZone,
    incrementFirstS: Number(f.incrementFirstS),
    incrementNextS: Number(f.incrementNextS),
    minimumDurationS: Number(f.minimumDurationS),
    gracePeriodS: Number(f.gracePeriodS),
    connectionFee: f.connectionFee.trim(),
    noticeDays: Number(f.noticeDays),
    precision: f.precision.trim(),
    timeClasses: f.timeClasses.map((c) => ({ name: c.name.trim(), days: [...c.days].sort((a, b) => a - b), start: c.start, end: c.end })),
  };
}

/** Add Rating Plan / Edit settings: every plan field plus the time-class editor. */
export function PlanDialog({ open, onClose, plan }: { open: boolean; onClose: () => void; plan: RatingPlan | null }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>(DEFAULTS);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (open) {
      setForm(plan ? fromPlan(plan) : DEFAULTS);
      setTouched(false);
    }
  }, [open, plan]);

  const save = useMutation({
    mutationFn: (body: PlanBody) => (plan ? api.patch<RatingPlan>(`/rating-plans/${plan.id}`, body) : api.post<RatingPlan>("/rating-plans", body)),
    onSuccess: (p) => {
      qc.setQueryData(ratingKeys.plan(p.id), p);
      void qc.invalidateQueries({ queryKey: ratingKeys.plans });
      toast.success(plan ? "Plan settings saved" : `Rating plan "${p.name}" created`);
      onClose();
      if (!plan) navigate(`/rating/plans/${p.id}`);
    },
  });
  useEffect(() => {
    if (open) save.reset();
    // reset only when the dialog opens
  }, [open]);

  const local = useMemo(() => validate(form), [form]);
  const server = fieldErrors(save.error);
  const err = (k: string) => (touched ? local[k] : undefined) ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setClass = (i: number, patch: Partial<TimeClass>) => setForm((f) => ({ ...f, timeClasses: f.timeClasses.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));

  const currencies = useMemo(() => currencyOptions([form.currency]), [form.currency]);
  const zones = useMemo(() => timeZoneOptions(form.timeZone), [form.timeZone]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(local).length) return;
    save.mutate(toBody(form));
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="lg"
      title={plan ? "Edit plan settings" : "Add Rating Plan"}
      description={plan ? plan.name : "A plan holds per-prefix rates and the billing rules every call is rated with."}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="rating-plan-form" loading={save.isPending}>
            {plan ? "Save settings" : "Create plan"}
          </Button>
        </>
      }
    >
      <form id="rating-plan-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label="Plan Name" required error={err("name")} className="col-span-2">
            <Input value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" data-autofocus />
          </Field>
          <Field label="Kind" required error={err("kind")}>
            <Select value={form.kind} onChange={(e) => set("kind", e.target.value as PlanKind)} options={(Object.keys(KIND_LABEL) as PlanKind[]).map((k) => ({ value: k, label: KIND_LABEL[k] }))} />
          </Field>
          <Field label="Currency" required error={err("currency")}>
            <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} options={currencies.map((c) => ({ value: c, label: c }))} />
          </Field>
          <Field label="Time Zone" error={err("timeZone")} hint="Bare deck dates and time classes use it." className="col-span-2">
            <Select value={form.timeZone} onChange={(e) => set("timeZone", e.target.value)} options={zones.map((z) => ({ value: z, label: z }))} />
          </Field>
          <Field label="Notice Days" error={err("noticeDays")} hint="Minimum notice for increases.">
            <Input inputMode="numeric" value={form.noticeDays} onChange={(e) => set("noticeDays", e.target.value)} trailing="days" />
          </Field>
          <div className="hidden sm:block" />
        </div>

        <SectionHeading>Billing increments</SectionHeading>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label="First Increment" required error={err("incrementFirstS")}>
            <Input inputMode="numeric" value={form.incrementFirstS} onChange={(e) => set("incrementFirstS", e.target.value)} trailing="s" />
          </Field>
          <Field label="Next Increment" required error={err("incrementNextS")}>
            <Input inputMode="numeric" value={form.incrementNextS} onChange={(e) => set("incrementNextS", e.target.value)} trailing="s" />
          </Field>
          <Field label="Minimum Duration" error={err("minimumDurationS")}>
            <Input inputMode="numeric" value={form.minimumDurationS} onChange={(e) => set("minimumDurationS", e.target.value)} trailing="s" />
          </Field>
          <Field label="Grace Period" error={err("gracePeriodS")} hint="Calls this short are free.">
            <Input inputMode="numeric" value={form.gracePeriodS} onChange={(e) => set("gracePeriodS", e.target.value)} trailing="s" />
          </Field>
          <Field label="Connection Fee" error={err("connectionFee")} hint="Default; a deck row may override.">
            <Input inputMode="decimal" className="font-mono" value={form.connectionFee} onChange={(e) => set("connectionFee", e.target.value)} trailing={form.currency} />
          </Field>
          <Field label="Rounding Precision" error={err("precision")} hint="Call cost is rounded to this step.">
            <Input inputMode="decimal" className="font-mono" value={form.precision} onChange={(e) => set("precision", e.target.value)} trailing={form.currency} />
          </Field>
        </div>

        <SectionHeading
          actions={
            <Button
              size="xs"
              icon={<Plus className="size-3.5" />}
              onClick={() => set("timeClasses", [...form.timeClasses, { name: form.timeClasses.length ? "" : "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "20:00" }])}
              disabled={form.timeClasses.length >= 20}
            >
              Add time class
            </Button>
          }
        >
          Time classes
        </SectionHeading>
        {form.timeClasses.length === 0 ? (
          <p className="text-sm text-fg-muted">No time classes: every rate applies at all times. Add one (e.g. peak Mon–Fri 08:00–20:00) to price deck rows by time of day.</p>
        ) : (
          <div className="flex flex-col gap-2" role="list" aria-label="Time classes">
            {form.timeClasses.map((c, i) => (
              <div key={i} role="listitem" className="flex flex-wrap items-start gap-2 rounded-md border border-line bg-surface-2/50 p-2 sm:flex-nowrap">
                <Field label="Name" error={err(`timeClasses.${i}.name`)} className="w-28 shrink-0">
                  <Input size="sm" value={c.name} onChange={(e) => setClass(i, { name: e.target.value })} maxLength={40} aria-label={`Time class ${i + 1} name`} />
                </Field>
                <Field label="Days" error={err(`timeClasses.${i}.days`)}>
                  <div className="flex gap-0.5" role="group" aria-label={`Time class ${i + 1} days`}>
                    {DAY_LABELS.map((d, day) => {
                      const on = c.days.includes(day);
                      return (
                        <button
                          key={d}
                          type="button"
                          aria-pressed={on}
                          onClick={() => setClass(i, { days: on ? c.days.filter((x) => x !== day) : [...c.days, day] })}
                          className={clsx("h-7 w-8 rounded text-xs font-medium ring-1 transition-colors", on ? "bg-accent text-white ring-accent" : "bg-surface text-fg-muted ring-line hover:text-fg")}
                        >
                          {d}
                        </button>
                      );
                    })}
                  </div>
                </Field>
                <Field label="From" error={err(`timeClasses.${i}.start`)} className="w-20 shrink-0">
                  <Input size="sm" className="font-mono" value={c.start} onChange={(e) => setClass(i, { start: e.target.value })} placeholder="08:00" aria-label={`Time class ${i + 1} start`} />
                </Field>
                <Field label="To" error={err(`timeClasses.${i}.end`)} className="w-20 shrink-0">
                  <Input size="sm" className="font-mono" value={c.end} onChange={(e) => setClass(i, { end: e.target.value })} placeholder="20:00" aria-label={`Time class ${i + 1} end`} />
                </Field>
                <IconButton className="mt-5 ml-auto" label={`Remove time class ${i + 1}`} icon={<Trash2 className="size-4" />} onClick={() => set("timeClasses", form.timeClasses.filter((_, j) => j !== i))} />
              </div>
            ))}
          </div>
        )}
        {typeof server.timeClasses?.[0] === "string" && <p className="text-xs text-red-600 dark:text-red-400">{server.timeClasses.join("; ")}</p>}
      </form>
    </Dialog>
  );
}
