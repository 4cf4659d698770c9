import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, FileUp, Pencil, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, Card, CardBody, ConfirmDialog, Dialog, DropdownMenu, ErrorState, Field, Input, Page, PageHeader, Skeleton, SkeletonText, toast } from "../../components";
import { ApiError, api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatNumber } from "../../lib/format";
import { ImportWizard } from "./ImportWizard";
import { PlanDialog } from "./PlanDialog";
import { QuoteTab } from "./QuoteTab";
import { RatesTab } from "./RatesTab";
import { RevisionsTab } from "./revisions";
import { SettingsTab } from "./SettingsTab";
import { KIND_LABEL, KIND_TONE, nowLocal, ratingKeys, zonedLocalToIso, type RatingPlan } from "./types";

const TABS = ["rates", "settings", "revisions", "quote"] as const;
type Tab = (typeof TABS)[number];
type DialogKind = "edit" | "import" | "export" | "delete" | null;

/** Export the plan's rates as CSV: live now, or as of a date. */
function ExportDialog({ plan, open, onClose }: { plan: RatingPlan; open: boolean; onClose: () => void }) {
  const [at, setAt] = useState(() => nowLocal(plan.timeZone));
  const iso = at ? zonedLocalToIso(at, plan.timeZone) : undefined;
  const href = (when?: string) => `/api/rating-plans/${plan.id}/export${when ? `?at=${encodeURIComponent(when)}` : ""}`;
  const link = "inline-flex h-8 items-center gap-1.5 rounded-md px-3 text-sm font-medium";
  return (
    <Dialog open={open} onClose={onClose} size="sm" title="Export rates (CSV)" description="The rates in effect at a moment, in the deck format the importer reads back.">
      <div className="flex flex-col gap-3">
        <a href={href()} download className={`${link} justify-center border border-line bg-surface hover:bg-surface-2`} onClick={onClose}>
          <Download className="size-4" /> Live rates now
        </a>
        <Field label="As of" hint={`Wall-clock time in ${plan.timeZone}.`}>
          <div className="flex gap-2">
            <Input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} aria-label="Export as of" />
            <a
              href={iso ? href(iso) : undefined}
              download
              aria-disabled={!iso}
              className={`${link} shrink-0 bg-accent text-white hover:opacity-90 ${iso ? "" : "pointer-events-none opacity-50"}`}
              onClick={onClose}
            >
              <Download className="size-4" /> Export
            </a>
          </div>
        </Field>
      </div>
    </Dialog>
  );
}

/** Rating / {plan}: rates, settings & time classes, revisions and a call quote. */
export default function RatingPlanDetailPage() {
  const { planId = "" } = useParams();
  const can = useCan();
  const canWrite = can("rating:write");
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const raw = params.get("tab");
  const tab: Tab = TABS.includes(raw as Tab) ? (raw as Tab) : "rates";
  const setTab = (t: string) => setParams(t === "rates" ? {} : { tab: t }, { replace: true });
  const [dialog, setDialog] = useState<DialogKind>(null);
  const close = () => setDialog(null);

  const planQ = useQuery({ queryKey: ratingKeys.plan(planId), queryFn: ({ signal }) => api.get<RatingPlan>(`/rating-plans/${planId}`, undefined, signal), enabled: !!planId });
  const plan = planQ.data;

  const crumbs = [
    <Link key="r" to="/rating/plans" className="hover:text-fg hover:underline">
      Rating
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
      <Page header={<PageHeader title="Rating plan" breadcrumb={crumbs} />}>
        <Card>
          <ErrorState
            error={planQ.error ?? new Error("Plan not found")}
            title={notFound ? "This rating plan does not exist or was deleted" : undefined}
            onRetry={notFound ? undefined : () => void planQ.refetch()}
            retrying={planQ.isFetching}
          />
          {notFound && (
            <div className="flex justify-center pb-8">
              <Button onClick={() => navigate("/rating/plans")}>Back to rating plans</Button>
            </div>
          )}
        </Card>
      </Page>
    );
  }

  const openImport = canWrite ? () => setDialog("import") : undefined;
  const header = (
    <PageHeader
      title={plan.name}
      breadcrumb={crumbs}
      meta={
        <span className="flex min-w-0 items-center gap-1.5 text-xs text-fg-muted">
          <Badge tone={KIND_TONE[plan.kind]}>{KIND_LABEL[plan.kind]}</Badge>
          <Badge mono>{plan.currency}</Badge>
          <span className="font-mono">{plan.incrementFirstS}/{plan.incrementNextS}</span>
          <span>· {formatNumber(plan.rateCount)} live rates</span>
        </span>
      }
      actions={
        <DropdownMenu
          items={[
            { label: "Edit settings…", icon: <Pencil />, hidden: !canWrite, onSelect: () => setDialog("edit") },
            { label: "Import deck…", icon: <FileUp />, hidden: !canWrite, onSelect: () => setDialog("import") },
            { label: "Export CSV…", icon: <Download />, onSelect: () => setDialog("export") },
            { type: "separator", hidden: !can("audit:read") },
            { label: "View changes in audit log", to: `/system/audit?entityId=${plan.id}`, hidden: !can("audit:read") },
            { type: "separator", hidden: !canWrite },
            { label: "Delete plan…", icon: <Trash2 />, danger: true, hidden: !canWrite, onSelect: () => setDialog("delete") },
          ]}
        />
      }
      tabs={{
        value: tab,
        onChange: setTab,
        items: [
          { id: "rates", label: "Rates", count: plan.rateCount },
          { id: "settings", label: "Settings & time classes" },
          { id: "revisions", label: "Revisions" },
          { id: "quote", label: "Quote" },
        ],
      }}
    />
  );

  return (
    <Page
      fill={tab === "rates" || tab === "revisions"}
      header={header}
      dock={
        canWrite && (tab === "rates" || tab === "revisions") ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">Decks are previewed as a revision first; nothing changes until you apply it.</span>}>
            <Button icon={<Download className="size-4" />} onClick={() => setDialog("export")}>
              Export CSV
            </Button>
            <Button variant="primary" icon={<FileUp className="size-4" />} onClick={() => setDialog("import")}>
              Import deck
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      {tab === "rates" && <RatesTab plan={plan} onImport={openImport} />}
      {tab === "settings" && <SettingsTab plan={plan} onEdit={canWrite ? () => setDialog("edit") : undefined} />}
      {tab === "revisions" && <RevisionsTab planId={plan.id} />}
      {tab === "quote" && <QuoteTab plan={plan} />}

      {canWrite && <PlanDialog open={dialog === "edit"} onClose={close} plan={plan} />}
      {canWrite && (
        <ImportWizard
          open={dialog === "import"}
          onClose={close}
          plan={plan}
          onApplied={() => {
            void qc.invalidateQueries({ queryKey: ratingKeys.rates(plan.id) });
            void qc.invalidateQueries({ queryKey: ratingKeys.revisions(plan.id) });
            if (tab !== "rates") setTab("rates");
          }}
        />
      )}
      <ExportDialog key={dialog === "export" ? "open" : "closed"} plan={plan} open={dialog === "export"} onClose={close} />
      <ConfirmDialog
        open={dialog === "delete"}
        onClose={close}
        tone="danger"
        title={`Delete ${plan.name}?`}
        message={`The plan and its ${formatNumber(plan.rateCount)} live rates move to the recycle bin. Services rated by it stop being rated.`}
        confirmLabel="Delete plan"
        onConfirm={async () => {
          await api.del(`/rating-plans/${plan.id}`);
          qc.removeQueries({ queryKey: ratingKeys.plan(plan.id) });
          void qc.invalidateQueries({ queryKey: ratingKeys.plans });
          toast.success(`Deleted ${plan.name}`);
          navigate("/rating/plans");
        }}
      />
    </Page>
  );
}
