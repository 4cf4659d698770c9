import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ArrowLeftRight, BookOpenCheck, Landmark, Undo2, X } from "lucide-react";
import { Badge, Button, DataTable, EmptyState, IconButton, Page, PageHeader, Select, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { SegmentedControl } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { currencyOptions } from "../carriers/carrier/labels";
import { ACCOUNT_KIND_HINT, ACCOUNT_KIND_LABEL, ACCOUNT_KIND_TONE, CODE_LABEL, STATE_LABEL, STATE_TONE, ledgerKeys, type AccountKind, type LedgerAccount, type LedgerTransfer, type TransferCode, type TransferState } from "./types";
import { Amount, DayRange, ReverseDialog, accountLabel, useCarrierOptions } from "./shared";

type View = "accounts" | "transfers";

/**
 * Billing / Ledger: every account with its running totals (TigerBeetle-style), and
 * every transfer, append-only, with filters. Corrections are reversals, never edits.
 */
export default function LedgerPage() {
  const [params, setParams] = useSearchParams();
  const view: View = params.get("view") === "transfers" ? "transfers" : "accounts";
  // Each view keeps its own filters; switching starts clean (an account click carries its id).
  const show = (v: View, filters: Record<string, string> = {}) => setParams(v === "accounts" ? filters : { view: v, ...filters }, { replace: false });
  return (
    <Page
      fill
      header={
        <PageHeader
          title="Ledger"
          breadcrumb={["Billing", "Ledger"]}
          description={
            view === "accounts"
              ? "Double-entry accounts per carrier, direction and currency, plus the tenant's revenue, cost of sales and cash. Totals are kept by every posting."
              : "Append-only transfers: each moves one amount from a debit account to a credit account. Corrections are linked reversals."
          }
          actions={
            <SegmentedControl
              label="View"
              value={view}
              onChange={(v) => show(v)}
              options={[
                { value: "accounts", label: "Accounts", icon: <Landmark /> },
                { value: "transfers", label: "Transfers", icon: <ArrowLeftRight /> },
              ]}
            />
          }
        />
      }
    >
      {view === "accounts" ? <AccountsTable onOpen={(a) => show("transfers", { accountId: a.id })} /> : <TransfersTable key="transfers" />}
    </Page>
  );
}

const ACCOUNT_FILTERS = ["kind", "currency"] as const;

function AccountsTable({ onOpen }: { onOpen: (a: LedgerAccount) => void }) {
  const t = useTableState({ defaultPageSize: 50, defaultSort: "carrierName:asc", filters: ACCOUNT_FILTERS });
  const list = useQuery({
    queryKey: [...ledgerKeys.accounts, t.query],
    queryFn: ({ signal }) => api.get<ListPage<LedgerAccount>>("/ledger/accounts", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const currencies = useMemo(() => currencyOptions([t.filters.currency]).slice(0, 40), [t.filters.currency]);
  const money = (key: keyof LedgerAccount, header: string, label?: string): ColumnDef<LedgerAccount> => ({
    id: key,
    header,
    meta: { align: "right", label },
    cell: ({ row }) => <Amount value={row.original[key] as string} tone={false} />,
  });
  const columns = useMemo<ColumnDef<LedgerAccount>[]>(
    () => [
      {
        id: "carrierName",
        header: "Carrier",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-36", className: "max-w-64" },
        cell: ({ row }) =>
          row.original.carrierId ? (
            <Link to={`/carriers/${row.original.carrierId}`} onClick={(e) => e.stopPropagation()} className="block truncate font-medium text-fg hover:text-accent-text hover:underline" title={row.original.carrierName ?? ""}>
              {row.original.carrierName ?? "(deleted carrier)"}
            </Link>
          ) : (
            <span className="text-fg-muted">Tenant</span>
          ),
      },
      {
        id: "kind",
        header: "Account",
        enableSorting: true,
        cell: ({ row }) => (
          <Badge tone={ACCOUNT_KIND_TONE[row.original.kind]} title={ACCOUNT_KIND_HINT[row.original.kind]}>
            {ACCOUNT_KIND_LABEL[row.original.kind]}
          </Badge>
        ),
      },
      { id: "currency", header: "Currency", enableSorting: true, cell: ({ row }) => <span className="font-mono text-xs font-semibold">{row.original.currency}</span> },
      money("debitsPosted", "Debits", "Debits posted"),
      money("creditsPosted", "Credits", "Credits posted"),
      money("debitsPending", "Pending Dr", "Debits pending (reservations)"),
      money("creditsPending", "Pending Cr", "Credits pending"),
      {
        id: "balance",
        header: "Balance",
        enableSorting: true,
        meta: { align: "right", label: "Balance (natural side)" },
        cell: ({ row }) => (
          <span title={ACCOUNT_KIND_HINT[row.original.kind]}>
            <Amount value={row.original.balance} />
          </span>
        ),
      },
      { id: "createdAt", header: "Opened", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
    ],
    [],
  );
  return (
    <DataTable
      aria-label="Ledger accounts"
      tableId="ledger-accounts"
      columns={columns}
      getRowId={(a) => a.id}
      {...serverTableProps(t, list)}
      search={{ value: t.q, onChange: t.setQ, placeholder: "Search carrier…" }}
      filters={
        <>
          <Select
            size="sm"
            aria-label="Account kind"
            value={t.filters.kind}
            onChange={(e) => t.setFilter("kind", e.target.value)}
            placeholder="All accounts"
            options={(Object.keys(ACCOUNT_KIND_LABEL) as AccountKind[]).map((k) => ({ value: k, label: ACCOUNT_KIND_LABEL[k] }))}
            wrapperClassName="w-36"
          />
          <Select size="sm" aria-label="Currency" value={t.filters.currency} onChange={(e) => t.setFilter("currency", e.target.value)} placeholder="All currencies" options={currencies.map((c) => ({ value: c, label: c }))} wrapperClassName="w-32" />
        </>
      }
      onRowClick={onOpen}
      emptyState={<EmptyState icon={<BookOpenCheck />} title="No accounts yet" description="Accounts open with their first posting: a payment, a rated call or a supplier cost." />}
    />
  );
}

const TRANSFER_FILTERS = ["accountId", "carrierId", "code", "state", "currency", "from", "to"] as const;
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();

function TransfersTable() {
  const can = useCan();
  const canWrite = can("ledger:write");
  const [reversing, setReversing] = useState<LedgerTransfer | null>(null);
  const t = useTableState({ defaultPageSize: 50, defaultSort: "createdAt:desc", filters: TRANSFER_FILTERS });
  const { from, to, ...rest } = t.query;
  const query = { ...rest, from: from ? `${from}T00:00:00Z` : undefined, to: to ? nextDay(String(to)) : undefined };
  const list = useQuery({
    queryKey: [...ledgerKeys.transfers, query],
    queryFn: ({ signal }) => api.get<ListPage<LedgerTransfer>>("/ledger/transfers", query, signal),
    placeholderData: keepPreviousData,
  });
  const account = useQuery({
    queryKey: [...ledgerKeys.accounts, t.filters.accountId],
    queryFn: ({ signal }) => api.get<LedgerAccount>(`/ledger/accounts/${t.filters.accountId}`, undefined, signal),
    enabled: !!t.filters.accountId,
  });
  const carriers = useCarrierOptions();
  const currencies = useMemo(() => currencyOptions([t.filters.currency]).slice(0, 40), [t.filters.currency]);

  const columns = useMemo<ColumnDef<LedgerTransfer>[]>(
    () => [
      { id: "createdAt", header: "Time", enableSorting: true, enableHiding: false, meta: { skeleton: "w-28", className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      { id: "code", header: "Code", cell: ({ row }) => <span className="font-medium text-fg">{CODE_LABEL[row.original.code]}</span> },
      {
        id: "state",
        header: "State",
        cell: ({ row }) => {
          const x = row.original;
          const state = x.state === "pending" && x.resolvedById ? "Resolved" : STATE_LABEL[x.state];
          return (
            <Badge tone={x.state === "pending" && x.resolvedById ? "neutral" : STATE_TONE[x.state]} dot>
              {state}
            </Badge>
          );
        },
      },
      { id: "amount", header: "Amount", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.amount} currency={row.original.currency} tone={false} /> },
      {
        id: "debit",
        header: "Debit",
        meta: { className: "max-w-44 truncate", label: "Debit account" },
        cell: ({ row }) => <span title={accountLabel(row.original.debitAccount)}>{accountLabel(row.original.debitAccount)}</span>,
      },
      {
        id: "credit",
        header: "Credit",
        meta: { className: "max-w-44 truncate", label: "Credit account" },
        cell: ({ row }) => <span title={accountLabel(row.original.creditAccount)}>{accountLabel(row.original.creditAccount)}</span>,
      },
      {
        id: "reference",
        header: "Reference",
        meta: { className: "max-w-44 truncate" },
        cell: ({ row }) => {
          const x = row.original;
          if (!x.referenceType) return <span className="text-fg-subtle">—</span>;
          const ref = `${x.referenceType} ${x.referenceId}`;
          // Ids of our own records are UUIDs: their first block is enough to tell them apart on screen.
          const short = /^[0-9a-f]{8}-[0-9a-f-]{27}$/.test(x.referenceId ?? "") ? `${x.referenceType} ${x.referenceId!.slice(0, 8)}…` : ref;
          return (
            <span className="font-mono text-xs text-fg-muted" title={ref}>
              {short}
            </span>
          );
        },
      },
      {
        id: "links",
        header: "Links",
        meta: { label: "Reversal and two-phase links" },
        cell: ({ row }) => {
          const x = row.original;
          const link = (id: string, text: string) => (
            <Link to={`/billing/ledger?view=transfers&q=${id}`} onClick={(e) => e.stopPropagation()} className="text-xs text-accent-text hover:underline">
              {text}
            </Link>
          );
          return (
            <span className="flex gap-2">
              {x.reversesId && link(x.reversesId, "reverses…")}
              {x.reversedById && link(x.reversedById, "reversed by…")}
              {x.pendingId && link(x.pendingId, "reservation…")}
              {x.resolvedById && link(x.resolvedById, "resolved by…")}
              {!x.reversesId && !x.reversedById && !x.pendingId && !x.resolvedById && <span className="text-fg-subtle">—</span>}
            </span>
          );
        },
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) => {
          const x = row.original;
          const reversible = (x.state === "posted" || x.state === "post_pending") && x.code !== "reversal" && !x.reversedById;
          return canWrite && reversible ? (
            <div className="flex justify-end">
              <IconButton size="sm" label={`Reverse ${CODE_LABEL[x.code].toLowerCase()} of ${x.amount} ${x.currency}`} tooltip={false} icon={<Undo2 className="size-3.5" />} onClick={() => setReversing(x)} />
            </div>
          ) : null;
        },
      },
    ],
    [canWrite],
  );

  return (
    <>
      <DataTable
        aria-label="Ledger transfers"
        tableId="ledger-transfers"
        columns={columns}
        getRowId={(x) => x.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Transfer id, key or reference id…" }}
        filters={
          <>
            {t.filters.accountId && (
              <span className="inline-flex h-7 items-center gap-1 rounded-md border border-line bg-accent-soft pr-0.5 pl-2 text-xs text-accent-text">
                {account.data ? `${accountLabel(account.data)} · ${account.data.currency}` : "One account"}
                <Button size="xs" variant="ghost" aria-label="Show all accounts" icon={<X className="size-3" />} onClick={() => t.setFilter("accountId", "")} />
              </span>
            )}
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All carriers" clearLabel="All carriers" aria-label="Carrier" />
            </div>
            <Select size="sm" aria-label="Code" value={t.filters.code} onChange={(e) => t.setFilter("code", e.target.value)} placeholder="All codes" options={(Object.keys(CODE_LABEL) as TransferCode[]).map((c) => ({ value: c, label: CODE_LABEL[c] }))} wrapperClassName="w-40" />
            <Select size="sm" aria-label="State" value={t.filters.state} onChange={(e) => t.setFilter("state", e.target.value)} placeholder="All states" options={(Object.keys(STATE_LABEL) as TransferState[]).map((s) => ({ value: s, label: STATE_LABEL[s] }))} wrapperClassName="w-44" />
            <Select size="sm" aria-label="Currency" value={t.filters.currency} onChange={(e) => t.setFilter("currency", e.target.value)} placeholder="All currencies" options={currencies.map((c) => ({ value: c, label: c }))} wrapperClassName="w-32" />
            <DayRange from={t.filters.from} to={t.filters.to} onChange={(f, to2) => t.setFilters({ from: f, to: to2 })} />
          </>
        }
        emptyState={<EmptyState icon={<ArrowLeftRight />} title={t.hasFilters ? "No transfers match" : "No transfers yet"} description="Payments, rated calls, supplier costs and reservations appear here as they post." />}
      />
      <ReverseDialog transfer={reversing} onClose={() => setReversing(null)} />
    </>
  );
}
