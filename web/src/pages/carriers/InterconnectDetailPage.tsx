import { useMemo, useRef, useState, type ReactNode } from "react";
import { Link, useBlocker, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, History, Plus, ScrollText, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, Card, CardBody, ConfirmDialog, DropdownMenu, ErrorState, Page, PageHeader, RefreshButton, Skeleton, SkeletonText, toast } from "../../components";
import { ApiError, api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatFull, formatNumber, formatRelative } from "../../lib/format";
import type { Interconnect } from "./types";
import { changedFields, patchBody, TAB_LABEL, TABS, tabOfPath, toDraft, type Draft, type TabId } from "./interconnect/draft";
import { DetailsTab } from "./interconnect/DetailsTab";
import { EgressRoutingTab, EgressTranslationTab, MonitoringTab } from "./interconnect/EgressTabs";
import { ErrorBanner } from "./interconnect/fields";
import { HealthBadge } from "./interconnect/HealthCard";
import { keys, useCarrier, useInterconnect, useInvalidateHierarchy, useSyncEvents } from "./interconnect/hooks";
import { IngressTranslationTab, IngressValidationTab } from "./interconnect/IngressTabs";
import { MediaTab, SignallingTab } from "./interconnect/MediaSignallingTabs";
import { ServiceDialog } from "./interconnect/ServiceDialog";
import type { TabProps } from "./interconnect/shared";
import { SyncHistoryDialog, SyncStatusLine } from "./interconnect/SyncHistoryDialog";
import { ServicesTable } from "./ServicesTable";

const STATUS_TONE = { active: "success", testing: "warning", disabled: "neutral" } as const;

/** Checks the server would also make, so the common mistakes show before a round trip. */
function validate(d: Draft, ic: Interconnect): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.name.trim()) e.name = "Enter a name";
  d.addresses.forEach((a, i) => {
    if (!a.address.trim()) e[`addresses.${i}.address`] = "Enter an IP address or CIDR, or remove the row";
  });
  if (ic.direction === "ingress") {
    if (d.ingressTranslation?.paiGeneration === "fixed" && !d.ingressTranslation.paiFixed?.trim()) e["ingressTranslation.paiFixed"] = "Enter the PAI to send";
  } else {
    if (!d.egressRouting?.sendTo.length) e["egressRouting.sendTo"] = "Add at least one address to send calls to";
    d.egressRouting?.sendTo.forEach((s, i) => {
      if (!s.address.trim()) e[`egressRouting.sendTo.${i}.address`] = "Enter a host or IP";
    });
    if (d.egressTranslation?.paiGeneration === "fixed" && !d.egressTranslation.paiFixed?.trim()) e["egressTranslation.paiFixed"] = "Enter the PAI to send";
  }
  if (!d.media.codecs.length) e["media.codecs"] = "Keep at least one codec";
  return e;
}

export default function InterconnectDetailPage() {
  const { interconnectId } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const can = useCan();
  const canWrite = can("carriers:write");
  const ic = useInterconnect(interconnectId);
  const carrier = useCarrier(ic.data?.carrierId);
  const sync = useSyncEvents("interconnect", interconnectId);
  const invalidate = useInvalidateHierarchy();
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<"service" | "sync" | "delete" | null>(null);
  const leaving = useRef(false);

  const direction = ic.data?.direction;
  const tabs = direction ? TABS[direction] : [];
  const tabParam = params.get("tab");
  const tab: TabId = tabs.find((t) => t.id === tabParam)?.id ?? "details";
  const setTab = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id === "details") next.delete("tab");
        else next.set("tab", id);
        return next;
      },
      { replace: true },
    );

  // The draft restarts from the server copy when a new version arrives (load, save).
  const [draft, setDraft] = useState<Draft | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [loaded, setLoaded] = useState<string | null>(null);
  if (ic.data && `${ic.data.id}@${ic.data.updatedAt}` !== loaded) {
    setLoaded(`${ic.data.id}@${ic.data.updatedAt}`);
    setDraft(toDraft(ic.data));
    setLocal({});
  }
  const original = useMemo(() => (ic.data ? toDraft(ic.data) : null), [ic.data]);
  const changed = draft && original ? changedFields(draft, original) : [];
  const dirty = changed.length > 0;
  const dirtyTabs = tabs.filter((t) => t.fields.some((f) => changed.includes(f)));

  const save = useMutation({
    mutationFn: () => api.patch<Interconnect>(`/interconnects/${interconnectId}`, patchBody(draft!, changed)),
    onSuccess: (saved) => {
      qc.setQueryData(keys.interconnect(saved.id), saved);
      void invalidate();
      toast.success(`Saved ${dirtyTabs.map((t) => t.label).join(", ") || "changes"}`, { description: "Queued for the switch." });
    },
    onError: (e) => {
      const paths = Object.keys(fieldErrors(e));
      if (direction && paths.length && !paths.some((p) => tabOfPath(direction, p) === tab)) {
        const target = tabOfPath(direction, paths[0]!);
        if (target) setTab(target);
      }
    },
  });

  const server = fieldErrors(save.error);
  const errorPaths = [...Object.keys(local), ...Object.keys(server)];
  const err = (path: string) => (local[path] ? [local[path]!] : server[path]);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    if (Object.keys(local).length) setLocal({});
  };
  const discard = () => {
    if (ic.data) setDraft(toDraft(ic.data));
    setLocal({});
    save.reset();
  };
  const submit = () => {
    if (!draft || !ic.data) return;
    const e = validate(draft, ic.data);
    setLocal(e);
    const first = Object.keys(e)[0];
    if (first) {
      const target = tabOfPath(ic.data.direction, first);
      if (target && !Object.keys(e).some((p) => tabOfPath(ic.data!.direction, p) === tab)) setTab(target);
      return;
    }
    save.mutate();
  };

  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname);

  const i = ic.data;
  const crumbLink = "hover:text-fg hover:underline";
  const breadcrumb: ReactNode[] = [
    <Link key="cm" to="/carriers" className={crumbLink}>
      Carrier Management
    </Link>,
    ...(ic.error
      ? ["Interconnect"]
      : [
          i ? (
            <Link key="c" to={`/carriers/${i.carrierId}`} className={crumbLink}>
              {i.carrierName}
            </Link>
          ) : (
            <Skeleton key="c" className="h-3 w-24" />
          ),
          i ? i.name : <Skeleton key="i" className="h-3 w-20" />,
        ]),
  ];

  const header = (
    <PageHeader
      title={i?.name ?? "Interconnect"}
      breadcrumb={breadcrumb}
      meta={
        i && (
          <span className="flex items-center gap-1.5">
            <Badge tone={i.direction === "ingress" ? "info" : "accent"}>{i.direction === "ingress" ? "Ingress · customer" : "Egress · supplier"}</Badge>
            <Badge tone={STATUS_TONE[i.status] ?? "neutral"} dot>
              {i.status[0]!.toUpperCase() + i.status.slice(1)}
            </Badge>
            <Badge mono>{i.currency}</Badge>
            {i.direction === "egress" && <HealthBadge interconnectId={i.id} />}
          </span>
        )
      }
      description={
        i && (
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
            <span>
              {i.carrierType[0]!.toUpperCase() + i.carrierType.slice(1)} carrier{" "}
              <Link to={`/carriers/${i.carrierId}`} className="font-medium text-fg hover:underline">
                {i.carrierName}
              </Link>
            </span>
            <span>Capacity {i.capacity === null ? "unrestricted" : `${formatNumber(i.capacity)} ch`}</span>
            {i.direction === "ingress" && (
              <span>
                {i.serviceCount} service{i.serviceCount === 1 ? "" : "s"}
              </span>
            )}
            <span title={formatFull(i.updatedAt)}>Updated {formatRelative(i.updatedAt)}</span>
            <SyncStatusLine events={sync.data?.rows} loading={sync.isLoading} onOpen={() => setDialog("sync")} />
          </span>
        )
      }
      tabs={
        i
          ? {
              value: tab,
              onChange: setTab,
              items: tabs.map((t) => {
                const isDirty = dirtyTabs.some((d) => d.id === t.id);
                const hasErr = errorPaths.some((p) => tabOfPath(i.direction, p) === t.id);
                return {
                  id: t.id,
                  count: t.id === "services" ? i.serviceCount : undefined,
                  label: (
                    <span className="inline-flex items-center gap-1.5">
                      {t.label}
                      {(isDirty || hasErr) && <span className={hasErr ? "size-1.5 rounded-full bg-red-500" : "size-1.5 rounded-full bg-amber-500"} title={hasErr ? "Has errors" : "Unsaved changes"} aria-label={hasErr ? "has errors" : "unsaved changes"} />}
                    </span>
                  ),
                };
              }),
            }
          : undefined
      }
      actions={
        <>
          <RefreshButton onRefresh={() => Promise.all([ic.refetch(), sync.refetch()])} fetching={ic.isFetching} />
          <DropdownMenu
            items={[
              { label: "Add Service…", icon: <Plus />, hidden: !canWrite || i?.direction !== "ingress", onSelect: () => setDialog("service") },
              { label: "Sync history…", icon: <History />, disabled: !i, onSelect: () => setDialog("sync") },
              { label: "View changes in audit log", icon: <ScrollText />, hidden: !can("audit:read") || !i, to: `/system/audit?entityType=interconnect&entityId=${interconnectId}` },
              { label: "Discard unsaved changes", hidden: !dirty, onSelect: discard },
              { type: "separator", hidden: !canWrite },
              { label: "Delete interconnect…", icon: <Trash2 />, danger: true, hidden: !canWrite, disabled: !i, onSelect: () => setDialog("delete") },
            ]}
          />
        </>
      }
    />
  );

  if (ic.isLoading || (!draft && !ic.error)) {
    return (
      <Page header={header}>
        <div className="grid gap-4 xl:grid-cols-2">
          <Card>
            <CardBody>
              <SkeletonText lines={8} />
            </CardBody>
          </Card>
          <Card>
            <CardBody>
              <SkeletonText lines={5} />
            </CardBody>
          </Card>
        </div>
      </Page>
    );
  }
  if (ic.error || !draft || !i) {
    const notFound = ic.error instanceof ApiError && ic.error.status === 404;
    return (
      <Page header={header}>
        <Card>
          <ErrorState error={ic.error} title={notFound ? "Interconnect not found" : undefined} onRetry={notFound ? undefined : () => void ic.refetch()} retrying={ic.isFetching} />
          {notFound && (
            <p className="-mt-8 pb-8 text-center text-sm">
              <Link to="/carriers" className="text-accent-text hover:underline">
                Back to Carrier Management
              </Link>
            </p>
          )}
        </Card>
      </Page>
    );
  }

  const props: TabProps = { ic: i, carrier: carrier.data, draft, set, err, disabled: !canWrite || save.isPending };
  const body: Record<TabId, ReactNode> = {
    details: <DetailsTab {...props} />,
    validation: <IngressValidationTab {...props} />,
    "ingress-translation": <IngressTranslationTab {...props} />,
    routing: <EgressRoutingTab {...props} />,
    "egress-translation": <EgressTranslationTab {...props} />,
    media: <MediaTab {...props} />,
    signalling: <SignallingTab {...props} />,
    monitoring: <MonitoringTab {...props} />,
    services: <ServicesTable interconnectId={i.id} onAdd={() => setDialog("service")} />,
  };
  const generalError = save.error && Object.keys(server).length === 0 ? save.error : null;
  const unplaced = Object.keys(server).filter((p) => !tabOfPath(i.direction, p));

  return (
    <Page
      header={header}
      fill={tab === "services"}
      dock={
        tab === "services" && !dirty ? undefined : (
        <ActionDock
          start={
            !canWrite ? (
              <span className="text-xs">Read-only: your role cannot change interconnects.</span>
            ) : dirty ? (
              <span className="flex min-w-0 items-center gap-2">
                <span className="size-2 shrink-0 rounded-full bg-amber-500" aria-hidden />
                <span className="shrink-0 text-fg">Unsaved changes</span>
                <span className="hidden truncate text-xs text-fg-subtle md:inline">({dirtyTabs.map((t) => TAB_LABEL(i.direction, t.id)).join(", ")})</span>
              </span>
            ) : (
              <span className="flex items-center gap-1.5 text-xs" title={formatFull(i.updatedAt)}>
                <Check className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-hidden /> All changes saved
              </span>
            )
          }
        >
          {canWrite && (
            <>
              <Button onClick={discard} disabled={!dirty || save.isPending}>
                Cancel
              </Button>
              <Button variant="primary" disabled={!dirty} loading={save.isPending} onClick={submit}>
                Save changes
              </Button>
            </>
          )}
        </ActionDock>
        )
      }
    >
      {(generalError || unplaced.length > 0) && (
        <ErrorBanner
          className="mb-4"
          title="Could not save"
          error={generalError ?? new Error(unplaced.map((p) => `${p}: ${server[p]!.join("; ")}`).join(" · "))}
        />
      )}
      {body[tab]}

      {i.direction === "ingress" && <ServiceDialog open={dialog === "service"} onClose={() => setDialog(null)} interconnectId={i.id} onSaved={() => setTab("services")} />}
      <SyncHistoryDialog open={dialog === "sync"} onClose={() => setDialog(null)} entityType="interconnect" entityId={i.id} name={i.name} />
      <ConfirmDialog
        open={dialog === "delete"}
        onClose={() => setDialog(null)}
        tone="danger"
        title={`Delete ${i.name}?`}
        message={
          i.serviceCount > 0
            ? `${i.name} still has ${i.serviceCount} service${i.serviceCount === 1 ? "" : "s"}; the server refuses while services depend on it.`
            : "It stops carrying calls at once and moves to the Recycle Bin, where it can be restored."
        }
        confirmLabel="Delete interconnect"
        onConfirm={async () => {
          await api.del(`/interconnects/${i.id}`);
          leaving.current = true;
          void invalidate();
          toast.success(`Deleted ${i.name}`, { action: can("recycle_bin:read") ? { label: "Restore from bin", to: "/system/recycle-bin?entityType=interconnect" } : undefined });
          navigate(`/carriers/${i.carrierId}`);
        }}
      />
      <ConfirmDialog
        open={blocker.state === "blocked"}
        onClose={() => blocker.reset?.()}
        title="Discard unsaved changes?"
        message={`You changed ${dirtyTabs.map((t) => t.label).join(", ") || "this interconnect"} without saving.`}
        confirmLabel="Discard and leave"
        cancelLabel="Keep editing"
        tone="danger"
        onConfirm={() => blocker.proceed?.()}
      />
    </Page>
  );
}
