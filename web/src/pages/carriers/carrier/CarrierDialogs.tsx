import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Check } from "lucide-react";
import { Badge, Button, Dialog, Field, Input, Select, toast } from "../../../components";
import { ApiError, api, fieldErrors } from "../../../lib/api";
import { useCan, useMe } from "../../../lib/auth";
import type { Carrier, CarrierType } from "../types";
import {
  CREDIT_FIELDS,
  carrierPatchBody,
  changedFields,
  creditBody,
  creditFromCarrier,
  defaultCredit,
  defaultDetails,
  detailsBody,
  detailsFromCarrier,
  validateCredit,
  validateDetails,
  type CreditForm,
  type DetailsForm,
} from "./carrierForm";
import { BREACH_LABEL, CARRIER_STATUS_LABEL, CARRIER_TYPE_HINT, CARRIER_TYPE_LABEL, CREDIT_TYPE_LABEL, SPEND_MODE_LABEL, currencyOptions, timeZoneOptions } from "./labels";
import { keys, useStaffUsers } from "./queries";
import { FormError, SectionHeading } from "./ui";

type Errors = (k: string) => string | string[] | undefined;

const opts = <T extends string>(m: Record<T, string>) => (Object.keys(m) as T[]).map((value) => ({ value, label: m[value] }));

// ── Field groups ──

function DetailsFields({ form, set, err, lockType }: { form: DetailsForm; set: <K extends keyof DetailsForm>(k: K, v: DetailsForm[K]) => void; err: Errors; lockType?: boolean }) {
  const can = useCan();
  const staff = useStaffUsers(can("users:read"));
  const currencies = useMemo(() => currencyOptions([form.primaryCurrency, form.currency2, form.currency3]), [form.primaryCurrency, form.currency2, form.currency3]);
  const zones = useMemo(() => timeZoneOptions(form.timeZone), [form.timeZone]);
  const managerOptions = [
    ...(staff.data ?? []).map((u) => ({ value: u.id, label: u.name })),
    ...(form.accountManagerUserId && !staff.data?.some((u) => u.id === form.accountManagerUserId) ? [{ value: form.accountManagerUserId, label: staff.isLoading ? "Loading…" : "Current manager" }] : []),
  ];
  return (
    <div className="grid grid-cols-1 gap-3.5 sm:grid-cols-2">
      <Field label="Carrier Name" required error={err("name")} className="sm:col-span-2">
        <Input value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={120} autoComplete="off" data-autofocus />
      </Field>
      <Field label="Type" required error={err("type")} hint={CARRIER_TYPE_HINT[form.type]}>
        <Select value={form.type} onChange={(e) => set("type", e.target.value as CarrierType)} options={opts(CARRIER_TYPE_LABEL)} disabled={lockType} />
      </Field>
      <Field label="Status" error={err("status")}>
        <Select value={form.status} onChange={(e) => set("status", e.target.value as Carrier["status"])} options={opts(CARRIER_STATUS_LABEL)} />
      </Field>
      <Field label="Time Zone" error={err("timeZone")}>
        <Select value={form.timeZone} onChange={(e) => set("timeZone", e.target.value)} options={zones.map((z) => ({ value: z, label: z }))} />
      </Field>
      <Field label="Account Manager" error={err("accountManagerUserId")} hint={!can("users:read") ? "Your role cannot list users." : undefined}>
        <Select value={form.accountManagerUserId} onChange={(e) => set("accountManagerUserId", e.target.value)} placeholder="None" options={managerOptions} disabled={!can("users:read")} />
      </Field>
      <Field label="Customer Billing" error={err("customerBilling")} hint="Automatic: invoices are raised by the billing run.">
        <Select value={form.customerBilling} onChange={(e) => set("customerBilling", e.target.value as DetailsForm["customerBilling"])} options={[{ value: "automatic", label: "Automatic" }, { value: "manual", label: "Manual" }]} />
      </Field>
      <div className="hidden sm:block" />

      <SectionHeading className="mt-1 sm:col-span-2">Currency</SectionHeading>
      <div className="grid grid-cols-3 gap-3 sm:col-span-2">
        <Field label="Primary Currency" required error={err("primaryCurrency")}>
          <Select value={form.primaryCurrency} onChange={(e) => set("primaryCurrency", e.target.value)} options={currencies.map((c) => ({ value: c, label: c }))} />
        </Field>
        <Field label="Currency 2" error={err("currency2")}>
          <Select value={form.currency2} onChange={(e) => set("currency2", e.target.value)} placeholder="None" options={currencies.map((c) => ({ value: c, label: c }))} />
        </Field>
        <Field label="Currency 3" error={err("currency3")}>
          <Select value={form.currency3} onChange={(e) => set("currency3", e.target.value)} placeholder="None" options={currencies.map((c) => ({ value: c, label: c }))} disabled={!form.currency2} />
        </Field>
      </div>

      <SectionHeading className="mt-1 sm:col-span-2">Routing</SectionHeading>
      <Field label="Capacity" error={err("routingCapacity")} hint="Concurrent channels across all interconnects.">
        <div className="flex items-center gap-2">
          <Select
            aria-label="Capacity mode"
            value={form.capacityMode}
            onChange={(e) => set("capacityMode", e.target.value as DetailsForm["capacityMode"])}
            options={[
              { value: "unrestricted", label: "Unrestricted" },
              { value: "limited", label: "Limited to" },
            ]}
            wrapperClassName="w-36 shrink-0"
          />
          {form.capacityMode === "limited" && (
            <Input aria-label="Capacity channels" inputMode="numeric" value={form.routingCapacity} onChange={(e) => set("routingCapacity", e.target.value)} placeholder="e.g. 500" trailing="ch" invalid={!!err("routingCapacity")} />
          )}
        </div>
      </Field>
      <Field label="Circular Routing" error={err("circularRouting")} hint="Allow calls to route back to the carrier they came from.">
        <Select
          value={form.circularRouting ? "enabled" : "disabled"}
          onChange={(e) => set("circularRouting", e.target.value === "enabled")}
          options={[
            { value: "disabled", label: "Disabled" },
            { value: "enabled", label: "Enabled" },
          ]}
        />
      </Field>
    </div>
  );
}

function MoneyInput({ value, onChange, currency, placeholder, invalid }: { value: string; onChange: (v: string) => void; currency: string; placeholder?: string; invalid?: boolean }) {
  return <Input inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} trailing={currency} className="font-mono" autoComplete="off" invalid={invalid} />;
}

export function CreditFields({ type, currency, form, set, err }: { type: CarrierType; currency: string; form: CreditForm; set: <K extends keyof CreditForm>(k: K, v: CreditForm[K]) => void; err: Errors }) {
  return (
    <div className="flex flex-col gap-5">
      {type !== "supplier" && (
        <section className="grid grid-cols-1 gap-3.5 sm:grid-cols-2" aria-label="Customer Credit Settings">
          <SectionHeading className="sm:col-span-2">Customer Credit Settings</SectionHeading>
          <Field label="Credit Type" error={err("customerCreditType")} hint="Enforced: calls stop at the limit.">
            <Select value={form.customerCreditType} onChange={(e) => set("customerCreditType", e.target.value as CreditForm["customerCreditType"])} options={opts(CREDIT_TYPE_LABEL)} />
          </Field>
          <Field label="Credit Limit" error={err("customerCreditLimit")} hint={form.customerCreditType === "prepaid" ? "Overdraft allowed below zero; 0 for none." : "How far below zero the balance may go."}>
            <MoneyInput value={form.customerCreditLimit} onChange={(v) => set("customerCreditLimit", v)} currency={currency} invalid={!!err("customerCreditLimit")} />
          </Field>
          {type === "bilateral" && (
            <>
              <Field label="Bilateral Limit" error={err("bilateralLimit")} hint="Limit on net exposure; empty for none.">
                <MoneyInput value={form.bilateralLimit} onChange={(v) => set("bilateralLimit", v)} currency={currency} placeholder="No limit" invalid={!!err("bilateralLimit")} />
              </Field>
              <Field label="Bilateral Limit Breach" error={err("bilateralLimitBreach")}>
                <Select value={form.bilateralLimitBreach} onChange={(e) => set("bilateralLimitBreach", e.target.value as CreditForm["bilateralLimitBreach"])} options={opts(BREACH_LABEL)} />
              </Field>
            </>
          )}
          <Field label="24 Hr Spend Limit" error={err("customerSpendLimit24h")} hint="Empty for no limit.">
            <MoneyInput value={form.customerSpendLimit24h} onChange={(v) => set("customerSpendLimit24h", v)} currency={currency} placeholder="No limit" invalid={!!err("customerSpendLimit24h")} />
          </Field>
          <Field label="24 Hr Spend Limit Breach" error={err("customerSpendBreach")}>
            <Select value={form.customerSpendBreach} onChange={(e) => set("customerSpendBreach", e.target.value as CreditForm["customerSpendBreach"])} options={[{ value: "alert", label: "Alert" }, { value: "block", label: "Block" }]} />
          </Field>
          <Field label="24 Hr Spend Mode" error={err("customerSpendMode")}>
            <Select value={form.customerSpendMode} onChange={(e) => set("customerSpendMode", e.target.value as CreditForm["customerSpendMode"])} options={opts(SPEND_MODE_LABEL)} />
          </Field>
        </section>
      )}
      {type !== "customer" && (
        <section className="grid grid-cols-1 gap-3.5 sm:grid-cols-2" aria-label="Supplier Credit Settings">
          <SectionHeading className="sm:col-span-2">Supplier Credit Settings</SectionHeading>
          <Field label="Supplier Credit Type" error={err("supplierCreditType")} hint="Informational: the supplier enforces its own limit.">
            <Select value={form.supplierCreditType} onChange={(e) => set("supplierCreditType", e.target.value as CreditForm["supplierCreditType"])} options={opts(CREDIT_TYPE_LABEL)} />
          </Field>
          <div className="hidden sm:block" />
          <Field label="Supplier 24 Hr Spend Limit" error={err("supplierSpendLimit24h")} hint="Empty for no limit.">
            <MoneyInput value={form.supplierSpendLimit24h} onChange={(v) => set("supplierSpendLimit24h", v)} currency={currency} placeholder="No limit" invalid={!!err("supplierSpendLimit24h")} />
          </Field>
          <Field label="Supplier 24 Hr Spend Limit Breach" error={err("supplierSpendBreach")}>
            <Select value={form.supplierSpendBreach} onChange={(e) => set("supplierSpendBreach", e.target.value as CreditForm["supplierSpendBreach"])} options={[{ value: "alert", label: "Alert" }, { value: "block", label: "Block" }]} />
          </Field>
        </section>
      )}
    </div>
  );
}

// ── Add carrier (two steps) / Edit details ──

interface CarrierDialogProps {
  open: boolean;
  onClose: () => void;
  /** null: add a new carrier (then navigates to it). */
  carrier: Carrier | null;
}

export function CarrierDialog({ open, onClose, carrier }: CarrierDialogProps) {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const editing = carrier !== null;
  const [step, setStep] = useState<1 | 2>(1);
  const [details, setDetails] = useState<DetailsForm>(() => (carrier ? detailsFromCarrier(carrier) : defaultDetails(me.tenant.timeZone)));
  const [credit, setCredit] = useState<CreditForm>(() => (carrier ? creditFromCarrier(carrier) : defaultCredit()));
  const [local, setLocal] = useState<Partial<Record<string, string>>>({});

  const save = useMutation({
    mutationFn: async () => {
      if (!carrier) return api.post<Carrier>("/carriers", { ...detailsBody(details), ...creditBody(credit, details.type) });
      const patch = carrierPatchBody(carrier, changedFields(carrier, detailsBody(details)));
      return patch ? api.patch<Carrier>(`/carriers/${carrier.id}`, patch) : carrier;
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: keys.carriers });
      qc.setQueryData(keys.carrier(saved.id), saved);
      void qc.invalidateQueries({ queryKey: ["carrier", saved.id] });
      toast.success(editing ? `Saved ${saved.name}` : `Added ${saved.name}`);
      onClose();
      if (!editing) navigate(`/carriers/${saved.id}`);
    },
    onError: (e) => {
      const f = Object.keys(fieldErrors(e));
      if (!editing && f.length && f.every((k) => (CREDIT_FIELDS as readonly string[]).includes(k))) setStep(2);
      else if (!editing && f.length) setStep(1);
    },
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setDetails(carrier ? detailsFromCarrier(carrier) : defaultDetails(me.tenant.timeZone));
      setCredit(carrier ? creditFromCarrier(carrier) : defaultCredit());
      setLocal({});
      setStep(1);
      reset();
    }
    // Only a newly opened dialog (or another carrier) restarts the form.
  }, [open, carrier?.id, reset]);

  const server = fieldErrors(save.error);
  const err: Errors = (k) => local[k] ?? server[k];
  const setD = <K extends keyof DetailsForm>(k: K, v: DetailsForm[K]) => {
    setDetails((f) => ({ ...f, [k]: v }));
    setLocal((l) => ({ ...l, [k === "capacityMode" ? "routingCapacity" : k]: undefined }));
  };
  const setC = <K extends keyof CreditForm>(k: K, v: CreditForm[K]) => {
    setCredit((f) => ({ ...f, [k]: v }));
    setLocal((l) => ({ ...l, [k]: undefined }));
  };

  const check = (): boolean => {
    const d = validateDetails(details);
    const c = editing ? {} : validateCredit(credit, details.type);
    setLocal({ ...d, ...c });
    if (Object.keys(d).length) {
      setStep(1);
      return false;
    }
    if (Object.keys(c).length) {
      setStep(2);
      return false;
    }
    return true;
  };
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (check()) save.mutate();
  };
  const next = () => {
    const d = validateDetails(details);
    setLocal(d);
    if (Object.keys(d).length === 0) setStep(2);
  };

  const knownKeys = new Set<string>([...Object.keys(details), ...Object.keys(credit), "routingCapacity"]);
  // A conflict (e.g. "cannot keep egress interconnects") explains more than its field note.
  const general = save.error && (!Object.keys(server).some((k) => knownKeys.has(k)) || (save.error instanceof ApiError && save.error.status === 409)) ? save.error : null;

  const steps = (
    <ol className="mb-4 flex items-center gap-2 text-xs" aria-label="Steps">
      {[
        { n: 1, label: "Carrier details" },
        { n: 2, label: "Credit settings (optional)" },
      ].map((s, i) => (
        <li key={s.n} className="flex items-center gap-2">
          {i > 0 && <span className="h-px w-6 bg-line" aria-hidden />}
          <button
            type="button"
            onClick={() => (s.n === 1 ? setStep(1) : next())}
            aria-current={step === s.n ? "step" : undefined}
            className={clsx("flex items-center gap-1.5 rounded px-1 py-0.5 font-medium", step === s.n ? "text-fg" : "text-fg-muted hover:text-fg")}
          >
            <span className={clsx("flex size-5 items-center justify-center rounded-full text-2xs", step === s.n ? "bg-accent text-accent-fg" : step > s.n ? "bg-accent-soft text-accent-text" : "bg-surface-3 text-fg-muted")}>
              {step > s.n ? <Check className="size-3" aria-hidden /> : s.n}
            </span>
            {s.label}
          </button>
        </li>
      ))}
    </ol>
  );

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="lg"
      title={editing ? `Edit ${carrier.name}` : "Add Carrier"}
      description={editing ? "Carrier details. Credit settings have their own editor." : "A customer, supplier or bilateral carrier. Interconnects and contacts are added on its page."}
      footerStart={!editing && step === 2 ? <span>Leave the defaults to set credit later.</span> : undefined}
      footer={
        <>
          <Button onClick={step === 2 ? () => setStep(1) : onClose} disabled={save.isPending}>
            {step === 2 ? "Back" : "Cancel"}
          </Button>
          {!editing && step === 1 && <Button onClick={next}>Next: credit settings</Button>}
          <Button variant="primary" type="submit" form="carrier-form" loading={save.isPending}>
            {editing ? "Save changes" : "Create carrier"}
          </Button>
        </>
      }
    >
      {!editing && steps}
      <form id="carrier-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {step === 1 ? (
          <DetailsFields form={details} set={setD} err={err} />
        ) : (
          <>
            <p className="text-sm text-fg-muted">
              Limits are in the primary currency, <Badge mono>{details.primaryCurrency}</Badge>. {CARRIER_TYPE_LABEL[details.type]} carrier:{" "}
              {details.type === "customer" ? "customer settings only." : details.type === "supplier" ? "supplier settings only." : "customer, bilateral and supplier settings."}
            </p>
            <CreditFields type={details.type} currency={details.primaryCurrency} form={credit} set={setC} err={err} />
          </>
        )}
        {general && <FormError error={general} />}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

// ── Edit credit settings ──

export function CreditSettingsDialog({ open, onClose, carrier }: { open: boolean; onClose: () => void; carrier: Carrier }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<CreditForm>(() => creditFromCarrier(carrier));
  const [local, setLocal] = useState<Partial<Record<string, string>>>({});

  const save = useMutation({
    mutationFn: async () => {
      const patch = carrierPatchBody(carrier, changedFields(carrier, creditBody(form, carrier.type)));
      return patch ? api.patch<Carrier>(`/carriers/${carrier.id}`, patch) : carrier;
    },
    onSuccess: (saved) => {
      qc.setQueryData(keys.carrier(saved.id), saved);
      void qc.invalidateQueries({ queryKey: ["carrier", saved.id] });
      void qc.invalidateQueries({ queryKey: keys.carriers });
      toast.success(`Saved credit settings of ${saved.name}`);
      onClose();
    },
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(creditFromCarrier(carrier));
      setLocal({});
      reset();
    }
  }, [open, carrier.id, reset]);

  const server = fieldErrors(save.error);
  const err: Errors = (k) => local[k] ?? server[k];
  const set = <K extends keyof CreditForm>(k: K, v: CreditForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setLocal((l) => ({ ...l, [k]: undefined }));
  };
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const errs = validateCredit(form, carrier.type);
    setLocal(errs);
    if (Object.keys(errs).length === 0) save.mutate();
  };
  const general = save.error && !Object.keys(server).some((k) => k in form) ? save.error : null;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="lg"
      title="Edit credit settings"
      description={`${carrier.name} · ${CARRIER_TYPE_LABEL[carrier.type]} · limits in ${carrier.primaryCurrency}`}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="credit-form" loading={save.isPending}>
            Save changes
          </Button>
        </>
      }
    >
      <form id="credit-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <CreditFields type={carrier.type} currency={carrier.primaryCurrency} form={form} set={set} err={err} />
        {general && <FormError error={general} />}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
