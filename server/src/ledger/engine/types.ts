/**
 * The ledger's vocabulary, modelled on TigerBeetle: accounts keep running totals, and a
 * transfer moves an amount from one debit account to one credit account of the same
 * currency. Everything here is plain data; the rules live in rules.ts and plan.ts.
 */

/** Per carrier and currency: customer (receivable or prepaid balance), supplier (payable). */
export const CARRIER_ACCOUNT_KINDS = ["customer", "supplier"] as const;
/** Per tenant and currency. */
export const TENANT_ACCOUNT_KINDS = ["revenue", "cost_of_sales", "cash", "tax", "fx"] as const;
export const ACCOUNT_KINDS = [...CARRIER_ACCOUNT_KINDS, ...TENANT_ACCOUNT_KINDS] as const;
export type CarrierAccountKind = (typeof CARRIER_ACCOUNT_KINDS)[number];
export type TenantAccountKind = (typeof TENANT_ACCOUNT_KINDS)[number];
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Why money moved. A reversal keeps `reversal` as its code and links the original. */
export const TRANSFER_CODES = [
  "call_charge",
  "supplier_cost",
  "payment",
  "refund",
  "supplier_payment",
  "supplier_refund",
  "adjustment",
  "netting",
  "invoice",
  "credit_note",
  "reversal",
] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];

/** TigerBeetle's flag bits for two-phase transfers (0 = an ordinary posted transfer). */
export const FLAG_PENDING = 2;
export const FLAG_POST_PENDING = 4;
export const FLAG_VOID_PENDING = 8;
export type TransferFlags = 0 | typeof FLAG_PENDING | typeof FLAG_POST_PENDING | typeof FLAG_VOID_PENDING;
export const TRANSFER_STATES = ["posted", "pending", "post_pending", "void_pending"] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];
export const stateOfFlags = (flags: number): TransferState =>
  flags & FLAG_PENDING ? "pending" : flags & FLAG_POST_PENDING ? "post_pending" : flags & FLAG_VOID_PENDING ? "void_pending" : "posted";
export const flagsOfState = (state: TransferState): TransferFlags =>
  ({ posted: 0, pending: FLAG_PENDING, post_pending: FLAG_POST_PENDING, void_pending: FLAG_VOID_PENDING })[state] as TransferFlags;

/** One transfer may move at most 10^9 currency units: keeps every account total far from bigint overflow. */
export const MAX_TRANSFER_MICROS = 10n ** 15n;

/** An account named by what it is; the ledger resolves it to an id (creating it on first use). */
export interface AccountRef {
  kind: AccountKind;
  /** Set for customer/supplier accounts, null for the tenant's own accounts. */
  carrierId: string | null;
  currency: string;
}
export const accountRefKey = (r: AccountRef): string => `${r.kind}|${r.carrierId ?? ""}|${r.currency}`;

export interface AccountInfo extends AccountRef {
  id: string;
}

interface Common {
  /** Idempotency key, unique per tenant: posting the same key again changes nothing. */
  key: string;
  /** The business record behind the money (a CDR, a payment, …). */
  reference?: { type: string; id: string } | null;
}
type CarrierMoney = Common & { carrierId: string; currency: string; amountMicros: bigint };

/** What a caller asks the ledger to do; `rules.ts` says which accounts each one moves. */
export type TransferRequest =
  /** The customer is charged for a call. `pending` reserves instead (two-phase). */
  | (CarrierMoney & {
      op: "call_charge";
      pending?: boolean;
      /** Refuse if the customer's available balance (credits − debits − pending debits) would drop below −limit. */
      creditLimitMicros?: bigint;
      /** Pending only: after this many seconds the reservation may be voided by the expiry job (TigerBeetle's `timeout`). */
      timeoutS?: number;
    })
  /** The supplier charges us for a call. */
  | (CarrierMoney & { op: "supplier_cost" })
  /** The customer pays us; we refund the customer; we pay the supplier; the supplier refunds us. */
  | (CarrierMoney & { op: "payment" | "refund" | "supplier_payment" | "supplier_refund" })
  /** A manual correction of one carrier account against revenue (customer) or cost of sales (supplier). */
  | (CarrierMoney & { op: "adjustment"; side: CarrierAccountKind; direction: "credit" | "debit" })
  /** A bilateral carrier's receivable set off against its payable: both balances move toward zero. */
  | (CarrierMoney & { op: "netting" })
  /**
   * What issuing an invoice adds to the usage its calls already charged (billing/): the tax
   * (customer → tax; `tax_credit` back when re-rating credits make it negative), the rounding to the minor unit (customer ↔ revenue), and the FX
   * conversion of usage rated in another currency through the tenant's fx account
   * (`fx_out` takes the usage off the customer account in the rated currency, `fx_in`
   * puts the converted amount on it in the invoice currency).
   */
  | (CarrierMoney & { op: "invoice"; leg: InvoiceLeg })
  /** A credit note against an invoice: its net share back from revenue, its tax share back from tax. */
  | (CarrierMoney & { op: "credit_note"; leg: "revenue" | "tax" })
  /** Undo a posted transfer by the opposite transfer, linked to it; at most once. */
  | (Common & { op: "reverse"; transferId: string })
  /** Two-phase: post a pending transfer (amount ≤ pending; the rest is released) or void it. Once. */
  | (Common & { op: "post_pending"; pendingId: string; amountMicros: bigint })
  | (Common & { op: "void_pending"; pendingId: string })
  /**
   * Settle a reservation with the rated cost: post min(cost, reserved) and charge any
   * excess as an ordinary transfer (key `<key>:excess`); a zero cost voids it.
   */
  | (Common & { op: "settle_pending"; pendingId: string; amountMicros: bigint });
export type TransferOp = TransferRequest["op"];
export const INVOICE_LEGS = ["tax", "tax_credit", "rounding_charge", "rounding_credit", "fx_out", "fx_in"] as const;
export type InvoiceLeg = (typeof INVOICE_LEGS)[number];

/** A transfer already in the ledger, as the planner needs to know it. */
export interface KnownTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMicros: bigint;
  currency: string;
  code: TransferCode;
  flags: number;
  reversesId: string | null;
  referenceType: string | null;
  referenceId: string | null;
  /** Pending only: posted or voided already. */
  resolved: boolean;
  /** Reversed already. */
  reversed: boolean;
}

/** A transfer the planner decided to write, with what it does to its two accounts. */
export interface PlannedTransfer {
  requestIndex: number;
  id: string;
  key: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMicros: bigint;
  currency: string;
  code: TransferCode;
  flags: TransferFlags;
  pendingId: string | null;
  reversesId: string | null;
  referenceType: string | null;
  referenceId: string | null;
  /** Added to debits_posted of the debit account and credits_posted of the credit account. */
  postedDeltaMicros: bigint;
  /** Added to debits_pending / credits_pending (negative when a pending transfer is resolved). */
  pendingDeltaMicros: bigint;
  /** 24-hour spend this transfer adds (negative: takes back) on a carrier account. */
  spend: { accountId: string; micros: bigint } | null;
  /** A pending transfer that times out: seconds after its creation. */
  timeoutS?: number | null;
}

export const LEDGER_ERROR_CODES = [
  "invalid_amount",
  "invalid_currency",
  "invalid_key",
  "currency_mismatch",
  "same_account",
  "unknown_account",
  "unknown_transfer",
  "not_pending",
  "pending_resolved",
  "amount_exceeds_pending",
  "not_reversible",
  "already_reversed",
  "idempotency_conflict",
  "credit_limit_exceeded",
] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

/** A request the ledger refuses; `index` is its position in the batch (the whole batch is refused). */
export class LedgerRuleError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly index: number | null = null,
  ) {
    super(index === null ? message : `transfer #${index}: ${message}`);
  }
}
