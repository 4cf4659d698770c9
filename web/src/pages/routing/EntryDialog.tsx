import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { CalendarClock, Layers } from "lucide-react";
import { Badge, Button, Checkbox, Dialog, Field, IconButton, Input, Select, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { getDisplayTimeZone } from "../../lib/format";
import { MONEY_INPUT_RE, moneyForInput } from "../carriers/carrier/money";
import { FormError, SectionHeading, errorsUnder } from "../carriers/carrier/ui";
import { moveItem, RowOrderButtons } from "../carriers/interconnect/fields";
import { useInterconnectOptions, useTrunkGroupOptions } from "../carriers/interconnect/hooks";
import { SearchSelect, type SearchOption } from "../carriers/interconnect/SearchSelect";
import { zonedLocalToIso } from "../rating/types";
import { STRATEGIES, STRATEGY_HINT, STRATEGY_LABEL, isoToLocal, routingKeys, type CandidateBody, type EntryBody, type QualityBase, type RoutingEntry, type RoutingPlan, type Strategy } from "./types";

interface CandidateForm {
  /** `ic:<uuid>` or `tg:<uuid>`. */
  target: string;
  name: string;
  detail: string;
  status: string;
  priority: string;
  weight: string;
  blocked: boolean;
  maxSupplierRate: string;
  minMargin: string;
  effectiveFrom: string;
  effectiveTo: string;
  showDates: boolean;
}

interface Form {
  prefix: string;
  description: string;
  strategy: Strategy;
  qualityBase: QualityBase;
  minAsrPercent: string;
  minAcdS: string;
  maxPddMs: string;
  minSamples: string;
  blocked: boolean;
  maxSupplierRate: string;
  profitGuard: boolean;
  minMargin: string;
  minMarginPercent: string;
  maxAttempts: string;
  effectiveFrom: string;
  effectiveTo: string;
  candidates: CandidateForm[];
}

const numText = (n: number | null) => (n === null ? "" : String(n));

function fromEntry(e: RoutingEntry | null, tz: string): Form {
  return {
    prefix: e?.prefix ?? "",
    description: e?.description ?? "",
    strategy: e?.strategy ?? "lcr",
    qualityBase: e?.qualityBase ?? "lcr",
    minAsrPercent: numText(e?.minAsrPercent ?? null),
    minAcdS: numText(e?.minAcdS ?? null),
    maxPddMs: numText(e?.maxPddMs ?? null),
    minSamples: String(e?.minSamples ?? 20),
    blocked: e?.blocked ?? false,
    maxSupplierRate: moneyForInput(e?.maxSupplierRate),
    profitGuard: e?.profitGuard ?? true,
    minMargin: e ? moneyForInput(e.minMargin) : "0",
    minMarginPercent: numText(e?.minMarginPercent ?? null),
    maxAttempts: numText(e?.maxAttempts ?? null),
    effectiveFrom: isoToLocal(e?.effectiveFrom ?? null, tz),
    effectiveTo: isoToLocal(e?.effectiveTo ?? null, tz),
    candidates: (e?.candidates ?? []).map((c) => ({
      target: c.interconnectId ? `ic:${c.interconnectId}` : `tg:${c.trunkGroupId ?? ""}`,
      name: c.targetName ?? "(deleted)",
      detail: c.carrier?.name ?? (c.trunkGroupId ? "Trunk group" : ""),
      status: c.targetStatus,
      priority: String(c.priority),
      weight: String(c.weight),
      blocked: c.blocked,
      maxSupplierRate: moneyForInput(c.maxSupplierRate),
      minMargin: moneyForInput(c.minMargin),
      effectiveFrom: isoToLocal(c.effectiveFrom, tz),
      effectiveTo: isoToLocal(c.effectiveTo, tz),
      showDates: !!(c.effectiveFrom || c.effectiveTo),
    })),
  };
}

/** Which per-candidate number the strategy reads. */
function orderField(f: Pick<Form, "strategy" | "qualityBase">): "priority" | "group" | "weight" | null {
  if (f.strategy === "priority" || (f.strategy === "quality" && f.qualityBase === "priority")) return "priority";
  if (f.strategy === "priority_lcr") return "group";
  if (f.strategy === "weighted") return "weight";
  return null;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const INT = /^\d+$/;

/** Blank → null; else a number within [min, max] (whole when `int`), or an error message. */
function optNumber(v: string, min: number, max: number, int: boolean): number | null | string {
  const t = v.trim();
  if (!t) return null;
  if (!(int ? INT : DECIMAL).test(t) || Number(t) < min || Number(t) > max) return `${int ? "A whole number" : "A number"} ${min}–${max}`;
  return Number(t);
}

function build(f: Form, tz: string): { body: EntryBody | null; errors: Record<string, string> } {
  const e: Record<string, string> = {};
  const num = (key: string, v: string, min: number, max: number, int: boolean) => {
    const r = optNumber(v, min, max, int);
    if (typeof r === "string") e[key] = r;
    return typeof r === "number" ? r : null;
  };
  const money = (key: string, v: string, required = false) => {
    const t = v.trim();
    if (!t) {
      if (required) e[key] = "Required (0 for none)";
      return null;
    }
    if (!MONEY_INPUT_RE.test(t)) e[key] = "A decimal amount, at most 6 decimals";
    return t;
  };
  const date = (key: string, v: string) => {
    if (!v) return null;
    const iso = zonedLocalToIso(v, tz);
    if (!iso) e[key] = "A date and time";
    return iso ?? null;
  };
  if (!/^[0-9]{0,20}$/.test(f.prefix.trim())) e.prefix = "Up to 20 digits (empty = every destination)";
  const from = date("effectiveFrom", f.effectiveFrom);
  const to = date("effectiveTo", f.effectiveTo);
  if (from && to && to <= from) e.effectiveTo = "After the start";
  const order = orderField(f);
  const candidates: CandidateBody[] = f.candidates.map((c, i) => {
    const k = (x: string) => `candidates.${i}.${x}`;
    const cFrom = date(k("effectiveFrom"), c.effectiveFrom);
    const cTo = date(k("effectiveTo"), c.effectiveTo);
    if (cFrom && cTo && cTo <= cFrom) e[k("effectiveTo")] = "After the start";
    const [kind, id] = c.target.split(":");
    return {
      interconnectId: kind === "ic" ? (id ?? null) : null,
      trunkGroupId: kind === "tg" ? (id ?? null) : null,
      priority: num(k("priority"), c.priority, 1, 99, true) ?? 1,
      weight: num(k("weight"), c.weight, 0, 100, true) ?? 0,
      blocked: c.blocked,
      maxSupplierRate: money(k("maxSupplierRate"), c.maxSupplierRate),
      minMargin: money(k("minMargin"), c.minMargin),
      effectiveFrom: cFrom,
      effectiveTo: cTo,
    };
  });
  if (order === "weight" && candidates.length) {
    const sum = candidates.reduce((s, c) => s + c.weight, 0);
    if (sum !== 100) e.candidates = `Weights add up to ${sum}%; they must add up to 100%.`;
  }
  const body: EntryBody = {
    prefix: f.prefix.trim(),
    description: f.description.trim() || null,
    strategy: f.strategy,
    qualityBase: f.qualityBase,
    minAsrPercent: num("minAsrPercent", f.minAsrPercent, 0, 100, false),
    minAcdS: num("minAcdS", f.minAcdS, 0, 86_400, false),
    maxPddMs: num("maxPddMs", f.maxPddMs, 0, 120_000, true),
    minSamples: num("minSamples", f.minSamples, 1, 1_000_000, true) ?? 20,
    blocked: f.blocked,
    maxSupplierRate: money("maxSupplierRate", f.maxSupplierRate),
    profitGuard: f.profitGuard,
    minMargin: money("minMargin", f.minMargin, true) ?? "0",
    minMarginPercent: num("minMarginPercent", f.minMarginPercent, 0, 100, false),
    maxAttempts: num("maxAttempts", f.maxAttempts, 1, 20, true),
    effectiveFrom: from,
    effectiveTo: to,
    candidates,
  };
  return { body: Object.keys(e).length ? null : body, errors: e };
}

const ORDER_LABEL = { priority: "Priority", group: "Group", weight: "Weight %" } as const;

/** Add / edit a routing entry: prefix, strategy, guards, dates and the ordered candidate list. */
export function EntryDialog({ open, onClose, plan, entry }: { open: boolean; onClose: () => void; plan: RoutingPlan; entry: RoutingEntry | null }) {
  const qc = useQueryClient();
  const tz = getDisplayTimeZone();
  const [form, setForm] = useState<Form>(() => fromEntry(entry, tz));
  const [touched, setTouched] = useState(false);
  const interconnects = useInterconnectOptions({ direction: "egress", enabled: open });
  const groups = useTrunkGroupOptions("egress", open);

  const save = useMutation({
    mutationFn: (body: EntryBody) => (entry ? api.patch<RoutingEntry>(`/routing-entries/${entry.id}`, body) : api.post<RoutingEntry>(`/routing-plans/${plan.id}/entries`, body)),
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: routingKeys.plan(plan.id) });
      void qc.invalidateQueries({ queryKey: routingKeys.plans });
      toast.success(`${entry ? "Saved" : "Added"} entry ${saved.prefix || "(default route)"}`);
      onClose();
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(fromEntry(entry, tz));
      setTouched(false);
      reset();
    }
    // Restart only when opened or for another entry.
  }, [open, entry?.id, tz, reset]);

  const built = useMemo(() => build(form, tz), [form, tz]);
  const server = fieldErrors(save.error);
  const err = (k: string) => (touched ? built.errors[k] : undefined) ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setCand = (i: number, patch: Partial<CandidateForm>) => setForm((f) => ({ ...f, candidates: f.candidates.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));

  const options = useMemo<SearchOption[]>(() => {
    const taken = new Set(form.candidates.map((c) => c.target));
    const ics = (interconnects.data?.rows ?? []).map((o) => ({
      value: `ic:${o.id}`,
      label: o.name,
      detail: `${o.carrierName} · ${o.currency} · ${o.status}${o.supplierRatingPlanId ? "" : " · no supplier plan"}`,
      keywords: `${o.carrierName} ${o.currency}`,
    }));
    const tgs = (groups.data?.rows ?? []).map((g) => ({
      value: `tg:${g.id}`,
      label: g.name,
      detail: `Trunk group · ${g.members.length} member${g.members.length === 1 ? "" : "s"}: ${g.members.map((m) => m.name).join(", ")}`,
      keywords: "trunk group",
    }));
    return [...ics, ...tgs].filter((o) => !taken.has(o.value));
  }, [interconnects.data, groups.data, form.candidates]);

  const addCandidate = (value: string | null) => {
    if (!value) return;
    const [kind, id] = value.split(":");
    const ic = kind === "ic" ? interconnects.data?.rows.find((r) => r.id === id) : undefined;
    const tg = kind === "tg" ? groups.data?.rows.find((r) => r.id === id) : undefined;
    if (!ic && !tg) return;
    set("candidates", [
      ...form.candidates,
      {
        target: value,
        name: ic?.name ?? tg!.name,
        detail: ic ? ic.carrierName : "Trunk group",
        status: ic ? ic.status : "trunk_group",
        priority: "1",
        weight: "0",
        blocked: false,
        maxSupplierRate: "",
        minMargin: "",
        effectiveFrom: "",
        effectiveTo: "",
        showDates: false,
      },
    ]);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (built.body) save.mutate(built.body);
  };

  const order = orderField(form);
  const weightSum = form.candidates.reduce((s, c) => s + (Number(c.weight) || 0), 0);
  const cols = clsx("grid items-center gap-2", order ? "grid-cols-[1.25rem_minmax(0,1fr)_4.5rem_6.5rem_6.5rem_4rem_6.5rem]" : "grid-cols-[1.25rem_minmax(0,1fr)_6.5rem_6.5rem_4rem_6.5rem]");
  const general = save.error && Object.keys(server).length === 0 ? save.error : null;
  const candidatesError = err("candidates");

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="xl"
      dismissible={!save.isPending}
      title={entry ? `Edit entry ${entry.prefix || "(default route)"}` : "Add routing entry"}
      description={`${plan.name} · rates compared in ${plan.currency}`}
      footerStart={<span>Times are wall clock in {tz}.</span>}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="routing-entry-form" loading={save.isPending}>
            {entry ? "Save entry" : "Add entry"}
          </Button>
        </>
      }
    >
      <form id="routing-entry-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={general} />
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label="Prefix" error={err("prefix")} hint="Empty = every destination.">
            <Input value={form.prefix} onChange={(e) => set("prefix", e.target.value.replace(/[^0-9]/g, ""))} className="font-mono" inputMode="numeric" maxLength={20} placeholder="default route" autoComplete="off" data-autofocus />
          </Field>
          <Field label="Strategy" error={err("strategy")}>
            <Select value={form.strategy} onChange={(e) => set("strategy", e.target.value as Strategy)} options={STRATEGIES.map((s) => ({ value: s, label: STRATEGY_LABEL[s] }))} />
          </Field>
          <Field label="Max Attempts" error={err("maxAttempts")} hint={`Blank = the plan's ${plan.maxAttempts}.`}>
            <Input inputMode="numeric" value={form.maxAttempts} onChange={(e) => set("maxAttempts", e.target.value)} placeholder={String(plan.maxAttempts)} trailing="routes" />
          </Field>
          <div className="flex items-end pb-6">
            <Checkbox label="Block destination" description="Refuse calls (403)." checked={form.blocked} onChange={(e) => set("blocked", e.target.checked)} />
          </div>
          <Field label="Description" error={err("description")} className="col-span-2 sm:col-span-4">
            <Input value={form.description} onChange={(e) => set("description", e.target.value)} maxLength={200} placeholder="Optional, e.g. UK mobile" />
          </Field>
        </div>
        <p className="-mt-2 text-xs text-fg-muted">
          <span className="font-medium text-fg">{STRATEGY_LABEL[form.strategy]}:</span> {STRATEGY_HINT[form.strategy]}
        </p>

        {form.strategy === "quality" && (
          <>
            <SectionHeading>Quality thresholds</SectionHeading>
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
              <Field label="Base Order" error={err("qualityBase")}>
                <Select
                  value={form.qualityBase}
                  onChange={(e) => set("qualityBase", e.target.value as QualityBase)}
                  options={[
                    { value: "lcr", label: "LCR" },
                    { value: "priority", label: "Priority" },
                  ]}
                />
              </Field>
              <Field label="Min ASR" error={err("minAsrPercent")}>
                <Input inputMode="decimal" value={form.minAsrPercent} onChange={(e) => set("minAsrPercent", e.target.value)} trailing="%" placeholder="any" />
              </Field>
              <Field label="Min ACD" error={err("minAcdS")}>
                <Input inputMode="decimal" value={form.minAcdS} onChange={(e) => set("minAcdS", e.target.value)} trailing="s" placeholder="any" />
              </Field>
              <Field label="Max PDD" error={err("maxPddMs")}>
                <Input inputMode="numeric" value={form.maxPddMs} onChange={(e) => set("maxPddMs", e.target.value)} trailing="ms" placeholder="any" />
              </Field>
              <Field label="Min Samples" error={err("minSamples")} hint="Fewer = no statistics.">
                <Input inputMode="numeric" value={form.minSamples} onChange={(e) => set("minSamples", e.target.value)} trailing="calls" />
              </Field>
            </div>
          </>
        )}

        <SectionHeading>Profit guard and caps ({plan.currency} per minute)</SectionHeading>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <div className="flex items-end pb-6">
            <Checkbox label="Profit guard" description="Drop routes that lose money." checked={form.profitGuard} onChange={(e) => set("profitGuard", e.target.checked)} />
          </div>
          <Field label="Min Margin" error={err("minMargin")} hint="Absolute, per minute.">
            <Input inputMode="decimal" className="font-mono" value={form.minMargin} onChange={(e) => set("minMargin", e.target.value)} disabled={!form.profitGuard} trailing={plan.currency} />
          </Field>
          <Field label="Min Margin %" error={err("minMarginPercent")} hint="Of the customer rate.">
            <Input inputMode="decimal" value={form.minMarginPercent} onChange={(e) => set("minMarginPercent", e.target.value)} disabled={!form.profitGuard} trailing="%" placeholder="none" />
          </Field>
          <Field label="Max Supplier Rate" error={err("maxSupplierRate")} hint="Blank = no cap.">
            <Input inputMode="decimal" className="font-mono" value={form.maxSupplierRate} onChange={(e) => set("maxSupplierRate", e.target.value)} trailing={plan.currency} placeholder="none" />
          </Field>
        </div>

        <SectionHeading>Effective dates</SectionHeading>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label="Effective From" error={err("effectiveFrom")} hint="Blank = always.">
            <Input type="datetime-local" value={form.effectiveFrom} onChange={(e) => set("effectiveFrom", e.target.value)} />
          </Field>
          <Field label="Effective To" error={err("effectiveTo")} hint="Exclusive; blank = open.">
            <Input type="datetime-local" value={form.effectiveTo} onChange={(e) => set("effectiveTo", e.target.value)} />
          </Field>
          <p className="col-span-2 self-center text-xs text-fg-muted">Schedule a change by adding a second entry for the same prefix that starts when this one ends. Entries of one prefix must not overlap.</p>
        </div>

        <SectionHeading
          actions={
            order === "weight" ? (
              <Badge tone={weightSum === 100 ? "success" : "warning"} mono>
                Σ {weightSum}%
              </Badge>
            ) : undefined
          }
        >
          Candidates ({form.candidates.length}, in list order)
        </SectionHeading>
        <div className="flex flex-col gap-1">
          {form.candidates.length === 0 ? (
            <p className="rounded-md border border-dashed border-line px-3 py-3 text-center text-sm text-fg-muted">No candidates: calls matching this entry are refused with 503 (no route). Add egress interconnects or trunk groups below.</p>
          ) : (
            <div role="list" aria-label="Candidates" className="flex flex-col rounded-md border border-line">
              <div className={clsx(cols, "border-b border-line bg-surface-2 px-2 py-1 text-2xs font-semibold tracking-wide text-fg-subtle uppercase")} aria-hidden>
                <span>#</span>
                <span>Egress target</span>
                {order && <span>{ORDER_LABEL[order]}</span>}
                <span>Max rate</span>
                <span>Min margin</span>
                <span>Blocked</span>
                <span />
              </div>
              {form.candidates.map((c, i) => {
                const ce = (x: string) => err(`candidates.${i}.${x}`);
                const rowErrors = errorsUnder(server, `candidates.${i}`);
                return (
                  <div key={c.target} role="listitem" aria-label={`Candidate ${i + 1}: ${c.name}`} className={clsx("border-b border-line px-2 py-1 last:border-b-0", c.blocked && "bg-surface-2/60")}>
                    <div className={cols}>
                      <span className="text-right text-xs text-fg-subtle tabular">{i + 1}</span>
                      <span className="flex min-w-0 items-center gap-1.5">
                        {c.target.startsWith("tg:") && <Layers className="size-3.5 shrink-0 text-fg-subtle" aria-label="Trunk group" />}
                        <span className={clsx("truncate text-sm font-medium", c.blocked ? "text-fg-muted line-through" : "text-fg")} title={c.name}>
                          {c.name}
                        </span>
                        <span className="truncate text-xs text-fg-muted">{c.detail}</span>
                        {c.status !== "active" && c.status !== "trunk_group" && <Badge tone={c.status === "deleted" ? "danger" : "warning"}>{c.status}</Badge>}
                      </span>
                      {order && (
                        <Input
                          size="sm"
                          inputMode="numeric"
                          aria-label={`${ORDER_LABEL[order]} of ${c.name}`}
                          invalid={!!ce(order === "weight" ? "weight" : "priority")}
                          value={order === "weight" ? c.weight : c.priority}
                          onChange={(e) => setCand(i, order === "weight" ? { weight: e.target.value } : { priority: e.target.value })}
                          className="tabular"
                        />
                      )}
                      <Input size="sm" inputMode="decimal" aria-label={`Max supplier rate of ${c.name}`} invalid={!!ce("maxSupplierRate")} value={c.maxSupplierRate} onChange={(e) => setCand(i, { maxSupplierRate: e.target.value })} placeholder="entry's" className="font-mono" />
                      <Input size="sm" inputMode="decimal" aria-label={`Min margin of ${c.name}`} invalid={!!ce("minMargin")} value={c.minMargin} onChange={(e) => setCand(i, { minMargin: e.target.value })} placeholder="entry's" className="font-mono" />
                      <span className="flex justify-center">
                        <Checkbox aria-label={`Block ${c.name}`} checked={c.blocked} onChange={(e) => setCand(i, { blocked: e.target.checked })} />
                      </span>
                      <span className="flex items-center">
                        <IconButton
                          size="xs"
                          tooltip={false}
                          label={`Effective dates of ${c.name}`}
                          aria-pressed={c.showDates}
                          className={clsx((c.showDates || c.effectiveFrom || c.effectiveTo) && "text-accent-text")}
                          icon={<CalendarClock className="size-3.5" />}
                          onClick={() => setCand(i, { showDates: !c.showDates })}
                        />
                        <RowOrderButtons index={i} count={form.candidates.length} label={c.name} onMove={(a, b) => set("candidates", moveItem(form.candidates, a, b))} onRemove={() => set("candidates", form.candidates.filter((_, j) => j !== i))} />
                      </span>
                    </div>
                    {c.showDates && (
                      <div className="mt-1 mb-0.5 ml-7 flex flex-wrap items-center gap-2 text-xs text-fg-muted">
                        <span>Effective</span>
                        <Input size="sm" type="datetime-local" aria-label={`Effective from of ${c.name}`} invalid={!!ce("effectiveFrom")} value={c.effectiveFrom} onChange={(e) => setCand(i, { effectiveFrom: e.target.value })} className="w-48" />
                        <span>to</span>
                        <Input size="sm" type="datetime-local" aria-label={`Effective to of ${c.name}`} invalid={!!ce("effectiveTo")} value={c.effectiveTo} onChange={(e) => setCand(i, { effectiveTo: e.target.value })} className="w-48" />
                        <span>blank = open</span>
                      </div>
                    )}
                    {touched && Object.entries(built.errors).some(([k]) => k.startsWith(`candidates.${i}.`)) && (
                      <p className="ml-7 text-xs text-red-600 dark:text-red-400">
                        {Object.entries(built.errors)
                          .filter(([k]) => k.startsWith(`candidates.${i}.`))
                          .map(([k, v]) => `${k.slice(`candidates.${i}.`.length)}: ${v}`)
                          .join("; ")}
                      </p>
                    )}
                    {rowErrors && <p className="ml-7 text-xs text-red-600 dark:text-red-400">{rowErrors.join("; ")}</p>}
                  </div>
                );
              })}
            </div>
          )}
          {candidatesError && <p className="text-xs text-red-600 dark:text-red-400">{Array.isArray(candidatesError) ? candidatesError.join("; ") : candidatesError}</p>}
          <SearchSelect
            value={null}
            aria-label="Add candidate"
            loading={interconnects.isLoading || groups.isLoading}
            placeholder={options.length ? "Add an egress interconnect or trunk group…" : "No more egress interconnects or trunk groups"}
            disabled={!options.length || form.candidates.length >= 50}
            options={options}
            onChange={addCandidate}
          />
        </div>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
