import { useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Ellipsis, PhoneOff, Plus, RotateCcw, Pencil, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, ConfirmDialog, DataTable, DropdownMenu, EmptyState, IconButton, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState } from "../../lib/useTableState";
import type { ReleaseCause } from "./types";
import { ReleaseCauseDialog } from "./config/ReleaseCauseDialog";
import { q850Name } from "./config/q850";
import { Switch } from "./interconnect/fields";

const FILTERS = ["class", "failover"] as const;
type Rows = { rows: ReleaseCause[] };
const KEY = ["release-causes"];

/** SIP response → Q.850 cause mapping with per-code failover, seeded from RFC 3398. */
export default function ReleaseCausesPage() {
  const can = useCan();
  const canWrite = can("carriers:write");
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 100, filters: FILTERS });
  const [dialog, setDialog] = useState<{ cause: ReleaseCause | null } | null>(null);
  const [confirm, setConfirm] = useState<{ kind: "reset" } | { kind: "delete"; cause: ReleaseCause } | null>(null);

  const data = useQuery({ queryKey: KEY, queryFn: ({ signal }) => api.get<Rows>("/release-causes", undefined, signal) });

  const toggle = useMutation({
    mutationFn: (v: { cause: ReleaseCause; failover: boolean }) => api.patch<ReleaseCause>(`/release-causes/${v.cause.id}`, { failover: v.failover }),
    onMutate: async ({ cause, failover }) => {
      await qc.cancelQueries({ queryKey: KEY });
      const before = qc.getQueryData<Rows>(KEY);
      qc.setQueryData<Rows>(KEY, (d) => (d ? { rows: d.rows.map((r) => (r.id === cause.id ? { ...r, failover } : r)) } : d));
      return { before };
    },
    onError: (e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(KEY, ctx.before);
      toast.error(e);
    },
    onSuccess: (saved) => {
      qc.setQueryData<Rows>(KEY, (d) => (d ? { rows: d.rows.map((r) => (r.id === saved.id ? saved : r)) } : d));
      toast.success(`SIP ${saved.sipCode}: failover ${saved.failover ? "on" : "off"}`);
    },
  });
  const setFailover = toggle.mutate;
  const pendingId = toggle.isPending ? toggle.variables?.cause.id : undefined;

  const filtered = useMemo(() => {
    const all = data.data?.rows ?? [];
    const q = t.q.toLowerCase();
    return all.filter((r) => {
      if (t.filters.class && String(r.sipCode)[0] !== t.filters.class) return false;
      if (t.filters.failover && String(r.failover) !== t.filters.failover) return false;
      if (q && !`${r.sipCode} ${r.description} ${r.q850Cause} ${q850Name(r.q850Cause)}`.toLowerCase().includes(q)) return false;
      return true;
    });
  }, [data.data, t.q, t.filters.class, t.filters.failover]);
  const pageRows = data.data ? filtered.slice((t.page - 1) * t.pageSize, t.page * t.pageSize) : undefined;

  const columns = useMemo<ColumnDef<ReleaseCause>[]>(
    () => [
      {
        id: "sipCode",
        header: "SIP code",
        enableHiding: false,
        meta: { className: "w-24", skeleton: "w-10" },
        cell: ({ row }) => <span className="font-mono text-sm font-semibold text-fg">{row.original.sipCode}</span>,
      },
      { id: "description", header: "SIP reason", meta: { skeleton: "w-40" }, cell: ({ row }) => <span className="block max-w-64 truncate text-fg">{row.original.description}</span> },
      {
        id: "q850Cause",
        header: "Q.850 cause",
        meta: { skeleton: "w-48" },
        cell: ({ row }) => (
          <span className="flex min-w-0 items-center gap-2">
            <span className="w-8 shrink-0 text-right font-mono text-sm text-fg tabular">{row.original.q850Cause}</span>
            <span className="max-w-72 truncate text-fg-muted" title={q850Name(row.original.q850Cause)}>
              {q850Name(row.original.q850Cause)}
            </span>
          </span>
        ),
      },
      {
        id: "failover",
        header: "Failover",
        meta: { className: "w-28" },
        cell: ({ row }) => {
          const r = row.original;
          return (
            <span className="flex items-center gap-2">
              <Switch aria-label={`Failover for SIP ${r.sipCode}`} checked={r.failover} disabled={!canWrite} busy={pendingId === r.id} onChange={(failover) => setFailover({ cause: r, failover })} />
              <span className={r.failover ? "text-xs font-medium text-fg" : "text-xs text-fg-subtle"}>{r.failover ? "Yes" : "No"}</span>
            </span>
          );
        },
      },
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
                { label: canWrite ? "Edit…" : "View", icon: <Pencil />, onSelect: () => setDialog({ cause: row.original }) },
                { type: "separator", hidden: !canWrite },
                { label: "Delete…", icon: <Trash2 />, danger: true, hidden: !canWrite, onSelect: () => setConfirm({ kind: "delete", cause: row.original }) },
              ]}
              trigger={(p) => <IconButton {...p} label={`Options for SIP ${row.original.sipCode}`} tooltip={false} size="sm" icon={<Ellipsis className="size-4" />} />}
            />
          </div>
        ),
      },
    ],
    [canWrite, pendingId, setFailover],
  );

  const failoverCount = data.data?.rows.filter((r) => r.failover).length ?? 0;

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Release Cause Mapping"
          description="SIP responses mapped to Q.850 causes. Failover decides whether a failed supplier attempt tries the next route. Interconnects use this table unless set to pass through."
          meta={data.data ? <Badge tone="neutral">{data.data.rows.length}</Badge> : undefined}
          actions={
            <DropdownMenu
              items={[
                { label: "Add mapping…", icon: <Plus />, hidden: !canWrite, onSelect: () => setDialog({ cause: null }) },
                { type: "separator", hidden: !canWrite },
                { label: "Reset to RFC 3398 defaults…", icon: <RotateCcw />, hidden: !canWrite, onSelect: () => setConfirm({ kind: "reset" }) },
                { label: "View changes in audit log", to: "/system/audit?entityType=release_cause_mapping", hidden: !can("audit:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={data.data ? <span className="text-xs text-fg-subtle">{failoverCount} of {data.data.rows.length} codes fail over to the next route.</span> : undefined}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setDialog({ cause: null })}>
              Add mapping
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Release cause mappings"
        tableId="release-causes"
        columns={columns}
        rows={pageRows}
        total={filtered.length}
        getRowId={(r) => r.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Code, reason or cause…" }}
        filters={
          <>
            <Select
              size="sm"
              aria-label="Class"
              value={t.filters.class}
              onChange={(e) => t.setFilter("class", e.target.value)}
              placeholder="All classes"
              options={[
                { value: "3", label: "3xx Redirection" },
                { value: "4", label: "4xx Client failure" },
                { value: "5", label: "5xx Server failure" },
                { value: "6", label: "6xx Global failure" },
              ]}
              wrapperClassName="w-40"
            />
            <Select
              size="sm"
              aria-label="Failover"
              value={t.filters.failover}
              onChange={(e) => t.setFilter("failover", e.target.value)}
              placeholder="Failover: any"
              options={[
                { value: "true", label: "Fails over" },
                { value: "false", label: "Stops" },
              ]}
              wrapperClassName="w-36"
            />
          </>
        }
        hasFilters={t.hasFilters}
        onClearFilters={t.clearFilters}
        onRefresh={() => data.refetch()}
        isFetching={data.isFetching}
        isLoading={data.isLoading}
        error={data.error}
        onRowClick={(r) => setDialog({ cause: r })}
        emptyState={
          <EmptyState
            icon={<PhoneOff />}
            title="No release cause mappings"
            description="Without mappings, causes pass through unchanged. Start from the RFC 3398 defaults."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<RotateCcw className="size-3.5" />} onClick={() => setConfirm({ kind: "reset" })}>
                  Load RFC 3398 defaults
                </Button>
              )
            }
          />
        }
      />
      <ReleaseCauseDialog open={dialog !== null} cause={dialog?.cause ?? null} readOnly={!canWrite} onClose={() => setDialog(null)} />
      <ConfirmDialog
        open={confirm?.kind === "reset"}
        onClose={() => setConfirm(null)}
        tone="danger"
        title="Reset to RFC 3398 defaults?"
        message="Every mapping is replaced with the RFC 3398 table and its default failover choices. Your custom codes and changes are lost (the audit log keeps a record)."
        confirmLabel="Reset mappings"
        onConfirm={async () => {
          const r = await api.post<Rows>("/release-causes/reset");
          qc.setQueryData(KEY, r);
          toast.success(`Reset to ${r.rows.length} RFC 3398 mappings`);
        }}
      />
      <ConfirmDialog
        open={confirm?.kind === "delete"}
        onClose={() => setConfirm(null)}
        tone="danger"
        title={confirm?.kind === "delete" ? `Delete the mapping for SIP ${confirm.cause.sipCode}?` : ""}
        message="This SIP code is no longer mapped by the table; the received cause is passed on as it is."
        confirmLabel="Delete mapping"
        onConfirm={async () => {
          if (confirm?.kind !== "delete") return;
          await api.del(`/release-causes/${confirm.cause.id}`);
          void qc.invalidateQueries({ queryKey: KEY });
          toast.success(`Deleted the mapping for SIP ${confirm.cause.sipCode}`);
        }}
      />
    </Page>
  );
}
