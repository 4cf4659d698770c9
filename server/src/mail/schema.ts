import { customType, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const MAIL_STATUSES = ["queued", "sent", "failed", "outbox_only"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every e-mail the platform sends, whether or not SMTP is configured: without SMTP the
 * row (status `outbox_only`) is the delivery, read on the Mail Outbox page.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** Display name of the sender (the tenant's brand); the address is the transport's (`MAIL_FROM`). */
    fromName: text("from_name").notNull(),
    toAddresses: text("to_addresses").array().notNull(),
    ccAddresses: text("cc_addresses").array().notNull().default([]),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** What the mail is about (e.g. `credit_alert`, `invoice`) and its id, for filtering and links. */
    relatedType: text("related_type"),
    relatedId: uuid("related_id"),
    status: text("status").$type<MailStatus>().notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    messageId: text("message_id"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("mail_outbox_tenant_idx").on(t.tenantId, t.createdAt),
    index("mail_outbox_related_idx").on(t.tenantId, t.relatedType, t.relatedId),
  ],
);

export const mailAttachments = pgTable(
  "mail_attachments",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    mailId: uuid("mail_id")
      .notNull()
      .references(() => mailOutbox.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    content: bytea("content").notNull(),
  },
  (t) => [index("mail_attachments_mail_idx").on(t.tenantId, t.mailId)],
);
