import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Gauge, Landmark, RotateCcw, Scale, Wallet } from "lucide-react";
import { Badge, Card, CardBody, CardHeader, ConfirmDialog, DataTable, DropdownMenu, EmptyState, ErrorState, IconButton, Page, PageHeader, Select, SkeletonText, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { SegmentedControl } from "../carriers/carrier/ui";
import { Amount as LimitAmount, MoneyBadge } from "../carriers/carrier/ui";
import { BREACH_LABEL, CARRIER_TYPE_LABEL, CARRIER_TYPE_TONE, CREDIT_TYPE_LABEL, currencyOptions, label } from "../carriers/carrier/labels";
import { ledgerKeys } from "./types";
import { Amount } from "./shared";

type View = "spend" | "balances" | "totals";
type CarrierType = "customer" | "supplier" | "bilateral";

/** A carrier in one of its currencies, as GET /ledger/carrier-balances returns it (credit and bilateral limits are negative floors). */
interface BalanceRow {
  carrierId: string;
  carrierName: string;
  carrierType: CarrierType;
  status: string;
  currency: string;
  primary: boolean;
  customerCreditType: string;
  customerBalance: string | null;
  customerPending: string | null;
  creditLimit: string | null;
  customerRemaining: string | null;
  supplierBalance: string | null;
  netExposure: string | null;
  bilateralLimit: string | null;
  bilateralRemaining: string | null;
  bilateralLimitBreach: string;
  customerSpend: string | null;
  customerSpendLimit: string | null;
  customerSpendRemaining: string | null;
  customerSpendBreach: string;
  customerSpendResetAt: string | null;
  supplierSpend: string | null;
  supplierSpendLimit: string | null;
  supplierSpendRemaining: string | null;
  supplierSpendBreach: string;
  supplierSpendResetAt: string | null;
}
interface CurrencyTotals {
  currency: string;
  customerCredit: string;
  receivables: string;
  payables: string;
  supplierPrepaid: string;
  reservations: string;
  cash: string;
  revenue: string;
  costOfSales: string;
  margin: string;
}

const FILTERS = ["type", "currency"] as const;
const dash = <span className="text-fg-subtle">—</span>;

/**
 * Carriers / Balance & Spend (Digitalk): 24 Hour Spend and Carrier Balances for every
 * carrier and currency, the same figures as each carrier's Credit Control tables, and
 * the tenant's Balance And Totals per currency — all from the ledger.
 */
export default function BalanceSpendPage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("view");
  const view: View = raw === "balances" || raw === "totals" ? raw : "spend";
  return (
    <Page
      fill
      header={
        <PageHeader
          title="Balance & Spend"
          breadcrumb={["Carriers", "Balance & Spend"]}
          description={
            view === "spend"
              ? "Each carrier's 24 hour spend against its limit and breach action (posted call charges and supplier costs since the later of 24 hours ago and the last Reset)."
              : view === "balances"
                ? "Customer and supplier balances, credit limits and net exposure of every carrier, per currency. Limits apply in the primary currency."
                : "The books per currency: what customers hold and owe, what we owe suppliers, cash, revenue, cost of sales and margin."
          }
          actions={
            <SegmentedControl
              label="View"
              value={view}
              onChange={(v) => setParams(v === "spend" ? {} : { view: v }, { replace: true })}
              options={[
                { value: "spend", label: "24 Hour Spend", icon: <Gauge /> },
                { value: "balances", label: "Carrier Balances", icon: <Scale /> },
                { value: "totals", label: "Balance And Totals", icon: <Landmark /> },
              ]}
            />
          }
        />
      }
    >
      {view === "totals" ? <TotalsView /> : <BalanceTable key={view} view={view} />}
    </Page>
  );
}

const carrierColumn: ColumnDef<BalanceRow> = {
  id: "name",
  header: "Carrier",
  enableSorting: true,
  enableHiding: false,
  meta: { skeleton: "w-36", className: "max-w-64" },
  cell: ({ row }) => (
    <Link to={`/carriers/${row.original.carrierId}`} className="block truncate font-medium text-fg hover:text-accent-text hover:underline" title={row.original.carrierName}>
      {row.original.carrierName}
    </Link>
  ),
};
const currencyColumn: ColumnDef<BalanceRow> = {
  id: "currency",
  header: "$/£",
  enableSorting: true,
  meta: { label: "Currency" },
  cell: ({ row }) => <span className={`font-mono text-xs ${row.original.primary ? "font-semibold" : "text-fg-muted"}`}>{row.original.currency}</span>,
};
const money = (id: string, header: string, value: (r: BalanceRow) => string | null, opts: { sortable?: boolean; label?: string } = {}): ColumnDef<BalanceRow> => ({
  id,
  header,
  enableSorting: opts.sortable ?? false,
  meta: { align: "right", label: opts.label },
  cell: ({ row }) => <LimitAmount value={value(row.original)} />,
});
const badge = (id: string, header: string, amount: (r: BalanceRow) => string | null, limit: (r: BalanceRow) => string | null, remaining: (r: BalanceRow) => string | null, label?: string): ColumnDef<BalanceRow> => ({
  id,
  header,
  enableSorting: true,
  meta: { align: "right", label },
  cell: ({ row }) => {
    const a = amount(row.original);
    return a === null ? dash : <MoneyBadge amount={a} limit={limit(row.original)} remaining={remaining(row.original)} noLimitNegative="neutral" />;
  },
});
const breach = (id: string, header: string, value: (r: BalanceRow) => string, limit: (r: BalanceRow) => string | null): ColumnDef<BalanceRow> => ({
  id,
  header,
  cell: ({ row }) => (limit(row.original) === null ? dash : <Badge tone={value(row.original) === "block" ? "danger" : "neutral"}>{label(BREACH_LABEL, value(row.original))}</Badge>),
});

function BalanceTable({ view }: { view: "spend" | "balances" }) {
  const qc = useQueryClient();
  const can = useCan();
  const canReset = can("carriers:write");
  const [resetting, setResetting] = useState<{ row: BalanceRow; direction: "customer" | "supplier" } | null>(null);
  const t = useTableState({ defaultPageSize: 50, defaultSort: view === "spend" ? "customerSpend:desc" : "name:asc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...ledgerKeys.all, "carrier-balances", t.query],
    queryFn: ({ signal }) => api.get<ListPage<BalanceRow>>("/ledger/carrier-balances", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const currencies = useMemo(() => currencyOptions([t.filters.currency]).slice(0, 40), [t.filters.currency]);

  const columns = useMemo<ColumnDef<BalanceRow>[]>(() => {
    if (view === "spend")
      return [
        carrierColumn,
        currencyColumn,
        badge("customerSpend", "Customer 24 Hr", (r) => r.customerSpend, (r) => r.customerSpendLimit, (r) => r.customerSpendRemaining, "Customer 24 hour spend"),
        money("customerSpendRemaining", "Remaining", (r) => r.customerSpendRemaining, { sortable: true, label: "Customer spend remaining" }),
        money("customerSpendLimit", "Limit", (r) => r.customerSpendLimit, { label: "Customer spend limit" }),
        breach("customerSpendBreach", "Action", (r) => r.customerSpendBreach, (r) => r.customerSpendLimit),
        badge("supplierSpend", "Supplier 24 Hr", (r) => r.supplierSpend, (r) => r.supplierSpendLimit, (r) => r.supplierSpendRemaining, "Supplier 24 hour spend"),
        money("supplierSpendRemaining", "Remaining", (r) => r.supplierSpendRemaining, { sortable: true, label: "Supplier spend remaining" }),
        money("supplierSpendLimit", "Limit", (r) => r.supplierSpendLimit, { label: "Supplier spend limit" }),
        breach("supplierSpendBreach", "Action", (r) => r.supplierSpendBreach, (r) => r.supplierSpendLimit),
        {
          id: "reset",
          header: "Last Reset",
          meta: { className: "text-fg-muted whitespace-nowrap" },
          cell: ({ row }) => {
            const r = row.original;
            const last = [r.customerSpendResetAt, r.supplierSpendResetAt].filter((x): x is string => !!x).sort().pop();
            return <TimeCell value={last ?? null} empty="never" />;
          },
        },
        {
          id: "actions",
          header: () => <span className="sr-only">Actions</span>,
          enableHiding: false,
          meta: { className: "w-10 text-right", headerClassName: "w-10" },
          cell: ({ row }) =>
            canReset ? (
              <DropdownMenu
                label={`Reset spend of ${row.original.carrierName}`}
                trigger={(p) => <IconButton {...p} size="sm" tooltip={false} label={`Reset spend of ${row.original.carrierName}`} icon={<RotateCcw className="size-3.5" />} />}
                items={[
                  { label: "Reset customer 24 hour spend", hidden: row.original.customerSpend === null, onSelect: () => setResetting({ row: row.original, direction: "customer" }) },
                  { label: "Reset supplier 24 hour spend", hidden: row.original.supplierSpend === null, onSelect: () => setResetting({ row: row.original, direction: "supplier" }) },
                ]}
              />
            ) : null,
        },
      ];
    return [
      carrierColumn,
      { id: "type", header: "Type", cell: ({ row }) => <Badge tone={CARRIER_TYPE_TONE[row.original.carrierType]}>{CARRIER_TYPE_LABEL[row.original.carrierType]}</Badge> },
      currencyColumn,
      { id: "creditType", header: "Credit type", cell: ({ row }) => (row.original.customerBalance === null ? dash : label(CREDIT_TYPE_LABEL, row.original.customerCreditType)) },
      badge("customerBalance", "Customer", (r) => r.customerBalance, (r) => r.creditLimit, (r) => r.customerRemaining, "Customer balance"),
      money("customerRemaining", "Remaining", (r) => r.customerRemaining, { sortable: true, label: "Customer remaining (balance + credit limit)" }),
      money("creditLimit", "Limit", (r) => r.creditLimit, { label: "Credit limit" }),
      { id: "pending", header: "Reserved", meta: { align: "right", label: "Reserved by calls in progress" }, cell: ({ row }) => (row.original.customerPending === null ? dash : <Amount value={row.original.customerPending} tone={false} />) },
      badge("supplierBalance", "Supplier", (r) => r.supplierBalance, () => null, () => null, "Supplier balance"),
      badge("netExposure", "Net exposure", (r) => r.netExposure, (r) => r.bilateralLimit, (r) => r.bilateralRemaining, "Net exposure (customer − supplier)"),
      money("bilateralRemaining", "Remaining", (r) => r.bilateralRemaining, { label: "Bilateral remaining" }),
      money("bilateralLimit", "Bilateral limit", (r) => r.bilateralLimit),
    ];
  }, [view, canReset]);

  return (
    <>
      <DataTable
        aria-label={view === "spend" ? "24 hour spend" : "Carrier balances"}
        tableId={`balance-spend-${view}`}
        initialHidden={view === "balances" ? ["pending"] : undefined}
        columns={columns}
        getRowId={(r) => `${r.carrierId}:${r.currency}`}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search carrier…" }}
        filters={
          <>
            <Select size="sm" aria-label="Type" value={t.filters.type} onChange={(e) => t.setFilter("type", e.target.value)} placeholder="All types" options={(Object.keys(CARRIER_TYPE_LABEL) as CarrierType[]).map((v) => ({ value: v, label: CARRIER_TYPE_LABEL[v] }))} wrapperClassName="w-32" />
            <Select size="sm" aria-label="Currency" value={t.filters.currency} onChange={(e) => t.setFilter("currency", e.target.value)} placeholder="All currencies" options={currencies.map((c) => ({ value: c, label: c }))} wrapperClassName="w-32" />
          </>
        }
        emptyState={<EmptyState icon={<Wallet />} title="No carriers match" description="Every live carrier appears here in each of its currencies." />}
      />
      <ConfirmDialog
        open={resetting !== null}
        onClose={() => setResetting(null)}
        title={`Reset the ${resetting?.direction ?? ""} 24 hour spend?`}
        message={resetting && `The ${resetting.direction} 24 hour spend of ${resetting.row.carrierName} counts from now on, in every currency. Use this after clearing a spend limit breach.`}
        confirmLabel="Reset spend"
        onConfirm={async () => {
          if (!resetting) return;
          await api.post(`/carriers/${resetting.row.carrierId}/spend-reset`, { direction: resetting.direction });
          void qc.invalidateQueries({ queryKey: ledgerKeys.all });
          void qc.invalidateQueries({ queryKey: ["carrier", resetting.row.carrierId] });
          toast.success(`Reset the ${resetting.direction} 24 hour spend of ${resetting.row.carrierName}`);
        }}
      />
    </>
  );
}

const TOTAL_LINES: { key: keyof CurrencyTotals; label: string; hint: string }[] = [
  { key: "customerCredit", label: "Customer credit", hint: "Customers in credit: prepaid money we hold" },
  { key: "receivables", label: "Receivables", hint: "Customers in debit: what they owe us" },
  { key: "reservations", label: "Reserved", hint: "Held by prepaid calls in progress" },
  { key: "payables", label: "Payables", hint: "What we owe suppliers" },
  { key: "supplierPrepaid", label: "Supplier prepaid", hint: "Paid to suppliers ahead of their costs" },
  { key: "cash", label: "Cash / bank", hint: "Money received less money paid out" },
  { key: "revenue", label: "Revenue", hint: "Call charges" },
  { key: "costOfSales", label: "Cost of sales", hint: "Supplier costs" },
  { key: "margin", label: "Margin", hint: "Revenue − cost of sales" },
];

function TotalsView() {
  const totals = useQuery({ queryKey: [...ledgerKeys.all, "totals"], queryFn: ({ signal }) => api.get<{ rows: CurrencyTotals[] }>("/ledger/totals", undefined, signal) });
  const th = "border-b border-line px-3 py-2 text-right text-xs font-medium text-fg-muted first:text-left";
  const td = "border-b border-line px-3 py-2 text-right first:text-left";
  let body;
  if (totals.isLoading) body = <SkeletonText lines={4} />;
  else if (totals.error) body = <ErrorState error={totals.error} onRetry={() => totals.refetch()} />;
  else if (!totals.data?.rows.length) body = <EmptyState icon={<Landmark />} title="Nothing posted yet" description="Totals appear with the first payment, call charge or supplier cost." />;
  else
    body = (
      <div className="overflow-x-auto rounded-md border border-line">
        <table className="w-full border-separate border-spacing-0 text-sm" aria-label="Balance and totals">
          <thead>
            <tr>
              <th className={th}>Line</th>
              {totals.data.rows.map((r) => (
                <th key={r.currency} className={th}>
                  {r.currency}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="[&>tr:last-child>td]:border-b-0">
            {TOTAL_LINES.map((line) => (
              <tr key={line.key}>
                <td className={td}>
                  <span className={line.key === "margin" ? "font-semibold text-fg" : "text-fg"}>{line.label}</span>
                  <span className="block text-xs text-fg-subtle">{line.hint}</span>
                </td>
                {totals.data.rows.map((r) => (
                  <td key={r.currency} className={td}>
                    <Amount value={r[line.key]} className={line.key === "margin" ? "font-semibold" : undefined} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <Card className="max-w-4xl">
      <CardHeader title="Balance And Totals" description="Per currency, from every ledger account of the tenant." />
      <CardBody>{body}</CardBody>
    </Card>
  );
}
