import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, Field, Input, Select, Textarea, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { carrierCurrencies } from "../carriers/carrier/labels";
import { DIRECTION_LABEL, KIND_LABEL, METHOD_LABEL, ledgerKeys, paymentFlow, type Payment, type PaymentBody, type PaymentDirection, type PaymentKind, type PaymentMethod } from "./types";
import { formatAmount, useCarrierOptions } from "./shared";

interface Form {
  carrierId: string | null;
  direction: PaymentDirection;
  kind: PaymentKind;
  method: PaymentMethod;
  reference: string;
  paidOn: string;
  amount: string;
  currency: string;
  note: string;
}

const today = () => new Date().toISOString().slice(0, 10);
const blank = (carrierId: string | null): Form => ({ carrierId, direction: "customer", kind: "payment", method: "bank_transfer", reference: "", paidOn: today(), amount: "", currency: "", note: "" });

/** What the posting does, in ledger terms (the posting rules of ARCHITECTURE.md). */
const POSTING: Record<PaymentDirection, Record<PaymentKind, string>> = {
  customer: { payment: "debit Cash / bank, credit the customer account", refund: "debit the customer account, credit Cash / bank" },
  supplier: { payment: "debit the supplier account, credit Cash / bank", refund: "debit Cash / bank, credit the supplier account" },
};

/**
 * Record payment: a payment or refund between us and a carrier. It posts one ledger
 * transfer; a stable idempotency key per opened dialog makes a double submit record it once.
 */
export function PaymentDialog({ open, onClose, carrierId = null }: { open: boolean; onClose: () => void; carrierId?: string | null }) {
  const qc = useQueryClient();
  const { carriers, options, loading } = useCarrierOptions();
  const [form, setForm] = useState<Form>(blank(carrierId));
  const [key, setKey] = useState("");
  const [touched, setTouched] = useState(false);
  const carrier = carriers.find((c) => c.id === form.carrierId);
  const currencies = carrier ? carrierCurrencies(carrier) : [];
  const directions = (["customer", "supplier"] as const).filter((d) => !carrier || carrier.type === "bilateral" || carrier.type === d);

  const save = useMutation({
    mutationFn: (body: PaymentBody) => api.post<Payment>("/payments", body),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: ledgerKeys.all });
      void qc.invalidateQueries({ queryKey: ["carrier", p.carrierId] });
      void qc.invalidateQueries({ queryKey: ["carriers"] });
      toast.success(`${paymentFlow(p).label}: ${formatAmount(p.amount)} ${p.currency} recorded`);
      onClose();
    },
  });
  useEffect(() => {
    if (!open) return;
    setForm(blank(carrierId));
    setKey(crypto.randomUUID());
    setTouched(false);
    save.reset();
    // reset only when the dialog opens
  }, [open]);
  // A carrier decides the direction (customer/supplier) and currencies on offer.
  useEffect(() => {
    if (!carrier) return;
    setForm((f) => ({
      ...f,
      direction: carrier.type === "bilateral" ? f.direction : carrier.type,
      currency: carrierCurrencies(carrier).includes(f.currency) ? f.currency : carrier.primaryCurrency,
    }));
  }, [carrier?.id]);

  const local = useMemo(() => {
    const e: Record<string, string> = {};
    if (!form.carrierId) e.carrierId = "Pick a carrier";
    if (!MONEY_INPUT_RE.test(form.amount.trim()) || !/[1-9]/.test(form.amount)) e.amount = "A positive amount with at most 6 decimals";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.paidOn)) e.paidOn = "Required";
    else if (form.paidOn > today()) e.paidOn = "Must not be in the future";
    if (!form.currency) e.currency = "Required";
    return e;
  }, [form]);
  const server = fieldErrors(save.error);
  const err = (k: string) => (touched ? local[k] : undefined) ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(local).length) return;
    save.mutate({
      carrierId: form.carrierId!,
      direction: form.direction,
      kind: form.kind,
      method: form.method,
      reference: form.reference.trim() || null,
      paidOn: form.paidOn,
      amount: form.amount.trim(),
      currency: form.currency,
      note: form.note.trim() || null,
      idempotencyKey: key,
    });
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="md"
      title="Record payment"
      description="A payment or refund between you and a carrier. It posts to the ledger at once; a mistake is corrected by reversing it."
      footerStart={<span className="hidden text-xs text-fg-subtle sm:inline">Posts: {POSTING[form.direction][form.kind]}</span>}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="payment-form" loading={save.isPending}>
            Record {form.kind}
          </Button>
        </>
      }
    >
      <form id="payment-form" onSubmit={submit} noValidate className="flex flex-col gap-3">
        <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        <Field label="Carrier" required error={err("carrierId")}>
          <SearchSelect value={form.carrierId} onChange={(v) => set("carrierId", v)} options={options} loading={loading} placeholder="Choose a carrier…" aria-label="Carrier" />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Direction" required error={err("direction")} hint={carrier && carrier.type !== "bilateral" ? `A ${carrier.type} carrier` : undefined}>
            <Select value={form.direction} onChange={(e) => set("direction", e.target.value as PaymentDirection)} options={directions.map((d) => ({ value: d, label: DIRECTION_LABEL[d] }))} />
          </Field>
          <Field label="Type" required error={err("kind")}>
            <Select value={form.kind} onChange={(e) => set("kind", e.target.value as PaymentKind)} options={(Object.keys(KIND_LABEL) as PaymentKind[]).map((k) => ({ value: k, label: KIND_LABEL[k] }))} />
          </Field>
          <Field label="Amount" required error={err("amount")}>
            <Input inputMode="decimal" className="font-mono" value={form.amount} onChange={(e) => set("amount", e.target.value)} placeholder="0.00" trailing={form.currency} />
          </Field>
          <Field label="Currency" required error={err("currency")} hint={carrier ? undefined : "Pick a carrier first"}>
            <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} disabled={!carrier} placeholder={carrier ? undefined : "—"} options={currencies.map((c) => ({ value: c, label: c }))} />
          </Field>
          <Field label="Paid On" required error={err("paidOn")}>
            <Input type="date" value={form.paidOn} max={today()} onChange={(e) => set("paidOn", e.target.value)} />
          </Field>
          <Field label="Method" required error={err("method")}>
            <Select value={form.method} onChange={(e) => set("method", e.target.value as PaymentMethod)} options={(Object.keys(METHOD_LABEL) as PaymentMethod[]).map((m) => ({ value: m, label: METHOD_LABEL[m] }))} />
          </Field>
        </div>
        <Field label="Reference" error={err("reference")} hint="Bank reference, cheque number, …">
          <Input value={form.reference} onChange={(e) => set("reference", e.target.value)} maxLength={120} autoComplete="off" />
        </Field>
        <Field label="Note" error={err("note")}>
          <Textarea value={form.note} onChange={(e) => set("note", e.target.value)} rows={2} maxLength={1000} />
        </Field>
      </form>
    </Dialog>
  );
}
