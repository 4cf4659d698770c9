import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { FileSearch, Pencil, Plus, Receipt } from "lucide-react";
import { ActionDock, Badge, Button, DataTable, Dialog, EmptyState, Field, IconButton, Input, Page, PageHeader, Select, Textarea, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { carrierCurrencies } from "../carriers/carrier/labels";
import { Amount, useCarrierOptions } from "../ledger/shared";
import { INVOICE_STATUS, reconKeys, type InvoiceStatus, type Run, type SupplierInvoice } from "./types";

const FILTERS = ["carrierId", "status"] as const;

/** Billing / Supplier Invoices: what suppliers billed us, each reconciled against our CDRs of the period. */
export default function SupplierInvoicesPage() {
  const can = useCan();
  const canWrite = can("reconciliation:write");
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<SupplierInvoice | "new" | null>(null);
  const t = useTableState({ defaultPageSize: 25, defaultSort: "periodFrom:desc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...reconKeys.invoices, t.query],
    queryFn: ({ signal }) => api.get<ListPage<SupplierInvoice>>("/supplier-invoices", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const carriers = useCarrierOptions();
  const reconcile = useMutation({
    mutationFn: (invoiceId: string) => api.post<Run>("/reconciliation/runs", { invoiceId }),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: reconKeys.all });
      navigate(`/billing/reconciliation/${run.id}`);
    },
    onError: (e) => toast.error((e as Error).message),
  });

  const columns = useMemo<ColumnDef<SupplierInvoice>[]>(
    () => [
      { id: "invoiceNumber", header: "Invoice", enableHiding: false, cell: ({ row }) => <span className="font-mono text-xs font-medium">{row.original.invoiceNumber}</span> },
      {
        id: "carrier",
        header: "Supplier",
        meta: { className: "max-w-56" },
        cell: ({ row }) => (
          <Link to={`/carriers/${row.original.carrierId}`} onClick={(e) => e.stopPropagation()} className="block truncate hover:text-accent-text hover:underline">
            {row.original.carrierName ?? "(deleted carrier)"}
          </Link>
        ),
      },
      { id: "periodFrom", header: "Period", enableSorting: true, cell: ({ row }) => <span className="tabular whitespace-nowrap">{row.original.periodFrom} – {row.original.periodTo}</span> },
      { id: "billedAmount", header: "Billed", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.billedAmount} currency={row.original.currency} tone={false} /> },
      { id: "billedCalls", header: "Calls", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{row.original.billedCalls?.toLocaleString() ?? "—"}</span> },
      { id: "lines", header: "Destinations", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{row.original.lines.length || "—"}</span> },
      { id: "status", header: "Status", cell: ({ row }) => <Badge tone={INVOICE_STATUS[row.original.status].tone} dot>{INVOICE_STATUS[row.original.status].label}</Badge> },
      { id: "note", header: "Note", meta: { className: "max-w-44 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.note ?? ""}>{row.original.note ?? "—"}</span> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-20 text-right", headerClassName: "w-20" },
        cell: ({ row }) =>
          canWrite && (
            <div className="flex justify-end gap-0.5">
              <IconButton size="sm" label={`Reconcile ${row.original.invoiceNumber}`} icon={<FileSearch className="size-3.5" />} onClick={() => reconcile.mutate(row.original.id)} />
              <IconButton size="sm" label={`Edit ${row.original.invoiceNumber}`} icon={<Pencil className="size-3.5" />} onClick={() => setEditing(row.original)} />
            </div>
          ),
      },
    ],
    [canWrite],
  );

  return (
    <Page
      fill
      header={<PageHeader title="Supplier Invoices" breadcrumb={["Billing", "Supplier Invoices"]} description="What suppliers billed us per period, with their per-destination totals. Reconcile one against our CDRs to find what to dispute." />}
      dock={
        canWrite ? (
          <ActionDock>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setEditing("new")}>
              Record invoice
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Supplier invoices"
        tableId="supplier-invoices"
        columns={columns}
        getRowId={(r) => r.id}
        onRowClick={canWrite ? (r) => setEditing(r) : undefined}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Invoice number or supplier…" }}
        filters={
          <>
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All suppliers" clearLabel="All suppliers" aria-label="Supplier" />
            </div>
            <Select size="sm" aria-label="Status" value={t.filters.status} onChange={(e) => t.setFilter("status", e.target.value)} placeholder="All statuses" options={(Object.keys(INVOICE_STATUS) as InvoiceStatus[]).map((s) => ({ value: s, label: INVOICE_STATUS[s].label }))} wrapperClassName="w-36" />
          </>
        }
        emptyState={<EmptyState icon={<Receipt />} title={t.hasFilters ? "No invoices match" : "No supplier invoices yet"} description="Record what a supplier billed you for a period, then reconcile it against your CDRs." />}
      />
      {canWrite && <InvoiceDialog invoice={editing} onClose={() => setEditing(null)} />}
    </Page>
  );
}

interface Form {
  carrierId: string | null;
  invoiceNumber: string;
  periodFrom: string;
  periodTo: string;
  currency: string;
  billedAmount: string;
  billedCalls: string;
  status: InvoiceStatus;
  note: string;
  /** Per-destination totals, one "destination,calls,amount" per line. */
  lines: string;
}

const toForm = (i: SupplierInvoice | null): Form =>
  i
    ? {
        carrierId: i.carrierId,
        invoiceNumber: i.invoiceNumber,
        periodFrom: i.periodFrom,
        periodTo: i.periodTo,
        currency: i.currency,
        billedAmount: i.billedAmount.replace(/\.?0+$/, ""),
        billedCalls: i.billedCalls?.toString() ?? "",
        status: i.status,
        note: i.note ?? "",
        lines: i.lines.map((l) => `${l.destination},${l.calls ?? ""},${l.amount.replace(/\.?0+$/, "")}`).join("\n"),
      }
    : { carrierId: null, invoiceNumber: "", periodFrom: "", periodTo: "", currency: "", billedAmount: "", billedCalls: "", status: "received", note: "", lines: "" };

function parseLines(text: string): { lines: { destination: string; calls: number | null; amount: string }[]; error?: string } {
  const lines = [];
  for (const [i, raw] of text.split("\n").entries()) {
    if (!raw.trim()) continue;
    const parts = raw.split(",").map((p) => p.trim());
    const [destination, calls, amount] = parts.length === 2 ? [parts[0]!, "", parts[1]!] : (parts as [string, string, string]);
    if (!destination || !amount || !MONEY_INPUT_RE.test(amount) || (calls && !/^\d+$/.test(calls))) return { lines: [], error: `Line ${i + 1}: destination,calls,amount` };
    lines.push({ destination, calls: calls ? Number(calls) : null, amount });
  }
  return { lines };
}

/** Record or edit a supplier invoice, with optional per-destination totals (a totals-only import). */
function InvoiceDialog({ invoice, onClose }: { invoice: SupplierInvoice | "new" | null; onClose: () => void }) {
  const qc = useQueryClient();
  const existing = invoice && invoice !== "new" ? invoice : null;
  const [form, setForm] = useState<Form>(toForm(null));
  const [touched, setTouched] = useState(false);
  const { carriers, options, loading } = useCarrierOptions();
  const suppliers = useMemo(() => options.filter((o) => carriers.find((c) => c.id === o.value)?.type !== "customer"), [options, carriers]);
  const carrier = carriers.find((c) => c.id === form.carrierId);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => (existing ? api.patch<SupplierInvoice>(`/supplier-invoices/${existing.id}`, body) : api.post<SupplierInvoice>("/supplier-invoices", body)),
    onSuccess: (i) => {
      void qc.invalidateQueries({ queryKey: reconKeys.all });
      toast.success(`Invoice ${i.invoiceNumber} saved`);
      onClose();
    },
  });
  useEffect(() => {
    if (!invoice) return;
    setForm(toForm(existing));
    setTouched(false);
    save.reset();
  }, [invoice]);
  useEffect(() => {
    if (carrier && !existing && !carrierCurrencies(carrier).includes(form.currency)) setForm((f) => ({ ...f, currency: carrier.primaryCurrency }));
  }, [carrier?.id]);

  const parsed = parseLines(form.lines);
  const local: Record<string, string> = {};
  if (!form.carrierId) local.carrierId = "Pick a supplier";
  if (!form.invoiceNumber.trim()) local.invoiceNumber = "Required";
  if (!form.periodFrom) local.periodFrom = "Required";
  if (!form.periodTo) local.periodTo = "Required";
  else if (form.periodFrom && form.periodTo < form.periodFrom) local.periodTo = "Before the start";
  if (!MONEY_INPUT_RE.test(form.billedAmount.trim())) local.billedAmount = "An amount with at most 6 decimals";
  if (form.billedCalls && !/^\d+$/.test(form.billedCalls)) local.billedCalls = "A whole number";
  if (parsed.error) local.lines = parsed.error;
  const server = fieldErrors(save.error);
  const err = (k: string) => (touched ? local[k] : undefined) ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(local).length) return;
    const common = {
      invoiceNumber: form.invoiceNumber.trim(),
      periodFrom: form.periodFrom,
      periodTo: form.periodTo,
      billedAmount: form.billedAmount.trim(),
      billedCalls: form.billedCalls ? Number(form.billedCalls) : null,
      note: form.note.trim() || null,
      lines: parsed.lines,
    };
    save.mutate(existing ? { ...common, status: form.status } : { ...common, carrierId: form.carrierId, currency: form.currency });
  };

  return (
    <Dialog
      open={invoice !== null}
      onClose={onClose}
      dismissible={!save.isPending}
      size="md"
      title={existing ? `Invoice ${existing.invoiceNumber}` : "Record supplier invoice"}
      description="What the supplier billed for the period. Per-destination totals are optional."
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="invoice-form" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form id="invoice-form" onSubmit={submit} noValidate className="flex flex-col gap-3">
        <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        <Field label="Supplier" required error={err("carrierId")}>
          {existing ? <Input value={existing.carrierName ?? ""} disabled /> : <SearchSelect value={form.carrierId} onChange={(v) => set("carrierId", v)} options={suppliers} loading={loading} placeholder="Choose a supplier…" aria-label="Supplier" />}
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Invoice Number" required error={err("invoiceNumber")}>
            <Input value={form.invoiceNumber} onChange={(e) => set("invoiceNumber", e.target.value)} maxLength={100} autoComplete="off" />
          </Field>
          <Field label="Currency" required error={err("currency")}>
            <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} disabled={!!existing || !carrier} options={(carrier ? carrierCurrencies(carrier) : [form.currency].filter(Boolean)).map((c) => ({ value: c, label: c }))} />
          </Field>
          <Field label="Period From" required error={err("periodFrom")}>
            <Input type="date" value={form.periodFrom} onChange={(e) => set("periodFrom", e.target.value)} />
          </Field>
          <Field label="Period To" required error={err("periodTo")}>
            <Input type="date" value={form.periodTo} onChange={(e) => set("periodTo", e.target.value)} />
          </Field>
          <Field label="Billed Amount" required error={err("billedAmount")}>
            <Input inputMode="decimal" className="font-mono" value={form.billedAmount} onChange={(e) => set("billedAmount", e.target.value)} trailing={form.currency} />
          </Field>
          <Field label="Billed Calls" error={err("billedCalls")}>
            <Input inputMode="numeric" value={form.billedCalls} onChange={(e) => set("billedCalls", e.target.value)} />
          </Field>
          {existing && (
            <Field label="Status" error={err("status")}>
              <Select value={form.status} onChange={(e) => set("status", e.target.value as InvoiceStatus)} options={(Object.keys(INVOICE_STATUS) as InvoiceStatus[]).map((s) => ({ value: s, label: INVOICE_STATUS[s].label }))} />
            </Field>
          )}
        </div>
        <Field label="Per-destination totals" error={err("lines")} hint="One per line: destination,calls,amount">
          <Textarea className="font-mono text-xs" value={form.lines} onChange={(e) => set("lines", e.target.value)} rows={4} placeholder={"United Kingdom,1200,84.50\nGermany Mobile,310,41.20"} />
        </Field>
        <Field label="Note" error={err("note")}>
          <Textarea value={form.note} onChange={(e) => set("note", e.target.value)} rows={2} maxLength={2000} />
        </Field>
      </form>
    </Dialog>
  );
}
