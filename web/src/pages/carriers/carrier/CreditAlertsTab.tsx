import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { BellRing, Pencil, Plus, Trash2 } from "lucide-react";
import { Badge, Button, Checkbox, ConfirmDialog, DataTable, Dialog, EmptyState, Field, IconButton, Input, Select, Textarea, toast } from "../../../components";
import { api, fieldErrors } from "../../../lib/api";
import type { AlertType, Carrier, Contact, CreditAlert } from "../types";
import { ALERT_TYPE_LABEL, CONTACT_ROLE_LABEL, carrierCurrencies, label } from "./labels";
import { SIGNED_MONEY_INPUT_RE, formatMoney, moneyForInput, sameMoney, toMicros } from "./money";
import { keys, useContacts, useCreditAlerts } from "./queries";
import { useClientTable } from "./useClientTable";
import { FormError } from "./ui";
import { formatFull, formatRelative } from "../../../lib/format";

const matches = (a: CreditAlert, q: string) => [ALERT_TYPE_LABEL[a.type] ?? a.type, a.template, a.currency].some((s) => s.toLowerCase().includes(q));

/** Tab 5: low/high balance and 24 hour spend alerts, sent to the carrier's contacts. */
export function CreditAlertsTab({ carrier, canWrite, adding, setAdding }: { carrier: Carrier; canWrite: boolean; adding: boolean; setAdding: (v: boolean) => void }) {
  const alerts = useCreditAlerts(carrier.id);
  const contacts = useContacts(carrier.id);
  const qc = useQueryClient();
  const t = useClientTable(alerts.data?.rows, matches);
  const [editing, setEditing] = useState<CreditAlert | null>(null);
  const [deleting, setDeleting] = useState<CreditAlert | null>(null);
  const contactName = useMemo(() => new Map((contacts.data?.rows ?? []).map((c) => [c.id, c.name])), [contacts.data]);

  const toggle = useMutation({
    mutationFn: (a: CreditAlert) =>
      api.patch<CreditAlert>(`/carriers/${carrier.id}/credit-alerts/${a.id}`, {
        // Whole body on purpose: the server's PATCH resets omitted defaulted fields.
        type: a.type,
        currency: a.currency,
        threshold: a.threshold,
        resetThreshold: a.resetThreshold,
        template: a.template,
        recipientContactIds: a.recipientContactIds,
        enabled: !a.enabled,
      }),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: keys.alerts(carrier.id) });
      toast.success(`${a.enabled ? "Enabled" : "Disabled"} the ${ALERT_TYPE_LABEL[a.type] ?? a.type} alert`);
    },
    onError: (e) => toast.error(e),
  });
  const flip = toggle.mutate;

  const columns = useMemo<ColumnDef<CreditAlert>[]>(
    () => [
      { id: "type", header: "Type", enableHiding: false, meta: { className: "font-medium text-fg" }, cell: ({ row }) => label(ALERT_TYPE_LABEL, row.original.type) },
      {
        id: "threshold",
        header: "Threshold",
        meta: { align: "right" },
        cell: ({ row }) => (
          <span className="font-mono text-xs">
            {formatMoney(row.original.threshold)} <span className="text-fg-subtle">{row.original.currency}</span>
          </span>
        ),
      },
      {
        id: "resetThreshold",
        header: "Reset at",
        meta: { align: "right" },
        cell: ({ row }) => (row.original.resetThreshold === null ? <span className="text-fg-subtle">—</span> : <span className="font-mono text-xs">{formatMoney(row.original.resetThreshold)}</span>),
      },
      {
        id: "template",
        header: "Template",
        meta: { className: "max-w-48 truncate text-fg-muted 2xl:max-w-96", skeleton: "w-48" },
        cell: ({ row }) => <span title={row.original.template}>{row.original.template}</span>,
      },
      {
        id: "recipients",
        header: "Recipients",
        meta: { className: "max-w-48 truncate 2xl:max-w-72" },
        cell: ({ row }) => {
          const names = row.original.recipientContactIds.map((id) => contactName.get(id) ?? "(deleted contact)");
          return <span title={names.join(", ")}>{names.join(", ") || <span className="text-fg-subtle">—</span>}</span>;
        },
      },
      {
        id: "state",
        header: "State",
        cell: ({ row }) =>
          row.original.state === "fired" ? (
            <Badge tone="warning" dot title={row.original.firedAt ? `Fired ${formatFull(row.original.firedAt)}; re-arms past the reset threshold` : undefined}>
              Fired {row.original.firedAt ? formatRelative(row.original.firedAt) : ""}
            </Badge>
          ) : (
            <Badge tone="neutral" title="Fires once when the threshold is crossed">
              Armed
            </Badge>
          ),
      },
      {
        id: "enabled",
        header: "Enabled",
        cell: ({ row }) => (
          <span onClick={(e) => e.stopPropagation()}>
            {canWrite ? (
              <button type="button" onClick={() => flip(row.original)} title={row.original.enabled ? "Click to disable" : "Click to enable"} aria-label={`${row.original.enabled ? "Disable" : "Enable"} ${label(ALERT_TYPE_LABEL, row.original.type)} alert`}>
                <Badge tone={row.original.enabled ? "success" : "neutral"} dot>
                  {row.original.enabled ? "Enabled" : "Disabled"}
                </Badge>
              </button>
            ) : (
              <Badge tone={row.original.enabled ? "success" : "neutral"} dot>
                {row.original.enabled ? "Enabled" : "Disabled"}
              </Badge>
            )}
          </span>
        ),
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        meta: { className: "w-16 text-right", headerClassName: "w-16" },
        cell: ({ row }) =>
          canWrite ? (
            <div className="flex justify-end gap-0.5" onClick={(e) => e.stopPropagation()}>
              <IconButton size="xs" label={`Edit ${label(ALERT_TYPE_LABEL, row.original.type)} alert`} icon={<Pencil className="size-3.5" />} onClick={() => setEditing(row.original)} tooltip={false} />
              <IconButton size="xs" label={`Delete ${label(ALERT_TYPE_LABEL, row.original.type)} alert`} icon={<Trash2 className="size-3.5" />} onClick={() => setDeleting(row.original)} tooltip={false} className="hover:text-red-600 dark:hover:text-red-400" />
            </div>
          ) : null,
      },
    ],
    [canWrite, contactName, flip],
  );

  return (
    <>
      <DataTable
        aria-label="Credit alerts"
        tableId="carrier-alerts"
        className="min-h-80"
        columns={columns}
        rows={t.rows}
        total={t.total}
        getRowId={(a) => a.id}
        page={t.page}
        pageSize={t.pageSize}
        onPageChange={t.setPage}
        onPageSizeChange={t.setPageSize}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search alerts…", autoFocus: false }}
        hasFilters={t.hasFilters}
        onClearFilters={t.clear}
        toolbarEnd={
          canWrite && (
            <Button size="sm" variant="primary" icon={<Plus className="size-3.5" />} onClick={() => setAdding(true)}>
              Add Alert
            </Button>
          )
        }
        onRefresh={() => Promise.all([alerts.refetch(), contacts.refetch()])}
        isFetching={alerts.isFetching || contacts.isFetching}
        isLoading={alerts.isLoading}
        error={alerts.error}
        onRowClick={canWrite ? setEditing : undefined}
        rowClassName={(a) => (a.enabled ? undefined : "text-fg-muted")}
        emptyState={<EmptyState compact icon={<BellRing />} title="No credit alerts" description="Alert the carrier's contacts on a low or high balance, or when the 24 hour spend limit is breached." />}
      />
      <CreditAlertDialog open={adding || editing !== null} alert={editing} carrier={carrier} contacts={contacts.data?.rows} onClose={() => (editing ? setEditing(null) : setAdding(false))} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        tone="danger"
        title={`Delete the ${deleting ? label(ALERT_TYPE_LABEL, deleting.type) : ""} alert?`}
        message={deleting ? `Threshold ${formatMoney(deleting.threshold)} ${deleting.currency}. Its recipients get no more of these alerts.` : undefined}
        confirmLabel="Delete alert"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/carriers/${carrier.id}/credit-alerts/${deleting.id}`);
          await qc.invalidateQueries({ queryKey: keys.alerts(carrier.id) });
          toast.success("Deleted the credit alert");
        }}
      />
    </>
  );
}

interface Form {
  type: AlertType;
  currency: string;
  threshold: string;
  resetThreshold: string;
  template: string;
  recipientContactIds: string[];
  enabled: boolean;
}

const TEMPLATES: Record<AlertType, string> = {
  low_balance: "{{carrier}} balance is {{balance}} {{currency}}, below the {{threshold}} threshold.",
  high_balance: "{{carrier}} balance is {{balance}} {{currency}}, above the {{threshold}} threshold.",
  spend_24h_breach: "{{carrier}} spent {{balance}} {{currency}} in 24 hours, over the {{threshold}} limit.",
};

const fromAlert = (a: CreditAlert | null, carrier: Carrier): Form => ({
  type: a?.type ?? "low_balance",
  currency: a?.currency ?? carrier.primaryCurrency,
  threshold: a ? moneyForInput(a.threshold) : "",
  resetThreshold: a ? moneyForInput(a.resetThreshold) : "",
  template: a?.template ?? TEMPLATES.low_balance,
  recipientContactIds: a?.recipientContactIds ?? [],
  enabled: a?.enabled ?? true,
});

const PLACEHOLDERS = ["{{carrier}}", "{{balance}}", "{{currency}}", "{{threshold}}"];

export function CreditAlertDialog({ open, onClose, alert, carrier, contacts }: { open: boolean; onClose: () => void; alert: CreditAlert | null; carrier: Carrier; contacts: Contact[] | undefined }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(() => fromAlert(alert, carrier));
  const [local, setLocal] = useState<Partial<Record<keyof Form, string>>>({});
  const editing = alert !== null;
  const currencies = carrierCurrencies(carrier);

  const save = useMutation({
    mutationFn: () => {
      const body = {
        type: form.type,
        currency: form.currency,
        threshold: form.threshold.trim(),
        resetThreshold: form.resetThreshold.trim() || null,
        template: form.template.trim(),
        recipientContactIds: form.recipientContactIds,
        enabled: form.enabled,
      };
      if (!alert) return api.post<CreditAlert>(`/carriers/${carrier.id}/credit-alerts`, body);
      const patch: Record<string, unknown> = {};
      if (body.type !== alert.type) patch.type = body.type;
      if (body.currency !== alert.currency) patch.currency = body.currency;
      if (!sameMoney(body.threshold, alert.threshold)) patch.threshold = body.threshold;
      if (!sameMoney(body.resetThreshold, alert.resetThreshold)) patch.resetThreshold = body.resetThreshold;
      if (body.template !== alert.template) patch.template = body.template;
      if ([...body.recipientContactIds].sort().join() !== [...alert.recipientContactIds].sort().join()) patch.recipientContactIds = body.recipientContactIds;
      if (body.enabled !== alert.enabled) patch.enabled = body.enabled;
      if (Object.keys(patch).length === 0) return Promise.resolve(alert);
      // Whole body on purpose: the server's PATCH resets an omitted reset threshold and "enabled".
      return api.patch<CreditAlert>(`/carriers/${carrier.id}/credit-alerts/${alert.id}`, body);
    },
    onSuccess: (saved) => {
      void qc.invalidateQueries({ queryKey: keys.alerts(carrier.id) });
      toast.success(editing ? "Saved the credit alert" : `Added a ${label(ALERT_TYPE_LABEL, saved.type)} alert`);
      onClose();
    },
  });

  const { reset } = save;
  useEffect(() => {
    if (open) {
      setForm(fromAlert(alert, carrier));
      setLocal({});
      reset();
    }
  }, [open, alert?.id, reset]);

  const server = fieldErrors(save.error);
  const err = (k: keyof Form) => local[k] ?? server[k];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setLocal((l) => ({ ...l, [k]: undefined }));
  };
  const setType = (type: AlertType) =>
    setForm((f) => ({ ...f, type, template: Object.values(TEMPLATES).includes(f.template) || !f.template.trim() ? TEMPLATES[type] : f.template }));

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const errs: typeof local = {};
    const th = form.threshold.trim();
    const rs = form.resetThreshold.trim();
    if (!SIGNED_MONEY_INPUT_RE.test(th)) errs.threshold = "An amount with at most 6 decimals, e.g. -500 or 1000";
    else if (form.type === "spend_24h_breach" && th.startsWith("-")) errs.threshold = "A spend threshold is not negative";
    if (rs && !SIGNED_MONEY_INPUT_RE.test(rs)) errs.resetThreshold = "An amount with at most 6 decimals, or empty";
    else if (rs && SIGNED_MONEY_INPUT_RE.test(th)) {
      const a = toMicros(th)!;
      const b = toMicros(rs)!;
      if (form.type === "low_balance" ? b <= a : b >= a) errs.resetThreshold = form.type === "low_balance" ? "Must be above the threshold" : "Must be below the threshold";
    }
    if (!form.template.trim()) errs.template = "Write the message sent to the recipients";
    if (form.recipientContactIds.length === 0) errs.recipientContactIds = "Pick at least one recipient";
    setLocal(errs);
    if (Object.keys(errs).length === 0) save.mutate();
  };
  const general = save.error && !Object.keys(server).some((k) => k in form) ? save.error : null;
  const noContacts = contacts !== undefined && contacts.length === 0;
  const recipientsErr = err("recipientContactIds");

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!save.isPending}
      size="lg"
      title={editing ? "Edit credit alert" : "Add Credit Alert"}
      description={carrier.name}
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="alert-form" loading={save.isPending} disabled={noContacts}>
            {editing ? "Save changes" : "Add alert"}
          </Button>
        </>
      }
    >
      <form id="alert-form" onSubmit={submit} noValidate className="grid grid-cols-1 gap-3.5 sm:grid-cols-2">
        <Field label="Alert Type" required error={err("type")}>
          <Select value={form.type} onChange={(e) => setType(e.target.value as AlertType)} options={(Object.keys(ALERT_TYPE_LABEL) as AlertType[]).map((t) => ({ value: t, label: ALERT_TYPE_LABEL[t] }))} />
        </Field>
        <Field label="Currency" required error={err("currency")}>
          <Select value={form.currency} onChange={(e) => set("currency", e.target.value)} options={currencies.map((c) => ({ value: c, label: c }))} />
        </Field>
        <Field
          label="Threshold"
          required
          error={err("threshold")}
          hint={form.type === "low_balance" ? "Alert when the balance falls below this (may be negative)." : form.type === "high_balance" ? "Alert when the balance rises above this." : "Alert when 24 hour spend exceeds this."}
        >
          <Input inputMode="decimal" value={form.threshold} onChange={(e) => set("threshold", e.target.value)} trailing={form.currency} className="font-mono" autoComplete="off" placeholder={form.type === "low_balance" ? "-500" : "1000"} />
        </Field>
        <Field label="Reset at" error={err("resetThreshold")} hint={form.type === "low_balance" ? "Re-arms once the balance is back above this. Optional." : "Re-arms once the amount is back below this. Optional."}>
          <Input inputMode="decimal" value={form.resetThreshold} onChange={(e) => set("resetThreshold", e.target.value)} trailing={form.currency} className="font-mono" autoComplete="off" placeholder="Optional" />
        </Field>
        <Field
          label="Template"
          required
          error={err("template")}
          className="sm:col-span-2"
          hint={
            <span>
              Placeholders:{" "}
              {PLACEHOLDERS.map((p, i) => (
                <span key={p}>
                  {i > 0 && " "}
                  <code className="rounded bg-surface-3 px-1 font-mono text-2xs text-fg-muted">{p}</code>
                </span>
              ))}
            </span>
          }
        >
          <Textarea value={form.template} onChange={(e) => set("template", e.target.value)} rows={3} maxLength={2000} />
        </Field>
        <div className="flex flex-col gap-1.5 sm:col-span-2" role="group" aria-labelledby="alert-recipients-label">
          <span id="alert-recipients-label" className="text-xs font-medium text-fg">
            Recipients <span className="text-red-600 dark:text-red-400" aria-hidden>*</span>
          </span>
          {contacts === undefined ? (
            <p className="text-xs text-fg-subtle">Loading contacts…</p>
          ) : noContacts ? (
            <p className="rounded-md border border-amber-500/30 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">This carrier has no contacts yet. Add one on the Contact Details tab first.</p>
          ) : (
            <div className="grid max-h-44 grid-cols-1 gap-1.5 overflow-y-auto rounded-md border border-line p-2 sm:grid-cols-2">
              {contacts.map((c) => (
                <Checkbox
                  key={c.id}
                  label={c.name}
                  description={[c.roles.map((r) => label(CONTACT_ROLE_LABEL, r)).join(", "), c.email].filter(Boolean).join(" · ")}
                  checked={form.recipientContactIds.includes(c.id)}
                  onChange={(e) => set("recipientContactIds", e.target.checked ? [...form.recipientContactIds, c.id] : form.recipientContactIds.filter((x) => x !== c.id))}
                />
              ))}
            </div>
          )}
          {recipientsErr && <p className="text-xs text-red-600 dark:text-red-400">{[recipientsErr].flat().join("; ")}</p>}
        </div>
        <div className="sm:col-span-2">
          <Checkbox label="Enabled" description={form.enabled ? "Sends when the threshold is crossed." : "Kept, but sends nothing."} checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} />
        </div>
        {general && (
          <div className="sm:col-span-2">
            <FormError error={general} />
          </div>
        )}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
