import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Gavel } from "lucide-react";
import { Badge, Button, DataTable, Dialog, EmptyState, Field, Input, KeyValue, Page, PageHeader, Select, Textarea, TimeCell, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { Amount, useCarrierOptions } from "../ledger/shared";
import { DISPUTE_STATUS, reconKeys, type Dispute, type DisputeDetail, type DisputeStatus } from "./types";

const FILTERS = ["carrierId", "status"] as const;

/** Billing / Disputes: billing disputes with suppliers, tracked to agreement (credit posted), rejection or write-off. */
export default function DisputesPage() {
  const t = useTableState({ defaultPageSize: 25, defaultSort: "createdAt:desc", filters: FILTERS });
  const [params, setParams] = useSearchParams();
  const openId = params.get("dispute");
  const list = useQuery({
    queryKey: [...reconKeys.disputes, t.query],
    queryFn: ({ signal }) => api.get<ListPage<Dispute>>("/supplier-disputes", t.query, signal),
    placeholderData: keepPreviousData,
  });
  const carriers = useCarrierOptions();
  const show = (id: string | null) =>
    setParams((p) => {
      if (id) p.set("dispute", id);
      else p.delete("dispute");
      return p;
    });

  const columns = useMemo<ColumnDef<Dispute>[]>(
    () => [
      { id: "createdAt", header: "Opened", enableSorting: true, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      { id: "carrier", header: "Supplier", meta: { className: "max-w-56 truncate font-medium" }, cell: ({ row }) => row.original.carrierName ?? "(deleted carrier)" },
      { id: "invoice", header: "Invoice", cell: ({ row }) => <span className="font-mono text-xs">{row.original.invoiceNumber ?? "—"}</span> },
      { id: "disputedAmount", header: "Disputed", enableSorting: true, meta: { align: "right" }, cell: ({ row }) => <Amount value={row.original.disputedAmount} currency={row.original.currency} tone={false} /> },
      { id: "agreed", header: "Agreed", meta: { align: "right" }, cell: ({ row }) => (row.original.agreedAmount ? <Amount value={row.original.agreedAmount} currency={row.original.currency} tone={false} /> : <span className="text-fg-subtle">—</span>) },
      { id: "status", header: "Status", cell: ({ row }) => <Badge tone={DISPUTE_STATUS[row.original.status].tone} dot>{DISPUTE_STATUS[row.original.status].label}</Badge> },
      { id: "note", header: "Note", meta: { className: "max-w-72 truncate text-fg-muted" }, cell: ({ row }) => <span title={row.original.note}>{row.original.note}</span> },
      { id: "resolvedAt", header: "Resolved", cell: ({ row }) => <TimeCell value={row.original.resolvedAt} /> },
    ],
    [],
  );
  return (
    <Page fill header={<PageHeader title="Disputes" breadcrumb={["Billing", "Disputes"]} description="Billing disputes with suppliers. Agreeing posts the agreed credit to the supplier's payable, once." />}>
      <DataTable
        aria-label="Disputes"
        tableId="supplier-disputes"
        columns={columns}
        getRowId={(r) => r.id}
        onRowClick={(r) => show(r.id)}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Supplier, invoice or note…" }}
        filters={
          <>
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All suppliers" clearLabel="All suppliers" aria-label="Supplier" />
            </div>
            <Select size="sm" aria-label="Status" value={t.filters.status} onChange={(e) => t.setFilter("status", e.target.value)} placeholder="All statuses" options={(Object.keys(DISPUTE_STATUS) as DisputeStatus[]).map((s) => ({ value: s, label: DISPUTE_STATUS[s].label }))} wrapperClassName="w-36" />
          </>
        }
        emptyState={<EmptyState icon={<Gavel />} title={t.hasFilters ? "No disputes match" : "No disputes"} description="Open one from a reconciliation run's results." />}
      />
      <DisputeSheet id={openId} onClose={() => show(null)} />
    </Page>
  );
}

const ACTION_LABEL: Record<string, string> = { open: "Opened", note: "Note", agreed: "Agreed", rejected: "Rejected", written_off: "Written off" };

function DisputeSheet({ id, onClose }: { id: string | null; onClose: () => void }) {
  const qc = useQueryClient();
  const canWrite = useCan()("reconciliation:write");
  const d = useQuery({ queryKey: [...reconKeys.disputes, "detail", id], queryFn: ({ signal }) => api.get<DisputeDetail>(`/supplier-disputes/${id}`, undefined, signal), enabled: !!id });
  const [outcome, setOutcome] = useState<"agreed" | "rejected" | "written_off">("agreed");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  useEffect(() => {
    if (d.data) setAmount(d.data.disputedAmount.replace(/\.?0+$/, ""));
    setNote("");
    act.reset();
  }, [d.data?.id]);
  const act = useMutation({
    mutationFn: (kind: "resolve" | "note") =>
      kind === "note" ? api.post<DisputeDetail>(`/supplier-disputes/${id}/notes`, { note: note.trim() }) : api.post<DisputeDetail>(`/supplier-disputes/${id}/resolve`, outcome === "agreed" ? { outcome, agreedAmount: amount.trim(), note: note.trim() } : { outcome, note: note.trim() }),
    onSuccess: (r, kind) => {
      qc.setQueryData([...reconKeys.disputes, "detail", id], r);
      void qc.invalidateQueries({ queryKey: reconKeys.all });
      setNote("");
      if (kind === "resolve") toast.success(`Dispute ${DISPUTE_STATUS[r.status].label.toLowerCase()}${r.transferId ? ": credit posted to the payable" : ""}`);
    },
  });
  const errors = fieldErrors(act.error);
  const x = d.data;
  const amountOk = outcome !== "agreed" || (MONEY_INPUT_RE.test(amount.trim()) && /[1-9]/.test(amount));
  return (
    <Dialog open={!!id} onClose={onClose} variant="sheet" size="lg" title={x ? `Dispute · ${x.carrierName ?? "supplier"}` : "Dispute"} description={x && <Badge tone={DISPUTE_STATUS[x.status].tone} dot>{DISPUTE_STATUS[x.status].label}</Badge>}>
      {x && (
        <div className="flex flex-col gap-4">
          <KeyValue
            items={[
              { label: "Disputed", value: <Amount value={x.disputedAmount} currency={x.currency} tone={false} /> },
              { label: "Agreed", value: x.agreedAmount ? <Amount value={x.agreedAmount} currency={x.currency} tone={false} /> : "—" },
              { label: "Invoice", value: x.invoiceNumber ?? "—" },
              { label: "Run", value: x.runId ? <Link className="text-accent-text hover:underline" to={`/billing/reconciliation/${x.runId}`}>Open the run</Link> : "—" },
              { label: "Result rows", value: x.resultSeqs.length ? <span className="font-mono text-xs">{x.resultSeqs.map((n) => `#${n}`).join(", ")}</span> : "The whole run" },
              { label: "Ledger", value: x.transferId ? <Link className="text-accent-text hover:underline" to={`/billing/ledger?view=transfers&q=${x.transferId}`}>Its adjustment</Link> : "—" },
              { label: "Opened by", value: x.createdBy },
            ]}
          />
          <section aria-label="History">
            <h3 className="mb-2 text-sm font-semibold">History</h3>
            <ol className="flex flex-col gap-2 border-l border-line pl-3">
              {x.events.map((e) => (
                <li key={e.id} className="text-sm">
                  <div className="flex items-center gap-2">
                    <span className="font-medium">{ACTION_LABEL[e.action] ?? e.action}</span>
                    {e.amount && <Amount value={e.amount} currency={x.currency} tone={false} />}
                    <span className="text-xs text-fg-subtle">
                      <TimeCell value={e.createdAt} /> · {e.actor}
                    </span>
                  </div>
                  {e.note && <p className="text-fg-muted">{e.note}</p>}
                </li>
              ))}
            </ol>
          </section>
          {canWrite && (
            <section aria-label="Act" className="flex flex-col gap-3 border-t border-line pt-3">
              <FormError error={act.error && Object.keys(errors).length === 0 ? act.error : null} />
              {x.status === "open" && (
                <div className="grid grid-cols-2 gap-3">
                  <Field label="Outcome">
                    <Select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)} options={[{ value: "agreed", label: "Agreed: they credit us" }, { value: "rejected", label: "Rejected by the supplier" }, { value: "written_off", label: "Written off" }]} />
                  </Field>
                  {outcome === "agreed" && (
                    <Field label="Agreed Amount" error={errors.agreedAmount} hint="At most the disputed amount">
                      <Input aria-label="Agreed Amount" inputMode="decimal" className="font-mono" value={amount} onChange={(e) => setAmount(e.target.value)} trailing={x.currency} />
                    </Field>
                  )}
                </div>
              )}
              <Field label="Note" error={errors.note}>
                <Textarea aria-label="Note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
              </Field>
              <div className="flex gap-2">
                {x.status === "open" && (
                  <Button variant="primary" disabled={!note.trim() || !amountOk} loading={act.isPending && act.variables === "resolve"} onClick={() => act.mutate("resolve")}>
                    {outcome === "agreed" ? "Agree and post credit" : outcome === "rejected" ? "Mark rejected" : "Write off"}
                  </Button>
                )}
                <Button disabled={!note.trim()} loading={act.isPending && act.variables === "note"} onClick={() => act.mutate("note")}>
                  Add note
                </Button>
              </div>
            </section>
          )}
        </div>
      )}
    </Dialog>
  );
}
