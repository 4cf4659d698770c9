import { useEffect, useState } from "react";
import { Link, useBlocker, useNavigate, useParams, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { BellPlus, Cable, History, Pencil, Trash2, UserPlus, Wallet } from "lucide-react";
import { ActionDock, Badge, Button, Card, CardBody, ConfirmDialog, DropdownMenu, ErrorState, Page, PageHeader, Skeleton, SkeletonText, toast } from "../../components";
import { ApiError, api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatFull, formatRelative } from "../../lib/format";
import { InterconnectsTable } from "./InterconnectsTable";
import { AccountingTab, useAccountingEditor } from "./carrier/AccountingTab";
import { CarrierDetailsTab } from "./carrier/CarrierDetailsTab";
import { CarrierDialog, CreditSettingsDialog } from "./carrier/CarrierDialogs";
import { ContactsTab } from "./carrier/ContactsTab";
import { CreditAlertsTab } from "./carrier/CreditAlertsTab";
import { InterconnectDialog } from "./carrier/InterconnectDialog";
import { CARRIER_STATUS_LABEL, CARRIER_STATUS_TONE, CARRIER_TYPE_LABEL, CARRIER_TYPE_TONE, label } from "./carrier/labels";
import { keys, useCarrier, useContacts, useCreditAlerts } from "./carrier/queries";
import { SyncHistoryDialog, SyncStatus } from "./carrier/SwitchSync";

const TABS = ["details", "interconnects", "contacts", "accounting", "alerts"] as const;
type Tab = (typeof TABS)[number];
type DialogKind = "details" | "credit" | "interconnect" | "contact" | "alert" | "sync" | "delete" | null;

function TabLabel({ n, text }: { n: number; text: string }) {
  return (
    <>
      <span className="text-fg-subtle tabular">{n}</span> {text}
    </>
  );
}

/** Carrier Management / {Carrier}: Digitalk's five carrier tabs. */
export default function CarrierDetailPage() {
  const { carrierId = "" } = useParams();
  const can = useCan();
  const canWrite = can("carriers:write");
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const raw = params.get("tab");
  const tab: Tab = TABS.includes(raw as Tab) ? (raw as Tab) : "details";
  const setTab = (t: string) => setParams(t === "details" ? {} : { tab: t }, { replace: true });

  const carrierQ = useCarrier(carrierId);
  const carrier = carrierQ.data;
  const contacts = useContacts(carrierId, !!carrier);
  const alerts = useCreditAlerts(carrierId, !!carrier);
  const accounting = useAccountingEditor(carrier);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const close = () => setDialog(null);

  // Opening another carrier drops an unsaved accounting draft of the previous one.
  const { cancel: cancelAccounting } = accounting;
  useEffect(() => cancelAccounting(), [carrierId, cancelAccounting]);

  const blocker = useBlocker(({ currentLocation, nextLocation }) => accounting.dirty && currentLocation.pathname !== nextLocation.pathname);

  const crumbs = [
    <Link key="cm" to="/carriers" className="hover:text-fg hover:underline">
      Carrier Management
    </Link>,
    carrier?.name ?? "…",
  ];

  if (carrierQ.isLoading) {
    return (
      <Page header={<PageHeader title={<Skeleton className="h-5 w-48" />} breadcrumb={crumbs} documentTitle={false} />}>
        <div className="grid gap-4 lg:grid-cols-3" aria-busy="true" aria-label="Loading carrier">
          {[8, 10, 7].map((n, i) => (
            <Card key={i}>
              <CardBody>
                <SkeletonText lines={n} />
              </CardBody>
            </Card>
          ))}
        </div>
      </Page>
    );
  }
  if (carrierQ.error || !carrier) {
    const notFound = carrierQ.error instanceof ApiError && (carrierQ.error.status === 404 || carrierQ.error.status === 400);
    return (
      <Page header={<PageHeader title="Carrier" breadcrumb={crumbs} />}>
        <Card>
          <ErrorState
            error={carrierQ.error ?? new Error("Carrier not found")}
            title={notFound ? "This carrier does not exist or was deleted" : undefined}
            onRetry={notFound ? undefined : () => void carrierQ.refetch()}
            retrying={carrierQ.isFetching}
          />
          {notFound && (
            <div className="flex justify-center pb-8">
              <Button onClick={() => navigate("/carriers")}>Back to carriers</Button>
            </div>
          )}
        </Card>
      </Page>
    );
  }

  const header = (
    <PageHeader
      title={carrier.name}
      breadcrumb={crumbs}
      meta={
        <span className="flex min-w-0 items-center gap-1.5">
          <Badge tone={CARRIER_TYPE_TONE[carrier.type]}>{CARRIER_TYPE_LABEL[carrier.type]}</Badge>
          <Badge tone={CARRIER_STATUS_TONE[carrier.status] ?? "neutral"} dot>
            {label(CARRIER_STATUS_LABEL, carrier.status)}
          </Badge>
          <span className="hidden md:inline-flex">
            <SyncStatus carrierId={carrier.id} onOpen={() => setDialog("sync")} />
          </span>
        </span>
      }
      actions={
        <DropdownMenu
          items={[
            { label: "Edit details…", icon: <Pencil />, hidden: !canWrite, onSelect: () => setDialog("details") },
            { label: "Edit credit settings…", icon: <Wallet />, hidden: !canWrite, onSelect: () => setDialog("credit") },
            { type: "separator", hidden: !canWrite },
            { label: "Add interconnect…", icon: <Cable />, hidden: !canWrite, onSelect: () => setDialog("interconnect") },
            { label: "Add contact…", icon: <UserPlus />, hidden: !canWrite, onSelect: () => {
                setTab("contacts");
                setDialog("contact");
              } },
            { label: "Add credit alert…", icon: <BellPlus />, hidden: !canWrite, onSelect: () => {
                setTab("alerts");
                setDialog("alert");
              } },
            { type: "separator", hidden: !canWrite },
            { label: "Sync history", icon: <History />, onSelect: () => setDialog("sync") },
            { label: "View changes in audit log", to: `/system/audit?entityType=carrier&entityId=${carrier.id}`, hidden: !can("audit:read") },
            { type: "separator", hidden: !canWrite },
            { label: "Delete carrier…", icon: <Trash2 />, danger: true, hidden: !canWrite, onSelect: () => setDialog("delete") },
          ]}
        />
      }
      tabs={{
        value: tab,
        onChange: setTab,
        items: [
          { id: "details", label: <TabLabel n={1} text="Carrier Details" /> },
          { id: "interconnects", label: <TabLabel n={2} text="Interconnects" />, count: carrier.interconnectCount },
          { id: "contacts", label: <TabLabel n={3} text="Contact Details" />, count: contacts.data?.rows.length },
          { id: "accounting", label: <TabLabel n={4} text="Accounting Details" /> },
          { id: "alerts", label: <TabLabel n={5} text="Credit Alerts" />, count: alerts.data?.rows.length },
        ],
      }}
    />
  );

  const dock =
    tab === "accounting" && canWrite ? (
      <ActionDock
        start={
          accounting.editing ? (
            accounting.dirty ? (
              <span className="flex items-center gap-2">
                <span className="size-2 rounded-full bg-amber-500" aria-hidden />
                <span className="text-fg">Unsaved changes</span>
              </span>
            ) : (
              <span className="text-xs">Editing accounting details</span>
            )
          ) : (
            <span className="text-xs" title={formatFull(carrier.updatedAt)}>
              Last changed {formatRelative(carrier.updatedAt)}
            </span>
          )
        }
      >
        {accounting.editing ? (
          <>
            <Button onClick={accounting.cancel} disabled={accounting.save.isPending}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="accounting-form" loading={accounting.save.isPending} disabled={!accounting.dirty}>
              Save
            </Button>
          </>
        ) : (
          <Button variant="primary" icon={<Pencil className="size-3.5" />} onClick={accounting.start}>
            Edit accounting details
          </Button>
        )}
      </ActionDock>
    ) : undefined;

  return (
    <Page header={header} dock={dock} fill={tab === "interconnects"}>
      {tab === "details" && <CarrierDetailsTab carrier={carrier} canWrite={canWrite} onEditDetails={() => setDialog("details")} onEditCredit={() => setDialog("credit")} />}
      {tab === "interconnects" && <InterconnectsTable carrierId={carrier.id} onAdd={canWrite ? () => setDialog("interconnect") : undefined} />}
      {tab === "contacts" && <ContactsTab carrier={carrier} canWrite={canWrite} adding={dialog === "contact"} setAdding={(v) => setDialog(v ? "contact" : null)} />}
      {tab === "accounting" && <AccountingTab carrier={carrier} editor={accounting} />}
      {tab === "alerts" && <CreditAlertsTab carrier={carrier} canWrite={canWrite} adding={dialog === "alert"} setAdding={(v) => setDialog(v ? "alert" : null)} />}

      {canWrite && (
        <>
          <CarrierDialog open={dialog === "details"} onClose={close} carrier={carrier} />
          <CreditSettingsDialog open={dialog === "credit"} onClose={close} carrier={carrier} />
          <InterconnectDialog open={dialog === "interconnect"} onClose={close} carrier={carrier} />
        </>
      )}
      <SyncHistoryDialog open={dialog === "sync"} onClose={close} carrierId={carrier.id} carrierName={carrier.name} />
      <ConfirmDialog
        open={dialog === "delete"}
        onClose={close}
        tone="danger"
        title={`Delete ${carrier.name}?`}
        message={
          carrier.interconnectCount > 0
            ? `${carrier.name} still has ${carrier.interconnectCount} interconnect${carrier.interconnectCount === 1 ? "" : "s"}; the server refuses to delete a carrier with live interconnects.`
            : "The carrier is removed from routing and moved to the Recycle Bin, where it can be restored."
        }
        confirmLabel="Delete carrier"
        onConfirm={async () => {
          await api.del(`/carriers/${carrier.id}`);
          qc.removeQueries({ queryKey: ["carrier", carrier.id] });
          await qc.invalidateQueries({ queryKey: keys.carriers });
          toast.success(`Deleted ${carrier.name}`, { action: can("recycle_bin:read") ? { label: "Open recycle bin", to: "/system/recycle-bin?entityType=carrier" } : undefined });
          navigate("/carriers");
        }}
      />
      <ConfirmDialog
        open={blocker.state === "blocked"}
        onClose={() => blocker.reset?.()}
        title="Discard unsaved changes?"
        message="You changed the accounting details without saving them."
        confirmLabel="Discard and leave"
        cancelLabel="Keep editing"
        tone="danger"
        onConfirm={() => blocker.proceed?.()}
      />
    </Page>
  );
}
