import { useMemo } from "react";
import { Link } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { FileMinus } from "lucide-react";
import { DataTable, EmptyState, Page, PageHeader } from "../../components";
import { api } from "../../lib/api";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { Amount, useCarrierOptions } from "../ledger/shared";
import { apiUrl, billingKeys, invoiceNo, type CreditNote } from "./types";

const FILTERS = ["carrierId"] as const;

/** Billing / Credit Notes: every credit note, linked to the invoice it credits, with its PDF. */
export default function CreditNotesPage() {
  const t = useTableState({ defaultPageSize: 50, defaultSort: "createdAt:desc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...billingKeys.creditNotes, t.query],
    queryFn: ({ signal }) => api.get<ListPage<CreditNote>>("/credit-notes", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const carriers = useCarrierOptions();
  const columns = useMemo<ColumnDef<CreditNote>[]>(
    () => [
      { id: "number", header: "Number", enableSorting: true, enableHiding: false, cell: ({ row }) => <span className="font-mono text-xs font-medium">CN-{row.original.number}</span> },
      {
        id: "invoice",
        header: "Invoice",
        cell: ({ row }) => (
          <Link to={`/billing/invoices/${row.original.invoiceId}`} className="font-mono text-xs text-accent-text hover:underline">
            {invoiceNo(row.original.invoiceNumber)}
          </Link>
        ),
      },
      { id: "carrier", header: "Customer", meta: { className: "max-w-56 truncate" }, cell: ({ row }) => row.original.carrierName },
      { id: "reason", header: "Reason", meta: { className: "max-w-72 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.reason}>{row.original.reason}</span> },
      { id: "net", header: "Net", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.net} tone={false} /> },
      { id: "tax", header: "Tax", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.tax} tone={false} /> },
      { id: "total", header: "Total", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.total} currency={row.original.currency} tone={false} className="font-medium" /> },
      { id: "createdAt", header: "Created", enableSorting: true, cell: ({ row }) => <span className="tabular whitespace-nowrap text-fg-muted">{row.original.createdAt.slice(0, 10)}</span> },
      {
        id: "pdf",
        header: () => <span className="sr-only">PDF</span>,
        enableHiding: false,
        cell: ({ row }) => (
          <a className="text-xs text-accent-text hover:underline" href={apiUrl(`/credit-notes/${row.original.id}/pdf`)} target="_blank" rel="noreferrer">
            PDF
          </a>
        ),
      },
    ],
    [],
  );
  return (
    <Page fill header={<PageHeader title="Credit Notes" breadcrumb={["Billing", "Credit Notes"]} description="Credits against issued invoices (create one from the invoice). Numbered without gaps, posted to the ledger." />}>
      <DataTable
        aria-label="Credit notes"
        tableId="credit-notes"
        columns={columns}
        getRowId={(r) => r.id}
        {...serverTableProps(t, list)}
        filters={
          <div className="w-52">
            <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All customers" clearLabel="All customers" aria-label="Customer" />
          </div>
        }
        emptyState={<EmptyState icon={<FileMinus />} title="No credit notes" description="Open an issued invoice and choose Credit note." />}
      />
    </Page>
  );
}
