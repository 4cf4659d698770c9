import { useMemo, useState } from "react";
import { Link } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ArrowDownLeft, ArrowUpRight, Plus, Undo2, Wallet } from "lucide-react";
import { ActionDock, Badge, Button, DataTable, EmptyState, IconButton, Page, PageHeader, Select, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { currencyOptions } from "../carriers/carrier/labels";
import { DIRECTION_LABEL, KIND_LABEL, METHOD_LABEL, ledgerKeys, paymentFlow, type Payment, type PaymentDirection, type PaymentKind, type PaymentMethod } from "./types";
import { Amount, DayRange, ReverseDialog, useCarrierOptions } from "./shared";
import { PaymentDialog } from "./PaymentDialog";

const FILTERS = ["carrierId", "direction", "kind", "method", "currency", "from", "to"] as const;

/** Billing / Payments: money received from customers and paid to suppliers (and refunds), each posted to the ledger. */
export default function PaymentsPage() {
  const can = useCan();
  const canWrite = can("ledger:write");
  const [recording, setRecording] = useState(false);
  const [reversing, setReversing] = useState<Payment | null>(null);
  const t = useTableState({ defaultPageSize: 25, defaultSort: "paidOn:desc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...ledgerKeys.payments, t.query],
    queryFn: ({ signal }) => api.get<ListPage<Payment>>("/payments", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const carriers = useCarrierOptions();
  const currencies = useMemo(() => currencyOptions([t.filters.currency]).slice(0, 40), [t.filters.currency]);

  const columns = useMemo<ColumnDef<Payment>[]>(
    () => [
      { id: "paidOn", header: "Paid on", enableSorting: true, enableHiding: false, meta: { skeleton: "w-20" }, cell: ({ row }) => <span className="tabular">{row.original.paidOn}</span> },
      {
        id: "carrier",
        header: "Carrier",
        meta: { className: "max-w-64", skeleton: "w-36" },
        cell: ({ row }) => (
          <Link to={`/carriers/${row.original.carrierId}`} onClick={(e) => e.stopPropagation()} className="block truncate font-medium text-fg hover:text-accent-text hover:underline" title={row.original.carrierName ?? ""}>
            {row.original.carrierName ?? "(deleted carrier)"}
          </Link>
        ),
      },
      {
        id: "flow",
        header: "Type",
        cell: ({ row }) => {
          const f = paymentFlow(row.original);
          return (
            <span className="inline-flex items-center gap-1.5">
              {f.incoming ? <ArrowDownLeft className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-hidden /> : <ArrowUpRight className="size-3.5 text-amber-600 dark:text-amber-400" aria-hidden />}
              {f.label}
            </span>
          );
        },
      },
      { id: "amount", header: "Amount", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.amount} currency={row.original.currency} tone={false} /> },
      { id: "method", header: "Method", cell: ({ row }) => METHOD_LABEL[row.original.method] },
      { id: "reference", header: "Reference", meta: { className: "max-w-48 truncate" }, cell: ({ row }) => (row.original.reference ? <span className="font-mono text-xs" title={row.original.reference}>{row.original.reference}</span> : <span className="text-fg-subtle">—</span>) },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) =>
          row.original.reversedById ? (
            <Badge tone="neutral" dot>
              Reversed
            </Badge>
          ) : (
            <Badge tone="success" dot>
              Posted
            </Badge>
          ),
      },
      { id: "note", header: "Note", meta: { className: "max-w-44 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.note ?? ""}>{row.original.note ?? "—"}</span> },
      { id: "recordedBy", header: "Recorded by", meta: { className: "max-w-44 truncate text-fg-muted" }, cell: ({ row }) => row.original.recordedBy },
      { id: "createdAt", header: "Recorded", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-16 text-right", headerClassName: "w-16" },
        cell: ({ row }) => (
          <div className="flex justify-end gap-0.5">
            <Link
              to={`/billing/ledger?view=transfers&q=${row.original.transferId}`}
              className="inline-flex h-6 items-center rounded px-1.5 text-xs text-accent-text hover:underline"
              onClick={(e) => e.stopPropagation()}
              title="Its ledger transfer"
            >
              Ledger
            </Link>
            {canWrite && !row.original.reversedById && (
              <IconButton size="sm" label={`Reverse payment ${row.original.reference ?? row.original.id}`} tooltip={false} icon={<Undo2 className="size-3.5" />} onClick={() => setReversing(row.original)} />
            )}
          </div>
        ),
      },
    ],
    [canWrite],
  );

  return (
    <Page
      fill
      header={<PageHeader title="Payments" breadcrumb={["Billing", "Payments"]} description="Money received from customers and paid to suppliers, and refunds either way. Each posts one ledger transfer." />}
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">A wrong payment is reversed (a linked transfer), never edited.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setRecording(true)}>
              Record payment
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Payments"
        tableId="payments"
        initialHidden={["recordedBy", "createdAt"]}
        columns={columns}
        getRowId={(p) => p.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Reference, carrier or note…" }}
        filters={
          <>
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All carriers" clearLabel="All carriers" aria-label="Carrier" />
            </div>
            <Select size="sm" aria-label="Direction" value={t.filters.direction} onChange={(e) => t.setFilter("direction", e.target.value)} placeholder="Both directions" options={(Object.keys(DIRECTION_LABEL) as PaymentDirection[]).map((d) => ({ value: d, label: DIRECTION_LABEL[d] }))} wrapperClassName="w-36" />
            <Select size="sm" aria-label="Type" value={t.filters.kind} onChange={(e) => t.setFilter("kind", e.target.value)} placeholder="All types" options={(Object.keys(KIND_LABEL) as PaymentKind[]).map((k) => ({ value: k, label: KIND_LABEL[k] }))} wrapperClassName="w-40" />
            <Select size="sm" aria-label="Method" value={t.filters.method} onChange={(e) => t.setFilter("method", e.target.value)} placeholder="All methods" options={(Object.keys(METHOD_LABEL) as PaymentMethod[]).map((m) => ({ value: m, label: METHOD_LABEL[m] }))} wrapperClassName="w-36" />
            <Select size="sm" aria-label="Currency" value={t.filters.currency} onChange={(e) => t.setFilter("currency", e.target.value)} placeholder="All currencies" options={currencies.map((c) => ({ value: c, label: c }))} wrapperClassName="w-32" />
            <DayRange from={t.filters.from} to={t.filters.to} onChange={(f, to) => t.setFilters({ from: f, to })} />
          </>
        }
        emptyState={
          <EmptyState
            icon={<Wallet />}
            title={t.hasFilters ? "No payments match" : "No payments yet"}
            description="Record a customer's payment (it credits their balance) or a payment to a supplier (it settles what we owe)."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setRecording(true)}>
                  Record payment
                </Button>
              )
            }
          />
        }
      />
      {canWrite && <PaymentDialog open={recording} onClose={() => setRecording(false)} />}
      <ReverseDialog transfer={reversing && { id: reversing.transferId, amount: reversing.amount, currency: reversing.currency, code: "payment" }} onClose={() => setReversing(null)} what="payment" />
    </Page>
  );
}
