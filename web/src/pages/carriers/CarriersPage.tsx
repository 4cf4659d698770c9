import { useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Building2, Cable, Network, Plus, Waypoints } from "lucide-react";
import { ActionDock, Badge, Button, DataTable, EmptyState, Page, PageHeader, Select } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import type { Carrier } from "./types";
import { InterconnectsTable } from "./InterconnectsTable";
import { ServicesTable } from "./ServicesTable";
import { CarrierDialog } from "./carrier/CarrierDialogs";
import { CARRIER_STATUS_LABEL, CARRIER_STATUS_TONE, CARRIER_TYPE_LABEL, CARRIER_TYPE_TONE, CREDIT_TYPE_LABEL, carrierCurrencies, currencyOptions, label } from "./carrier/labels";
import { formatMoney } from "./carrier/money";
import { keys } from "./carrier/queries";
import { SegmentedControl } from "./carrier/ui";

type View = "carriers" | "interconnects" | "services";
const VIEWS: View[] = ["carriers", "interconnects", "services"];
const FILTERS = ["type", "status", "currency"] as const;

/** Carrier Management: one page, three views (Digitalk's View dropdown). */
export default function CarriersPage() {
  const can = useCan();
  const canWrite = can("carriers:write");
  const [params, setParams] = useSearchParams();
  const raw = params.get("view");
  const view: View = VIEWS.includes(raw as View) ? (raw as View) : "carriers";
  const [adding, setAdding] = useState(false);

  // Each view has its own search, filters and paging: switching starts clean.
  const setView = (v: View) => setParams(v === "carriers" ? {} : { view: v }, { replace: true });

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Carriers"
          breadcrumb={["Carriers", "Carrier Management"]}
          description={view === "carriers" ? "Customers, suppliers and bilateral partners with their credit and balances." : view === "interconnects" ? "SIP trunks of every carrier: ingress from customers, egress to suppliers." : "Services link a customer interconnect to its rating and routing plans."}
          actions={
            <SegmentedControl
              label="View"
              value={view}
              onChange={setView}
              options={[
                { value: "carriers", label: "Carriers", icon: <Building2 /> },
                { value: "interconnects", label: "Interconnects", icon: <Waypoints /> },
                { value: "services", label: "Services", icon: <Cable /> },
              ]}
            />
          }
        />
      }
      dock={
        canWrite && view === "carriers" ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Open a carrier to manage its interconnects, contacts and credit alerts.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setAdding(true)}>
              Add Carrier
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      {view === "carriers" ? <CarriersTable onAdd={canWrite ? () => setAdding(true) : undefined} /> : view === "interconnects" ? <InterconnectsTable key="ics" /> : <ServicesTable key="svcs" />}
      {canWrite && <CarrierDialog open={adding} onClose={() => setAdding(false)} carrier={null} />}
    </Page>
  );
}

function CarriersTable({ onAdd }: { onAdd?: () => void }) {
  const navigate = useNavigate();
  const t = useTableState({ defaultPageSize: 25, defaultSort: "name:asc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...keys.carriers, t.query],
    queryFn: ({ signal }) => api.get<ListPage<Carrier>>("/carriers", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const currencies = useMemo(() => currencyOptions([t.filters.currency]).slice(0, 40), [t.filters.currency]);

  const columns = useMemo<ColumnDef<Carrier>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-36", className: "max-w-72" },
        cell: ({ row }) => (
          <span className="block truncate font-medium text-fg" title={row.original.name}>
            {row.original.name}
          </span>
        ),
      },
      { id: "type", header: "Type", enableSorting: true, cell: ({ row }) => <Badge tone={CARRIER_TYPE_TONE[row.original.type]}>{CARRIER_TYPE_LABEL[row.original.type]}</Badge> },
      {
        id: "status",
        header: "Status",
        enableSorting: true,
        cell: ({ row }) => (
          <Badge tone={CARRIER_STATUS_TONE[row.original.status] ?? "neutral"} dot>
            {label(CARRIER_STATUS_LABEL, row.original.status)}
          </Badge>
        ),
      },
      {
        id: "primaryCurrency",
        header: "Currency",
        enableSorting: true,
        cell: ({ row }) => {
          const [primary, ...others] = carrierCurrencies(row.original);
          return (
            <span className="font-mono text-xs">
              <span className="font-semibold text-fg">{primary}</span>
              {others.length > 0 && <span className="text-fg-subtle"> +{others.join(", ")}</span>}
            </span>
          );
        },
      },
      { id: "interconnects", header: "Interconnects", meta: { align: "right" }, cell: ({ row }) => formatNumber(row.original.interconnectCount) },
      { id: "services", header: "Services", meta: { align: "right" }, cell: ({ row }) => formatNumber(row.original.serviceCount) },
      {
        id: "creditType",
        header: "Credit type",
        cell: ({ row }) => {
          const c = row.original;
          if (c.type === "supplier") return <span className="text-fg-muted">{label(CREDIT_TYPE_LABEL, c.supplierCreditType)}</span>;
          return label(CREDIT_TYPE_LABEL, c.customerCreditType);
        },
      },
      {
        id: "creditLimit",
        header: "Credit limit",
        meta: { align: "right" },
        cell: ({ row }) =>
          row.original.type === "supplier" ? (
            <span className="text-fg-subtle">—</span>
          ) : (
            <span className="font-mono text-xs">
              {formatMoney(row.original.customerCreditLimit)} <span className="text-fg-subtle">{row.original.primaryCurrency}</span>
            </span>
          ),
      },
      {
        id: "balance",
        header: "Balance",
        meta: { align: "right", label: "Balance (customer / supplier)" },
        cell: ({ row }) => {
          const c = row.original;
          const amount = c.type === "supplier" ? c.supplierBalance : c.customerBalance;
          const negative = amount.startsWith("-");
          return (
            <span className={`font-mono text-xs ${negative ? "text-red-600 dark:text-red-400" : ""}`} title={c.type === "bilateral" ? `Supplier balance ${formatMoney(c.supplierBalance)} ${c.primaryCurrency}` : undefined}>
              {formatMoney(amount)} <span className="text-fg-subtle">{c.primaryCurrency}</span>
            </span>
          );
        },
      },
      {
        id: "accountManager",
        header: "Account manager",
        meta: { className: "max-w-48 truncate" },
        cell: ({ row }) => (row.original.accountManagerName ? <span title={row.original.accountManagerName}>{row.original.accountManagerName}</span> : <span className="text-fg-subtle">—</span>),
      },
    ],
    [],
  );

  return (
    <DataTable
      aria-label="Carriers"
      tableId="carriers"
      columns={columns}
      getRowId={(c) => c.id}
      {...serverTableProps(t, list)}
      search={{ value: t.q, onChange: t.setQ, placeholder: "Search name or account number…" }}
      filters={
        <>
          <Select
            size="sm"
            aria-label="Type"
            value={t.filters.type}
            onChange={(e) => t.setFilter("type", e.target.value)}
            placeholder="All types"
            options={(Object.keys(CARRIER_TYPE_LABEL) as Carrier["type"][]).map((v) => ({ value: v, label: CARRIER_TYPE_LABEL[v] }))}
            wrapperClassName="w-32"
          />
          <Select
            size="sm"
            aria-label="Status"
            value={t.filters.status}
            onChange={(e) => t.setFilter("status", e.target.value)}
            placeholder="Any status"
            options={(Object.keys(CARRIER_STATUS_LABEL) as Carrier["status"][]).map((v) => ({ value: v, label: CARRIER_STATUS_LABEL[v] }))}
            wrapperClassName="w-32"
          />
          <Select
            size="sm"
            aria-label="Currency"
            value={t.filters.currency}
            onChange={(e) => t.setFilter("currency", e.target.value)}
            placeholder="Any currency"
            options={currencies.map((c) => ({ value: c, label: c }))}
            wrapperClassName="w-32"
          />
        </>
      }
      onRowClick={(c) => navigate(`/carriers/${c.id}`)}
      rowClassName={(c) => (c.status !== "active" ? "text-fg-muted" : undefined)}
      emptyState={
        <EmptyState
          icon={<Network />}
          title="No carriers yet"
          description="Carriers are the companies you exchange traffic with: customers send it, suppliers terminate it, bilateral partners do both."
          action={
            onAdd && (
              <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={onAdd}>
                Add Carrier
              </Button>
            )
          }
        />
      }
    />
  );
}
