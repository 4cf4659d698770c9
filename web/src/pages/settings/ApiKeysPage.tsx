import { useMemo, useState, type FormEvent } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Ban, Check, Copy, KeyRound, Plus, TriangleAlert } from "lucide-react";
import { ActionDock, Badge, Button, Checkbox, ConfirmDialog, DataTable, Dialog, DropdownMenu, EmptyState, Field, IconButton, IdCell, Input, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { ApiError, api, fieldErrors } from "../../lib/api";
import { useCan, useMe } from "../../lib/auth";
import { formatDate, formatFull, formatNumber, zonedDayStartIso } from "../../lib/format";
import { copyText } from "../../lib/hooks";
import { useTableState } from "../../lib/useTableState";
import { PERMISSIONS, type ApiKey, type Page as ListPage } from "../../lib/types";

function keyStatus(k: ApiKey, now = Date.now()): { label: string; tone: "success" | "danger" | "warning" } {
  if (k.revokedAt) return { label: "Revoked", tone: "danger" };
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) return { label: "Expired", tone: "warning" };
  return { label: "Active", tone: "success" };
}

export default function ApiKeysPage() {
  const can = useCan();
  const canWrite = can("api_keys:write");
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 25 });
  const [createOpen, setCreateOpen] = useState(false);
  const [created, setCreated] = useState<{ key: ApiKey; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const list = useQuery({
    queryKey: ["api-keys", t.query],
    queryFn: ({ signal }) => api.get<ListPage<ApiKey>>("/api-keys", { page: t.page, pageSize: t.pageSize }, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<ApiKey>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        enableHiding: false,
        cell: ({ row }) => (
          <span className="flex max-w-64 items-center gap-2">
            <KeyRound className="size-3.5 shrink-0 text-fg-subtle" aria-hidden />
            <span className="truncate font-medium">{row.original.name}</span>
          </span>
        ),
      },
      {
        id: "token",
        header: "Token",
        cell: ({ row }) => <span className="font-mono text-xs text-fg-muted">dtk_{row.original.tokenPrefix}_…</span>,
      },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => {
          const s = keyStatus(row.original);
          return (
            <Badge tone={s.tone} dot title={row.original.revokedAt ? `Revoked ${formatFull(row.original.revokedAt)}` : undefined}>
              {s.label}
            </Badge>
          );
        },
      },
      {
        id: "scopes",
        header: "Scopes",
        meta: { className: "max-w-72" },
        cell: ({ row }) => {
          const scopes = row.original.scopes;
          return (
            <span className="flex items-center gap-1 overflow-hidden" title={scopes.join(", ")}>
              {scopes.slice(0, 2).map((s) => (
                <Badge key={s} mono>
                  {s}
                </Badge>
              ))}
              {scopes.length > 2 && <span className="text-xs text-fg-subtle">+{scopes.length - 2}</span>}
            </span>
          );
        },
      },
      { id: "createdAt", header: "Created", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      { id: "lastUsedAt", header: "Last used", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.lastUsedAt} relative empty="Never" /> },
      {
        id: "expiresAt",
        header: "Expires",
        meta: { className: "text-fg-muted" },
        cell: ({ row }) => <TimeCell value={row.original.expiresAt} empty="Never" />,
      },
      {
        id: "createdBy",
        header: "Created by",
        cell: ({ row }) => (row.original.createdByName ? <span title={row.original.createdByUserId}>{row.original.createdByName}</span> : <IdCell prefix="usr" id={row.original.createdByUserId} />),
      },
      { id: "id", header: "ID", meta: { label: "Key ID" }, cell: ({ row }) => <IdCell prefix="key" id={row.original.id} /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right" },
        cell: ({ row }) =>
          canWrite && !row.original.revokedAt ? (
            <IconButton label={`Revoke ${row.original.name}`} size="sm" icon={<Ban className="size-3.5" />} onClick={() => setRevoking(row.original)} tooltipSide="left" />
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
          title="API Keys"
          description="Bearer tokens for switches, billing systems and scripts. A key can never hold more permissions than the person who created it."
          meta={list.data ? <Badge tone="neutral">{formatNumber(list.data.total)}</Badge> : undefined}
          actions={
            <DropdownMenu
              items={[
                { label: "Create API key…", icon: <Plus />, hidden: !canWrite, onSelect: () => setCreateOpen(true) },
                { label: "API documentation", onSelect: () => window.open("/api/docs", "_blank", "noopener") },
                { label: "View key changes in audit log", to: "/system/audit?entityType=api_key", hidden: !can("audit:read") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Send the token as <code className="font-mono">Authorization: Bearer dtk_…</code></span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreateOpen(true)}>
              Create API key
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="API keys"
        tableId="api-keys"
        columns={columns}
        rows={list.data?.rows}
        total={list.data?.total ?? 0}
        getRowId={(k) => k.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        onRefresh={() => list.refetch()}
        isFetching={list.isFetching}
        isLoading={list.isLoading}
          stale={list.isPlaceholderData}
        error={list.error}
        rowClassName={(k) => (k.revokedAt ? "opacity-60" : undefined)}
        initialHidden={["id"]}
        emptyState={
          <EmptyState
            icon={<KeyRound />}
            title="No API keys yet"
            description="Create a key to let a switch, billing system or script call the DIDTron API."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setCreateOpen(true)}>
                  Create API key
                </Button>
              )
            }
          />
        }
      />

      <CreateKeyDialog
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onCreated={(r) => {
          setCreateOpen(false);
          setCreated(r);
          void qc.invalidateQueries({ queryKey: ["api-keys"] });
        }}
      />
      <TokenDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        tone="danger"
        title={`Revoke “${revoking?.name ?? ""}”?`}
        message="Requests with this key fail from now on. This cannot be undone: create a new key if you need access again."
        confirmLabel="Revoke key"
        onConfirm={async () => {
          if (!revoking) return;
          await api.post(`/api-keys/${revoking.id}/revoke`);
          toast.success(`Revoked ${revoking.name}`);
          await qc.invalidateQueries({ queryKey: ["api-keys"] });
        }}
      />
    </Page>
  );
}

const EXPIRY = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In 1 year" },
  { value: "custom", label: "On a date…" },
];

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (r: { key: ApiKey; token: string }) => void }) {
  const me = useMe();
  // Scopes come from the caller's own permissions (the server refuses anything beyond them).
  const known: readonly string[] = PERMISSIONS;
  const grantable = [...known.filter((p) => me.permissions.includes(p)), ...me.permissions.filter((p) => !known.includes(p))];
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState("90");
  const [date, setDate] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});

  const reset = () => {
    setName("");
    setScopes([]);
    setExpiry("90");
    setDate("");
    setLocal({});
    create.reset();
  };

  const create = useMutation({
    mutationFn: () => {
      let expiresAt: string | null = null;
      if (expiry === "custom") expiresAt = zonedDayStartIso(date) ?? null;
      else if (expiry !== "never") expiresAt = new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
      return api.post<{ key: ApiKey; token: string }>("/api-keys", { name: name.trim(), scopes, expiresAt });
    },
    onSuccess: (r) => {
      reset();
      onCreated(r);
    },
  });

  const server = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = "Give the key a name, e.g. the system that uses it";
    if (scopes.length === 0) errs.scopes = "Pick at least one scope";
    if (expiry === "custom" && (!date || new Date(zonedDayStartIso(date) ?? 0).getTime() <= Date.now())) errs.expiresAt = "Pick a date in the future";
    setLocal(errs);
    if (Object.keys(errs).length === 0) create.mutate();
  };
  const toggle = (p: string, on: boolean) => setScopes((s) => (on ? [...s, p] : s.filter((x) => x !== p)));
  const readOnly = grantable.filter((p) => p.endsWith(":read"));
  const general = create.error && !(create.error instanceof ApiError && create.error.fields) ? create.error : null;

  return (
    <Dialog
      open={open}
      onClose={() => {
        reset();
        onClose();
      }}
      dismissible={!create.isPending}
      size="lg"
      title="Create API key"
      description="The token is shown once, right after you create the key."
      footer={
        <>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
            disabled={create.isPending}
          >
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="create-key" loading={create.isPending}>
            Create key
          </Button>
        </>
      }
    >
      <form id="create-key" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <div className="grid grid-cols-1 gap-3.5 sm:grid-cols-2">
          <Field label="Name" required error={local.name ?? server.name} hint="Where the key is used, e.g. “Kamailio edge 1”.">
            <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
          </Field>
          <div className="flex gap-2">
            <Field label="Expires" className="flex-1" error={local.expiresAt ?? server.expiresAt}>
              <Select value={expiry} onChange={(e) => setExpiry(e.target.value)} options={EXPIRY} />
            </Field>
            {expiry === "custom" && (
              <Field label="Date" className="flex-1">
                <Input type="date" value={date} onChange={(e) => setDate(e.target.value)} min={formatDate(new Date(Date.now() + 86_400_000))} />
              </Field>
            )}
          </div>
        </div>
        <fieldset className="min-w-0">
          <div className="mb-1.5 flex items-center justify-between gap-2">
            <legend className="text-xs font-medium text-fg">
              Scopes <span className="text-red-600 dark:text-red-400">*</span>
            </legend>
            <span className="flex gap-3 text-xs">
              <button type="button" className="font-medium text-accent-text hover:underline" onClick={() => setScopes(readOnly)}>
                Read-only
              </button>
              <button type="button" className="font-medium text-accent-text hover:underline" onClick={() => setScopes(grantable)}>
                All I hold
              </button>
              <button type="button" className="text-fg-muted hover:underline" onClick={() => setScopes([])}>
                None
              </button>
            </span>
          </div>
          <div className="grid grid-cols-1 gap-x-4 gap-y-2 rounded-md border border-line bg-surface-2 p-3 sm:grid-cols-2">
            {grantable.map((p) => (
              <Checkbox key={p} label={<span className="font-mono text-xs">{p}</span>} checked={scopes.includes(p)} onChange={(e) => toggle(p, e.target.checked)} />
            ))}
          </div>
          {(local.scopes ?? server.scopes) && <p className="mt-1.5 text-xs text-red-600 dark:text-red-400">{local.scopes ?? server.scopes?.join("; ")}</p>}
          <p className="mt-1.5 text-xs text-fg-subtle">Only permissions your own role holds can be granted.</p>
        </fieldset>
        {general && (
          <p role="alert" className="rounded-md border border-red-500/25 bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300">
            {general.message}
            {general instanceof ApiError && <span className="ml-1 font-mono text-2xs opacity-75">({general.code})</span>}
          </p>
        )}
      </form>
    </Dialog>
  );
}

function TokenDialog({ created, onClose }: { created: { key: ApiKey; token: string } | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const close = () => {
    setCopied(false);
    onClose();
  };
  return (
    <Dialog
      open={created !== null}
      onClose={close}
      title={`API key “${created?.key.name ?? ""}” created`}
      size="md"
      footer={
        <Button variant="primary" onClick={close}>
          {copied ? "Done" : "I have stored the token"}
        </Button>
      }
    >
      <div className="flex items-start gap-2.5 rounded-md border border-amber-500/30 bg-amber-50 px-3 py-2.5 text-sm text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p>
          Copy this token now. <strong>It will not be shown again</strong> — DIDTron stores only a hash of it.
        </p>
      </div>
      <div className="mt-3 flex items-stretch gap-2">
        <code data-testid="api-key-token" className="min-w-0 flex-1 rounded-md border border-line bg-surface-2 px-3 py-2 font-mono text-xs break-all text-fg select-all">
          {created?.token}
        </code>
        <Button
          data-autofocus
          icon={copied ? <Check className="size-4 text-emerald-600" /> : <Copy className="size-4" />}
          onClick={async () => {
            if (created && (await copyText(created.token))) {
              setCopied(true);
              toast.success("Token copied to the clipboard");
            } else toast.error("Could not copy: select the token and copy it by hand");
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      {created && (
        <p className="mt-3 text-xs text-fg-muted">
          Scopes: <span className="font-mono">{created.key.scopes.join(", ")}</span>
          {created.key.expiresAt ? ` · expires ${formatDate(created.key.expiresAt)}` : " · never expires"}
        </p>
      )}
    </Dialog>
  );
}
