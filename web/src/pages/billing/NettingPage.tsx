import { useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ArrowLeftRight, Plus } from "lucide-react";
import { ActionDock, Badge, Button, DataTable, Dialog, EmptyState, Field, Input, KeyValue, Page, PageHeader, Select, Textarea, TimeCell, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { Amount, formatAmount, useCarrierOptions } from "../ledger/shared";
import { NETTING_STATUS, billingKeys, type Netting, type NettingStatus } from "./types";

const FILTERS = ["carrierId", "status"] as const;

/** Billing / Netting: offsetting what a bilateral carrier owes us against what we owe it. */
export default function NettingPage() {
  const canWrite = useCan()("billing:write");
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const t = useTableState({ defaultPageSize: 50, defaultSort: "createdAt:desc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...billingKeys.netting, t.query],
    queryFn: ({ signal }) => api.get<ListPage<Netting>>("/netting", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const carriers = useCarrierOptions();
  const columns = useMemo<ColumnDef<Netting>[]>(
    () => [
      { id: "carrier", header: "Carrier", enableHiding: false, meta: { className: "max-w-56 truncate" }, cell: ({ row }) => row.original.carrierName },
      { id: "period", header: "Period", cell: ({ row }) => <span className="tabular whitespace-nowrap">{row.original.firstDay} – {row.original.lastDay}</span> },
      { id: "status", header: "Status", cell: ({ row }) => <Badge tone={NETTING_STATUS[row.original.status].tone} dot>{NETTING_STATUS[row.original.status].label}</Badge> },
      { id: "theyOwe", header: "They owe", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.theyOwe} tone={false} /> },
      { id: "weOwe", header: "We owe", meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.weOwe} tone={false} /> },
      { id: "amount", header: "Proposed", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.amount} currency={row.original.currency} tone={false} className="font-medium" /> },
      { id: "acceptedAmount", header: "Accepted", meta: { align: "right" }, cell: ({ row }) => (row.original.acceptedAmount ? <Amount value={row.original.acceptedAmount} tone={false} /> : "—") },
      { id: "createdAt", header: "Created", enableSorting: true, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
    ],
    [],
  );
  return (
    <Page
      fill
      header={<PageHeader title="Netting" breadcrumb={["Billing", "Netting"]} description="Bilateral carriers: both sides from the ledger at the period end; the smaller is proposed, and an accepted netting posts one transfer." />}
      dock={
        canWrite ? (
          <ActionDock>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
              New netting request
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Netting requests"
        tableId="netting"
        columns={columns}
        getRowId={(r) => r.id}
        onRowClick={(r) => setOpenId(r.id)}
        {...serverTableProps(t, list)}
        filters={
          <>
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All carriers" clearLabel="All carriers" aria-label="Carrier" />
            </div>
            <Select size="sm" aria-label="Status" value={t.filters.status} onChange={(e) => t.setFilter("status", e.target.value)} placeholder="All statuses" options={(Object.keys(NETTING_STATUS) as NettingStatus[]).map((s) => ({ value: s, label: NETTING_STATUS[s].label }))} wrapperClassName="w-36" />
          </>
        }
        emptyState={<EmptyState icon={<ArrowLeftRight />} title="No netting requests" description="Draft one for a bilateral carrier and period." />}
      />
      {canWrite && <NewNettingDialog open={creating} onClose={() => setCreating(false)} onCreated={(n) => setOpenId(n.id)} />}
      <NettingDialog id={openId} canWrite={canWrite} onClose={() => setOpenId(null)} />
    </Page>
  );
}

function NewNettingDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (n: Netting) => void }) {
  const qc = useQueryClient();
  const { carriers, options, loading } = useCarrierOptions();
  const bilateral = useMemo(() => options.filter((o) => carriers.find((c) => c.id === o.value)?.type === "bilateral"), [options, carriers]);
  const [carrierId, setCarrierId] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const m = useMutation({
    mutationFn: () => api.post<Netting>("/netting", { carrierId, from, to, ...(note.trim() && { note: note.trim() }) }),
    onSuccess: (n) => {
      void qc.invalidateQueries({ queryKey: billingKeys.netting });
      toast.success("Netting request drafted");
      onClose();
      onCreated(n);
    },
  });
  const server = fieldErrors(m.error);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!m.isPending}
      title="New netting request"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={!carrierId || !from || !to} loading={m.isPending} onClick={() => m.mutate()}>
            Draft
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <FormError error={m.error && Object.keys(server).length === 0 ? m.error : null} />
        <Field label="Bilateral carrier" required error={server.carrierId}>
          <SearchSelect value={carrierId} onChange={setCarrierId} options={bilateral} loading={loading} placeholder="Choose a carrier…" aria-label="Bilateral carrier" />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="From" required error={server.from}>
            <Input type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field label="To" required error={server.to}>
            <Input type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
          </Field>
        </div>
        <Field label="Note">
          <Textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={500} />
        </Field>
      </div>
    </Dialog>
  );
}

function NettingDialog({ id, canWrite, onClose }: { id: string | null; canWrite: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const n = useQuery({ queryKey: [...billingKeys.netting, "one", id], queryFn: ({ signal }) => api.get<Netting>(`/netting/${id}`, undefined, signal), enabled: !!id });
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const act = useMutation({
    mutationFn: (a: "send" | "accept" | "reject") => api.post<Netting>(`/netting/${id}/${a}`, a === "accept" ? (amount.trim() ? { amount: amount.trim() } : {}) : a === "reject" ? { reason } : undefined),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: billingKeys.netting });
      toast.success(`Netting ${NETTING_STATUS[r.status].label.toLowerCase()}`);
    },
  });
  const d = n.data;
  return (
    <Dialog open={!!id} onClose={onClose} variant="sheet" size="md" title={d ? `Netting · ${d.carrierName}` : "Netting"} description={d && `${d.firstDay} – ${d.lastDay} · ${d.currency}`}>
      {d && (
        <div className="flex flex-col gap-4">
          <Badge tone={NETTING_STATUS[d.status].tone} dot className="self-start">
            {NETTING_STATUS[d.status].label}
          </Badge>
          <div className="grid grid-cols-2 gap-3">
            <div className="rounded-md border border-line p-3">
              <p className="text-xs text-fg-muted">They owe us (customer side)</p>
              <Amount value={d.theyOwe} currency={d.currency} tone={false} className="text-base font-semibold" />
            </div>
            <div className="rounded-md border border-line p-3">
              <p className="text-xs text-fg-muted">We owe them (supplier side)</p>
              <Amount value={d.weOwe} currency={d.currency} tone={false} className="text-base font-semibold" />
            </div>
          </div>
          <KeyValue
            items={[
              { label: "Proposed", value: <Amount value={d.amount} currency={d.currency} tone={false} /> },
              { label: "Accepted", value: d.acceptedAmount ? <Amount value={d.acceptedAmount} tone={false} /> : "—" },
              { label: "Sent", value: <TimeCell value={d.sentAt} /> },
              { label: "Decided", value: <TimeCell value={d.decidedAt} /> },
              ...(d.note ? [{ label: "Note", value: d.note }] : []),
              ...(d.rejectReason ? [{ label: "Rejected", value: d.rejectReason }] : []),
            ]}
          />
          <FormError error={act.error} />
          {canWrite && d.status === "draft" && (
            <Button variant="primary" loading={act.isPending} onClick={() => act.mutate("send")}>
              Mark as sent
            </Button>
          )}
          {canWrite && (d.status === "draft" || d.status === "sent") && (
            <div className="flex flex-col gap-3 border-t border-line pt-3">
              <Field label="Accepted amount" hint={`Empty: the proposed ${formatAmount(d.amount)}`}>
                <Input inputMode="decimal" className="font-mono" value={amount} onChange={(e) => setAmount(e.target.value)} trailing={d.currency} aria-label="Accepted amount" invalid={!!amount && !MONEY_INPUT_RE.test(amount)} />
              </Field>
              <Button variant="primary" loading={act.isPending} onClick={() => act.mutate("accept")}>
                Accept and post
              </Button>
              <Field label="Reject reason">
                <Input value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Reject reason" />
              </Field>
              <Button variant="danger" disabled={!reason.trim()} loading={act.isPending} onClick={() => act.mutate("reject")}>
                Reject
              </Button>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}
