import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { Badge, Button, Card, CardHeader, ConfirmDialog, Dialog, Field, IconButton, Input, Page, PageHeader, Select, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { FormError } from "../carriers/carrier/ui";
import { CARRIER_TYPE_LABEL } from "../carriers/carrier/labels";
import { useCarrierOptions } from "../ledger/shared";
import { MiniTable } from "./InvoiceDetailPage";
import { BILLING_MODELS, CYCLES, billingKeys, label, type BillingSettings, type TaxRate } from "./types";

/** Billing / Billing Settings: the tax table, document numbering and each customer's billing model, cycle and terms. */
export default function BillingSettingsPage() {
  const canWrite = useCan()("billing:write");
  const qc = useQueryClient();
  const rates = useQuery({ queryKey: billingKeys.taxRates, queryFn: ({ signal }) => api.get<{ rows: TaxRate[] }>("/billing/tax-rates", undefined, signal) });
  const numbering = useQuery({ queryKey: [...billingKeys.all, "numbering"], queryFn: ({ signal }) => api.get<{ nextInvoice: number; nextCreditNote: number }>("/billing/numbering", undefined, signal) });
  const { carriers } = useCarrierOptions();
  const customers = carriers.filter((c) => c.type !== "supplier");
  const [editingRate, setEditingRate] = useState<TaxRate | "new" | null>(null);
  const [deleting, setDeleting] = useState<TaxRate | null>(null);
  const [editingCarrier, setEditingCarrier] = useState<string | null>(null);
  const del = useMutation({
    mutationFn: (id: string) => api.del(`/billing/tax-rates/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: billingKeys.taxRates }),
  });
  return (
    <Page header={<PageHeader title="Billing Settings" breadcrumb={["Billing", "Billing Settings"]} description="Tax table, document numbering and per-customer billing model, cycle and payment terms." />}>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Tax rates"
            description="A carrier's tax code (on the carrier) picks its rate; invoices copy code and rate."
            actions={
              canWrite && (
                <Button size="sm" icon={<Plus className="size-3.5" />} onClick={() => setEditingRate("new")}>
                  Add rate
                </Button>
              )
            }
          />
          <MiniTable
            label="Tax rates"
            empty="No tax rates: invoices carry no tax."
            head={[{ label: "Code" }, { label: "Name" }, { label: "Rate", right: true }, { label: "" }]}
            rows={(rates.data?.rows ?? []).map((r) => [
              <span className="font-mono">{r.code}</span>,
              r.name,
              `${r.rate} %`,
              canWrite && (
                <div className="flex justify-end gap-0.5">
                  <IconButton size="sm" label={`Edit ${r.code}`} icon={<Pencil className="size-3.5" />} onClick={() => setEditingRate(r)} />
                  <IconButton size="sm" label={`Delete ${r.code}`} icon={<Trash2 className="size-3.5" />} onClick={() => setDeleting(r)} />
                </div>
              ),
            ])}
          />
        </Card>
        <Card>
          <CardHeader title="Numbering" description="Gapless per tenant; a number is taken when a document is issued." />
          <MiniTable
            label="Numbering"
            empty="—"
            head={[{ label: "Document" }, { label: "Next number", right: true }]}
            rows={numbering.data ? [["Invoice", `INV-${numbering.data.nextInvoice}`], ["Credit note", `CN-${numbering.data.nextCreditNote}`]] : []}
          />
        </Card>
      </div>
      <Card className="mt-4">
        <CardHeader title="Customer billing" description="Billing model, cycle and terms per customer (no saved settings: wholesaler, monthly from the 1st, net 30). Click a customer to edit." />
        <MiniTable
          label="Customer billing"
          empty="No customer carriers."
          head={[{ label: "Carrier" }, { label: "Type" }, { label: "Currency" }, { label: "Invoicing" }, { label: "" }]}
          rows={customers.map((c) => [
            c.name,
            CARRIER_TYPE_LABEL[c.type],
            c.primaryCurrency,
            label(c.customerBilling),
            <Button size="sm" variant="ghost" icon={<Pencil className="size-3.5" />} onClick={() => setEditingCarrier(c.id)}>
              Billing settings
            </Button>,
          ])}
        />
      </Card>
      {canWrite && <TaxRateDialog rate={editingRate} onClose={() => setEditingRate(null)} />}
      <SettingsDialog carrierId={editingCarrier} canWrite={canWrite} onClose={() => setEditingCarrier(null)} />
      <ConfirmDialog open={!!deleting} onClose={() => setDeleting(null)} title={`Delete tax rate ${deleting?.code}?`} message="Issued invoices keep the rate they copied." confirmLabel="Delete" tone="danger" onConfirm={() => deleting && del.mutateAsync(deleting.id)} />
    </Page>
  );
}

function TaxRateDialog({ rate, onClose }: { rate: TaxRate | "new" | null; onClose: () => void }) {
  const qc = useQueryClient();
  const existing = rate && rate !== "new" ? rate : null;
  const [form, setForm] = useState({ code: "", name: "", rate: "" });
  useEffect(() => setForm(existing ? { code: existing.code, name: existing.name, rate: existing.rate } : { code: "", name: "", rate: "" }), [rate]);
  const save = useMutation({
    mutationFn: () => (existing ? api.patch<TaxRate>(`/billing/tax-rates/${existing.id}`, form) : api.post<TaxRate>("/billing/tax-rates", form)),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: billingKeys.taxRates });
      onClose();
    },
  });
  const server = fieldErrors(save.error);
  return (
    <Dialog
      open={rate !== null}
      onClose={onClose}
      title={existing ? `Tax rate ${existing.code}` : "Add tax rate"}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={save.isPending} onClick={() => save.mutate()}>
            Save
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        <Field label="Code" required error={server.code}>
          <Input value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} className="font-mono" aria-label="Code" />
        </Field>
        <Field label="Name" required error={server.name}>
          <Input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} aria-label="Name" />
        </Field>
        <Field label="Rate" required error={server.rate} hint="Percent, up to 4 decimals">
          <Input inputMode="decimal" value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} trailing="%" aria-label="Rate" />
        </Field>
      </div>
    </Dialog>
  );
}

type SettingsForm = Pick<BillingSettings, "billingModel" | "cycle" | "cycleStartDay" | "paymentTermsDays"> & { cycleDays: string; cycleAnchor: string };

function SettingsDialog({ carrierId, canWrite, onClose }: { carrierId: string | null; canWrite: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const s = useQuery({ queryKey: [...billingKeys.settings, carrierId], queryFn: ({ signal }) => api.get<BillingSettings>(`/billing/settings/${carrierId}`, undefined, signal), enabled: !!carrierId });
  const [form, setForm] = useState<SettingsForm | null>(null);
  useEffect(() => {
    if (s.data) setForm({ billingModel: s.data.billingModel, cycle: s.data.cycle, cycleStartDay: s.data.cycleStartDay, paymentTermsDays: s.data.paymentTermsDays, cycleDays: s.data.cycleDays?.toString() ?? "", cycleAnchor: s.data.cycleAnchor ?? "" });
  }, [s.data]);
  const save = useMutation({
    mutationFn: (f: SettingsForm) =>
      api.put<BillingSettings>(`/billing/settings/${carrierId}`, { ...f, cycleDays: f.cycle === "custom" && f.cycleDays ? Number(f.cycleDays) : null, cycleAnchor: f.cycle === "custom" && f.cycleAnchor ? f.cycleAnchor : null }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: billingKeys.settings });
      toast.success("Billing settings saved");
      onClose();
    },
  });
  const server = fieldErrors(save.error);
  const set = <K extends keyof SettingsForm>(k: K, v: SettingsForm[K]) => setForm((f) => f && { ...f, [k]: v });
  const d = s.data;
  return (
    <Dialog
      open={!!carrierId}
      onClose={onClose}
      size="md"
      title={d ? `Billing · ${d.carrierName}` : "Billing settings"}
      description={d && (
        <span>
          {d.currency} · {d.timeZone} · {label(d.customerBilling)} · tax {d.taxCode ? `${d.taxCode} ${d.taxRate ?? "?"} %` : "none"} {!d.saved && <Badge tone="neutral">defaults</Badge>}
        </span>
      )}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          {canWrite && (
            <Button variant="primary" disabled={!form} loading={save.isPending} onClick={() => form && save.mutate(form)}>
              Save
            </Button>
          )}
        </>
      }
    >
      {form && (
        <div className="grid grid-cols-2 gap-3">
          <div className="col-span-2">
            <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
          </div>
          <Field label="Billing model" error={server.billingModel}>
            <Select value={form.billingModel} onChange={(e) => set("billingModel", e.target.value as SettingsForm["billingModel"])} options={BILLING_MODELS.map((m) => ({ value: m, label: label(m) }))} aria-label="Billing model" />
          </Field>
          <Field label="Cycle" error={server.cycle}>
            <Select value={form.cycle} onChange={(e) => set("cycle", e.target.value as SettingsForm["cycle"])} options={CYCLES.map((c) => ({ value: c, label: label(c) }))} aria-label="Cycle" />
          </Field>
          <Field label={form.cycle === "weekly" ? "Start weekday (1 = Mon)" : "Start day"} error={server.cycleStartDay}>
            <Input type="number" min={1} max={28} value={form.cycleStartDay} onChange={(e) => set("cycleStartDay", Number(e.target.value))} aria-label="Start day" />
          </Field>
          <Field label="Payment terms (days)" error={server.paymentTermsDays}>
            <Input type="number" min={0} max={365} value={form.paymentTermsDays} onChange={(e) => set("paymentTermsDays", Number(e.target.value))} aria-label="Payment terms" />
          </Field>
          {form.cycle === "custom" && (
            <>
              <Field label="Days per period" error={server.cycleDays}>
                <Input type="number" min={1} max={366} value={form.cycleDays} onChange={(e) => set("cycleDays", e.target.value)} aria-label="Days per period" />
              </Field>
              <Field label="Anchor date" error={server.cycleAnchor}>
                <Input type="date" value={form.cycleAnchor} onChange={(e) => set("cycleAnchor", e.target.value)} aria-label="Anchor date" />
              </Field>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
