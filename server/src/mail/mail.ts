import { and, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type pg from "pg";
import { z } from "zod";
import { createDb, type Db, type TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { conflict, notFound } from "../platform/http/errors.js";
import { timestamp } from "../platform/http/schemas.js";
import { likePattern, listQuery, offsetOf, orderBy, type Page } from "../platform/http/list.js";
import type { JobContext, JobQueue, QueueDefinition } from "../platform/jobs/boss.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { tenants } from "../tenancy/schema.js";
import { MAIL_STATUSES, mailAttachments, mailOutbox, type MailStatus } from "./schema.js";
import type { MailTransport, OutgoingMail } from "./transport.js";

export const DELIVER_MAIL_QUEUE = "mail.deliver";

const address = z.string().trim().toLowerCase().pipe(z.email("not a valid e-mail address"));
/** What a domain hands the mail adapter. Attachments are bytes (a PDF, a CSV), kept with the mail. */
export const mailInput = z.object({
  tenantId: z.uuid(),
  to: z.array(address).min(1, "at least one recipient").max(50),
  cc: z.array(address).max(50).default([]),
  subject: z.string().trim().min(1).max(300),
  text: z.string().max(200_000),
  html: z.string().max(500_000).nullable().default(null),
  attachments: z
    .array(z.object({ filename: z.string().trim().min(1).max(200), contentType: z.string().min(3).max(100), content: z.instanceof(Buffer) }))
    .max(20)
    .default([]),
  related: z.object({ type: z.string().min(1).max(40), id: z.uuid() }).nullable().default(null),
});
export type MailInput = z.input<typeof mailInput>;

/**
 * Writes the mail (and its attachments) to the outbox and enqueues its delivery in the
 * caller's transaction: the mail exists, and is sent, only if the caller's write commits.
 * The caller's own write is what gets audited; the mail is its consequence.
 */
export async function enqueueMail(tx: TxDb, jobs: JobQueue, input: MailInput): Promise<{ id: string; jobId: string }> {
  const m = mailInput.parse(input);
  const [tenant] = await tx.select({ brandName: tenants.brandName }).from(tenants).where(eq(tenants.id, m.tenantId));
  if (!tenant) throw notFound("Tenant");
  const id = newId();
  await tx.insert(mailOutbox).values({
    id,
    tenantId: m.tenantId,
    fromName: tenant.brandName,
    toAddresses: m.to,
    ccAddresses: m.cc,
    subject: m.subject,
    textBody: m.text,
    htmlBody: m.html,
    relatedType: m.related?.type ?? null,
    relatedId: m.related?.id ?? null,
  });
  if (m.attachments.length)
    await tx.insert(mailAttachments).values(m.attachments.map((a) => ({ id: newId(), tenantId: m.tenantId, mailId: id, filename: a.filename, contentType: a.contentType, sizeBytes: a.content.length, content: a.content })));
  const jobId = await jobs.enqueue(tx, DELIVER_MAIL_QUEUE, { tenantId: m.tenantId, mailId: id });
  return { id, jobId };
}

// ── Delivery ──

export interface DeliveryOptions {
  /** Attempts after the first (pg-boss retries, with exponential back-off from `retryDelaySeconds`). */
  retryLimit: number;
  retryDelaySeconds: number;
}
export const DEFAULT_DELIVERY: DeliveryOptions = { retryLimit: 4, retryDelaySeconds: 30 };

/** The delivery queue over a transport (null: no SMTP, the outbox row is the delivery). */
export function mailDeliveryQueue(pool: pg.Pool, transport: MailTransport | null, opts: DeliveryOptions = DEFAULT_DELIVERY): QueueDefinition<{ tenantId: string; mailId: string }> {
  return {
    name: DELIVER_MAIL_QUEUE,
    retryLimit: opts.retryLimit,
    retryDelaySeconds: opts.retryDelaySeconds,
    retryBackoff: true,
    handler: (data, ctx) => deliverMail(pool, transport, data, ctx),
  };
}

/**
 * Sends one queued mail. A mail already sent is not sent again (a replayed job is a
 * no-op). A failed attempt records its error and rethrows so pg-boss retries with
 * back-off; the last allowed attempt marks the mail `failed`.
 */
export async function deliverMail(pool: pg.Pool, transport: MailTransport | null, data: { tenantId: string; mailId: string }, ctx: JobContext): Promise<{ status: MailStatus }> {
  const db = createDb(pool);
  const where = and(eq(mailOutbox.tenantId, data.tenantId), eq(mailOutbox.id, data.mailId));
  const [row] = await db.select().from(mailOutbox).where(where);
  if (!row) throw new Error(`mail ${data.mailId} not found`);
  if (row.status !== "queued") return { status: row.status };
  if (!transport) {
    await db.update(mailOutbox).set({ status: "outbox_only", updatedAt: new Date() }).where(and(where, eq(mailOutbox.status, "queued")));
    return { status: "outbox_only" };
  }
  const files = await db
    .select({ filename: mailAttachments.filename, contentType: mailAttachments.contentType, content: mailAttachments.content })
    .from(mailAttachments)
    .where(and(eq(mailAttachments.tenantId, data.tenantId), eq(mailAttachments.mailId, data.mailId)))
    .orderBy(mailAttachments.id);
  const mail: OutgoingMail = { fromName: row.fromName, to: row.toAddresses, cc: row.ccAddresses, subject: row.subject, text: row.textBody, html: row.htmlBody, attachments: files };
  try {
    const { messageId } = await transport.send(mail);
    await db
      .update(mailOutbox)
      .set({ status: "sent", attempts: sql`${mailOutbox.attempts} + 1`, messageId, lastError: null, sentAt: new Date(), updatedAt: new Date() })
      .where(where);
    return { status: "sent" };
  } catch (err) {
    const last = await isLastAttempt(pool, ctx.jobId);
    await db
      .update(mailOutbox)
      .set({ status: last ? "failed" : "queued", attempts: sql`${mailOutbox.attempts} + 1`, lastError: String((err as Error).message ?? err).slice(0, 2000), updatedAt: new Date() })
      .where(where);
    throw err;
  }
}

async function isLastAttempt(pool: pg.Pool, jobId: string): Promise<boolean> {
  const r = await pool.query<{ last: boolean }>(`SELECT retry_count >= retry_limit AS last FROM pgboss.job WHERE id = $1`, [jobId]);
  return r.rows[0]?.last ?? true;
}

/** Sends a failed (or outbox-only) mail again, e.g. after SMTP was configured. */
export async function retryMail(tx: TxDb, actor: Actor, jobs: JobQueue, id: string): Promise<MailDetail> {
  const before = await getMail(tx, { tenantId: actor.tenantId, id });
  if (before.status !== "failed" && before.status !== "outbox_only") throw conflict(`Only a failed or outbox-only mail can be retried (this one is ${before.status})`);
  await tx.update(mailOutbox).set({ status: "queued", updatedAt: new Date() }).where(and(eq(mailOutbox.tenantId, actor.tenantId), eq(mailOutbox.id, id)));
  await jobs.enqueue(tx, DELIVER_MAIL_QUEUE, { tenantId: actor.tenantId, mailId: id });
  const after = await getMail(tx, { tenantId: actor.tenantId, id });
  await recordAudit(tx, actor, { action: "mail.retry", entityType: "mail", entityId: id, before: { status: before.status, lastError: before.lastError }, after: { status: after.status } });
  return after;
}

// ── Reading ──

export const mailListQuery = listQuery.extend({
  status: z.enum(MAIL_STATUSES).optional(),
  relatedType: z.string().max(40).optional(),
  relatedId: z.uuid().optional(),
});

/** A mail as the API lists it. */
export const mailSummaryDto = z.object({
  id: z.uuid(),
  fromName: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  relatedType: z.string().nullable(),
  relatedId: z.uuid().nullable(),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: timestamp,
  sentAt: timestamp.nullable(),
  attachmentCount: z.number().int(),
});
export const mailDetailDto = mailSummaryDto.extend({
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), sizeBytes: z.number().int() })),
});

const summaryColumns = {
  id: mailOutbox.id,
  fromName: mailOutbox.fromName,
  to: mailOutbox.toAddresses,
  cc: mailOutbox.ccAddresses,
  subject: mailOutbox.subject,
  relatedType: mailOutbox.relatedType,
  relatedId: mailOutbox.relatedId,
  status: mailOutbox.status,
  attempts: mailOutbox.attempts,
  lastError: mailOutbox.lastError,
  messageId: mailOutbox.messageId,
  createdAt: mailOutbox.createdAt,
  sentAt: mailOutbox.sentAt,
  attachmentCount: sql<number>`(SELECT count(*)::int FROM mail_attachments a WHERE a.tenant_id = mail_outbox.tenant_id AND a.mail_id = mail_outbox.id)`,
};
export type MailSummary = z.output<typeof mailSummaryDto>;

export async function listMail(db: Db, params: { tenantId: string; query: z.infer<typeof mailListQuery> }): Promise<Page<MailSummary>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [eq(mailOutbox.tenantId, tenantId)];
  if (query.status) f.push(eq(mailOutbox.status, query.status));
  if (query.relatedType) f.push(eq(mailOutbox.relatedType, query.relatedType));
  if (query.relatedId) f.push(eq(mailOutbox.relatedId, query.relatedId));
  if (query.q) f.push(or(ilike(mailOutbox.subject, likePattern(query.q)), sql`array_to_string(${mailOutbox.toAddresses}, ' ') ILIKE ${likePattern(query.q)}`));
  const where = and(...f);
  const order = orderBy(query.sort, { createdAt: mailOutbox.createdAt, subject: mailOutbox.subject, status: mailOutbox.status, sentAt: mailOutbox.sentAt }, desc(mailOutbox.createdAt));
  const [rows, [total]] = await Promise.all([
    db.select(summaryColumns).from(mailOutbox).where(where).orderBy(order, desc(mailOutbox.id)).limit(query.pageSize).offset(offsetOf(query)),
    db.select({ n: count() }).from(mailOutbox).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export type MailDetail = z.output<typeof mailDetailDto>;

export async function getMail(db: Db, params: { tenantId: string; id: string }): Promise<MailDetail> {
  const [row] = await db
    .select({ ...summaryColumns, text: mailOutbox.textBody, html: mailOutbox.htmlBody })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.tenantId, params.tenantId), eq(mailOutbox.id, params.id)));
  if (!row) throw notFound("Mail");
  const attachments = await db
    .select({ id: mailAttachments.id, filename: mailAttachments.filename, contentType: mailAttachments.contentType, sizeBytes: mailAttachments.sizeBytes })
    .from(mailAttachments)
    .where(and(eq(mailAttachments.tenantId, params.tenantId), eq(mailAttachments.mailId, params.id)))
    .orderBy(mailAttachments.id);
  return { ...row, attachments };
}

export async function getAttachment(db: Db, params: { tenantId: string; mailId: string; id: string }) {
  const [row] = await db
    .select({ filename: mailAttachments.filename, contentType: mailAttachments.contentType, content: mailAttachments.content })
    .from(mailAttachments)
    .where(and(eq(mailAttachments.tenantId, params.tenantId), eq(mailAttachments.mailId, params.mailId), eq(mailAttachments.id, params.id)));
  if (!row) throw notFound("Attachment");
  return row;
}
