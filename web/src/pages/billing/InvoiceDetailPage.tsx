import { useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, CheckCircle2, Download, FileMinus, Send } from "lucide-react";
import { Badge, Button, Card, CardBody, CardHeader, Checkbox, Dialog, ErrorState, Field, Input, KeyValue, Page, PageHeader, Textarea, TimeCell, toast } from "../../components";
import { api, fieldErrors } from "../../lib/api";
import { useCan } from "../../lib/auth";
import type { Page as ListPage } from "../../lib/types";
import { MONEY_INPUT_RE } from "../carriers/carrier/money";
import { FormError } from "../carriers/carrier/ui";
import { Amount, formatAmount } from "../ledger/shared";
import { fromMicros, toMicros } from "../reconciliation/ReconciliationRunsPage";
import { INVOICE_STATUS, MAIL_STATUS, apiUrl, billingKeys, invoiceNo, type Allocation, type CreditNote, type InvoiceDetail, type MailSummary } from "./types";

/** A dense read-only table for a detail card (a handful of rows, no paging). */
export function MiniTable({ head, rows, empty, label }: { head: { label: string; right?: boolean }[]; rows: ReactNode[][]; empty: string; label: string }) {
  if (!rows.length) return <p className="px-4 py-3 text-sm text-fg-muted">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="w-full text-xs">
        <thead>
          <tr className="border-b border-line text-fg-muted">
            {head.map((h) => (
              <th key={h.label} className={`px-3 py-1.5 font-medium ${h.right ? "text-right" : "text-left"}`}>
                {h.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-b border-line last:border-0">
              {r.map((c, j) => (
                <td key={j} className={`px-3 py-1 ${head[j]?.right ? "text-right tabular" : ""}`}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Billing / Invoices / one invoice: header and totals, lines, payments, credit notes, deliveries, actions and the PDF. */
export default function InvoiceDetailPage() {
  const { invoiceId = "" } = useParams();
  const canWrite = useCan()("billing:write");
  const canMail = useCan()("mail:read");
  const qc = useQueryClient();
  const inv = useQuery({ queryKey: billingKeys.invoice(invoiceId), queryFn: ({ signal }) => api.get<InvoiceDetail>(`/invoices/${invoiceId}`, undefined, signal) });
  const allocations = useQuery({ queryKey: [...billingKeys.invoice(invoiceId), "allocations"], queryFn: ({ signal }) => api.get<{ rows: Allocation[] }>(`/invoices/${invoiceId}/allocations`, undefined, signal) });
  const notes = useQuery({ queryKey: [...billingKeys.invoice(invoiceId), "credit-notes"], queryFn: ({ signal }) => api.get<ListPage<CreditNote>>("/credit-notes", { invoiceId, pageSize: 100 }, signal) });
  const mail = useQuery({
    queryKey: [...billingKeys.invoice(invoiceId), "mail"],
    queryFn: ({ signal }) => api.get<ListPage<MailSummary>>("/mail", { relatedType: "invoice", relatedId: invoiceId, pageSize: 50 }, signal),
    enabled: canMail,
    refetchInterval: (q) => (q.state.data?.rows.some((m) => m.status === "queued") ? 2000 : false),
  });
  const [dialog, setDialog] = useState<"void" | "send" | "credit" | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: billingKeys.all });
  const issue = useMutation({
    mutationFn: () => api.post(`/invoices/${invoiceId}/issue`),
    onSuccess: () => {
      refresh();
      toast.success("Invoice issued");
    },
    onError: (e) => toast.error((e as Error).message),
  });

  if (inv.error) return <Page header={<PageHeader title="Invoice" breadcrumb={["Billing", "Invoices"]} />}><ErrorState error={inv.error} onRetry={() => inv.refetch()} /></Page>;
  const i = inv.data;
  const issued = i && i.status !== "draft" && i.status !== "void";
  const usage = i?.lines.filter((l) => l.kind === "usage") ?? [];
  // What the PDF prints: lines at the minor unit, and a Rounding line making them add up to the subtotal.
  const printedRounding = i ? toMicros(i.subtotal) - usage.reduce((s, l) => s + toMicros(l.amountRounded), 0n) : 0n;
  const creditable = issued && /[1-9]/.test(i.total) && i.credited !== i.total;
  return (
    <Page
      header={
        <PageHeader
          title={i ? `${invoiceNo(i.number)} · ${i.carrierName}` : "Invoice"}
          breadcrumb={["Billing", "Invoices", i ? invoiceNo(i.number) : "…"]}
          description={i && `${i.firstDay === i.lastDay ? i.firstDay : `${i.firstDay} – ${i.lastDay}`} (${i.timeZone}) · ${i.cdrCount.toLocaleString()} calls · ${i.currency}`}
          meta={i && <Badge tone={INVOICE_STATUS[i.status].tone} dot>{INVOICE_STATUS[i.status].label}</Badge>}
          actions={
            i && (
              <div className="flex flex-wrap gap-2">
                <a href={apiUrl(`/invoices/${i.id}/pdf`)} download className="contents">
                  <Button icon={<Download className="size-4" />}>PDF</Button>
                </a>
                <a href={apiUrl(`/invoices/${i.id}/cdrs.csv`)} download className="contents">
                  <Button icon={<Download className="size-4" />}>CDR CSV</Button>
                </a>
                {canWrite && i.status === "draft" && (
                  <Button variant="primary" icon={<CheckCircle2 className="size-4" />} loading={issue.isPending} onClick={() => issue.mutate()}>
                    Issue
                  </Button>
                )}
                {canWrite && issued && (
                  <Button variant="primary" icon={<Send className="size-4" />} onClick={() => setDialog("send")}>
                    Send
                  </Button>
                )}
                {canWrite && creditable && (
                  <Button icon={<FileMinus className="size-4" />} onClick={() => setDialog("credit")}>
                    Credit note
                  </Button>
                )}
                {canWrite && i.status !== "void" && (
                  <Button variant="danger" icon={<Ban className="size-4" />} onClick={() => setDialog("void")}>
                    Void
                  </Button>
                )}
              </div>
            )
          }
        />
      }
    >
      {i && (
        <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,34rem)]">
          <div className="flex min-w-0 flex-col gap-4">
            <Card>
              <CardBody className="grid gap-6 sm:grid-cols-2">
                <KeyValue
                  items={[
                    { label: "Customer", value: <Link className="hover:underline" to={`/carriers/${i.carrierId}`}>{i.carrierName}</Link> },
                    { label: "Period", value: `${i.firstDay} – ${i.lastDay}` },
                    { label: "Issued", value: <TimeCell value={i.issuedAt} /> },
                    { label: "Due", value: i.dueOn ?? "—" },
                    { label: "Tax", value: i.taxCode ? `${i.taxCode} ${i.taxRate} %` : "None" },
                    ...(i.voidReason ? [{ label: "Void reason", value: i.voidReason }] : []),
                  ]}
                />
                <KeyValue
                  items={[
                    { label: "Subtotal", value: <Amount value={i.subtotal} currency={i.currency} tone={false} /> },
                    { label: "Tax", value: <Amount value={i.tax} tone={false} /> },
                    { label: "Total", value: <Amount value={i.total} currency={i.currency} tone={false} className="font-semibold" /> },
                    { label: "Credited", value: <Amount value={i.credited} tone={false} /> },
                    { label: "Paid", value: <Amount value={i.paid} tone={false} /> },
                    { label: "Outstanding", value: <Amount value={i.outstanding} currency={i.currency} tone={false} className="font-semibold" /> },
                  ]}
                />
              </CardBody>
            </Card>
            <Card>
              <CardHeader title="Lines by destination" description={`Amount: exact Σ of the calls; Printed: as on the PDF, where the Rounding line makes the printed lines add up. Usage ${formatAmount(i.usage)} + rounding ${formatAmount(i.rounding)} = subtotal ${formatAmount(i.subtotal)}.`} />
              <MiniTable
                label="Invoice lines"
                empty="No lines."
                head={[{ label: "Destination" }, { label: "Calls", right: true }, { label: "Minutes", right: true }, { label: "Rate", right: true }, { label: "Rated", right: true }, { label: "FX rate", right: true }, { label: "Amount", right: true }, { label: "Printed", right: true }]}
                rows={[
                  ...usage.map((l) => [l.destination, l.calls.toLocaleString(), l.minutes, l.rate ?? "—", <Amount value={l.ratedAmount} currency={l.ratedCurrency === i.currency ? undefined : l.ratedCurrency} />, l.fxRate ?? "—", <Amount value={l.amount} />, l.amountRounded]),
                  ...(toMicros(i.rounding) !== 0n || printedRounding !== 0n ? [[<span className="font-medium italic">Rounding</span>, "", "", "", "", "", <Amount value={i.rounding} />, formatAmount(fromMicros(printedRounding))]] : []),
                ]}
              />
            </Card>
            <Card>
              <CardHeader title="Payments allocated" />
              <MiniTable label="Allocations" empty="Nothing allocated yet." head={[{ label: "When" }, { label: "Source" }, { label: "Amount", right: true }]} rows={(allocations.data?.rows ?? []).map((a) => [<TimeCell value={a.createdAt} />, a.source === "prepaid" ? "Prepaid balance" : "Payment", <Amount value={a.amount} />])} />
            </Card>
            <Card>
              <CardHeader title="Credit notes" />
              <MiniTable
                label="Credit notes"
                empty="No credit notes."
                head={[{ label: "Number" }, { label: "Reason" }, { label: "Net", right: true }, { label: "Tax", right: true }, { label: "Total", right: true }, { label: "" }]}
                rows={(notes.data?.rows ?? []).map((n) => [
                  <span className="font-mono">CN-{n.number}</span>,
                  n.reason,
                  <Amount value={n.net} />,
                  <Amount value={n.tax} />,
                  <Amount value={n.total} />,
                  <a className="text-accent-text hover:underline" href={apiUrl(`/credit-notes/${n.id}/pdf`)} target="_blank" rel="noreferrer">PDF</a>,
                ])}
              />
            </Card>
            {canMail && (
              <Card>
                <CardHeader title="Deliveries" description="The mails that sent this invoice (Mail Outbox)." />
                <MiniTable
                  label="Deliveries"
                  empty="Not sent yet."
                  head={[{ label: "Queued" }, { label: "To" }, { label: "Status" }, { label: "Files", right: true }, { label: "Sent" }]}
                  rows={(mail.data?.rows ?? []).map((m) => [
                    <TimeCell value={m.createdAt} />,
                    <span className="truncate">{m.to.join(", ")}</span>,
                    <Badge tone={MAIL_STATUS[m.status].tone} dot>{MAIL_STATUS[m.status].label}</Badge>,
                    m.attachmentCount,
                    <TimeCell value={m.sentAt} />,
                  ])}
                />
              </Card>
            )}
          </div>
          <Card className="flex min-h-[36rem] flex-col overflow-hidden">
            <CardHeader title="Preview" description="The PDF as the customer receives it." />
            <iframe title="Invoice PDF preview" src={`${apiUrl(`/invoices/${i.id}/pdf`)}?v=${encodeURIComponent(`${i.status}-${i.credited}-${i.paid}`)}`} className="min-h-[36rem] w-full flex-1 border-0 bg-white" />
          </Card>
        </div>
      )}
      {i && canWrite && <VoidDialog open={dialog === "void"} invoiceId={i.id} onClose={() => setDialog(null)} onDone={refresh} />}
      {i && canWrite && <SendDialog open={dialog === "send"} invoiceId={i.id} onClose={() => setDialog(null)} onDone={refresh} />}
      {i && canWrite && <CreditDialog open={dialog === "credit"} invoice={i} onClose={() => setDialog(null)} onDone={refresh} />}
    </Page>
  );
}

function VoidDialog({ open, invoiceId, onClose, onDone }: { open: boolean; invoiceId: string; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const m = useMutation({
    mutationFn: () => api.post(`/invoices/${invoiceId}/void`, { reason }),
    onSuccess: () => {
      onDone();
      toast.success("Invoice voided");
      onClose();
    },
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!m.isPending}
      title="Void this invoice?"
      description="Reverses its ledger postings and releases its calls for a new invoice. It keeps its number."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" disabled={!reason.trim()} loading={m.isPending} onClick={() => m.mutate()}>
            Void invoice
          </Button>
        </>
      }
    >
      <FormError error={m.error} />
      <Field label="Reason" required>
        <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={500} />
      </Field>
    </Dialog>
  );
}

function SendDialog({ open, invoiceId, onClose, onDone }: { open: boolean; invoiceId: string; onClose: () => void; onDone: () => void }) {
  const [to, setTo] = useState("");
  const [attachCdrs, setAttachCdrs] = useState(true);
  const m = useMutation({
    mutationFn: () => {
      const list = to.split(/[\s,;]+/).filter(Boolean);
      return api.post<{ to: string[] }>(`/invoices/${invoiceId}/send`, { ...(list.length && { to: list }), attachCdrs });
    },
    onSuccess: (r) => {
      onDone();
      toast.success(`Queued for ${r.to.join(", ")}`);
      onClose();
    },
  });
  const server = fieldErrors(m.error);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!m.isPending}
      title="Send invoice"
      description="Mails the PDF; the delivery shows under Deliveries and in the Mail Outbox."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" loading={m.isPending} onClick={() => m.mutate()}>
            Send
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <FormError error={m.error && !server.to ? m.error : null} />
        <Field label="Recipients" hint="Comma separated; empty: the customer's billing contacts." error={server.to ?? Object.entries(server).find(([k]) => k.startsWith("to."))?.[1]}>
          <Input value={to} onChange={(e) => setTo(e.target.value)} placeholder="billing contacts" aria-label="Recipients" />
        </Field>
        <Checkbox checked={attachCdrs} onChange={(e) => setAttachCdrs(e.target.checked)} label="Attach the CDR CSV" />
      </div>
    </Dialog>
  );
}

function CreditDialog({ open, invoice, onClose, onDone }: { open: boolean; invoice: InvoiceDetail; onClose: () => void; onDone: () => void }) {
  const [full, setFull] = useState(true);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const m = useMutation({
    mutationFn: () => api.post<CreditNote>("/credit-notes", { invoiceId: invoice.id, reason, ...(!full && { amount }) }),
    onSuccess: (n) => {
      onDone();
      toast.success(`CN-${n.number} created`);
      onClose();
    },
  });
  const server = fieldErrors(m.error);
  const valid = reason.trim() && (full || MONEY_INPUT_RE.test(amount.trim()));
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!m.isPending}
      title="Credit note"
      description={`Gross amount (tax included), whole minor units. Still creditable: ${invoice.currency} (total ${invoice.total} − credited ${invoice.credited}).`}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={!valid} loading={m.isPending} onClick={() => m.mutate()}>
            Create credit note
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <FormError error={m.error && Object.keys(server).length === 0 ? m.error : null} />
        <Checkbox checked={full} onChange={(e) => setFull(e.target.checked)} label="Credit everything not yet credited" />
        {!full && (
          <Field label="Amount" required error={server.amount}>
            <Input inputMode="decimal" className="font-mono" value={amount} onChange={(e) => setAmount(e.target.value)} trailing={invoice.currency} aria-label="Amount" />
          </Field>
        )}
        <Field label="Reason" required error={server.reason}>
          <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} aria-label="Reason" />
        </Field>
      </div>
    </Dialog>
  );
}
