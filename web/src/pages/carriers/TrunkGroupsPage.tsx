import { useMemo, useState } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ChevronRight, Ellipsis, Layers, Pencil, Plus, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, ConfirmDialog, DataTable, DropdownMenu, EmptyState, IconButton, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { useTableState } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import type { TrunkGroup } from "./types";
import { TrunkGroupDialog } from "./config/TrunkGroupDialog";

const FILTERS = ["direction"] as const;

/** Trunk groups: logical, ordered groups of interconnects of one direction. */
export default function TrunkGroupsPage() {
  const can = useCan();
  const canWrite = can("carriers:write");
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 25, filters: FILTERS });
  const [dialog, setDialog] = useState<{ group: TrunkGroup | null } | null>(null);
  const [deleting, setDeleting] = useState<TrunkGroup | null>(null);

  const list = useQuery({
    queryKey: ["trunk-groups", "list", t.query],
    queryFn: ({ signal }) => api.get<ListPage<TrunkGroup>>("/trunk-groups", t.query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<TrunkGroup>[]>(
    () => [
      { id: "name", header: "Name", enableHiding: false, meta: { skeleton: "w-32" }, cell: ({ row }) => <span className="block max-w-56 truncate font-medium text-fg">{row.original.name}</span> },
      {
        id: "direction",
        header: "Direction",
        cell: ({ row }) => <Badge tone={row.original.direction === "ingress" ? "info" : "accent"}>{row.original.direction === "ingress" ? "Ingress" : "Egress"}</Badge>,
      },
      {
        id: "members",
        header: "Members",
        meta: { skeleton: "w-48" },
        cell: ({ row }) => {
          const m = row.original.members;
          if (!m.length) return <span className="text-fg-subtle">None</span>;
          return (
            <span className="flex max-w-md min-w-0 items-center gap-2" title={m.map((x, i) => `${i + 1}. ${x.name} (${x.carrierName})`).join("\n")}>
              <span className="shrink-0 rounded bg-surface-3 px-1.5 text-xs font-medium text-fg tabular">{m.length}</span>
              <span className="flex min-w-0 items-center gap-0.5 truncate text-fg-muted">
                {m.slice(0, 3).map((x, i) => (
                  <span key={x.interconnectId} className="flex shrink-0 items-center gap-0.5">
                    {i > 0 && <ChevronRight className="size-3 text-fg-subtle" aria-hidden />}
                    <span className={x.status === "active" ? "" : "line-through"}>{x.name}</span>
                  </span>
                ))}
                {m.length > 3 && <span className="ml-1 text-xs">+{m.length - 3}</span>}
              </span>
            </span>
          );
        },
      },
      { id: "description", header: "Description", meta: { className: "max-w-72 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.description ?? ""}>{row.original.description ?? "—"}</span> },
      { id: "updatedAt", header: "Updated", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.updatedAt} relative /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) => (
          <div onClick={(e) => e.stopPropagation()} className="flex justify-end">
            <DropdownMenu
              align="end"
              items={[
                { label: canWrite ? "Edit…" : "View", icon: <Pencil />, onSelect: () => setDialog({ group: row.original }) },
                { type: "separator", hidden: !canWrite },
                { label: "Delete…", icon: <Trash2 />, danger: true, hidden: !canWrite, onSelect: () => setDeleting(row.original) },
              ]}
              trigger={(p) => <IconButton {...p} label={`Options for ${row.original.name}`} tooltip={false} size="sm" icon={<Ellipsis className="size-4" />} />}
            />
          </div>
        ),
      },
    ],
    [canWrite],
  );

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Trunk Groups"
          description="Ordered groups of interconnects of one direction, referenced from an interconnect's Ingress Validation or Egress Routing tab."
          meta={list.data ? <Badge tone="neutral">{formatNumber(list.data.total)}</Badge> : undefined}
          actions={
            <DropdownMenu
              items={[
                { label: "Add trunk group…", icon: <Plus />, hidden: !canWrite, onSelect: () => setDialog({ group: null }) },
                { type: "separator", hidden: !canWrite },
                { label: "View changes in audit log", to: "/system/audit?entityType=trunk_group", hidden: !can("audit:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Click a group to edit its members and their order.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setDialog({ group: null })}>
              Add trunk group
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Trunk groups"
        tableId="trunk-groups"
        columns={columns}
        rows={list.data?.rows}
        total={list.data?.total ?? 0}
        getRowId={(g) => g.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search trunk groups…" }}
        filters={
          <Select
            size="sm"
            aria-label="Direction"
            value={t.filters.direction}
            onChange={(e) => t.setFilter("direction", e.target.value)}
            placeholder="Both directions"
            options={[
              { value: "ingress", label: "Ingress" },
              { value: "egress", label: "Egress" },
            ]}
            wrapperClassName="w-36"
          />
        }
        hasFilters={t.hasFilters}
        onClearFilters={t.clearFilters}
        onRefresh={() => list.refetch()}
        isFetching={list.isFetching}
        isLoading={list.isLoading}
        stale={list.isPlaceholderData}
        error={list.error}
        onRowClick={(g) => setDialog({ group: g })}
        emptyState={
          <EmptyState
            icon={<Layers />}
            title="No trunk groups yet"
            description="Group interconnects (e.g. your tier-1 suppliers) to refer to them together."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setDialog({ group: null })}>
                  Add trunk group
                </Button>
              )
            }
          />
        }
      />
      <TrunkGroupDialog open={dialog !== null} group={dialog?.group ?? null} readOnly={!canWrite} onClose={() => setDialog(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        tone="danger"
        title={`Delete ${deleting?.name ?? "trunk group"}?`}
        message="Its interconnects are not affected. Refused while an interconnect has this group set."
        confirmLabel="Delete trunk group"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/trunk-groups/${deleting.id}`);
          void qc.invalidateQueries({ queryKey: ["trunk-groups"] });
          toast.success(`Deleted ${deleting.name}`);
        }}
      />
    </Page>
  );
}
