import { useCallback, useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { FlaskConical, Pencil, Plus, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, Card, CardBody, DropdownMenu, ErrorState, Page, PageHeader, Skeleton, SkeletonText, TimeCell } from "../../components";
import { ApiError, api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { EntriesTable } from "./EntriesTable";
import { EntryDialog } from "./EntryDialog";
import { DeletePlanDialog, PlanDialog } from "./PlanDialog";
import { routingKeys, type RoutingEntry, type RoutingPlanDetail } from "./types";

function Setting({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col">
      <dt className="text-2xs font-semibold tracking-wide text-fg-subtle uppercase">{label}</dt>
      <dd className="min-w-0 truncate text-sm text-fg">{children}</dd>
    </div>
  );
}

/** Routing / {plan}: settings strip, the services using it, and the entries table. */
export default function RoutingPlanDetailPage() {
  const { planId = "" } = useParams();
  const can = useCan();
  const canWrite = can("routing:write");
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<"settings" | "delete" | null>(null);
  const [entryDialog, setEntryDialog] = useState<{ entry: RoutingEntry | null } | null>(null);
  const onEdit = useCallback((entry: RoutingEntry) => setEntryDialog({ entry }), []);

  const planQ = useQuery({ queryKey: routingKeys.plan(planId), queryFn: ({ signal }) => api.get<RoutingPlanDetail>(`/routing-plans/${planId}`, undefined, signal), enabled: !!planId });
  const plan = planQ.data;
  const crumbs = [
    <Link key="r" to="/routing/plans" className="hover:text-fg hover:underline">
      Routing Plans
    </Link>,
    plan?.name ?? "…",
  ];

  if (planQ.isLoading) {
    return (
      <Page header={<PageHeader title={<Skeleton className="h-5 w-48" />} breadcrumb={crumbs} documentTitle={false} />}>
        <Card aria-busy="true" aria-label="Loading plan">
          <CardBody>
            <SkeletonText lines={8} />
          </CardBody>
        </Card>
      </Page>
    );
  }
  if (planQ.error || !plan) {
    const notFound = planQ.error instanceof ApiError && (planQ.error.status === 404 || planQ.error.status === 400);
    return (
      <Page header={<PageHeader title="Routing plan" breadcrumb={crumbs} />}>
        <Card>
          <ErrorState
            error={planQ.error ?? new Error("Plan not found")}
            title={notFound ? "This routing plan does not exist or was deleted" : undefined}
            onRetry={notFound ? undefined : () => void planQ.refetch()}
            retrying={planQ.isFetching}
          />
          {notFound && (
            <div className="flex justify-center pb-8">
              <Button onClick={() => navigate("/routing/plans")}>Back to routing plans</Button>
            </div>
          )}
        </Card>
      </Page>
    );
  }

  const addEntry = canWrite ? () => setEntryDialog({ entry: null }) : undefined;
  return (
    <Page
      fill
      header={
        <PageHeader
          title={plan.name}
          breadcrumb={crumbs}
          meta={
            <span className="flex min-w-0 items-center gap-1.5 text-xs text-fg-muted">
              <Badge mono>{plan.currency}</Badge>
              <span>
                {formatNumber(plan.entryCount)} entr{plan.entryCount === 1 ? "y" : "ies"} · {formatNumber(plan.serviceCount)} service{plan.serviceCount === 1 ? "" : "s"}
              </span>
            </span>
          }
          actions={
            <DropdownMenu
              items={[
                { label: "Edit settings…", icon: <Pencil />, hidden: !canWrite, onSelect: () => setDialog("settings") },
                { label: "Open Route Simulator", icon: <FlaskConical />, to: plan.services[0] ? `/routing/simulator?serviceId=${plan.services[0].id}` : "/routing/simulator" },
                { type: "separator", hidden: !can("audit:read") },
                { label: "View changes in audit log", to: `/system/audit?entityId=${plan.id}`, hidden: !can("audit:read") },
                { type: "separator", hidden: !canWrite },
                { label: "Delete plan…", icon: <Trash2 />, danger: true, hidden: !canWrite, onSelect: () => setDialog("delete") },
              ]}
            />
          }
        />
      }
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Longest live prefix wins; an empty prefix is the default route.</span>}>
            <Button icon={<Pencil className="size-4" />} onClick={() => setDialog("settings")}>
              Edit settings
            </Button>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={addEntry}>
              Add entry
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <Card className="mb-3 shrink-0">
        <dl aria-label="Plan settings" className="grid grid-cols-2 gap-x-6 gap-y-2 px-4 py-3 sm:grid-cols-4 lg:grid-cols-[6rem_8rem_10rem_minmax(0,2fr)_minmax(0,2fr)_9rem]">
          <Setting label="Currency">
            <span className="font-mono font-semibold">{plan.currency}</span>
          </Setting>
          <Setting label="Max attempts">
            <span className="font-mono">{plan.maxAttempts}</span> routes
          </Setting>
          <Setting label="No customer rate">
            <span className="font-mono">{plan.noRateSipCode}</span> {plan.noRateSipCode === 484 ? "Address Incomplete" : "Not Found"}
          </Setting>
          <Setting label={`Services (${plan.services.length})`}>
            {plan.services.length === 0 ? (
              <span className="text-fg-subtle">No service uses this plan</span>
            ) : (
              <span className="flex min-w-0 gap-2 truncate">
                {plan.services.map((s) => (
                  <Link key={s.id} to={`/carriers/interconnects/${s.interconnectId}?tab=services`} className="truncate text-accent-text hover:underline" title={`${s.carrierName} · ${s.interconnectName}`}>
                    {s.name}
                  </Link>
                ))}
              </span>
            )}
          </Setting>
          <Setting label="Description">{plan.description ?? <span className="text-fg-subtle">—</span>}</Setting>
          <Setting label="Updated">
            <TimeCell value={plan.updatedAt} relative />
          </Setting>
        </dl>
      </Card>
      <EntriesTable plan={plan} onAdd={addEntry} onEdit={onEdit} simulateServiceId={plan.services[0]?.id} />

      {canWrite && <PlanDialog open={dialog === "settings"} onClose={() => setDialog(null)} plan={plan} />}
      {entryDialog && <EntryDialog open onClose={() => setEntryDialog(null)} plan={plan} entry={entryDialog.entry} />}
      <DeletePlanDialog plan={dialog === "delete" ? plan : null} onClose={() => setDialog(null)} onDeleted={() => navigate("/routing/plans")} />
    </Page>
  );
}
