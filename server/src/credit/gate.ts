/**
 * The credit interface the routing decision calls (issue 6 step 4), implemented by the
 * credit-control module over the ledger (issue 7). It answers synchronously from memory:
 * the decision must take microseconds, so an implementation keeps balances, limits and
 * open reservations in memory and refreshes them within its documented staleness bound.
 */
export interface CreditRequest {
  tenantId: string;
  /** The customer carrier whose service the call arrived on. */
  carrierId: string;
  /** The currency of the customer's rating plan (= the ledger account's currency). */
  currency: string;
  /** The customer rate found for the destination. */
  rateMicrosPerMinute: bigint;
  connectionFeeMicros: bigint;
  /** Epoch ms of the call. */
  at: number;
}

export type CreditVerdict =
  | { allowed: true; detail: string }
  | {
      allowed: false;
      /** Which limit refused: a prepaid balance, a postpaid credit limit, a bilateral net-exposure limit, a 24-hour spend limit, or a blocked account. */
      reason: "insufficient_balance" | "credit_limit" | "bilateral_limit" | "spend_limit" | "blocked";
      detail: string;
    };

export interface CreditGate {
  /** Synchronous by design: no I/O on the decision path. */
  check(request: CreditRequest): CreditVerdict;
}

/**
 * Allows every call. A placeholder until credit control over the ledger exists: it is
 * what the routing decision uses when no other gate is wired in, and says so in its verdict.
 */
export const allowAllCreditGate: CreditGate = {
  check: () => ({ allowed: true, detail: "credit control not enforced (allow-all gate)" }),
};
