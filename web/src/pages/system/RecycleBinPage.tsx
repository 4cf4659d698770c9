import { useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef, RowSelectionState } from "@tanstack/react-table";
import { ArchiveRestore, Flame, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, ConfirmDialog, DataTable, DropdownMenu, EmptyState, IdCell, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan, useMe } from "../../lib/auth";
import { entityPrefix, formatDate, formatFull, formatNumber, formatRelative } from "../../lib/format";
import { useTableState } from "../../lib/useTableState";
import type { Page as ListPage, RecycleItem } from "../../lib/types";

const FILTERS = ["entityType"] as const;
const rowKey = (r: { entityType: string; id: string }) => `${r.entityType}:${r.id}`;
const DAY = 86_400_000;

export default function RecycleBinPage() {
  const me = useMe();
  const can = useCan();
  const canWrite = can("recycle_bin:write");
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 25, filters: FILTERS });
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [purgeOpen, setPurgeOpen] = useState(false);

  const list = useQuery({
    queryKey: ["recycle-bin", t.query],
    queryFn: ({ signal }) => api.get<ListPage<RecycleItem>>("/recycle-bin", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const types = useQuery({ queryKey: ["recycle-bin-types"], queryFn: () => api.get<{ types: { entityType: string; label: string }[] }>("/recycle-bin/types"), staleTime: 5 * 60_000 });

  const restore = useMutation({
    mutationFn: async (items: { entityType: string; id: string }[]) => {
      const results = await Promise.allSettled(items.map((i) => api.post("/recycle-bin/restore", { entityType: i.entityType, id: i.id })));
      return { ok: results.filter((r) => r.status === "fulfilled").length, failed: results.filter((r): r is PromiseRejectedResult => r.status === "rejected") };
    },
    onSuccess: ({ ok, failed }, items) => {
      if (ok) {
        const only = items.length === 1 ? list.data?.rows.find((r) => rowKey(r) === rowKey(items[0]!)) : undefined;
        toast.success(only ? `Restored ${only.title}` : `Restored ${ok} item${ok === 1 ? "" : "s"}`);
      }
      if (failed.length) toast.error(failed[0]!.reason, { description: `${failed.length} could not be restored` });
      setSelection({});
      void qc.invalidateQueries({ queryKey: ["recycle-bin"] });
      void qc.invalidateQueries({ queryKey: ["users"] });
    },
  });
  const doRestore = restore.mutate;

  const columns = useMemo<ColumnDef<RecycleItem>[]>(
    () => [
      { id: "type", header: "Type", cell: ({ row }) => <Badge tone="neutral">{row.original.label}</Badge> },
      { id: "title", header: "Title", enableHiding: false, meta: { className: "max-w-80 truncate font-medium" }, cell: ({ row }) => <span title={row.original.title}>{row.original.title}</span> },
      { id: "id", header: "ID", cell: ({ row }) => <IdCell prefix={entityPrefix(row.original.entityType)} id={row.original.id} /> },
      { id: "deletedAt", header: "Deleted", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.deletedAt} relative /> },
      {
        id: "purgeAfter",
        header: "Purged after",
        cell: ({ row }) => {
          const left = new Date(row.original.purgeAfter).getTime() - Date.now();
          return (
            <span className="flex items-center gap-2" title={formatFull(row.original.purgeAfter)}>
              <span className="text-fg-muted tabular">{formatDate(row.original.purgeAfter)}</span>
              {left <= 0 ? <Badge tone="danger">expired</Badge> : left < 3 * DAY ? <Badge tone="warning">{formatRelative(row.original.purgeAfter)}</Badge> : <span className="text-xs text-fg-subtle">{formatRelative(row.original.purgeAfter)}</span>}
            </span>
          );
        },
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-24 text-right" },
        cell: ({ row }) =>
          canWrite ? (
            <div onClick={(e) => e.stopPropagation()} className="flex justify-end">
              <Button size="xs" icon={<ArchiveRestore className="size-3" />} onClick={() => doRestore([row.original])} aria-label={`Restore ${row.original.title}`}>
                Restore
              </Button>
            </div>
          ) : null,
      },
    ],
    [canWrite, doRestore],
  );

  const selected = Object.keys(selection)
    .filter((k) => selection[k])
    .map((k) => {
      const i = k.indexOf(":");
      return { entityType: k.slice(0, i), id: k.slice(i + 1) };
    });

  const purge = async () => {
    const r = await api.post<{ jobId: string }>("/recycle-bin/purge");
    toast.success("Purge of expired records started", {
      description: `Job ${r.jobId.slice(0, 8)} is queued.`,
      action: can("jobs:read") ? { label: "Track progress", to: "/system/jobs?queue=recycle-bin.purge" } : undefined,
      duration: 10_000,
    });
    void qc.invalidateQueries({ queryKey: ["job-queues"] });
    void qc.invalidateQueries({ queryKey: ["jobs"] });
  };

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Recycle Bin"
          description={`Deleted records stay here for ${me.tenant.retentionDays} days (Tenant Settings → General), then they are purged for good.`}
          meta={list.data ? <Badge tone="neutral">{formatNumber(list.data.total)}</Badge> : undefined}
          actions={
            <DropdownMenu
              items={[
                { label: `Restore selected (${selected.length})`, icon: <ArchiveRestore />, hidden: !canWrite, disabled: selected.length === 0, onSelect: () => doRestore(selected) },
                { label: "Purge expired now…", icon: <Flame />, danger: true, hidden: !canWrite, onSelect: () => setPurgeOpen(true) },
                { type: "separator", hidden: !canWrite },
                { label: "Change retention period", to: "/settings/tenant?tab=general", hidden: !can("tenant:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={selected.length > 0 ? <span className="font-medium text-fg">{selected.length} selected</span> : <span className="hidden text-xs text-fg-subtle sm:inline">Select rows to restore several at once.</span>}>
            <Button variant="ghost" icon={<Flame className="size-4" />} onClick={() => setPurgeOpen(true)}>
              Purge expired now
            </Button>
            <Button variant="primary" icon={<ArchiveRestore className="size-4" />} disabled={selected.length === 0} loading={restore.isPending} onClick={() => doRestore(selected)}>
              Restore{selected.length ? ` ${selected.length}` : ""}
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Deleted records"
        tableId="recycle-bin"
        columns={columns}
        rows={list.data?.rows}
        total={list.data?.total ?? 0}
        getRowId={rowKey}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search titles…" }}
        filters={
          <Select
            size="sm"
            aria-label="Type"
            value={t.filters.entityType}
            onChange={(e) => t.setFilter("entityType", e.target.value)}
            placeholder="All types"
            options={(types.data?.types ?? []).map((x) => ({ value: x.entityType, label: x.label }))}
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
        selectable={canWrite}
        rowSelection={selection}
        onRowSelectionChange={setSelection}
        emptyState={<EmptyState icon={<Trash2 />} title="The recycle bin is empty" description="Deleted users and other records appear here and can be restored until they are purged." />}
      />
      <ConfirmDialog
        open={purgeOpen}
        onClose={() => setPurgeOpen(false)}
        tone="danger"
        title="Purge expired records now?"
        message={`Records deleted more than ${me.tenant.retentionDays} days ago are removed permanently. This also happens automatically every hour.`}
        confirmLabel="Purge expired"
        onConfirm={purge}
      />
    </Page>
  );
}
