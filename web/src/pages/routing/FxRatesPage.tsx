import { useEffect, useMemo, useState, type FormEvent } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ArrowRightLeft, Plus, Trash2 } from "lucide-react";
import { ActionDock, Badge, Button, ConfirmDialog, DataTable, Dialog, EmptyState, Field, IconButton, Input, Page, PageHeader, Select, TimeCell, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { getDisplayTimeZone } from "../../lib/format";
import { useTableState } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";
import { currencyOptions } from "../carriers/carrier/labels";
import { FormError } from "../carriers/carrier/ui";
import { nowLocal, zonedLocalToIso } from "../rating/types";
import { formatFx, routingKeys, type FxRate } from "./types";

const FILTERS = ["base", "quote"] as const;
const FX_RE = /^\d{1,9}(\.\d{1,9})?$/;

function AddFxDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const tz = getDisplayTimeZone();
  const [base, setBase] = useState("EUR");
  const [quote, setQuote] = useState("USD");
  const [rate, setRate] = useState("");
  const [from, setFrom] = useState(() => nowLocal(tz));
  const [touched, setTouched] = useState(false);
  const save = useMutation({
    mutationFn: (body: { base: string; quote: string; rate: string; effectiveFrom: string }) => api.post<FxRate>("/fx-rates", body),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: routingKeys.fx });
      toast.success(`Added 1 ${r.base} = ${formatFx(r.rate)} ${r.quote}`);
      onClose();
    },
  });
  const { reset } = save;
  useEffect(() => {
    if (open) {
      setRate("");
      setFrom(nowLocal(tz));
      setTouched(false);
      reset();
    }
  }, [open, tz, reset]);

  const iso = from ? zonedLocalToIso(from, tz) : undefined;
  const local: Record<string, string> = {};
  if (base === quote) local.quote = "Pick another currency";
  if (!FX_RE.test(rate.trim()) || !/[1-9]/.test(rate)) local.rate = "A positive decimal, at most 9 decimals";
  if (!iso) local.effectiveFrom = "A date and time";
  const server = fieldErrors(save.error);
  const err = (k: string) => (touched ? local[k] : undefined) ?? server[k];
  const currencies = useMemo(() => currencyOptions([base, quote]).map((c) => ({ value: c, label: c })), [base, quote]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(local).length || !iso) return;
    save.mutate({ base, quote, rate: rate.trim(), effectiveFrom: iso });
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      title="Add FX rate"
      description="Routing converts supplier and customer rates into a plan's currency at the rate effective at the call time."
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="fx-form" loading={save.isPending}>
            Add rate
          </Button>
        </>
      }
    >
      <form id="fx-form" onSubmit={submit} noValidate className="grid grid-cols-3 gap-3">
        <div className="col-span-3">
          <FormError error={save.error && Object.keys(server).length === 0 ? save.error : null} />
        </div>
        <Field label="Base" error={err("base")} hint="1 unit of…">
          <Select value={base} onChange={(e) => setBase(e.target.value)} options={currencies} />
        </Field>
        <Field label="Quote" error={err("quote")} hint="…buys this many.">
          <Select value={quote} onChange={(e) => setQuote(e.target.value)} options={currencies} />
        </Field>
        <Field label="Rate" required error={err("rate")}>
          <Input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="decimal" className="font-mono" placeholder="1.084500" autoComplete="off" data-autofocus />
        </Field>
        <Field label="Effective From" required error={err("effectiveFrom")} hint={`Wall clock in ${tz}. The newest rate at or before a call's time applies.`} className="col-span-3">
          <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        {FX_RE.test(rate.trim()) && base !== quote && (
          <p className="col-span-3 font-mono text-sm text-fg-muted">
            1 {base} = {formatFx(rate.trim())} {quote}
          </p>
        )}
      </form>
    </Dialog>
  );
}

/** Routing / FX Rates: the conversion rates routing uses, effective-dated. */
export default function FxRatesPage() {
  const can = useCan();
  const canWrite = can("routing:write");
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<FxRate | null>(null);
  const t = useTableState({ defaultPageSize: 25, filters: FILTERS });
  const query = { page: t.page, pageSize: t.pageSize, base: t.filters.base || undefined, quote: t.filters.quote || undefined };
  const list = useQuery({
    queryKey: [...routingKeys.fx, query],
    queryFn: ({ signal }) => api.get<ListPage<FxRate>>("/fx-rates", query, signal),
    placeholderData: keepPreviousData,
  });
  const now = useMemo(() => (list.dataUpdatedAt ? Date.now() : 0), [list.dataUpdatedAt]);
  // Per pair, the newest rate already effective on this page: the one routing uses now.
  const inEffect = useMemo(() => {
    const best = new Map<string, FxRate>();
    for (const r of list.data?.rows ?? []) {
      const t = new Date(r.effectiveFrom).getTime();
      const cur = best.get(`${r.base}${r.quote}`);
      if (t <= now && (!cur || t > new Date(cur.effectiveFrom).getTime())) best.set(`${r.base}${r.quote}`, r);
    }
    return new Set([...best.values()].map((r) => r.id));
  }, [list.data, now]);

  const columns = useMemo<ColumnDef<FxRate>[]>(
    () => [
      {
        id: "pair",
        header: "Pair",
        enableHiding: false,
        meta: { skeleton: "w-20" },
        cell: ({ row }) => (
          <span className="font-mono text-xs font-semibold">
            {row.original.base}
            <span className="text-fg-subtle">/</span>
            {row.original.quote}
          </span>
        ),
      },
      { id: "rate", header: "Rate", meta: { align: "right" }, cell: ({ row }) => <span className="font-mono text-xs font-medium">{formatFx(row.original.rate)}</span> },
      {
        id: "source",
        header: "Source",
        cell: ({ row }) => (
          <Badge tone={row.original.source === "manual" ? "neutral" : "info"} title={row.original.source === "oxr" ? "Open Exchange Rates" : "Entered by hand"}>
            {row.original.source === "oxr" ? "OXR" : "Manual"}
          </Badge>
        ),
      },
      {
        id: "meaning",
        header: "Meaning",
        meta: { className: "text-fg-muted" },
        cell: ({ row }) => (
          <span className="font-mono text-xs">
            1 {row.original.base} = {formatFx(row.original.rate)} {row.original.quote}
          </span>
        ),
      },
      {
        id: "effectiveFrom",
        header: "Effective from",
        cell: ({ row }) => (
          <span className="flex items-center gap-1.5">
            <TimeCell value={row.original.effectiveFrom} />
            {new Date(row.original.effectiveFrom).getTime() > now && <Badge tone="info">future</Badge>}
            {inEffect.has(row.original.id) && (
              <Badge tone="success" dot>
                in effect
              </Badge>
            )}
          </span>
        ),
      },
      { id: "createdAt", header: "Added", meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} relative /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-10 text-right", headerClassName: "w-10" },
        cell: ({ row }) => canWrite && <IconButton size="sm" label={`Delete ${row.original.base}/${row.original.quote} rate`} icon={<Trash2 className="size-3.5" />} onClick={() => setDeleting(row.original)} />,
      },
    ],
    [canWrite, now, inEffect],
  );
  const currencies = useMemo(() => currencyOptions([t.filters.base, t.filters.quote]).slice(0, 40).map((c) => ({ value: c, label: c })), [t.filters.base, t.filters.quote]);

  return (
    <Page
      fill
      header={<PageHeader title="FX Rates" breadcrumb={["Routing", "FX Rates"]} description="Currency conversion for routing: supplier rates are converted into a routing plan's currency at the rate effective at the call time." />}
      dock={
        canWrite ? (
          <ActionDock start={<span className="hidden text-xs text-fg-subtle sm:inline">A supplier without a convertible rate is dropped with reason “No FX rate”.</span>}>
            <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setAdding(true)}>
              Add FX rate
            </Button>
          </ActionDock>
        ) : undefined
      }
    >
      <DataTable
        aria-label="FX rates"
        tableId="fx-rates"
        columns={columns}
        rows={list.data?.rows}
        total={list.data?.total ?? 0}
        getRowId={(r) => r.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        filters={
          <>
            <Select size="sm" aria-label="Base" value={t.filters.base} onChange={(e) => t.setFilter("base", e.target.value)} placeholder="Any base" options={currencies} wrapperClassName="w-32" />
            <Select size="sm" aria-label="Quote" value={t.filters.quote} onChange={(e) => t.setFilter("quote", e.target.value)} placeholder="Any quote" options={currencies} wrapperClassName="w-32" />
          </>
        }
        hasFilters={t.hasFilters}
        onClearFilters={t.clearFilters}
        onRefresh={() => list.refetch()}
        isFetching={list.isFetching}
        isLoading={list.isLoading}
        stale={list.isPlaceholderData}
        error={list.error}
        rowClassName={(r) => (new Date(r.effectiveFrom).getTime() > now ? "text-fg-muted" : undefined)}
        emptyState={
          <EmptyState
            icon={<ArrowRightLeft />}
            title="No FX rates yet"
            description="Plans and suppliers in one currency need none. Add a rate (e.g. 1 EUR = 1.08 USD) to route over suppliers priced in another currency."
            action={
              canWrite && (
                <Button variant="primary" size="sm" icon={<Plus className="size-3.5" />} onClick={() => setAdding(true)}>
                  Add FX rate
                </Button>
              )
            }
          />
        }
      />
      {canWrite && <AddFxDialog open={adding} onClose={() => setAdding(false)} />}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        tone="danger"
        title={`Delete ${deleting?.base ?? ""}/${deleting?.quote ?? ""} rate?`}
        message={deleting ? `1 ${deleting.base} = ${formatFx(deleting.rate)} ${deleting.quote}. Calls at times it covered use the previous rate of the pair, or drop the supplier with “No FX rate”.` : null}
        confirmLabel="Delete rate"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/fx-rates/${deleting.id}`);
          void qc.invalidateQueries({ queryKey: routingKeys.fx });
          toast.success(`Deleted ${deleting.base}/${deleting.quote} rate`);
        }}
      />
    </Page>
  );
}
