import { useMemo, useState } from "react";
import { Link } from "react-router";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Ban, Plus, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, ConfirmDialog, DataTable, DropdownMenu, EmptyState, IconButton, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import type { BlacklistEntry } from "./types";
import { BlacklistDialog } from "./config/BlacklistDialog";

const FILTERS = ["list", "scope"] as const;
const SCOPE_TONE = { global: "danger", service: "info", interconnect: "accent" } as const;

/** Origination and destination blacklists, global or scoped to a service or interconnect. */
export default function BlacklistingPage() {
  const can = useCan();
  const canWrite = can("carriers:write");
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 50, filters: FILTERS });
  const list: BlacklistEntry["list"] = t.filters.list === "origination" ? "origination" : "destination";
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<BlacklistEntry | null>(null);

  const query = { ...t.query, list };
  const rows = useQuery({
    queryKey: ["blacklist", "list", query],
    queryFn: ({ signal }) => api.get<ListPage<BlacklistEntry>>("/blacklist", query, signal),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery({
    queryKey: ["blacklist", "counts"],
    queryFn: async () => {
      const [o, d] = await Promise.all([api.get<ListPage<BlacklistEntry>>("/blacklist", { list: "origination", pageSize: 1 }), api.get<ListPage<BlacklistEntry>>("/blacklist", { list: "destination", pageSize: 1 })]);
      return { origination: o.total, destination: d.total };
    },
  });

  const columns = useMemo<ColumnDef<BlacklistEntry>[]>(
    () => [
      {
        id: "value",
        header: "Value",
        enableHiding: false,
        meta: { skeleton: "w-24" },
        cell: ({ row }) => (
          <span className="font-mono text-sm font-medium text-fg">
            {row.original.value}
            {row.original.matchType === "prefix" && <span className="text-fg-subtle">…</span>}
          </span>
        ),
      },
      {
        id: "matchType",
        header: "Match type",
        cell: ({ row }) => <Badge tone={row.original.matchType === "prefix" ? "neutral" : "warning"}>{row.original.matchType === "prefix" ? "Prefix" : "Exact"}</Badge>,
      },
      {
        id: "scope",
        header: "Scope",
        meta: { skeleton: "w-32" },
        cell: ({ row }) => {
          const e = row.original;
          return (
            <span className="flex min-w-0 items-center gap-2">
              <Badge tone={SCOPE_TONE[e.scope]}>{e.scope === "global" ? "Global" : e.scope === "service" ? "Service" : "Interconnect"}</Badge>
              {e.scope === "interconnect" && e.interconnectId ? (
                <Link to={`/carriers/interconnects/${e.interconnectId}`} onClick={(ev) => ev.stopPropagation()} className="max-w-52 truncate text-fg-muted hover:text-accent-text hover:underline">
                  {e.scopeName ?? "—"}
                </Link>
              ) : e.scope === "service" ? (
                <span className="max-w-52 truncate text-fg-muted">{e.scopeName ?? "—"}</span>
              ) : (
                <span className="text-fg-subtle">All calls</span>
              )}
            </span>
          );
        },
      },
      { id: "note", header: "Note", meta: { className: "max-w-80 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.note ?? ""}>{row.original.note ?? "—"}</span> },
      { id: "createdAt", header: "Added", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) =>
          canWrite ? (
            <div className="flex justify-end">
              <IconButton size="sm" label={`Remove ${row.original.value}`} tooltip={false} icon={<Trash2 className="size-3.5" />} onClick={() => setDeleting(row.original)} />
            </div>
          ) : null,
      },
    ],
    [canWrite],
  );

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Blacklisting"
          description="Numbers and prefixes refused on every call (global) or only on one service or interconnect."
          tabs={{
            value: list,
            onChange: (id) => t.setFilter("list", id === "destination" ? "" : id),
            items: [
              { id: "destination", label: "Destination", count: counts.data?.destination },
              { id: "origination", label: "Origination", count: counts.data?.origination },
            ],
          }}
          actions={
            <DropdownMenu
              items={[
                { label: "Add entry…", icon: <Plus />, hidden: !canWrite, onSelect: () => setAdding(true) },
                { type: "separator", hidden: !canWrite },
                { label: "View changes in audit log", to: "/system/audit?entityType=blacklist_entry", hidden: !can("audit:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Services and egress interconnects can exempt prefixes or turn blacklists off.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setAdding(true)}>
              Add entry
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label={`${list === "origination" ? "Origination" : "Destination"} blacklist`}
        tableId="blacklist"
        columns={columns}
        rows={rows.data?.rows}
        total={rows.data?.total ?? 0}
        getRowId={(e) => e.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Digits (prefix search)…" }}
        filters={
          <Select
            size="sm"
            aria-label="Scope"
            value={t.filters.scope}
            onChange={(e) => t.setFilter("scope", e.target.value)}
            placeholder="Any scope"
            options={[
              { value: "global", label: "Global" },
              { value: "service", label: "Service" },
              { value: "interconnect", label: "Interconnect" },
            ]}
            wrapperClassName="w-36"
          />
        }
        hasFilters={!!t.q || !!t.filters.scope}
        onClearFilters={() => {
          t.setFilter("scope", "");
          t.setQ("");
        }}
        onRefresh={() => Promise.all([rows.refetch(), counts.refetch()])}
        isFetching={rows.isFetching}
        isLoading={rows.isLoading}
        stale={rows.isPlaceholderData}
        error={rows.error}
        emptyState={
          <EmptyState
            icon={<Ban />}
            title={`No ${list} numbers are blacklisted`}
            description={list === "destination" ? "Block premium-rate or fraud-prone destinations by number or prefix." : "Block callers (CLIs) by number or prefix."}
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setAdding(true)}>
                  Add entry
                </Button>
              )
            }
          />
        }
      />
      <BlacklistDialog open={adding} onClose={() => setAdding(false)} list={list} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        tone="danger"
        title={`Remove ${deleting?.value ?? ""}${deleting?.matchType === "prefix" ? "…" : ""} from the ${deleting?.list ?? ""} blacklist?`}
        message="Calls matching it are no longer refused. The removal is recorded in the audit log."
        confirmLabel="Remove"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/blacklist/${deleting.id}`);
          void qc.invalidateQueries({ queryKey: ["blacklist"] });
          toast.success(`Removed ${deleting.value} from the ${deleting.list} blacklist`);
        }}
      />
    </Page>
  );
}
