import { sql } from "drizzle-orm";
import { pgTable, uuid, text, integer, bigint, jsonb, timestamp, date, index, uniqueIndex, primaryKey, check } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";
import { carriers } from "../carriers/schema.js";
import type { ColumnMapping } from "./engine/mapping.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: "bigint" });

/** What a supplier billed us for a period (their invoice), reconciled against our CDRs. */
export const supplierInvoices = pgTable(
  "supplier_invoices",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    invoiceNumber: text("invoice_number").notNull(),
    periodFrom: date("period_from").notNull(),
    periodTo: date("period_to").notNull(),
    currency: text("currency").notNull(),
    billedAmountMicros: money("billed_amount_micros").notNull(),
    billedCalls: integer("billed_calls"),
    billedDurationS: bigint("billed_duration_s", { mode: "number" }),
    /** received | reconciling | reconciled | disputed | approved */
    status: text("status").notNull().default("received"),
    note: text("note"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("supplier_invoices_number_idx").on(t.tenantId, t.carrierId, sql`lower(${t.invoiceNumber})`).where(sql`${t.deletedAt} IS NULL`),
    index("supplier_invoices_tenant_idx").on(t.tenantId, t.periodFrom),
    check("supplier_invoices_period", sql`${t.periodFrom} <= ${t.periodTo}`),
  ],
);

/** Per-destination totals of a supplier invoice (a totals-only import). */
export const supplierInvoiceLines = pgTable(
  "supplier_invoice_lines",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    invoiceId: uuid("invoice_id").notNull().references(() => supplierInvoices.id),
    seq: integer("seq").notNull(),
    destination: text("destination").notNull(),
    calls: integer("calls"),
    durationS: bigint("duration_s", { mode: "number" }),
    amountMicros: money("amount_micros").notNull(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.seq] })],
);

/** The column mapping last used for a supplier's CDR files, offered for the next one. */
export const reconciliationMappings = pgTable(
  "reconciliation_mappings",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    mapping: jsonb("mapping").$type<ColumnMapping>().notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.carrierId] })],
);

export interface RowError {
  line: number;
  reason: string;
}

/**
 * One reconciliation of a supplier's CDR file against our CDRs of that supplier in a
 * period and currency: created → file uploaded (awaiting_mapping) → queued → running →
 * done | failed. Re-mapping a done run runs it again over the same uploaded rows.
 */
export const reconciliationRuns = pgTable(
  "reconciliation_runs",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    invoiceId: uuid("invoice_id").references(() => supplierInvoices.id),
    currency: text("currency").notNull(),
    /** UTC days, both inclusive. */
    periodFrom: date("period_from").notNull(),
    periodTo: date("period_to").notNull(),
    startToleranceS: integer("start_tolerance_s").notNull().default(2),
    durationToleranceS: integer("duration_tolerance_s").notNull().default(0),
    amountToleranceMicros: money("amount_tolerance_micros").notNull().default(sql`0`),
    /** awaiting_file | awaiting_mapping | queued | running | done | failed */
    status: text("status").notNull().default("awaiting_file"),
    fileName: text("file_name"),
    fileRows: integer("file_rows"),
    header: jsonb("header").$type<string[]>(),
    /** The first rows of the file, shown by the mapping step. */
    sample: jsonb("sample").$type<string[][]>(),
    mapping: jsonb("mapping").$type<ColumnMapping>(),
    jobId: uuid("job_id"),
    /** Per class: rows, their amount, our amount (decimal strings), set when done. */
    summary: jsonb("summary").$type<Record<string, { rows: number; theirAmount: string; ourAmount: string }>>(),
    errorCount: integer("error_count").notNull().default(0),
    errors: jsonb("errors").$type<RowError[]>().notNull().default(sql`'[]'::jsonb`),
    failureMessage: text("failure_message"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    completedAt: ts("completed_at"),
  },
  (t) => [index("reconciliation_runs_tenant_idx").on(t.tenantId, t.createdAt), check("reconciliation_runs_period", sql`${t.periodFrom} <= ${t.periodTo}`)],
);

/** Their file as uploaded: one row per CSV record (header excluded), before mapping. Bulk: no foreign keys. */
export const reconciliationUploadRows = pgTable(
  "reconciliation_upload_rows",
  {
    tenantId: uuid("tenant_id").notNull(),
    runId: uuid("run_id").notNull(),
    line: integer("line").notNull(),
    fields: text("fields").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.line] })],
);

/** One row per matched pair, unmatched record of theirs, or unmatched CDR of ours. Bulk: no foreign keys. */
export const reconciliationResults = pgTable(
  "reconciliation_results",
  {
    tenantId: uuid("tenant_id").notNull(),
    runId: uuid("run_id").notNull(),
    seq: integer("seq").notNull(),
    /** matched | duration_mismatch | amount_mismatch | only_theirs | only_ours */
    class: text("class").notNull(),
    /** call_id | number_time (how a pair was matched) */
    matchedBy: text("matched_by"),
    theirLine: integer("their_line"),
    theirCallId: text("their_call_id"),
    ourCdrId: uuid("our_cdr_id"),
    ourCallId: text("our_call_id"),
    calledNumber: text("called_number").notNull(),
    destination: text("destination"),
    theirStartAt: ts("their_start_at"),
    ourStartAt: ts("our_start_at"),
    theirDurationS: integer("their_duration_s"),
    ourDurationS: integer("our_duration_s"),
    theirAmountMicros: money("their_amount_micros"),
    ourAmountMicros: money("our_amount_micros"),
    /** Theirs − ours (a missing side counts as zero). */
    differenceMicros: money("difference_micros").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index("reconciliation_results_class_idx").on(t.runId, t.class, t.seq)],
);

/** Theirs vs ours per destination, for a done run. */
export const reconciliationDestinationTotals = pgTable(
  "reconciliation_destination_totals",
  {
    tenantId: uuid("tenant_id").notNull(),
    runId: uuid("run_id").notNull(),
    destination: text("destination").notNull(),
    theirCalls: integer("their_calls").notNull(),
    theirDurationS: bigint("their_duration_s", { mode: "number" }).notNull(),
    theirAmountMicros: money("their_amount_micros").notNull(),
    ourCalls: integer("our_calls").notNull(),
    ourDurationS: bigint("our_duration_s", { mode: "number" }).notNull(),
    ourAmountMicros: money("our_amount_micros").notNull(),
    differenceMicros: money("difference_micros").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.destination] })],
);

/**
 * A dispute with a supplier over what they billed: open → agreed (the agreed credit is
 * posted to their payable) | rejected | written_off.
 */
export const supplierDisputes = pgTable(
  "supplier_disputes",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    runId: uuid("run_id").references(() => reconciliationRuns.id),
    invoiceId: uuid("invoice_id").references(() => supplierInvoices.id),
    currency: text("currency").notNull(),
    disputedAmountMicros: money("disputed_amount_micros").notNull(),
    agreedAmountMicros: money("agreed_amount_micros"),
    /** The run's result rows (seq) the dispute is about. */
    resultSeqs: integer("result_seqs").array().notNull().default(sql`'{}'::integer[]`),
    note: text("note").notNull(),
    /** open | agreed | rejected | written_off */
    status: text("status").notNull().default("open"),
    transferId: uuid("transfer_id"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    resolvedAt: ts("resolved_at"),
  },
  (t) => [index("supplier_disputes_tenant_idx").on(t.tenantId, t.createdAt), check("supplier_disputes_amount", sql`${t.disputedAmountMicros} > 0`)],
);

/** A dispute's history: opened, notes, and its resolution. */
export const supplierDisputeEvents = pgTable(
  "supplier_dispute_events",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    disputeId: uuid("dispute_id").notNull().references(() => supplierDisputes.id),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    amountMicros: money("amount_micros"),
    note: text("note"),
    actor: text("actor").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("supplier_dispute_events_idx").on(t.disputeId, t.createdAt)],
);
