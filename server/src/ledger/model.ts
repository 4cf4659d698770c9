import { z } from "zod";
import { listQuery } from "../platform/http/list.js";
import { currencyCode, money, text, timestamp } from "../platform/http/schemas.js";
import { ACCOUNT_KINDS, TRANSFER_CODES, TRANSFER_STATES } from "./engine/index.js";

/** API shapes of the ledger: accounts with balances, transfers, payments. Money is a decimal string on the wire. */

export const accountDto = z.object({
  id: z.uuid(),
  kind: z.enum(ACCOUNT_KINDS),
  carrierId: z.uuid().nullable(),
  carrierName: z.string().nullable(),
  currency: currencyCode,
  debitsPosted: money,
  creditsPosted: money,
  debitsPending: money,
  creditsPending: money,
  /** On the account's natural side: customer, revenue, tax = credits − debits; the others debits − credits. */
  balance: money,
  createdAt: timestamp,
});
export type AccountDto = z.output<typeof accountDto>;

export const accountQuery = listQuery.extend({
  kind: z.enum(ACCOUNT_KINDS).optional(),
  carrierId: z.uuid().optional(),
  currency: currencyCode.optional(),
});

const accountRefDto = z.object({ id: z.uuid(), kind: z.enum(ACCOUNT_KINDS), carrierId: z.uuid().nullable(), carrierName: z.string().nullable() });

export const transferDto = z.object({
  id: z.uuid(),
  key: z.string(),
  createdAt: timestamp,
  code: z.enum(TRANSFER_CODES),
  state: z.enum(TRANSFER_STATES),
  amount: money,
  currency: currencyCode,
  debitAccount: accountRefDto,
  creditAccount: accountRefDto,
  /** For the post or void of a pending transfer: that pending transfer. */
  pendingId: z.uuid().nullable(),
  /** For a pending transfer: open, or the post/void that resolved it. */
  resolvedById: z.uuid().nullable(),
  reversesId: z.uuid().nullable(),
  reversedById: z.uuid().nullable(),
  referenceType: z.string().nullable(),
  referenceId: z.string().nullable(),
});
export type TransferDto = z.output<typeof transferDto>;

export const transferQuery = z.object({
  page: listQuery.shape.page,
  pageSize: listQuery.shape.pageSize,
  sort: z.enum(["createdAt:asc", "createdAt:desc", "amount:asc", "amount:desc"]).default("createdAt:desc"),
  accountId: z.uuid().optional(),
  carrierId: z.uuid().optional(),
  code: z.enum(TRANSFER_CODES).optional(),
  state: z.enum(TRANSFER_STATES).optional(),
  currency: currencyCode.optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  /** An exact reference id or idempotency key (e.g. a CDR id). */
  q: z.string().trim().min(1).max(200).optional(),
});
export type TransferQuery = z.output<typeof transferQuery>;

export const reverseInput = z.object({ reason: text(500) });

export const PAYMENT_DIRECTIONS = ["customer", "supplier"] as const;
export const PAYMENT_KINDS = ["payment", "refund"] as const;
export const PAYMENT_METHODS = ["bank_transfer", "card", "cash", "cheque", "direct_debit", "other"] as const;
const isoDate = z.iso.date("a date as YYYY-MM-DD");

export const paymentCreate = z.object({
  carrierId: z.uuid(),
  /** customer: the customer pays us (refund: we pay them back); supplier: we pay the supplier (refund: they pay us back). */
  direction: z.enum(PAYMENT_DIRECTIONS),
  kind: z.enum(PAYMENT_KINDS).default("payment"),
  method: z.enum(PAYMENT_METHODS),
  reference: text(120).nullable().default(null),
  paidOn: isoDate,
  amount: money.refine((m) => m > 0n, "must be more than zero"),
  currency: currencyCode,
  note: text(1000).nullable().default(null),
  /** Optional: the same key records the payment once (a double click, a retried request). */
  idempotencyKey: z.string().trim().min(8).max(100).optional(),
});
export type PaymentCreate = z.output<typeof paymentCreate>;

export const paymentDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string().nullable(),
  direction: z.enum(PAYMENT_DIRECTIONS),
  kind: z.enum(PAYMENT_KINDS),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  paidOn: z.string(),
  amount: money,
  currency: currencyCode,
  note: z.string().nullable(),
  transferId: z.uuid(),
  /** The reversing transfer, if the payment was reversed. */
  reversedById: z.uuid().nullable(),
  recordedBy: z.string(),
  createdAt: timestamp,
});
export type PaymentDto = z.output<typeof paymentDto>;

export const paymentQuery = listQuery.extend({
  sort: z.enum(["paidOn:asc", "paidOn:desc", "amount:asc", "amount:desc", "createdAt:asc", "createdAt:desc"]).default("paidOn:desc"),
  carrierId: z.uuid().optional(),
  direction: z.enum(PAYMENT_DIRECTIONS).optional(),
  kind: z.enum(PAYMENT_KINDS).optional(),
  method: z.enum(PAYMENT_METHODS).optional(),
  currency: currencyCode.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type PaymentQuery = z.output<typeof paymentQuery>;

export const BALANCE_SORT_FIELDS = [
  "name",
  "currency",
  "customerBalance",
  "customerRemaining",
  "supplierBalance",
  "netExposure",
  "customerSpend",
  "customerSpendRemaining",
  "supplierSpend",
  "supplierSpendRemaining",
] as const;
export const balanceQuery = z.object({
  page: listQuery.shape.page,
  pageSize: listQuery.shape.pageSize,
  sort: z.enum(BALANCE_SORT_FIELDS.flatMap((f) => [`${f}:asc`, `${f}:desc`] as const) as [string, ...string[]]).default("name:asc"),
  q: listQuery.shape.q,
  type: z.enum(["customer", "supplier", "bilateral"]).optional(),
  currency: currencyCode.optional(),
});

export const carrierBalanceDto = z.object({
  carrierId: z.uuid(),
  carrierName: z.string(),
  carrierType: z.enum(["customer", "supplier", "bilateral"]),
  status: z.string(),
  currency: currencyCode,
  primary: z.boolean(),
  customerCreditType: z.string(),
  customerBalance: money.nullable(),
  customerPending: money.nullable(),
  /** Credit and bilateral limits are negative floors, as on the carrier page (remaining = balance − floor). */
  creditLimit: money.nullable(),
  customerRemaining: money.nullable(),
  supplierBalance: money.nullable(),
  netExposure: money.nullable(),
  bilateralLimit: money.nullable(),
  bilateralRemaining: money.nullable(),
  bilateralLimitBreach: z.string(),
  customerSpend: money.nullable(),
  customerSpendLimit: money.nullable(),
  customerSpendRemaining: money.nullable(),
  customerSpendBreach: z.string(),
  customerSpendResetAt: timestamp.nullable(),
  supplierSpend: money.nullable(),
  supplierSpendLimit: money.nullable(),
  supplierSpendRemaining: money.nullable(),
  supplierSpendBreach: z.string(),
  supplierSpendResetAt: timestamp.nullable(),
});

export const currencyTotalsDto = z.object({
  currency: currencyCode,
  customerCredit: money,
  receivables: money,
  payables: money,
  supplierPrepaid: money,
  reservations: money,
  cash: money,
  revenue: money,
  costOfSales: money,
  margin: money,
});
