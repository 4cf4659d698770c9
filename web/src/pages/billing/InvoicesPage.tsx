import { useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Plus, Receipt } from "lucide-react";
import { ActionDock, Badge, Button, Checkbox, DataTable, Dialog, EmptyState, Field, Input, Page, PageHeader, Select, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { FormError } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { Amount, useCarrierOptions } from "../ledger/shared";
import { INVOICE_STATUS, billingKeys, invoiceNo, type Invoice, type InvoiceStatus } from "./types";

const FILTERS = ["status", "carrierId", "currency", "from", "to", "number"] as const;

/** Billing / Invoices: customer invoices, drafts to paid, with a "Generate invoice" dialog. */
export default function InvoicesPage() {
  const canWrite = useCan()("billing:write");
  const navigate = useNavigate();
  const [generating, setGenerating] = useState(false);
  const t = useTableState({ defaultPageSize: 50, defaultSort: "createdAt:desc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...billingKeys.invoices, t.query],
    queryFn: ({ signal }) => api.get<ListPage<Invoice>>("/invoices", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const carriers = useCarrierOptions();

  const columns = useMemo<ColumnDef<Invoice>[]>(
    () => [
      { id: "number", header: "Number", enableSorting: true, enableHiding: false, cell: ({ row }) => <span className="font-mono text-xs font-medium">{invoiceNo(row.original.number)}</span> },
      {
        id: "carrier",
        header: "Customer",
        meta: { className: "max-w-56" },
        cell: ({ row }) => (
          <Link to={`/carriers/${row.original.carrierId}`} onClick={(e) => e.stopPropagation()} className="block truncate hover:text-accent-text hover:underline">
            {row.original.carrierName}
          </Link>
        ),
      },
      { id: "periodStart", header: "Period", enableSorting: true, cell: ({ row }) => <span className="tabular whitespace-nowrap">{row.original.firstDay === row.original.lastDay ? row.original.firstDay : `${row.original.firstDay} – ${row.original.lastDay}`}</span> },
      { id: "status", header: "Status", cell: ({ row }) => <Badge tone={INVOICE_STATUS[row.original.status].tone} dot>{INVOICE_STATUS[row.original.status].label}</Badge> },
      { id: "subtotal", header: "Subtotal", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.subtotal} tone={false} /> },
      { id: "tax", header: "Tax", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.tax} tone={false} /> },
      { id: "total", header: "Total", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.total} currency={row.original.currency} tone={false} className="font-medium" /> },
      { id: "outstanding", header: "Outstanding", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.outstanding} tone={false} /> },
      { id: "dueOn", header: "Due", enableSorting: true, cell: ({ row }) => <span className="tabular whitespace-nowrap">{row.original.dueOn ?? "—"}</span> },
      { id: "createdAt", header: "Created", enableSorting: true, cell: ({ row }) => <span className="tabular whitespace-nowrap text-fg-muted">{row.original.createdAt.slice(0, 10)}</span> },
    ],
    [],
  );

  return (
    <Page
      fill
      header={<PageHeader title="Invoices" breadcrumb={["Billing", "Invoices"]} description="Customer invoices per billing period: generate a draft, issue it (number, tax, ledger postings), send it, credit it." />}
      dock={
        canWrite ? (
          <ActionDock>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setGenerating(true)}>
              Generate invoice
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Invoices"
        tableId="invoices"
        columns={columns}
        getRowId={(r) => r.id}
        onRowClick={(r) => navigate(`/billing/invoices/${r.id}`)}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Customer name…" }}
        filters={
          <>
            <Input size="sm" aria-label="Invoice number" placeholder="No." inputMode="numeric" value={t.filters.number} onChange={(e) => t.setFilter("number", e.target.value.replace(/\D/g, ""))} className="w-20" />
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All customers" clearLabel="All customers" aria-label="Customer" />
            </div>
            <Select size="sm" aria-label="Status" value={t.filters.status} onChange={(e) => t.setFilter("status", e.target.value)} placeholder="All statuses" options={(Object.keys(INVOICE_STATUS) as InvoiceStatus[]).map((s) => ({ value: s, label: INVOICE_STATUS[s].label }))} wrapperClassName="w-36" />
            <Input size="sm" aria-label="Currency" placeholder="Cur." maxLength={3} value={t.filters.currency} onChange={(e) => t.setFilter("currency", e.target.value.toUpperCase().replace(/[^A-Z]/g, ""))} className="w-16" />
            <Input size="sm" type="date" aria-label="Period from" value={t.filters.from} onChange={(e) => t.setFilter("from", e.target.value)} className="w-36" />
            <Input size="sm" type="date" aria-label="Period to" value={t.filters.to} onChange={(e) => t.setFilter("to", e.target.value)} className="w-36" />
          </>
        }
        emptyState={<EmptyState icon={<Receipt />} title={t.hasFilters ? "No invoices match" : "No invoices yet"} description="Generate one for a customer's billing period, or let the invoice-cycle job do it." />}
      />
      {canWrite && <GenerateDialog open={generating} onClose={() => setGenerating(false)} onDone={(i) => navigate(`/billing/invoices/${i.id}`)} />}
    </Page>
  );
}

function GenerateDialog({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (i: Invoice) => void }) {
  const qc = useQueryClient();
  const { carriers, options, loading } = useCarrierOptions();
  const customers = useMemo(() => options.filter((o) => carriers.find((c) => c.id === o.value)?.type !== "supplier"), [options, carriers]);
  const [carrierId, setCarrierId] = useState<string | null>(null);
  const [periodDate, setPeriodDate] = useState("");
  const [issue, setIssue] = useState(false);
  const [touched, setTouched] = useState(false);
  const gen = useMutation({
    mutationFn: () => api.post<Invoice>("/invoices/generate", { carrierId, ...(periodDate && { periodDate }), issue }),
    onSuccess: (i) => {
      void qc.invalidateQueries({ queryKey: billingKeys.all });
      toast.success(i.number ? `${invoiceNo(i.number)} issued` : "Draft invoice created");
      onClose();
      onDone(i);
    },
  });
  const server = fieldErrors(gen.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (carrierId) gen.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!gen.isPending}
      title="Generate invoice"
      description="Bills the customer's rated, not yet invoiced calls of one billing period."
      footer={
        <>
          <Button onClick={onClose} disabled={gen.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="generate-form" loading={gen.isPending}>
            Generate
          </Button>
        </>
      }
    >
      <form id="generate-form" onSubmit={submit} noValidate className="flex flex-col gap-3">
        <FormError error={gen.error && Object.keys(server).length === 0 ? gen.error : null} />
        <Field label="Customer" required error={(touched && !carrierId ? "Pick a customer" : undefined) ?? server.carrierId}>
          <SearchSelect value={carrierId} onChange={setCarrierId} options={customers} loading={loading} placeholder="Choose a customer…" aria-label="Customer" />
        </Field>
        <Field label="Period date" hint="Any day inside the period to bill; empty: the last closed period." error={server.periodDate}>
          <Input type="date" aria-label="Period date" value={periodDate} onChange={(e) => setPeriodDate(e.target.value)} />
        </Field>
        <Checkbox checked={issue} onChange={(e) => setIssue(e.target.checked)} label="Issue at once (number, tax and ledger postings)" />
      </form>
    </Dialog>
  );
}
