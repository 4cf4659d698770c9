import { useMemo, useState, type ReactNode } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { clsx } from "clsx";
import { Bot, Copy, KeyRound, ScrollText, User, X } from "lucide-react";
import { Badge, Button, DataTable, Dialog, DropdownMenu, EmptyState, IdCell, Input, JsonView, KeyValue, Page, PageHeader, Select, Tabs, toast } from "../../components";
import { api } from "../../lib/api";
import { entityPrefix, formatDateTime, formatFull, formatNumber, shortId, zonedDayStartIso } from "../../lib/format";
import { copyText } from "../../lib/hooks";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { ActorType, AuditEvent, Page as ListPage } from "../../lib/types";

const FILTERS = ["entityType", "action", "actorType", "from", "to", "entityId"] as const;


const ACTOR_ICON: Record<ActorType, ReactNode> = {
  user: <User className="size-3.5" aria-hidden />,
  api_key: <KeyRound className="size-3.5" aria-hidden />,
  system: <Bot className="size-3.5" aria-hidden />,
};
const ACTOR_LABEL: Record<ActorType, string> = { user: "User", api_key: "API key", system: "System" };

function actionTone(action: string) {
  if (/delete|revoke|purge|failed|cancel/.test(action)) return "danger" as const;
  if (/create|restore/.test(action)) return "success" as const;
  if (/login|logout|switch/.test(action)) return "info" as const;
  return "neutral" as const;
}

type Changes = Record<string, [unknown, unknown]>;
function changesOf(e: AuditEvent): Changes {
  const c = e.changes;
  if (!c || typeof c !== "object" || Array.isArray(c)) return {};
  return Object.fromEntries(Object.entries(c as Record<string, unknown>).filter((entry): entry is [string, [unknown, unknown]] => Array.isArray(entry[1]) && entry[1].length === 2));
}

function renderValue(v: unknown): ReactNode {
  if (v === null || v === undefined) return <span className="text-fg-subtle italic">null</span>;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return <span className="font-mono">{String(v)}</span>;
  return <span className="font-mono text-xs">{JSON.stringify(v)}</span>;
}

export default function AuditLogPage() {
  const t = useTableState({ defaultPageSize: 25, defaultSort: "createdAt:desc", filters: FILTERS });
  const [open, setOpen] = useState<AuditEvent | null>(null);

  const query = useMemo(() => {
    const { from, to, ...rest } = t.query;
    return {
      ...rest,
      from: typeof from === "string" ? zonedDayStartIso(from) : undefined,
      // "To" is inclusive for people: up to the end of that day.
      to: typeof to === "string" ? zonedDayStartIso(to, 1) : undefined,
    };
  }, [t.query]);

  const list = useQuery({
    queryKey: ["audit-events", query],
    queryFn: ({ signal }) => api.get<ListPage<AuditEvent>>("/audit-events", query, signal),
    placeholderData: keepPreviousData,
  });
  const facets = useQuery({ queryKey: ["audit-facets"], queryFn: () => api.get<{ actions: string[]; entityTypes: string[] }>("/audit-events/facets"), staleTime: 60_000 });

  const columns = useMemo<ColumnDef<AuditEvent>[]>(
    () => [
      {
        id: "createdAt",
        header: "Time",
        enableSorting: true,
        enableHiding: false,
        meta: { className: "text-fg-muted" },
        cell: ({ row }) => (
          <time dateTime={row.original.createdAt} title={formatFull(row.original.createdAt)} className="tabular">
            {formatDateTime(row.original.createdAt, { seconds: true })}
          </time>
        ),
      },
      {
        id: "actorLabel",
        header: "Actor",
        enableSorting: true,
        meta: { className: "max-w-60" },
        cell: ({ row }) => (
          <span className="flex min-w-0 items-center gap-1.5" title={`${ACTOR_LABEL[row.original.actorType]}: ${row.original.actorLabel}`}>
            <span className="shrink-0 text-fg-subtle">{ACTOR_ICON[row.original.actorType]}</span>
            <span className="truncate">{row.original.actorLabel}</span>
          </span>
        ),
      },
      {
        id: "action",
        header: "Action",
        enableSorting: true,
        cell: ({ row }) => (
          <Badge mono tone={actionTone(row.original.action)}>
            {row.original.action}
          </Badge>
        ),
      },
      {
        id: "entityType",
        header: "Entity",
        enableSorting: true,
        cell: ({ row }) => (
          <span className="flex items-center gap-2">
            <span className="text-fg-muted">{row.original.entityType}</span>
            <IdCell prefix={entityPrefix(row.original.entityType)} id={row.original.entityId} />
          </span>
        ),
      },
      {
        id: "changes",
        header: "Changed fields",
        meta: { className: "max-w-72 truncate text-fg-muted" },
        cell: ({ row }) => {
          const keys = Object.keys(changesOf(row.original));
          return keys.length ? <span title={keys.join(", ")}>{keys.join(", ")}</span> : <span className="text-fg-subtle">—</span>;
        },
      },
      { id: "ip", header: "IP", meta: { className: "font-mono text-xs text-fg-muted" }, cell: ({ row }) => row.original.ip ?? <span className="text-fg-subtle">—</span> },
      {
        id: "requestId",
        header: "Request",
        meta: { className: "font-mono text-xs text-fg-muted" },
        cell: ({ row }) => (row.original.requestId ? <span title={row.original.requestId}>{row.original.requestId.slice(0, 8)}</span> : <span className="text-fg-subtle">—</span>),
      },
    ],
    [],
  );

  const options = (values: string[] | undefined, current: string) => {
    const set = new Set(values ?? []);
    if (current) set.add(current);
    return [...set].map((v) => ({ value: v, label: v }));
  };

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Audit Log"
          description="Every change, sign-in and API call that altered data: who, when, from where, and what changed."
          meta={list.data ? <Badge tone="neutral">{formatNumber(list.data.total)}</Badge> : undefined}
          actions={
            <DropdownMenu
              items={[
                { label: "Clear all filters", disabled: !t.hasFilters, onSelect: t.clearFilters },
                { label: "Only sign-ins", onSelect: () => t.setFilters({ action: "auth.login", entityType: "", actorType: "", entityId: "" }) },
                { label: "Only API key activity", onSelect: () => t.setFilters({ actorType: "api_key", action: "", entityType: "", entityId: "" }) },
                { type: "separator" },
                {
                  label: "Copy link to this view",
                  icon: <Copy />,
                  onSelect: async () => {
                    if (await copyText(window.location.href)) toast.success("Link copied");
                  },
                },
              ]}
            />
          }
        />
      }
    >
      <DataTable
        aria-label="Audit events"
        tableId="audit"
        columns={columns}
        getRowId={(e) => e.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search actor or action…" }}
        filters={
          <>
            <Select size="sm" aria-label="Entity type" value={t.filters.entityType} onChange={(e) => t.setFilter("entityType", e.target.value)} placeholder="All entities" options={options(facets.data?.entityTypes, t.filters.entityType)} wrapperClassName="w-36" />
            <Select size="sm" aria-label="Action" value={t.filters.action} onChange={(e) => t.setFilter("action", e.target.value)} placeholder="All actions" options={options(facets.data?.actions, t.filters.action)} wrapperClassName="w-44" />
            <Select
              size="sm"
              aria-label="Actor type"
              value={t.filters.actorType}
              onChange={(e) => t.setFilter("actorType", e.target.value)}
              placeholder="Any actor"
              options={(Object.keys(ACTOR_LABEL) as ActorType[]).map((a) => ({ value: a, label: ACTOR_LABEL[a] }))}
              wrapperClassName="w-32"
            />
            <div className="flex items-center gap-1">
              <Input size="sm" type="date" aria-label="From date" title="From (inclusive)" value={t.filters.from} max={t.filters.to || undefined} onChange={(e) => t.setFilter("from", e.target.value)} className="w-[8.5rem]" />
              <span className="text-xs text-fg-subtle">–</span>
              <Input size="sm" type="date" aria-label="To date" title="To (inclusive)" value={t.filters.to} min={t.filters.from || undefined} onChange={(e) => t.setFilter("to", e.target.value)} className="w-[8.5rem]" />
            </div>
            {t.filters.entityId && (
              <span className="inline-flex h-7 items-center gap-1 rounded-md border border-line bg-surface-2 pr-1 pl-2 text-xs">
                Entity <span className="font-mono">{shortId(entityPrefix(t.filters.entityType || "x"), t.filters.entityId)}</span>
                <button type="button" aria-label="Remove entity filter" onClick={() => t.setFilter("entityId", "")} className="rounded p-0.5 text-fg-subtle hover:bg-surface-3 hover:text-fg">
                  <X className="size-3" />
                </button>
              </span>
            )}
          </>
        }
        onRowClick={setOpen}
        initialHidden={["requestId"]}
        emptyState={<EmptyState icon={<ScrollText />} title="No audit events yet" description="Changes made in the console or through the API are recorded here." />}
      />
      <AuditDetail
        event={open}
        onClose={() => setOpen(null)}
        onFilterEntity={(e) => {
          setOpen(null);
          if (e.entityId) t.setFilters({ entityType: e.entityType, entityId: e.entityId, action: "", actorType: "", q: "" } as Partial<Record<(typeof FILTERS)[number], string>>);
        }}
      />
    </Page>
  );
}

function AuditDetail({ event, onClose, onFilterEntity }: { event: AuditEvent | null; onClose: () => void; onFilterEntity: (e: AuditEvent) => void }) {
  const [raw, setRaw] = useState("after");
  const changes = event ? changesOf(event) : {};
  const keys = Object.keys(changes);
  return (
    <Dialog
      open={event !== null}
      onClose={onClose}
      variant="sheet"
      size="lg"
      title={event ? <span className="font-mono">{event.action}</span> : ""}
      description={event ? `${event.actorLabel} · ${formatFull(event.createdAt)}` : undefined}
      footer={
        <>
          {event?.entityId && (
            <Button size="sm" onClick={() => event && onFilterEntity(event)}>
              All events for this {event.entityType}
            </Button>
          )}
          <Button size="sm" variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {event && (
        <div className="flex flex-col gap-5">
          <KeyValue
            items={[
              {
                label: "Actor",
                value: (
                  <span className="flex items-center gap-1.5">
                    {ACTOR_ICON[event.actorType]} {event.actorLabel} <Badge>{ACTOR_LABEL[event.actorType]}</Badge>
                  </span>
                ),
              },
              { label: "Actor ID", value: <span className="font-mono text-xs">{event.actorId ?? "—"}</span> },
              { label: "Action", value: <Badge mono tone={actionTone(event.action)}>{event.action}</Badge> },
              { label: "Entity", value: event.entityType },
              { label: "Entity ID", value: <span className="font-mono text-xs">{event.entityId ?? "—"}</span> },
              { label: "Time", value: formatFull(event.createdAt) },
              { label: "IP address", value: <span className="font-mono text-xs">{event.ip ?? "—"}</span> },
              { label: "Request ID", value: <span className="font-mono text-xs">{event.requestId ?? "—"}</span> },
              { label: "Event ID", value: <span className="font-mono text-xs">{event.id}</span> },
            ]}
          />

          <section>
            <h3 className="mb-2 text-xs font-semibold tracking-wide text-fg-muted uppercase">Changes</h3>
            {keys.length === 0 ? (
              <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-sm text-fg-muted">No field changes recorded for this event.</p>
            ) : (
              <div className="overflow-x-auto rounded-md border border-line">
                <table className="w-full text-sm">
                  <thead>
                    <tr className="bg-surface-2 text-left text-xs text-fg-muted">
                      <th className="px-3 py-1.5 font-medium">Field</th>
                      <th className="px-3 py-1.5 font-medium">Before</th>
                      <th className="px-3 py-1.5 font-medium">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {keys.map((k) => {
                      const [b, a] = changes[k]!;
                      return (
                        <tr key={k} className="border-t border-line align-top">
                          <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap text-fg">{k}</td>
                          <td className={clsx("px-3 py-1.5 break-all", "bg-red-50/70 text-red-900 dark:bg-red-500/10 dark:text-red-200")}>{renderValue(b)}</td>
                          <td className={clsx("px-3 py-1.5 break-all", "bg-emerald-50/70 text-emerald-900 dark:bg-emerald-500/10 dark:text-emerald-200")}>{renderValue(a)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section>
            <div className="mb-2 flex items-center justify-between border-b border-line">
              <h3 className="text-xs font-semibold tracking-wide text-fg-muted uppercase">Raw record</h3>
              <Tabs
                items={[
                  { id: "before", label: "Before" },
                  { id: "after", label: "After" },
                ]}
                value={raw}
                onChange={setRaw}
                aria-label="Raw record"
              />
            </div>
            <JsonView value={raw === "before" ? event.before : event.after} />
          </section>
        </div>
      )}
    </Dialog>
  );
}
