import { useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef, RowSelectionState } from "@tanstack/react-table";
import { Ellipsis, LogOut, Pencil, Plus, Trash2, UserCheck, UserX, Users } from "lucide-react";
import { ActionDock, Badge, Button, ConfirmDialog, DataTable, DropdownMenu, EmptyState, IconButton, IdCell, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { api } from "../../lib/api";
import { useCan, useMe } from "../../lib/auth";
import { formatNumber, initials, roleLabel } from "../../lib/format";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import { ROLES, type Page as ListPage, type User } from "../../lib/types";
import { RolesMatrix } from "./RolesMatrix";
import { UserDialog } from "./UserDialog";

const FILTERS = ["role", "status"] as const;

const roleTone = (r: string) => (r === "super_admin" || r === "admin" ? "accent" : r === "customer" || r === "carrier" ? "info" : "neutral");

type Confirm = { kind: "delete"; users: User[] } | { kind: "bulk-delete"; ids: string[] } | { kind: "logout"; user: User } | null;

export default function UsersPage() {
  const me = useMe();
  const can = useCan();
  const canWrite = can("users:write");
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "roles" ? "roles" : "users";
  const focusId = params.get("focus");
  const t = useTableState({ defaultPageSize: 25, defaultSort: "createdAt:desc", filters: FILTERS });

  const [selection, setSelection] = useState<RowSelectionState>({});
  const [dialog, setDialog] = useState<{ user: User | null } | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);

  const list = useQuery({
    queryKey: ["users", t.query],
    queryFn: ({ signal }) => api.get<ListPage<User>>("/users", t.query, signal),
    placeholderData: keepPreviousData,
    enabled: tab === "users",
  });

  // Global search links here with ?focus=<id>: open that user.
  const focused = useQuery({
    queryKey: ["users", "one", focusId],
    queryFn: () => api.get<User>(`/users/${focusId}`),
    enabled: !!focusId,
  });
  const focusedUser = focusId && focused.data?.id === focusId ? focused.data : null;
  const dropFocus = useCallback(
    () =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.delete("focus");
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  useEffect(() => {
    if (focusId && focused.error) {
      toast.error(focused.error);
      dropFocus();
    }
  }, [focusId, focused.error, dropFocus]);

  const closeDialog = () => {
    setDialog(null);
    if (focusId) dropFocus();
  };

  const invalidate = () => qc.invalidateQueries({ queryKey: ["users"] });

  const setActive = useMutation({
    mutationFn: async ({ ids, isActive }: { ids: string[]; isActive: boolean }) => {
      const results = await Promise.allSettled(ids.map((id) => api.patch<User>(`/users/${id}`, { isActive })));
      return { ok: results.filter((r) => r.status === "fulfilled").length, failed: results.filter((r): r is PromiseRejectedResult => r.status === "rejected") };
    },
    onSuccess: ({ ok, failed }, { isActive }) => {
      if (ok) toast.success(`${isActive ? "Activated" : "Deactivated"} ${ok} user${ok === 1 ? "" : "s"}`);
      if (failed.length) toast.error(failed[0]!.reason, { description: `${failed.length} could not be changed` });
      setSelection({});
      void invalidate();
    },
  });

  const openUser = useCallback((u: User) => setDialog({ user: u }), []);
  const activate = setActive.mutate;

  const columns = useMemo<ColumnDef<User>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        enableSorting: true,
        enableHiding: false,
        meta: { skeleton: "w-36" },
        cell: ({ row }) => (
          <span className="flex max-w-64 min-w-0 items-center gap-2">
            <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-surface-3 text-[10px] font-semibold text-fg-muted">{initials(row.original.name)}</span>
            <span className="truncate font-medium text-fg">{row.original.name}</span>
            {row.original.id === me.user.id && <Badge tone="accent">you</Badge>}
          </span>
        ),
      },
      {
        id: "email",
        header: "Email",
        enableSorting: true,
        meta: { className: "max-w-72 truncate text-fg-muted", skeleton: "w-44" },
        cell: ({ row }) => <span title={row.original.email}>{row.original.email}</span>,
      },
      {
        id: "role",
        header: "Role",
        enableSorting: true,
        cell: ({ row }) => <Badge tone={roleTone(row.original.role)}>{roleLabel(row.original.role)}</Badge>,
      },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) =>
          row.original.isActive ? (
            <Badge tone="success" dot>
              Active
            </Badge>
          ) : (
            <Badge tone="neutral" dot>
              Inactive
            </Badge>
          ),
      },
      {
        id: "lastLoginAt",
        header: "Last sign-in",
        enableSorting: true,
        meta: { className: "text-fg-muted" },
        cell: ({ row }) => <TimeCell value={row.original.lastLoginAt} relative empty="Never" />,
      },
      {
        id: "createdAt",
        header: "Created",
        enableSorting: true,
        meta: { className: "text-fg-muted" },
        cell: ({ row }) => <TimeCell value={row.original.createdAt} />,
      },
      {
        id: "id",
        header: "ID",
        meta: { label: "User ID" },
        cell: ({ row }) => <IdCell prefix="usr" id={row.original.id} />,
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) => {
          const u = row.original;
          const self = u.id === me.user.id;
          return (
            <div onClick={(e) => e.stopPropagation()} className="flex justify-end">
              <DropdownMenu
                align="end"
                items={[
                  { label: canWrite ? "Edit…" : "View", icon: <Pencil />, onSelect: () => openUser(u) },
                  { label: u.isActive ? "Deactivate" : "Activate", icon: u.isActive ? <UserX /> : <UserCheck />, hidden: !canWrite || self, onSelect: () => activate({ ids: [u.id], isActive: !u.isActive }) },
                  { label: "Sign out everywhere…", icon: <LogOut />, hidden: !canWrite, onSelect: () => setConfirm({ kind: "logout", user: u }) },
                  { type: "separator", hidden: !canWrite || self },
                  { label: "Delete…", icon: <Trash2 />, danger: true, hidden: !canWrite || self, onSelect: () => setConfirm({ kind: "delete", users: [u] }) },
                ]}
                trigger={(p) => <IconButton {...p} label={`Options for ${u.name}`} tooltip={false} size="sm" icon={<Ellipsis className="size-4" />} />}
              />
            </div>
          );
        },
      },
    ],
    [me.user.id, canWrite, openUser, activate],
  );

  const selectedIds = Object.keys(selection).filter((k) => selection[k]);
  const selectedNotSelf = selectedIds.filter((id) => id !== me.user.id);

  const bulkDelete = async (ids: string[]) => {
    const results = await Promise.allSettled(ids.map((id) => api.del(`/users/${id}`)));
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    void invalidate();
    setSelection({});
    if (ok) toast.success(`Moved ${ok} user${ok === 1 ? "" : "s"} to the Recycle Bin`, { action: can("recycle_bin:read") ? { label: "Restore from bin", to: "/system/recycle-bin?entityType=user" } : undefined });
    if (failed.length) throw failed[0]!.reason;
  };

  return (
    <Page
      fill={tab === "users"}
      header={
        <PageHeader
          title="Users & Roles"
          meta={list.data && tab === "users" ? <Badge tone="neutral">{formatNumber(list.data.total)}</Badge> : undefined}
          tabs={{
            value: tab,
            onChange: (id) => setParams(id === "roles" ? { tab: "roles" } : {}, { replace: true }),
            items: [
              { id: "users", label: "Users" },
              { id: "roles", label: "Roles" },
            ],
          }}
          actions={
            <DropdownMenu
              items={[
                { label: "Add user…", icon: <Plus />, hidden: !canWrite, onSelect: () => setDialog({ user: null }) },
                { type: "separator", hidden: !canWrite },
                { type: "heading", label: `Selection (${selectedIds.length})`, hidden: !canWrite },
                { label: "Activate selected", icon: <UserCheck />, hidden: !canWrite, disabled: selectedNotSelf.length === 0, onSelect: () => setActive.mutate({ ids: selectedNotSelf, isActive: true }) },
                { label: "Deactivate selected", icon: <UserX />, hidden: !canWrite, disabled: selectedNotSelf.length === 0, onSelect: () => setActive.mutate({ ids: selectedNotSelf, isActive: false }) },
                { label: "Delete selected…", icon: <Trash2 />, danger: true, hidden: !canWrite, disabled: selectedNotSelf.length === 0, onSelect: () => setConfirm({ kind: "bulk-delete", ids: selectedNotSelf }) },
                { type: "separator" },
                { label: "View user changes in audit log", to: "/system/audit?entityType=user", hidden: !can("audit:read") },
                { label: "Open recycle bin", to: "/system/recycle-bin?entityType=user", hidden: !can("recycle_bin:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite && tab === "users" ? (
          <ActionDock
            start={
              selectedIds.length > 0 ? (
                <>
                  <span className="font-medium text-fg">{selectedIds.length} selected</span>
                  <Button size="sm" variant="ghost" icon={<UserCheck className="size-3.5" />} disabled={!selectedNotSelf.length} loading={setActive.isPending && setActive.variables?.isActive === true} onClick={() => setActive.mutate({ ids: selectedNotSelf, isActive: true })}>
                    Activate
                  </Button>
                  <Button size="sm" variant="ghost" icon={<UserX className="size-3.5" />} disabled={!selectedNotSelf.length} loading={setActive.isPending && setActive.variables?.isActive === false} onClick={() => setActive.mutate({ ids: selectedNotSelf, isActive: false })}>
                    Deactivate
                  </Button>
                  <Button size="sm" variant="ghost" className="text-red-600 dark:text-red-400" icon={<Trash2 className="size-3.5" />} disabled={!selectedNotSelf.length} onClick={() => setConfirm({ kind: "bulk-delete", ids: selectedNotSelf })}>
                    Delete
                  </Button>
                </>
              ) : (
                <span className="hidden text-xs text-fg-subtle sm:inline">Select rows to activate, deactivate or delete several users at once.</span>
              )
            }
          >
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setDialog({ user: null })}>
              Add user
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      {tab === "roles" ? (
        <RolesMatrix />
      ) : (
        <DataTable
          aria-label="Users"
          tableId="users"
          columns={columns}
          getRowId={(u) => u.id}
          {...serverTableProps(t, list)}
          search={{ value: t.q, onChange: t.setQ, placeholder: "Search name or email…" }}
          filters={
            <>
              <Select
                size="sm"
                aria-label="Role"
                value={t.filters.role}
                onChange={(e) => t.setFilter("role", e.target.value)}
                placeholder="All roles"
                options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
                wrapperClassName="w-36"
              />
              <Select
                size="sm"
                aria-label="Status"
                value={t.filters.status}
                onChange={(e) => t.setFilter("status", e.target.value)}
                placeholder="Any status"
                options={[
                  { value: "active", label: "Active" },
                  { value: "inactive", label: "Inactive" },
                ]}
                wrapperClassName="w-32"
              />
            </>
          }
          selectable={canWrite}
          rowSelection={selection}
          onRowSelectionChange={setSelection}
          onRowClick={openUser}
          rowClassName={(u) => (u.isActive ? undefined : "text-fg-muted")}
          emptyState={
            <EmptyState
              icon={<Users />}
              title="No users yet"
              description="Add the people who run your network: NOC, billing and account managers."
              action={
                canWrite && (
                  <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setDialog({ user: null })}>
                    Add user
                  </Button>
                )
              }
            />
          }
        />
      )}

      <UserDialog open={dialog !== null || focusedUser !== null} user={dialog ? dialog.user : focusedUser} readOnly={!canWrite} onClose={closeDialog} />

      <ConfirmDialog
        open={confirm?.kind === "delete" || confirm?.kind === "bulk-delete"}
        onClose={() => setConfirm(null)}
        tone="danger"
        title={confirm?.kind === "delete" ? `Delete ${confirm.users[0]?.name}?` : `Delete ${confirm?.kind === "bulk-delete" ? confirm.ids.length : 0} users?`}
        message={
          <>
            {confirm?.kind === "delete" ? "The user" : "These users"} cannot sign in any more and {confirm?.kind === "delete" ? "is" : "are"} moved to the Recycle Bin. You can restore them there for{" "}
            {me.tenant.retentionDays} days.
          </>
        }
        confirmLabel="Move to Recycle Bin"
        onConfirm={() => (confirm?.kind === "delete" ? bulkDelete(confirm.users.map((u) => u.id)) : confirm?.kind === "bulk-delete" ? bulkDelete(confirm.ids) : undefined)}
      />
      <ConfirmDialog
        open={confirm?.kind === "logout"}
        onClose={() => setConfirm(null)}
        tone="danger"
        title={confirm?.kind === "logout" ? `Sign ${confirm.user.name} out everywhere?` : ""}
        message="All of their sessions end at once. They can sign in again straight away unless you also deactivate them."
        confirmLabel="Sign out everywhere"
        onConfirm={async () => {
          if (confirm?.kind !== "logout") return;
          const r = await api.post<{ sessionsEnded: number }>(`/users/${confirm.user.id}/logout-everywhere`);
          toast.success(`Ended ${r.sessionsEnded} session${r.sessionsEnded === 1 ? "" : "s"} of ${confirm.user.name}`);
          if (confirm.user.id === me.user.id) void qc.invalidateQueries({ queryKey: ["me"] });
        }}
      />
    </Page>
  );
}
