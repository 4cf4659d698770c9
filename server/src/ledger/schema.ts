import { sql } from "drizzle-orm";
import { pgTable, uuid, text, bigint, timestamp, index, uniqueIndex, integer } from "drizzle-orm/pg-core";
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ledger_accounts_key").on(t.tenantId, t.kind, t.carrierId, t.currency)],
);

/** Append-only transfers: never updated or deleted; corrections are reversing transfers. */
export const ledgerTransfers = pgTable(
  "ledger_transfers",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    idempotencyKey: text("idempotency_key").notNull(),
    debitAccountId: uuid("debit_account_id").notNull().references(() => ledgerAccounts.id),
    creditAccountId: uuid("credit_account_id").notNull().references(() => ledgerAccounts.id),
    amountMicros: money("amount_micros").notNull(),
    currency: text("currency").notNull(),
    /** Why: call_charge, supplier_cost, payment, refund, adjustment, reversal, netting, … */
    code: text("code").notNull(),
    /** Two-phase: posted, pending, or the post/void of a pending transfer. */
    flags: integer("flags").notNull().default(0),
    pendingId: uuid("pending_id"),
    reversesId: uuid("reverses_id"),
    referenceType: text("reference_type"),
    referenceId: text("reference_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ledger_transfers_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("ledger_transfers_debit_idx").on(t.debitAccountId, t.createdAt),
    index("ledger_transfers_credit_idx").on(t.creditAccountId, t.createdAt),
  ],
);
