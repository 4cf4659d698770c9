import { and, arrayContains, eq, isNull, sql } from "drizzle-orm";
import type { TxDb } from "../platform/db/client.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import { AppError, conflict } from "../platform/http/errors.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { enqueueMail } from "../mail/mail.js";
import { contacts } from "../carriers/schema.js";
import { invoiceCdrsCsv } from "../cdrs/export.js";
import { renderDocumentPdf } from "../documents/pdf.js";
import { getCreditNoteDocument, getInvoiceDocument, type DocumentData } from "./document.js";
import { creditNotePdfModel, documentFileName, invoicePdfModel } from "./pdf.js";
import type { SendInput } from "./model.js";

/** The carrier's billing contacts with an e-mail address. */
async function billingRecipients(tx: TxDb, tenantId: string, carrierId: string): Promise<string[]> {
  const rows = await tx
    .select({ email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.carrierId, carrierId), arrayContains(contacts.roles, ["billing"]), isNull(contacts.deletedAt), sql`${contacts.email} IS NOT NULL`));
  return [...new Set(rows.map((r) => r.email!.toLowerCase()))];
}

/** Collects the invoice's CDR CSV (a mail attachment is bytes). */
export async function invoiceCdrsCsvBuffer(tx: TxDb, params: { tenantId: string; invoiceId: string }): Promise<Buffer> {
  const parts: string[] = [];
  for await (const chunk of invoiceCdrsCsv(tx, params)) parts.push(chunk);
  return Buffer.from(parts.join(""), "utf8");
}

/**
 * Mails an issued invoice or a credit note as a PDF (an invoice optionally with its CDR
 * CSV) in the caller's transaction: the outbox row, its attachments, its delivery job and
 * the audit record commit together. A draft or void invoice is 409; no recipient is 422.
 */
export async function sendDocument(tx: TxDb, actor: Actor, jobs: JobQueue, kind: "invoice" | "credit_note", id: string, input: SendInput): Promise<{ mailId: string; to: string[]; attachments: string[] }> {
  const params = { tenantId: actor.tenantId, id };
  const doc: DocumentData = kind === "invoice" ? await getInvoiceDocument(tx, params) : await getCreditNoteDocument(tx, params);
  if (doc.status === "draft" || doc.status === "void") throw conflict(`A ${doc.status} invoice cannot be sent`);
  const carrierId = (
    await tx.execute<{ carrier_id: string }>(kind === "invoice" ? sql`SELECT carrier_id FROM invoices WHERE tenant_id = ${actor.tenantId} AND id = ${id}` : sql`SELECT carrier_id FROM credit_notes WHERE tenant_id = ${actor.tenantId} AND id = ${id}`)
  ).rows[0]!.carrier_id;
  const to = input.to ?? (await billingRecipients(tx, actor.tenantId, carrierId));
  if (!to.length) throw new AppError(422, "no_recipients", `${doc.buyer.name} has no billing contact with an e-mail address; give the recipients`, { to: ["no billing contact with an e-mail address"] });
  const pdf = await renderDocumentPdf(kind === "invoice" ? invoicePdfModel(doc) : creditNotePdfModel(doc));
  const attachments = [{ filename: documentFileName(doc), contentType: "application/pdf", content: pdf }];
  if (kind === "invoice" && input.attachCdrs) attachments.push({ filename: `${doc.number}-cdrs.csv`, contentType: "text/csv", content: await invoiceCdrsCsvBuffer(tx, { tenantId: actor.tenantId, invoiceId: id }) });
  const title = kind === "invoice" ? "Invoice" : "Credit note";
  const text = [
    `Dear ${doc.buyer.name},`,
    "",
    `Please find attached ${title.toLowerCase()} ${doc.number} of ${doc.currency} ${doc.totals.total}${doc.dueOn ? `, due on ${doc.dueOn}` : ""}.`,
    ...(doc.period ? [`Period: ${doc.period.firstDay} – ${doc.period.lastDay}.`] : []),
    "",
    doc.seller.branding.brandName,
    "",
  ].join("\n");
  const mail = await enqueueMail(tx, jobs, {
    tenantId: actor.tenantId,
    to,
    subject: `${title} ${doc.number} from ${doc.seller.branding.brandName}`,
    text,
    attachments,
    related: { type: kind, id },
  });
  const names = attachments.map((a) => a.filename);
  await recordAudit(tx, actor, { action: `${kind}.send`, entityType: kind, entityId: id, after: { mailId: mail.id, to, attachments: names } });
  return { mailId: mail.id, to, attachments: names };
}
