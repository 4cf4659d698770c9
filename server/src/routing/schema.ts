import { sql } from "drizzle-orm";
import { pgTable, uuid, text, integer, bigint, boolean, doublePrecision, timestamp, index, uniqueIndex, check } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";
import { interconnects, trunkGroups } from "../carriers/schema.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: "bigint" });

/** Where a service's calls go: entries by destination prefix, compared in `currency`. */
export const routingPlans = pgTable(
  "routing_plans",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    description: text("description"),
    maxAttempts: integer("max_attempts").notNull().default(3),
    /** 404 or 484: the SIP answer when the customer has no rate. */
    noRateSipCode: integer("no_rate_sip_code").notNull().default(404),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("routing_plans_name_live_key").on(t.tenantId, sql`lower(${t.name})`).where(sql`${t.deletedAt} IS NULL`),
    index("routing_plans_tenant_idx").on(t.tenantId, t.name),
  ],
);

/** One destination prefix of a plan, live from effective_from (inclusive) to effective_to (exclusive). */
export const routingEntries = pgTable(
  "routing_entries",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    planId: uuid("plan_id").notNull().references(() => routingPlans.id),
    prefix: text("prefix").notNull(),
    description: text("description"),
    strategy: text("strategy").notNull(),
    qualityBase: text("quality_base").notNull().default("lcr"),
    /** Quality thresholds (statistics, not money). */
    minAsrPercent: doublePrecision("min_asr_percent"),
    minAcdS: doublePrecision("min_acd_s"),
    maxPddMs: integer("max_pdd_ms"),
    minSamples: integer("min_samples").notNull().default(20),
    blocked: boolean("blocked").notNull().default(false),
    maxSupplierRateMicros: money("max_supplier_rate_micros"),
    profitGuard: boolean("profit_guard").notNull().default(true),
    minMarginMicros: money("min_margin_micros").notNull().default(sql`0`),
    minMarginPercent: doublePrecision("min_margin_percent"),
    maxAttempts: integer("max_attempts"),
    effectiveFrom: ts("effective_from"),
    effectiveTo: ts("effective_to"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("routing_entries_plan_prefix_idx").on(t.tenantId, t.planId, t.prefix)],
);

/** A candidate route of an entry: an egress interconnect or a trunk group (exactly one). */
export const routingCandidates = pgTable(
  "routing_candidates",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    entryId: uuid("entry_id").notNull().references(() => routingEntries.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    // A purged interconnect or trunk group takes its candidates with it.
    interconnectId: uuid("interconnect_id").references(() => interconnects.id, { onDelete: "cascade" }),
    trunkGroupId: uuid("trunk_group_id").references(() => trunkGroups.id, { onDelete: "cascade" }),
    priority: integer("priority").notNull().default(1),
    weight: integer("weight").notNull().default(0),
    blocked: boolean("blocked").notNull().default(false),
    maxSupplierRateMicros: money("max_supplier_rate_micros"),
    minMarginMicros: money("min_margin_micros"),
    effectiveFrom: ts("effective_from"),
    effectiveTo: ts("effective_to"),
  },
  (t) => [
    index("routing_candidates_entry_idx").on(t.entryId, t.position),
    index("routing_candidates_interconnect_idx").on(t.interconnectId),
    check("routing_candidates_one_target", sql`(${t.interconnectId} IS NULL) <> (${t.trunkGroupId} IS NULL)`),
  ],
);

/** Tenant FX rates: 1 `base` = rate_nanos / 10⁹ `quote`, from effective_from until the pair's next rate. */
export const fxRates = pgTable(
  "fx_rates",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    base: text("base").notNull(),
    quote: text("quote").notNull(),
    rateNanos: bigint("rate_nanos", { mode: "bigint" }).notNull(),
    effectiveFrom: ts("effective_from").notNull(),
    /** Where the rate came from: `manual` (entered) or a provider (`oxr`, Open Exchange Rates). */
    source: text("source").notNull().default("manual"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("fx_rates_pair_key").on(t.tenantId, t.base, t.quote, t.effectiveFrom)],
);
