import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { FileSearch, Plus } from "lucide-react";
import { ActionDock, Badge, Button, DataTable, Dialog, EmptyState, Field, Input, Page, PageHeader, ProgressBar, Select, TimeCell } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { FormError } from "../carriers/carrier/ui";
import { SearchSelect } from "../carriers/interconnect/SearchSelect";
import { carrierCurrencies } from "../carriers/carrier/labels";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { Amount, useCarrierOptions } from "../ledger/shared";
import { RUN_STATUS, reconKeys, type Run, type RunStatus } from "./types";

const FILTERS = ["carrierId", "status"] as const;
const active = (s: RunStatus) => s === "queued" || s === "running";

/** Billing / Reconciliation: runs matching a supplier's CDR file against our CDRs. */
export default function ReconciliationRunsPage() {
  const canWrite = useCan()("reconciliation:write");
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const t = useTableState({ defaultPageSize: 25, defaultSort: "createdAt:desc", filters: FILTERS });
  const list = useQuery({
    queryKey: [...reconKeys.runs, t.query],
    queryFn: ({ signal }) => api.get<ListPage<Run>>("/reconciliation/runs", t.query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.rows.some((r) => active(r.status)) ? 1000 : false),
  });
  const carriers = useCarrierOptions();

  const columns = useMemo<ColumnDef<Run>[]>(
    () => [
      { id: "createdAt", header: "Started", enableSorting: true, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      { id: "carrier", header: "Supplier", meta: { className: "max-w-56 truncate font-medium" }, cell: ({ row }) => row.original.carrierName ?? "(deleted carrier)" },
      { id: "periodFrom", header: "Period", enableSorting: true, cell: ({ row }) => <span className="tabular whitespace-nowrap">{row.original.periodFrom} – {row.original.periodTo}</span> },
      { id: "invoice", header: "Invoice", cell: ({ row }) => <span className="font-mono text-xs">{row.original.invoiceNumber ?? "—"}</span> },
      { id: "file", header: "File", meta: { className: "max-w-48 truncate text-fg-muted" }, cell: ({ row }) => (row.original.fileName ? `${row.original.fileName} · ${row.original.fileRows?.toLocaleString()} rows` : "—") },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) =>
          active(row.original.status) && row.original.progress ? (
            <ProgressBar value={row.original.progress.percent} label={`${row.original.progress.percent}%`} className="w-28" />
          ) : (
            <Badge tone={RUN_STATUS[row.original.status].tone} dot>{RUN_STATUS[row.original.status].label}</Badge>
          ),
      },
      { id: "matched", header: "Matched", meta: { align: "right" }, cell: ({ row }) => <span className="tabular">{row.original.summary?.matched.rows.toLocaleString() ?? "—"}</span> },
      {
        id: "difference",
        header: "Difference",
        meta: { align: "right" },
        cell: ({ row }) => {
          const s = row.original.summary;
          if (!s) return <span className="text-fg-subtle">—</span>;
          const micros = (Object.values(s) as { theirAmount: string; ourAmount: string }[]).reduce((a, c) => a + toMicros(c.theirAmount) - toMicros(c.ourAmount), 0n);
          return <Amount value={fromMicros(micros)} currency={row.original.currency} />;
        },
      },
    ],
    [],
  );

  return (
    <Page
      fill
      header={<PageHeader title="Reconciliation" breadcrumb={["Billing", "Reconciliation"]} description="Match a supplier's CDR file against our CDRs of that supplier: matched, mismatched, only theirs, only ours, and the difference in money." />}
      dock={
        canWrite ? (
          <ActionDock>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
              New reconciliation
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="Reconciliation runs"
        tableId="reconciliation-runs"
        columns={columns}
        getRowId={(r) => r.id}
        onRowClick={(r) => navigate(`/billing/reconciliation/${r.id}`)}
        {...serverTableProps(t, list)}
        filters={
          <>
            <div className="w-52">
              <SearchSelect value={t.filters.carrierId || null} onChange={(v) => t.setFilter("carrierId", v ?? "")} options={carriers.options} loading={carriers.loading} placeholder="All suppliers" clearLabel="All suppliers" aria-label="Supplier" />
            </div>
            <Select size="sm" aria-label="Status" value={t.filters.status} onChange={(e) => t.setFilter("status", e.target.value)} placeholder="All statuses" options={(Object.keys(RUN_STATUS) as RunStatus[]).map((s) => ({ value: s, label: RUN_STATUS[s].label }))} wrapperClassName="w-40" />
          </>
        }
        emptyState={<EmptyState icon={<FileSearch />} title={t.hasFilters ? "No runs match" : "No reconciliations yet"} description="Start one for a supplier and period (or from a supplier invoice), then upload their CDR file." />}
      />
      {canWrite && <NewRunDialog open={creating} onClose={() => setCreating(false)} />}
    </Page>
  );
}

/** Decimal string ↔ micro-units, for summing the summary's amounts without floats. */
export function toMicros(v: string): bigint {
  const neg = v.startsWith("-");
  const [w, f = ""] = v.replace("-", "").split(".");
  const m = BigInt(w || "0") * 1_000_000n + BigInt((f + "000000").slice(0, 6));
  return neg ? -m : m;
}
export function fromMicros(m: bigint): string {
  const neg = m < 0n;
  const a = neg ? -m : m;
  return `${neg ? "-" : ""}${a / 1_000_000n}.${(a % 1_000_000n).toString().padStart(6, "0")}`;
}

function NewRunDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { carriers, options, loading } = useCarrierOptions();
  const suppliers = useMemo(() => options.filter((o) => carriers.find((c) => c.id === o.value)?.type !== "customer"), [options, carriers]);
  const [form, setForm] = useState({ carrierId: null as string | null, currency: "", periodFrom: "", periodTo: "", startToleranceS: "2", durationToleranceS: "0", amountTolerance: "0" });
  const carrier = carriers.find((c) => c.id === form.carrierId);
  const save = useMutation({
    mutationFn: (body: unknown) => api.post<Run>("/reconciliation/runs", body),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: reconKeys.all });
      onClose();
      navigate(`/billing/reconciliation/${run.id}`);
    },
  });
  useEffect(() => {
    if (open) save.reset();
  }, [open]);
  useEffect(() => {
    if (carrier) setForm((f) => ({ ...f, currency: carrier.primaryCurrency }));
  }, [carrier?.id]);
  const server = fieldErrors(save.error);
  const set = (k: keyof typeof form, v: string | null) => setForm((f) => ({ ...f, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      carrierId: form.carrierId ?? undefined,
      currency: form.currency || undefined,
      periodFrom: form.periodFrom || undefined,
      periodTo: form.periodTo || undefined,
      startToleranceS: Number(form.startToleranceS),
      durationToleranceS: Number(form.durationToleranceS),
      amountTolerance: MONEY_INPUT_RE.test(form.amountTolerance) ? form.amountTolerance : "x",
    });
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="md"
      title="New reconciliation"
      description="Our side: the supplier's answered CDRs in the period (UTC days) and currency."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="run-form" loading={save.isPending}>
            Create
          </Button>
        </>
      }
    >
      <form id="run-form" onSubmit={submit} noValidate className="flex flex-col gap-3">
        <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        <Field label="Supplier" required error={server.carrierId}>
          <SearchSelect value={form.carrierId} onChange={(v) => set("carrierId", v)} options={suppliers} loading={loading} placeholder="Choose a supplier…" aria-label="Supplier" />
        </Field>
        <div className="grid grid-cols-3 gap-3">
          <Field label="Currency" required error={server.currency}>
            <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} disabled={!carrier} options={(carrier ? carrierCurrencies(carrier) : []).map((c) => ({ value: c, label: c }))} />
          </Field>
          <Field label="Period From" required error={server.periodFrom}>
            <Input type="date" value={form.periodFrom} onChange={(e) => set("periodFrom", e.target.value)} />
          </Field>
          <Field label="Period To" required error={server.periodTo}>
            <Input type="date" value={form.periodTo} onChange={(e) => set("periodTo", e.target.value)} />
          </Field>
          <Field label="Start Tolerance" error={server.startToleranceS} hint="± seconds">
            <Input inputMode="numeric" value={form.startToleranceS} onChange={(e) => set("startToleranceS", e.target.value)} trailing="s" />
          </Field>
          <Field label="Duration Tolerance" error={server.durationToleranceS} hint="± seconds">
            <Input inputMode="numeric" value={form.durationToleranceS} onChange={(e) => set("durationToleranceS", e.target.value)} trailing="s" />
          </Field>
          <Field label="Amount Tolerance" error={server.amountTolerance} hint="± per call">
            <Input inputMode="decimal" className="font-mono" value={form.amountTolerance} onChange={(e) => set("amountTolerance", e.target.value)} />
          </Field>
        </div>
      </form>
    </Dialog>
  );
}
