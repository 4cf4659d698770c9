import { useMemo } from "react";
import { useNavigate } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Cable, Plus } from "lucide-react";
import { Badge, Button, DataTable, EmptyState, Select } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import type { Interconnect } from "./types";
import { CARRIER_TYPE_LABEL, CARRIER_TYPE_TONE, DIRECTION_LABEL, IC_STATUS_LABEL, IC_STATUS_TONE, label } from "./carrier/labels";
import { keys } from "./carrier/queries";

const FILTERS = ["direction", "status"] as const;

const techPrefixOf = (i: Interconnect) => (i.direction === "ingress" ? i.ingressValidation?.techPrefix : i.egressRouting?.techPrefix) || "";

/** Interconnects DataTable (all, or one carrier's). Rows open the interconnect's page. */
export function InterconnectsTable({ carrierId, direction, onAdd }: { carrierId?: string; direction?: "ingress" | "egress"; onAdd?: () => void }) {
  const navigate = useNavigate();
  const can = useCan();
  const t = useTableState({ defaultPageSize: 25, defaultSort: "name:asc", filters: FILTERS });
  const query = { ...t.query, carrierId, direction: direction ?? t.query.direction };

  const list = useQuery({
    queryKey: [...keys.interconnects, query],
    queryFn: ({ signal }) => api.get<ListPage<Interconnect>>("/interconnects", query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Interconnect>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-32", className: "max-w-64" },
        cell: ({ row }) => (
          <span className="block truncate font-medium text-fg" title={row.original.name}>
            {row.original.name}
          </span>
        ),
      },
      ...(carrierId
        ? []
        : [
            {
              id: "carrierName",
              header: "Carrier",
              enableSorting: true,
              meta: { skeleton: "w-32", className: "max-w-56" },
              cell: ({ row }) => (
                <span className="flex min-w-0 items-center gap-1.5">
                  <span className="truncate text-fg-muted" title={row.original.carrierName}>
                    {row.original.carrierName}
                  </span>
                  <Badge tone={CARRIER_TYPE_TONE[row.original.carrierType]} className="hidden xl:inline-flex">
                    {label(CARRIER_TYPE_LABEL, row.original.carrierType)}
                  </Badge>
                </span>
              ),
            } satisfies ColumnDef<Interconnect>,
          ]),
      {
        id: "direction",
        header: "Direction",
        enableSorting: true,
        cell: ({ row }) => <Badge tone={row.original.direction === "ingress" ? "info" : "accent"}>{DIRECTION_LABEL[row.original.direction]}</Badge>,
      },
      { id: "currency", header: "Currency", enableSorting: true, meta: { className: "font-mono text-xs" }, cell: ({ row }) => row.original.currency },
      {
        id: "status",
        header: "Status",
        enableSorting: true,
        cell: ({ row }) => (
          <Badge tone={IC_STATUS_TONE[row.original.status] ?? "neutral"} dot>
            {label(IC_STATUS_LABEL, row.original.status)}
          </Badge>
        ),
      },
      {
        id: "capacity",
        header: "Capacity",
        enableSorting: true,
        meta: { align: "right" },
        cell: ({ row }) => (row.original.capacity === null ? <span className="text-fg-subtle">Unrestricted</span> : formatNumber(row.original.capacity)),
      },
      { id: "services", header: "Services", meta: { align: "right" }, cell: ({ row }) => (row.original.direction === "egress" ? <span className="text-fg-subtle">—</span> : formatNumber(row.original.serviceCount)) },
      {
        id: "techPrefix",
        header: "Tech prefix",
        meta: { className: "font-mono text-xs" },
        cell: ({ row }) => techPrefixOf(row.original) || <span className="text-fg-subtle">—</span>,
      },
      {
        id: "addresses",
        header: "Signalling IPs",
        meta: { className: "max-w-56 truncate font-mono text-xs text-fg-muted" },
        cell: ({ row }) => {
          const a = row.original.addresses;
          if (!a.length) return <span className="text-fg-subtle">—</span>;
          const text = a.map((x) => (x.port ? `${x.address}:${x.port}` : x.address)).join(", ");
          return <span title={text}>{a.length > 1 ? `${a[0]!.address} +${a.length - 1}` : text}</span>;
        },
      },
    ],
    [carrierId],
  );

  const canAdd = !!onAdd && can("carriers:write");
  return (
    <DataTable
      aria-label="Interconnects"
      tableId={carrierId ? "carrier-interconnects" : "interconnects"}
      initialHidden={["addresses"]}
      columns={columns}
      getRowId={(r) => r.id}
      {...serverTableProps(t, list)}
      search={{ value: t.q, onChange: t.setQ, placeholder: carrierId ? "Search interconnects…" : "Search interconnect or carrier…", autoFocus: !carrierId }}
      filters={
        <>
          {!direction && (
            <Select
              size="sm"
              aria-label="Direction"
              value={t.filters.direction}
              onChange={(e) => t.setFilter("direction", e.target.value)}
              placeholder="Any direction"
              options={[
                { value: "ingress", label: "Ingress" },
                { value: "egress", label: "Egress" },
              ]}
              wrapperClassName="w-36"
            />
          )}
          <Select
            size="sm"
            aria-label="Status"
            value={t.filters.status}
            onChange={(e) => t.setFilter("status", e.target.value)}
            placeholder="Any status"
            options={(Object.keys(IC_STATUS_LABEL) as Interconnect["status"][]).map((s) => ({ value: s, label: IC_STATUS_LABEL[s] }))}
            wrapperClassName="w-32"
          />
        </>
      }
      toolbarEnd={
        canAdd && (
          <Button size="sm" variant="primary" icon={<Plus className="size-3.5" />} onClick={onAdd}>
            Add Interconnect
          </Button>
        )
      }
      onRowClick={(r) => navigate(`/carriers/interconnects/${r.id}`)}
      rowClassName={(r) => (r.status === "disabled" ? "text-fg-muted" : undefined)}
      emptyState={
        <EmptyState
          icon={<Cable />}
          title="No interconnects yet"
          description={
            carrierId
              ? canAdd
                ? "An interconnect is a SIP trunk: ingress for traffic from a customer, egress for calls to a supplier. Use Add Interconnect to create one."
                : "This carrier has no SIP trunks yet."
              : "Interconnects are added on a carrier's page (Carrier Management → carrier → Interconnects)."
          }
        />
      }
    />
  );
}
