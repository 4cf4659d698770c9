import { useMemo, useState } from "react";
import { Link } from "react-router";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ArrowRight, Cable, Plus } from "lucide-react";
import { Badge, Button, DataTable, EmptyState, Select, TimeCell } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import type { Page as ListPage } from "../../lib/types";
import type { Service } from "./types";
import { PrefixSummary } from "./interconnect/fields";
import { useCarrierOptions } from "./interconnect/hooks";
import { ServiceDialog } from "./interconnect/ServiceDialog";
import { useListState } from "./interconnect/useListState";
import { serverTableProps } from "../../lib/useTableState";
import { useRoutingPlanOptions } from "../routing/RoutingPlanSelect";

const FILTERS = ["status", "carrierId"] as const;

export interface ServicesTableProps {
  /** Only this carrier's services (hides the Carrier column). */
  carrierId?: string;
  /** Only this interconnect's services (hides the Carrier and Interconnect columns). */
  interconnectId?: string;
  /** Shows an "Add Service" button that calls this. */
  onAdd?: () => void;
  /** Keep page, sort, search and filters in the URL (for the Services page). Default: component state. */
  urlState?: boolean;
  /** Adds a carrier filter to the toolbar (all-services view). */
  carrierFilter?: boolean;
}

/** Services DataTable: all services, one carrier's, or one interconnect's. Row click opens the ServiceDialog (edit, delete). */
export function ServicesTable({ carrierId, interconnectId, onAdd, urlState = false, carrierFilter = false }: ServicesTableProps) {
  const can = useCan();
  const canWrite = can("carriers:write");
  const t = useListState({ inUrl: urlState, defaultPageSize: 25, defaultSort: "name:asc", filters: FILTERS });
  const [open, setOpen] = useState<Service | null>(null);
  const carriers = useCarrierOptions(carrierFilter);
  const routingPlans = useRoutingPlanOptions(can("routing:read"));
  const routingPlanNames = useMemo(() => new Map((routingPlans.data?.rows ?? []).map((p) => [p.id, p.name])), [routingPlans.data]);

  const query = { ...t.query, carrierId: carrierId ?? (t.filters.carrierId || undefined), interconnectId };
  const list = useQuery({
    queryKey: ["services", "list", query],
    queryFn: ({ signal }) => api.get<ListPage<Service>>("/services", query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Service>[]>(() => {
    const cols: (ColumnDef<Service> | false)[] = [
      {
        id: "name",
        header: "Name",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-32" },
        cell: ({ row }) => <span className="block max-w-56 truncate font-medium text-fg" title={row.original.name}>{row.original.name}</span>,
      },
      !carrierId &&
        !interconnectId && {
          id: "carrierName",
          header: "Carrier",
          enableSorting: true,
          meta: { label: "Carrier" },
          cell: ({ row }) => (
            <Link to={`/carriers/${row.original.carrierId}`} onClick={(e) => e.stopPropagation()} className="block max-w-36 truncate text-fg-muted hover:text-accent-text hover:underline" title={row.original.carrierName}>
              {row.original.carrierName}
            </Link>
          ),
        },
      !interconnectId && {
        id: "interconnectName",
        header: "Interconnect",
        enableSorting: true,
        cell: ({ row }) => (
          <Link to={`/carriers/interconnects/${row.original.interconnectId}?tab=services`} onClick={(e) => e.stopPropagation()} className="block max-w-32 truncate text-fg-muted hover:text-accent-text hover:underline" title={row.original.interconnectName}>
            {row.original.interconnectName}
          </Link>
        ),
      },
      {
        id: "techPrefix",
        header: "Tech prefix",
        enableSorting: true,
        cell: ({ row }) => (row.original.techPrefix ? <span className="font-mono text-xs text-fg">{row.original.techPrefix}</span> : <span className="text-xs text-fg-subtle italic" title="Uses the interconnect's tech prefix">inherited</span>),
      },
      {
        id: "destinationMatch",
        header: "Destination match",
        meta: { label: "Destination match" },
        cell: ({ row }) => <PrefixSummary prefixes={row.original.destinationMatch} empty="All" />,
      },
      {
        id: "routing",
        header: "Routing",
        cell: ({ row }) =>
          row.original.routingMethod === "interconnect" ? (
            <span className="flex max-w-44 items-center gap-1 truncate text-fg" title={`Route to ${row.original.routeToInterconnectName ?? "?"}`}>
              <ArrowRight className="size-3 shrink-0 text-fg-subtle" aria-hidden />
              <span className="truncate">{row.original.routeToInterconnectName ?? "—"}</span>
            </span>
          ) : row.original.routingPlanId ? (
            <Link to={`/routing/plans/${row.original.routingPlanId}`} onClick={(e) => e.stopPropagation()} className="block max-w-44 truncate text-fg hover:text-accent-text hover:underline" title="Routing plan">
              {routingPlanNames.get(row.original.routingPlanId) ?? "Routing plan"}
            </Link>
          ) : (
            <span className="whitespace-nowrap text-fg-subtle" title="No routing plan: calls are refused with 503">
              Plan · none
            </span>
          ),
      },
      {
        id: "ratingPlan",
        header: "Rating plan",
        meta: { label: "Rating plan" },
        cell: ({ row }) =>
          row.original.ratingPlanName ? (
            <span className="whitespace-nowrap">{row.original.ratingPlanName}</span>
          ) : (
            <span className="whitespace-nowrap text-fg-subtle">No plan</span>
          ),
      },
      {
        id: "priority",
        header: "Priority",
        enableSorting: true,
        meta: { className: "text-right tabular", headerClassName: "text-right", align: "right" },
        cell: ({ row }) => row.original.priority,
      },
      {
        id: "status",
        header: "Status",
        enableSorting: true,
        cell: ({ row }) =>
          row.original.status === "active" ? (
            <Badge tone="success" dot>
              Active
            </Badge>
          ) : (
            <Badge tone="neutral" dot>
              Disabled
            </Badge>
          ),
      },
      {
        id: "updatedAt",
        header: "Updated",
        meta: { className: "text-fg-muted" },
        cell: ({ row }) => <TimeCell value={row.original.updatedAt} relative />,
      },
    ];
    return cols.filter((c): c is ColumnDef<Service> => !!c);
  }, [carrierId, interconnectId, routingPlanNames]);

  const carrierOptions = (carriers.data?.rows ?? []).filter((c) => c.type !== "supplier").map((c) => ({ value: c.id, label: c.name }));

  return (
    <>
      <DataTable
        aria-label="Services"
        tableId={interconnectId ? "services-interconnect" : carrierId ? "services-carrier" : "services"}
        initialHidden={["updatedAt"]}
        columns={columns}
        getRowId={(s) => s.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search name, carrier, prefix…", autoFocus: urlState }}
        filters={
          <>
            {carrierFilter && !carrierId && (
              <Select
                size="sm"
                aria-label="Carrier"
                value={t.filters.carrierId}
                onChange={(e) => t.setFilter("carrierId", e.target.value)}
                placeholder={carriers.isLoading ? "Loading carriers…" : "All carriers"}
                options={carrierOptions}
                wrapperClassName="w-44"
              />
            )}
            <Select
              size="sm"
              aria-label="Status"
              value={t.filters.status}
              onChange={(e) => t.setFilter("status", e.target.value)}
              placeholder="Any status"
              options={[
                { value: "active", label: "Active" },
                { value: "disabled", label: "Disabled" },
              ]}
              wrapperClassName="w-32"
            />
          </>
        }
        toolbarEnd={
          onAdd &&
          canWrite && (
            <Button size="sm" variant="primary" icon={<Plus className="size-3.5" />} onClick={onAdd}>
              Add Service
            </Button>
          )
        }
        onRowClick={setOpen}
        rowClassName={(s) => (s.status === "active" ? undefined : "text-fg-muted")}
        emptyState={
          <EmptyState
            icon={<Cable />}
            title="No services yet"
            description={interconnectId ? "A service links this interconnect's calls to a rating plan and a routing plan." : "Services live under ingress (customer) interconnects."}
            action={
              onAdd &&
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={onAdd}>
                  Add Service
                </Button>
              )
            }
          />
        }
      />
      <ServiceDialog open={open !== null} service={open} readOnly={!canWrite} onClose={() => setOpen(null)} />
    </>
  );
}
