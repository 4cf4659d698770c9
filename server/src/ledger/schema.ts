import { sql } from "drizzle-orm";
import { pgTable, uuid, text, bigint, timestamp, index, uniqueIndex, integer, date, check } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";

const money = (name: string) => bigint(name, { mode: "bigint" });

/**
 * Ledger accounts, modelled on TigerBeetle: running totals of posted and pending
 * debits and credits, in micro-units of one currency. Only the ledger module writes them.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** customer (receivable/prepaid), supplier (payable), or a tenant account: revenue, cost_of_sales, cash, tax, fx. */
    kind: text("kind").notNull(),
    carrierId: uuid("carrier_id"),
    currency: text("currency").notNull(),
    debitsPostedMicros: money("debits_posted_micros").notNull().default(sql`0`),
    creditsPostedMicros: money("credits_posted_micros").notNull().default(sql`0`),
    debitsPendingMicros: money("debits_pending_micros").notNull().default(sql`0`),
    creditsPendingMicros: money("credits_pending_micros").notNull().default(sql`0`),
    /** +1 on every posting that touches the account: lets in-memory copies apply changes in order. */
    version: bigint("version", { mode: "bigint" }).notNull().default(sql`0`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A tenant account has no carrier: coalesce so that it is unique too (NULLs are distinct in a plain index).
    uniqueIndex("ledger_accounts_key").on(t.tenantId, t.kind, sql`coalesce(${t.carrierId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.currency),
    index("ledger_accounts_carrier_idx").on(t.tenantId, t.carrierId),
    check("ledger_accounts_kind", sql`(${t.kind} IN ('customer', 'supplier')) = (${t.carrierId} IS NOT NULL) AND ${t.kind} IN ('customer', 'supplier', 'revenue', 'cost_of_sales', 'cash', 'tax', 'fx')`),
    check(
      "ledger_accounts_totals_non_negative",
      sql`${t.debitsPostedMicros} >= 0 AND ${t.creditsPostedMicros} >= 0 AND ${t.debitsPendingMicros} >= 0 AND ${t.creditsPendingMicros} >= 0`,
    ),
  ],
);

/** Append-only transfers: never updated or deleted (a trigger refuses it); corrections are reversing transfers. */
export const ledgerTransfers = pgTable(
  "ledger_transfers",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    idempotencyKey: text("idempotency_key").notNull(),
    // No foreign keys to the accounts: the one writer (post.ts) locks both accounts of the
    // tenant before inserting, accounts can never be deleted (trigger), and the invariant
    // check verifies every reference. Per-row FK triggers cut posting throughput ~3×.
    debitAccountId: uuid("debit_account_id").notNull(),
    creditAccountId: uuid("credit_account_id").notNull(),
    amountMicros: money("amount_micros").notNull(),
    currency: text("currency").notNull(),
    /** Why: call_charge, supplier_cost, payment, refund, adjustment, reversal, netting, … */
    code: text("code").notNull(),
    /** Two-phase (TigerBeetle bits): 0 posted, 2 pending, 4 post of a pending, 8 void of a pending. */
    flags: integer("flags").notNull().default(0),
    pendingId: uuid("pending_id"),
    reversesId: uuid("reverses_id"),
    referenceType: text("reference_type"),
    referenceId: text("reference_id"),
    /** A pending transfer that may be voided after this time (a call reservation whose call never reported). */
    timeoutAt: timestamp("timeout_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ledger_transfers_timeout_idx").on(t.tenantId, t.timeoutAt).where(sql`${t.flags} = 2 AND ${t.timeoutAt} IS NOT NULL`),
    uniqueIndex("ledger_transfers_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("ledger_transfers_debit_idx").on(t.debitAccountId, t.createdAt),
    index("ledger_transfers_credit_idx").on(t.creditAccountId, t.createdAt),
    index("ledger_transfers_tenant_created_idx").on(t.tenantId, t.createdAt),
    // A pending transfer is posted or voided once; a transfer is reversed once.
    uniqueIndex("ledger_transfers_pending_once").on(t.pendingId).where(sql`${t.pendingId} IS NOT NULL`),
    uniqueIndex("ledger_transfers_reversed_once").on(t.reversesId).where(sql`${t.reversesId} IS NOT NULL`),
    check("ledger_transfers_amount_positive", sql`${t.amountMicros} > 0`),
    check("ledger_transfers_flags", sql`${t.flags} IN (0, 2, 4, 8) AND (${t.pendingId} IS NOT NULL) = (${t.flags} IN (4, 8))`),
    check("ledger_transfers_two_accounts", sql`${t.debitAccountId} <> ${t.creditAccountId}`),
  ],
);

/**
 * A payment received from or made to a carrier (or a refund of one), as the billing
 * clerk recorded it. Its money is the ledger transfer it posted; reversing that transfer
 * reverses the payment.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull(),
    /** customer: money between the customer and us; supplier: between us and the supplier. */
    direction: text("direction").notNull(),
    /** payment or refund. */
    kind: text("kind").notNull(),
    method: text("method").notNull(),
    reference: text("reference"),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    amountMicros: money("amount_micros").notNull(),
    currency: text("currency").notNull(),
    note: text("note"),
    transferId: uuid("transfer_id")
      .notNull()
      .references(() => ledgerTransfers.id),
    /** Optional client key: recording the same payment twice (a double click, a retry) records it once. */
    idempotencyKey: text("idempotency_key"),
    recordedBy: text("recorded_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payments_idempotency_key").on(t.tenantId, t.idempotencyKey).where(sql`${t.idempotencyKey} IS NOT NULL`),
    index("payments_tenant_paid_idx").on(t.tenantId, t.paidOn),
    index("payments_carrier_idx").on(t.tenantId, t.carrierId, t.paidOn),
    check("payments_amount_positive", sql`${t.amountMicros} > 0`),
  ],
);
