import { sql } from "drizzle-orm";
import { pgTable, uuid, text, integer, bigint, boolean, jsonb, timestamp, index, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: "bigint" });

/** A time class band as stored on the plan (see engine/plan.ts TimeClass). */
export interface StoredTimeClass {
  name: string;
  days: number[];
  start: string;
  end: string;
}

/** A bad deck row, as kept on a rejected revision. */
export interface DeckError {
  line: number;
  reason: string;
}

/** A rating plan: the defaults and time classes its rates are read with. */
export const ratingPlans = pgTable(
  "rating_plans",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    /** customer (what we charge) | supplier (what we pay). */
    kind: text("kind").notNull(),
    currency: text("currency").notNull(),
    timeZone: text("time_zone").notNull().default("UTC"),
    incrementFirstS: integer("increment_first_s").notNull().default(60),
    incrementNextS: integer("increment_next_s").notNull().default(60),
    minimumDurationS: integer("minimum_duration_s").notNull().default(0),
    gracePeriodS: integer("grace_period_s").notNull().default(0),
    connectionFeeMicros: money("connection_fee_micros").notNull().default(sql`0`),
    /** Days of notice a rate increase needs. */
    noticeDays: integer("notice_days").notNull().default(7),
    /** Step the cost of a call is rounded to, in micro-units. */
    precisionMicros: money("precision_micros").notNull().default(sql`1`),
    timeClasses: jsonb("time_classes").$type<StoredTimeClass[]>().notNull().default([]),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** Bumped by every change to the plan or its rates: the compiled-plan cache keys on it. */
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("rating_plans_name_live_key").on(t.tenantId, sql`lower(${t.name})`).where(sql`${t.deletedAt} IS NULL`),
    index("rating_plans_tenant_idx").on(t.tenantId, t.name),
  ],
);

/** One deck import: previewed (rows staged), then applied by the rating.apply-revision job. */
export const rateRevisions = pgTable(
  "rate_revisions",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    planId: uuid("plan_id").notNull().references(() => ratingPlans.id),
    fileName: text("file_name").notNull(),
    /** full: codes absent from the deck are closed at the deck's effective date; partial: untouched. */
    mode: text("mode").notNull(),
    noticePolicy: text("notice_policy").notNull(),
    /** previewed | applying | applied | failed | rejected */
    status: text("status").notNull(),
    /** The deck's effective date: its earliest row's (full-mode closures happen then). */
    effectiveFrom: ts("effective_from"),
    rowCount: integer("row_count").notNull().default(0),
    newCount: integer("new_count").notNull().default(0),
    increaseCount: integer("increase_count").notNull().default(0),
    decreaseCount: integer("decrease_count").notNull().default(0),
    unchangedCount: integer("unchanged_count").notNull().default(0),
    closedCount: integer("closed_count").notNull().default(0),
    noticeViolationCount: integer("notice_violation_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    /** The first 1000 bad rows of a rejected deck. */
    errors: jsonb("errors").$type<DeckError[]>().notNull().default([]),
    failureMessage: text("failure_message"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    appliedAt: ts("applied_at"),
    jobId: text("job_id"),
  },
  (t) => [index("rate_revisions_plan_idx").on(t.tenantId, t.planId, t.createdAt)],
);

/**
 * Rate versions: a prefix's rate from effective_from (inclusive) to effective_to
 * (exclusive; null = open). Written in bulk by deck imports only, under the plan's row
 * lock: no foreign keys here or on rate_revision_rows, whose per-row checks would cost
 * more than the insert itself (a deck of 500 000 rows ran 9 s of FK triggers).
 */
export const rates = pgTable(
  "rates",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull(),
    planId: uuid("plan_id").notNull(),
    prefix: text("prefix").notNull(),
    destination: text("destination").notNull(),
    rateMicrosPerMinute: money("rate_micros_per_minute").notNull(),
    /** null = the plan default. */
    connectionFeeMicros: money("connection_fee_micros"),
    incrementFirstS: integer("increment_first_s"),
    incrementNextS: integer("increment_next_s"),
    /** null = all time classes. */
    timeClass: text("time_class"),
    effectiveFrom: ts("effective_from").notNull(),
    effectiveTo: ts("effective_to"),
    revisionId: uuid("revision_id"),
  },
  // One index: every read names the plan (ids are unique across tenants; tenant_id is checked on the rows).
  (t) => [index("rates_plan_prefix_idx").on(t.planId, t.prefix, t.effectiveFrom)],
);

/**
 * A previewed deck's rows, with their diff against what was live: one row per deck line
 * (change new | increase | decrease | unchanged) plus, in full mode, one per closed code
 * (change closed, line null, rate null).
 */
export const rateRevisionRows = pgTable(
  "rate_revision_rows",
  {
    tenantId: uuid("tenant_id").notNull(),
    revisionId: uuid("revision_id").notNull(),
    seq: integer("seq").notNull(),
    line: integer("line"),
    prefix: text("prefix").notNull(),
    destination: text("destination").notNull(),
    rateMicros: money("rate_micros"),
    connectionFeeMicros: money("connection_fee_micros"),
    incrementFirstS: integer("increment_first_s"),
    incrementNextS: integer("increment_next_s"),
    timeClass: text("time_class"),
    /** As in the deck. */
    effectiveFrom: ts("effective_from").notNull(),
    /** Set when an increase with too little notice was deferred: the date it applies from. */
    effectiveFromAdjusted: ts("effective_from_adjusted"),
    change: text("change").notNull(),
    previousRateMicros: money("previous_rate_micros"),
    noticeViolation: boolean("notice_violation").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.revisionId, t.seq] })],
);
