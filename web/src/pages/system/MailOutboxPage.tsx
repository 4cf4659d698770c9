import { useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Download, Mail, Paperclip, RotateCcw } from "lucide-react";
import { Badge, Button, DataTable, Dialog, EmptyState, ErrorState, KeyValue, Page, PageHeader, Select, Skeleton, TimeCell, toast, type BadgeTone } from "../../components";
import { api } from "../../lib/api";
import { useCan } from "../../lib/auth";
import { formatFull, formatNumber } from "../../lib/format";
import { useTableState, serverTableProps } from "../../lib/useTableState";
import type { Page as ListPage } from "../../lib/types";

type MailStatus = "queued" | "sent" | "failed" | "outbox_only";
interface MailSummary {
  id: string;
  fromName: string;
  to: string[];
  cc: string[];
  subject: string;
  relatedType: string | null;
  relatedId: string | null;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
  attachmentCount: number;
}
interface MailDetail extends MailSummary {
  text: string;
  html: string | null;
  attachments: { id: string; filename: string; contentType: string; sizeBytes: number }[];
}

const FILTERS = ["status", "relatedType"] as const;
const STATUS_TONE: Record<MailStatus, BadgeTone> = { queued: "info", sent: "success", failed: "danger", outbox_only: "neutral" };
const STATUS_LABEL: Record<MailStatus, string> = { queued: "Queued", sent: "Sent", failed: "Failed", outbox_only: "Outbox only" };
const STATUS_TITLE: Record<MailStatus, string> = {
  queued: "Waiting for delivery (or for its next retry)",
  sent: "Accepted by the SMTP server",
  failed: "Every attempt failed; Retry sends it again",
  outbox_only: "No SMTP server is configured: this outbox is the delivery",
};
const RELATED = ["credit_alert", "invoice", "statement", "credit_note"];

const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export default function MailOutboxPage() {
  const can = useCan();
  const qc = useQueryClient();
  const t = useTableState({ defaultPageSize: 25, defaultSort: "createdAt:desc", filters: FILTERS });
  const [openId, setOpenId] = useState<string | null>(null);

  const list = useQuery({
    queryKey: ["mail", t.query],
    queryFn: ({ signal }) => api.get<ListPage<MailSummary>>("/mail", t.query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.rows.some((m) => m.status === "queued") ? 3000 : false),
  });
  const retry = useMutation({
    mutationFn: (id: string) => api.post<MailDetail>(`/mail/${id}/retry`),
    onSuccess: (m) => {
      toast.success(`Queued “${m.subject}” again`);
      void qc.invalidateQueries({ queryKey: ["mail"] });
    },
    onError: (e) => toast.error(e),
  });
  const canRetry = can("mail:write");

  const columns = useMemo<ColumnDef<MailSummary>[]>(
    () => [
      { id: "createdAt", header: "Created", enableSorting: true, enableHiding: false, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.createdAt} /> },
      {
        id: "status",
        header: "Status",
        enableSorting: true,
        cell: ({ row }) => (
          <Badge dot tone={STATUS_TONE[row.original.status]} title={row.original.lastError ?? STATUS_TITLE[row.original.status]}>
            {STATUS_LABEL[row.original.status]}
          </Badge>
        ),
      },
      {
        id: "to",
        header: "To",
        meta: { className: "max-w-64" },
        cell: ({ row }) => (
          <span className="block truncate" title={[...row.original.to, ...row.original.cc].join(", ")}>
            {row.original.to.join(", ")}
            {row.original.cc.length > 0 && <span className="text-fg-subtle"> +{row.original.cc.length} cc</span>}
          </span>
        ),
      },
      {
        id: "subject",
        header: "Subject",
        enableSorting: true,
        meta: { className: "max-w-96" },
        cell: ({ row }) => (
          <span className="flex min-w-0 items-center gap-1.5">
            <span className="truncate">{row.original.subject}</span>
            {row.original.attachmentCount > 0 && (
              <span className="inline-flex shrink-0 items-center gap-0.5 text-xs text-fg-subtle" title={`${row.original.attachmentCount} attachment(s)`}>
                <Paperclip className="size-3" aria-hidden />
                {row.original.attachmentCount}
              </span>
            )}
          </span>
        ),
      },
      { id: "relatedType", header: "About", meta: { className: "text-fg-muted" }, cell: ({ row }) => (row.original.relatedType ? <Badge mono>{row.original.relatedType}</Badge> : <span className="text-fg-subtle">—</span>) },
      { id: "attempts", header: "Attempts", meta: { className: "text-right tabular" }, cell: ({ row }) => row.original.attempts },
      { id: "sentAt", header: "Sent", enableSorting: true, meta: { className: "text-fg-muted" }, cell: ({ row }) => <TimeCell value={row.original.sentAt} /> },
      {
        id: "lastError",
        header: "Last error",
        meta: { className: "max-w-72 text-fg-muted" },
        cell: ({ row }) => (row.original.lastError ? <span className="block truncate text-red-700 dark:text-red-400" title={row.original.lastError}>{row.original.lastError}</span> : <span className="text-fg-subtle">—</span>),
      },
    ],
    [],
  );

  return (
    <Page
      fill
      header={
        <PageHeader
          title="Mail Outbox"
          description="Every e-mail the platform sends (credit alerts, invoices, statements) with its delivery status. Without SMTP configured, the outbox is the delivery."
          meta={list.data ? <Badge tone="neutral">{formatNumber(list.data.total)}</Badge> : undefined}
        />
      }
    >
      <DataTable
        aria-label="Mail"
        tableId="mail-outbox"
        columns={columns}
        getRowId={(m) => m.id}
        {...serverTableProps(t, list)}
        search={{ value: t.q, onChange: t.setQ, placeholder: "Search subject or recipient…" }}
        filters={
          <>
            <Select
              size="sm"
              aria-label="Status"
              value={t.filters.status}
              onChange={(e) => t.setFilter("status", e.target.value)}
              placeholder="Any status"
              options={(Object.keys(STATUS_LABEL) as MailStatus[]).map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
              wrapperClassName="w-36"
            />
            <Select size="sm" aria-label="About" value={t.filters.relatedType} onChange={(e) => t.setFilter("relatedType", e.target.value)} placeholder="About anything" options={RELATED.map((r) => ({ value: r, label: r }))} wrapperClassName="w-40" />
          </>
        }
        onRowClick={(m) => setOpenId(m.id)}
        initialHidden={["attempts"]}
        emptyState={<EmptyState icon={<Mail />} title="No mail yet" description="Credit alerts, invoices and statements sent by e-mail appear here." />}
      />
      <MailDrawer id={openId} onClose={() => setOpenId(null)} canRetry={canRetry} onRetry={(id) => retry.mutate(id)} retrying={retry.isPending} />
    </Page>
  );
}

function MailDrawer({ id, onClose, canRetry, onRetry, retrying }: { id: string | null; onClose: () => void; canRetry: boolean; onRetry: (id: string) => void; retrying: boolean }) {
  const mail = useQuery({ queryKey: ["mail", "detail", id], queryFn: ({ signal }) => api.get<MailDetail>(`/mail/${id}`, undefined, signal), enabled: id !== null });
  const m = mail.data;
  const retryable = m && (m.status === "failed" || m.status === "outbox_only");
  return (
    <Dialog
      open={id !== null}
      onClose={onClose}
      variant="sheet"
      size="lg"
      title={m ? m.subject : "Mail"}
      description={m ? `${m.fromName} · ${formatFull(m.createdAt)}` : undefined}
      footer={
        <>
          {canRetry && retryable && (
            <Button size="sm" icon={<RotateCcw />} loading={retrying} onClick={() => onRetry(m.id)}>
              Retry
            </Button>
          )}
          <Button size="sm" variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {mail.isLoading && <Skeleton className="h-40" />}
      {mail.error && <ErrorState error={mail.error} onRetry={() => mail.refetch()} />}
      {m && (
        <div className="flex flex-col gap-5">
          <KeyValue
            items={[
              { label: "Status", value: <Badge dot tone={STATUS_TONE[m.status]} title={STATUS_TITLE[m.status]}>{STATUS_LABEL[m.status]}</Badge> },
              { label: "To", value: m.to.join(", ") },
              { label: "Cc", value: m.cc.length ? m.cc.join(", ") : "—" },
              { label: "About", value: m.relatedType ? <span className="font-mono text-xs">{m.relatedType} {m.relatedId}</span> : "—" },
              { label: "Attempts", value: String(m.attempts) },
              { label: "Sent", value: m.sentAt ? formatFull(m.sentAt) : "—" },
              { label: "Message ID", value: <span className="font-mono text-xs break-all">{m.messageId ?? "—"}</span> },
              { label: "Last error", value: m.lastError ? <span className="text-red-700 dark:text-red-400">{m.lastError}</span> : "—" },
            ]}
          />
          <section>
            <h3 className="mb-2 text-xs font-semibold tracking-wide text-fg-muted uppercase">Attachments</h3>
            {m.attachments.length === 0 ? (
              <p className="text-sm text-fg-muted">None</p>
            ) : (
              <ul className="divide-y divide-line rounded-md border border-line">
                {m.attachments.map((a) => (
                  <li key={a.id} className="flex items-center gap-2 px-3 py-1.5 text-sm">
                    <Paperclip className="size-3.5 text-fg-subtle" aria-hidden />
                    <span className="truncate">{a.filename}</span>
                    <span className="text-xs text-fg-subtle">
                      {a.contentType} · {formatBytes(a.sizeBytes)}
                    </span>
                    <a className="ml-auto inline-flex items-center gap-1 text-xs text-accent-text hover:underline" href={`/api/mail/${m.id}/attachments/${a.id}`} download={a.filename}>
                      <Download className="size-3.5" aria-hidden /> Download
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section>
            <h3 className="mb-2 text-xs font-semibold tracking-wide text-fg-muted uppercase">Body</h3>
            <pre className="max-h-[50vh] overflow-auto rounded-md border border-line bg-surface-2 p-3 font-sans text-sm whitespace-pre-wrap">{m.text}</pre>
          </section>
        </div>
      )}
    </Dialog>
  );
}
