import { sql } from "drizzle-orm";
import { pgTable, uuid, text, integer, bigint, timestamp, date, index, uniqueIndex, primaryKey, check } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";
import { carriers } from "../carriers/schema.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: "bigint" });

/** The tenant's tax table: a carrier's `tax_code` names one of these live rates. */
export const taxRates = pgTable(
  "tax_rates",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    /** Parts per million of the net amount: 20 % = 200 000. */
    ratePpm: integer("rate_ppm").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("tax_rates_code_live_key").on(t.tenantId, sql`lower(${t.code})`).where(sql`${t.deletedAt} IS NULL`),
    check("tax_rates_rate", sql`${t.ratePpm} BETWEEN 0 AND 1000000`),
  ],
);

/**
 * A carrier's billing settings, 1:1, owned by billing (the carrier keeps time zone,
 * customer billing automatic/manual, tax code, bill-to and account number). No row =
 * the defaults: wholesaler, monthly from the 1st, net 30.
 */
export const carrierBilling = pgTable(
  "carrier_billing",
  {
    carrierId: uuid("carrier_id").primaryKey().references(() => carriers.id),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** individual | small_business (prepaid) | enterprise | wholesaler | call_center (postpaid). */
    billingModel: text("billing_model").notNull(),
    /** daily | weekly | semi_monthly | monthly | custom (see engine/cycle.ts). */
    cycle: text("cycle").notNull(),
    /** weekly: ISO weekday 1–7; monthly: day 1–28; otherwise 1. */
    cycleStartDay: integer("cycle_start_day").notNull().default(1),
    /** custom: period length in days, counted from the anchor date. */
    cycleDays: integer("cycle_days"),
    cycleAnchor: date("cycle_anchor"),
    paymentTermsDays: integer("payment_terms_days").notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("carrier_billing_tenant_idx").on(t.tenantId)],
);

/** Per-tenant gapless document numbers: the row is locked FOR UPDATE by the issuing transaction. */
export const billingCounters = pgTable(
  "billing_counters",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** invoice | credit_note | netting */
    kind: text("kind").notNull(),
    lastNumber: integer("last_number").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

/** A customer invoice for one carrier, currency and cycle period: draft → issued → partially_paid / paid, or void. */
export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    currency: text("currency").notNull(),
    /** Null while a draft (and for a draft voided before issue). */
    number: integer("number"),
    status: text("status").notNull(),
    periodStart: ts("period_start").notNull(),
    periodEnd: ts("period_end").notNull(),
    firstDay: date("first_day").notNull(),
    lastDay: date("last_day").notNull(),
    timeZone: text("time_zone").notNull(),
    /** Σ of the invoiced calls' costs in the invoice currency, exact micro-units. */
    usageMicros: money("usage_micros").notNull(),
    /** subtotal − usage: the explicit rounding to the minor unit. */
    roundingMicros: money("rounding_micros").notNull(),
    subtotalMicros: money("subtotal_micros").notNull(),
    taxCode: text("tax_code"),
    taxName: text("tax_name"),
    taxRatePpm: integer("tax_rate_ppm").notNull().default(0),
    taxMicros: money("tax_micros").notNull(),
    totalMicros: money("total_micros").notNull(),
    paymentTermsDays: integer("payment_terms_days").notNull(),
    issuedAt: ts("issued_at"),
    dueOn: date("due_on"),
    voidedAt: ts("voided_at"),
    voidReason: text("void_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // A period is invoiced once (voiding frees it).
    uniqueIndex("invoices_period_key").on(t.tenantId, t.carrierId, t.currency, t.periodStart).where(sql`${t.status} <> 'void'`),
    uniqueIndex("invoices_number_key").on(t.tenantId, t.number).where(sql`${t.number} IS NOT NULL`),
    index("invoices_tenant_idx").on(t.tenantId, t.createdAt),
    index("invoices_carrier_idx").on(t.tenantId, t.carrierId, t.periodStart),
    check("invoices_status", sql`${t.status} IN ('draft', 'issued', 'partially_paid', 'paid', 'void')`),
    check("invoices_numbered", sql`(${t.number} IS NULL) = (${t.issuedAt} IS NULL)`),
    check("invoices_totals", sql`${t.subtotalMicros} = ${t.usageMicros} + ${t.roundingMicros} AND ${t.totalMicros} = ${t.subtotalMicros} + ${t.taxMicros}`),
  ],
);

/** Usage grouped by destination, rated currency and FX rate: the rate used is recorded per line. */
export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    invoiceId: uuid("invoice_id").notNull().references(() => invoices.id),
    position: integer("position").notNull(),
    destination: text("destination").notNull(),
    calls: integer("calls").notNull(),
    billableS: bigint("billable_s", { mode: "bigint" }).notNull(),
    /** The per-minute rate when every call of the line had the same one, else null. */
    rateMicrosPerMinute: money("rate_micros_per_minute"),
    ratedCurrency: text("rated_currency").notNull(),
    ratedAmountMicros: money("rated_amount_micros").notNull(),
    /** rated → invoice currency × 10⁹ (null when the same currency). */
    fxRateNanos: money("fx_rate_nanos"),
    /** Exact Σ of the calls' converted costs. */
    amountMicros: money("amount_micros").notNull(),
  },
  (t) => [uniqueIndex("invoice_lines_position_key").on(t.invoiceId, t.position), index("invoice_lines_tenant_idx").on(t.tenantId)],
);

/**
 * Which CDRs an invoice bills (released_at set on void). A `call` row bills a CDR's cost:
 * a CDR has at most one live call row. A `rerate` row bills the change of a CDR re-rated
 * after its invoice was issued (`rated_cost_micros` is the difference, either sign), on a
 * later invoice; what a CDR has been billed is the sum of its live rows.
 */
export const invoiceCdrs = pgTable(
  "invoice_cdrs",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    invoiceId: uuid("invoice_id").notNull().references(() => invoices.id),
    cdrId: uuid("cdr_id").notNull(),
    startAt: ts("start_at").notNull(),
    /** call | rerate */
    kind: text("kind").notNull().default("call"),
    /** For a rerate row: the invoice whose call row it corrects. */
    adjustsInvoiceId: uuid("adjusts_invoice_id").references(() => invoices.id),
    ratedCurrency: text("rated_currency").notNull(),
    ratedCostMicros: money("rated_cost_micros").notNull(),
    amountMicros: money("amount_micros").notNull(),
    releasedAt: ts("released_at"),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.cdrId] }),
    uniqueIndex("invoice_cdrs_live_key").on(t.tenantId, t.cdrId).where(sql`${t.releasedAt} IS NULL AND ${t.kind} = 'call'`),
    index("invoice_cdrs_cdr_idx").on(t.tenantId, t.cdrId),
    index("invoice_cdrs_adjusts_idx").on(t.adjustsInvoiceId).where(sql`${t.adjustsInvoiceId} IS NOT NULL`),
    check("invoice_cdrs_kind", sql`(${t.kind} = 'call' AND ${t.adjustsInvoiceId} IS NULL) OR (${t.kind} = 'rerate' AND ${t.adjustsInvoiceId} IS NOT NULL)`),
  ],
);

/** Which payment settled how much of which invoice. Moves no money: the payment already credited the customer. */
export const invoiceAllocations = pgTable(
  "invoice_allocations",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    invoiceId: uuid("invoice_id").notNull().references(() => invoices.id),
    /** payment: a recorded customer payment; prepaid: the prepaid balance covered it at issue. */
    source: text("source").notNull(),
    paymentId: uuid("payment_id"),
    amountMicros: money("amount_micros").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("invoice_allocations_invoice_idx").on(t.invoiceId),
    index("invoice_allocations_payment_idx").on(t.tenantId, t.paymentId),
    check("invoice_allocations_amount", sql`${t.amountMicros} > 0`),
    check("invoice_allocations_source", sql`(${t.source} = 'payment') = (${t.paymentId} IS NOT NULL) AND ${t.source} IN ('payment', 'prepaid')`),
  ],
);

/** A credit note against an issued invoice (full or partial), numbered gaplessly, posted at creation. */
export const creditNotes = pgTable(
  "credit_notes",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    number: integer("number").notNull(),
    invoiceId: uuid("invoice_id").notNull().references(() => invoices.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    netMicros: money("net_micros").notNull(),
    taxMicros: money("tax_micros").notNull(),
    totalMicros: money("total_micros").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("credit_notes_number_key").on(t.tenantId, t.number),
    index("credit_notes_invoice_idx").on(t.invoiceId),
    check("credit_notes_total", sql`${t.totalMicros} = ${t.netMicros} + ${t.taxMicros} AND ${t.totalMicros} > 0`),
  ],
);

/** A bilateral carrier's netting request for a period: draft → sent → accepted (posts) / rejected. */
export const nettingRequests = pgTable(
  "netting_requests",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    currency: text("currency").notNull(),
    firstDay: date("first_day").notNull(),
    lastDay: date("last_day").notNull(),
    periodStart: ts("period_start").notNull(),
    periodEnd: ts("period_end").notNull(),
    status: text("status").notNull(),
    /** At the period end: what they owe us (customer side) and what we owe them (supplier side). */
    theyOweMicros: money("they_owe_micros").notNull(),
    weOweMicros: money("we_owe_micros").notNull(),
    /** min(they owe, we owe): the proposed offset. */
    amountMicros: money("amount_micros").notNull(),
    acceptedAmountMicros: money("accepted_amount_micros"),
    transferId: uuid("transfer_id"),
    note: text("note"),
    rejectReason: text("reject_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
    decidedAt: ts("decided_at"),
  },
  (t) => [
    index("netting_requests_tenant_idx").on(t.tenantId, t.createdAt),
    check("netting_requests_status", sql`${t.status} IN ('draft', 'sent', 'accepted', 'rejected')`),
  ],
);
