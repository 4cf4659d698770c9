import type { ReactNode } from "react";
import { keepPreviousData, useQuery, type UseQueryResult } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Badge, DataTable } from "../../components";
import { api } from "../../lib/api";
import { formatDateTime, formatFull, formatNumber } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import { q850Name } from "../carriers/config/q850";
import { MarginText } from "./CdrDetail";
import type { ExportFilter } from "./ExportDialog";
import { CarrierFilter, TimeRangeFilter } from "./filters";
import { serverTableProps, type TableState } from "../../lib/useTableState";
import {
  DISPOSITION_LABEL,
  DISPOSITION_TONE,
  RATING_LABEL,
  RATING_TONE,
  cdrKeys,
  formatCallDuration,
  numberQuery,
  resolveRange,
  sipReason,
  trimAmount,
  type Cdr,
  type CdrPage,
  type Disposition,
  type RangeKey,
  type RatingStatus,
} from "./types";

/** What the CDRs page and the Rating Errors list share: filters in the URL, the query, the columns. */
export const CDR_FILTERS = ["range", "from", "to", "carrierId", "disposition", "ratingStatus"] as const;

const amount = (v: string | null, currency: string | null) =>
  v === null ? (
    <span className="text-fg-subtle">—</span>
  ) : (
    <span className="font-mono text-xs" title={`${v} ${currency ?? ""}`}>
      {trimAmount(v)}
    </span>
  );

/** Columns shared by the CDRs page and the Rating Errors list. */
export function cdrColumns(opts: { money: boolean }): ColumnDef<Cdr>[] {
  const cols: ColumnDef<Cdr>[] = [
    {
      id: "startAt",
      header: "Start",
      enableSorting: true,
      enableHiding: false,
      meta: { className: "text-fg-muted", skeleton: "w-28" },
      cell: ({ row }) => (
        // Month-day and time keep the column narrow; the full timestamp is in the title.
        <time dateTime={row.original.startAt} title={formatFull(row.original.startAt)} className="font-mono text-xs">
          {formatDateTime(row.original.startAt, { seconds: true }).slice(5)}
        </time>
      ),
    },
    { id: "duration", header: "Dur.", meta: { align: "right", label: "Duration" }, cell: ({ row }) => <span className="font-mono text-xs">{formatCallDuration(row.original.durationS)}</span> },
    {
      id: "numbers",
      header: "Calling → Called",
      enableHiding: false,
      meta: { skeleton: "w-48" },
      cell: ({ row }) => (
        <span className="font-mono text-xs" title={`${row.original.callingRaw} → ${row.original.calledRaw}`}>
          <span className="text-fg-muted">{row.original.callingNumber || "—"}</span>
          <span className="px-1 text-fg-subtle">→</span>
          <span className="text-fg">{row.original.calledNumber}</span>
        </span>
      ),
    },
    {
      id: "customer",
      header: "Customer / service",
      meta: { className: "max-w-52", skeleton: "w-40" },
      cell: ({ row }) => {
        const c = row.original;
        const text = [c.customerCarrierName, c.serviceName].filter(Boolean).join(" / ");
        return text ? (
          <span className="block truncate" title={text}>
            {c.customerCarrierName ?? "—"}
            {c.serviceName && <span className="text-xs text-fg-muted"> / {c.serviceName}</span>}
          </span>
        ) : (
          <span className="text-fg-subtle">—</span>
        );
      },
    },
    {
      id: "supplier",
      header: "Supplier",
      meta: { className: "max-w-44" },
      cell: ({ row }) => (row.original.supplierCarrierName ? <span className="block truncate" title={row.original.supplierCarrierName}>{row.original.supplierCarrierName}</span> : <span className="text-fg-subtle">—</span>),
    },
    {
      id: "sip",
      header: "SIP/Q.850",
      meta: { label: "SIP status / Q.850 cause" },
      cell: ({ row }) => {
        const c = row.original;
        return (
          <span className="font-mono text-xs" title={`SIP ${c.sipStatus} ${sipReason(c.sipStatus)}${c.q850Cause === null ? "" : ` · Q.850 ${c.q850Cause} ${q850Name(c.q850Cause)}`}`}>
            {c.sipStatus}
            <span className="text-fg-subtle">/</span>
            {c.q850Cause ?? "—"}
          </span>
        );
      },
    },
    {
      id: "disposition",
      header: "Disposition",
      cell: ({ row }) => (
        <Badge tone={DISPOSITION_TONE[row.original.disposition]}>
          {DISPOSITION_LABEL[row.original.disposition]}
        </Badge>
      ),
    },
  ];
  if (opts.money) {
    cols.push(
      // "Sell" and "Buy" are the wholesale words for the customer's and the supplier's cost (and keep the columns narrow).
      { id: "customerCost", header: () => <span title="Customer cost">Sell</span>, meta: { align: "right", label: "Sell (customer cost)" }, cell: ({ row }) => amount(row.original.customerCost, row.original.customerCurrency) },
      { id: "supplierCost", header: () => <span title="Supplier cost">Buy</span>, meta: { align: "right", label: "Buy (supplier cost)" }, cell: ({ row }) => amount(row.original.supplierCost, row.original.supplierCurrency) },
      { id: "margin", header: "Margin", meta: { align: "right" }, cell: ({ row }) => <MarginText value={row.original.margin === null ? null : trimAmount(row.original.margin)} /> },
      { id: "currency", header: "Cur.", meta: { label: "Currency" }, cell: ({ row }) => <span className="font-mono text-xs text-fg-muted">{row.original.customerCurrency ?? "—"}</span> },
    );
  }
  cols.push(
    {
      id: "ratingStatus",
      header: "Rating",
      meta: { label: "Rating status" },
      cell: ({ row }) => (
        <Badge tone={RATING_TONE[row.original.ratingStatus]} title={row.original.ratingError ?? undefined}>
          {RATING_LABEL[row.original.ratingStatus]}
        </Badge>
      ),
    },
    { id: "destination", header: "Destination", meta: { className: "max-w-44 truncate text-fg-muted" }, cell: ({ row }) => row.original.customerDestination ?? <span className="text-fg-subtle">—</span> },
    { id: "pdd", header: "PDD", meta: { align: "right", label: "Post-dial delay" }, cell: ({ row }) => (row.original.pddMs === null ? <span className="text-fg-subtle">—</span> : <span className="font-mono text-xs">{formatNumber(row.original.pddMs)} ms</span>) },
    { id: "callId", header: "Call ID", meta: { className: "max-w-44 truncate font-mono text-xs text-fg-muted" }, cell: ({ row }) => <span title={`${row.original.switchId} · ${row.original.callId} · attempt ${row.original.attempt}`}>{row.original.callId}</span> },
  );
  return cols;
}

/** The query a CDR list sends: the resolved time window plus the filters. */
type CdrTableState = TableState<(typeof CDR_FILTERS)[number]>;

export function useCdrQuery(t: CdrTableState, opts: { defaultRange: RangeKey; ratingStatus?: RatingStatus }) {
  const now = useNow(60_000);
  const period = resolveRange(t.filters, opts.defaultRange, now);
  const filter: ExportFilter = {
    from: period.from,
    to: period.to,
    carrierId: t.filters.carrierId || undefined,
    number: numberQuery(t.q),
    disposition: (t.filters.disposition || undefined) as Disposition | undefined,
    ratingStatus: opts.ratingStatus ?? ((t.filters.ratingStatus || undefined) as RatingStatus | undefined),
  };
  const query = { page: t.query.page, pageSize: t.query.pageSize, sort: t.query.sort, ...filter };
  const list = useQuery({
    queryKey: cdrKeys.list(query),
    queryFn: ({ signal }) => api.get<CdrPage>("/cdrs", query, signal),
    placeholderData: keepPreviousData,
  });
  return { list, filter, period, now };
}

export const countLabel = (p: CdrPage | undefined) => (p ? `${formatNumber(p.total)}${p.totalCapped ? "+" : ""}` : null);


/** The server-paginated CDR table with the time range, carrier and number filters; `filters` adds more. */
export function CdrTable(props: {
  t: CdrTableState;
  list: UseQueryResult<CdrPage>;
  columns: ColumnDef<Cdr>[];
  label: string;
  defaultRange: RangeKey;
  nowMs: number;
  onRowClick: (c: Cdr) => void;
  initialHidden: string[];
  emptyState: ReactNode;
  filters?: ReactNode;
  searchAutoFocus?: boolean;
}) {
  const { t, list } = props;
  return (
    <DataTable
      aria-label={props.label}
      tableId={props.label.toLowerCase().replace(/\W+/g, "-")}
      columns={props.columns}
      totalCapped={list.data?.totalCapped}
      getRowId={(c) => c.id}
      {...serverTableProps(t, list)}
      search={{ value: t.q, onChange: t.setQ, placeholder: "Number prefix…", autoFocus: props.searchAutoFocus }}
      filters={
        <>
          <TimeRangeFilter filters={t.filters} defaultRange={props.defaultRange} nowMs={props.nowMs} onChange={(p) => t.setFilters(p)} />
          <CarrierFilter value={t.filters.carrierId} onChange={(v) => t.setFilter("carrierId", v)} />
          {props.filters}
          {t.q !== "" && !numberQuery(t.q) && <span className="text-xs text-red-600 dark:text-red-400">Digits only (an optional leading +)</span>}
        </>
      }
      onRowClick={props.onRowClick}
      initialHidden={props.initialHidden}
      emptyState={props.emptyState}
    />
  );
}
