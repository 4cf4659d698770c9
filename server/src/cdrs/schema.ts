import { sql } from "drizzle-orm";
import { pgTable, uuid, text, integer, bigint, timestamp, index, primaryKey, uniqueIndex } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: "bigint" });

/**
 * One row per call attempt, partitioned by month of `start_at` (the migration declares
 * `PARTITION BY RANGE (start_at)`; partitions.ts creates them ahead). A unique index
 * across partitions must contain the partition key, so the idempotency key lives in
 * `cdr_keys` instead.
 */
export const cdrs = pgTable(
  "cdrs",
  {
    id: uuid("id").notNull(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    switchId: text("switch_id").notNull(),
    callId: text("call_id").notNull(),
    attempt: integer("attempt").notNull(),
    ingestBatchId: uuid("ingest_batch_id").notNull(),
    ingressInterconnectId: uuid("ingress_interconnect_id"),
    serviceId: uuid("service_id"),
    customerCarrierId: uuid("customer_carrier_id"),
    egressInterconnectId: uuid("egress_interconnect_id"),
    supplierCarrierId: uuid("supplier_carrier_id"),
    callingRaw: text("calling_raw").notNull(),
    calledRaw: text("called_raw").notNull(),
    callingNumber: text("calling_number").notNull(),
    calledNumber: text("called_number").notNull(),
    startAt: ts("start_at").notNull(),
    answerAt: ts("answer_at"),
    endAt: ts("end_at").notNull(),
    durationS: integer("duration_s").notNull(),
    pddMs: integer("pdd_ms"),
    sipStatus: integer("sip_status").notNull(),
    q850Cause: integer("q850_cause"),
    /** answered | busy | no_answer | failed | cancelled */
    disposition: text("disposition").notNull(),
    codec: text("codec"),
    /** The credit reservation (a pending ledger transfer) the call held; rating voids it as the charge posts. */
    reservationId: uuid("reservation_id"),
    /** pending → rated | error (with rating_error); a re-rate sets pending again and bumps rating_version. */
    ratingStatus: text("rating_status").notNull().default("pending"),
    ratingError: text("rating_error"),
    ratingVersion: integer("rating_version").notNull().default(0),
    ratedAt: ts("rated_at"),
    /** The rating version whose ledger transfers are live (null: nothing posted yet). */
    postedVersion: integer("posted_version"),
    customerCurrency: text("customer_currency"),
    customerPrefix: text("customer_prefix"),
    customerDestination: text("customer_destination"),
    customerRateMicrosPerMinute: money("customer_rate_micros_per_minute"),
    customerBillableS: integer("customer_billable_s"),
    customerCostMicros: money("customer_cost_micros"),
    supplierCurrency: text("supplier_currency"),
    supplierPrefix: text("supplier_prefix"),
    supplierDestination: text("supplier_destination"),
    supplierRateMicrosPerMinute: money("supplier_rate_micros_per_minute"),
    supplierBillableS: integer("supplier_billable_s"),
    supplierCostMicros: money("supplier_cost_micros"),
    /** Supplier cost converted to the customer currency: units of customer currency per unit of supplier currency, × 1e6. */
    fxRateMicros: money("fx_rate_micros"),
    /** Customer cost − supplier cost in the customer currency. */
    marginMicros: money("margin_micros"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.startAt, t.id] }),
    index("cdrs_customer_idx").on(t.tenantId, t.customerCarrierId, t.startAt),
    index("cdrs_supplier_idx").on(t.tenantId, t.supplierCarrierId, t.startAt),
    index("cdrs_called_idx").on(t.tenantId, t.calledNumber),
    // start_at last: the rating job takes the oldest pending CDRs in index order, no sort of every pending row.
    index("cdrs_rating_idx").on(t.tenantId, t.ratingStatus, t.startAt).where(sql`${t.ratingStatus} <> 'rated'`),
    // Re-rated CDRs (rare): billing looks for those already invoiced at another cost.
    index("cdrs_rerated_idx").on(t.tenantId, t.customerCarrierId).where(sql`${t.ratingVersion} > 0`),
  ],
);

/** The idempotency key of a call attempt: (switch, call id, attempt) → the CDR it created. */
export const cdrKeys = pgTable(
  "cdr_keys",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    switchId: text("switch_id").notNull(),
    callId: text("call_id").notNull(),
    attempt: integer("attempt").notNull(),
    cdrId: uuid("cdr_id").notNull(),
    startAt: ts("start_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.switchId, t.callId, t.attempt] }), uniqueIndex("cdr_keys_cdr_idx").on(t.cdrId)],
);

/** One ingest call (API batch, CSV upload or pull): counts, for the record. */
export const cdrBatches = pgTable(
  "cdr_batches",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** api | csv | pull:<source> */
    source: text("source").notNull(),
    fileName: text("file_name"),
    receivedCount: integer("received_count").notNull(),
    insertedCount: integer("inserted_count").notNull(),
    duplicateCount: integer("duplicate_count").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("cdr_batches_tenant_idx").on(t.tenantId, t.createdAt)],
);
