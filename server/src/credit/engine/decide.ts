import type { CreditVerdict } from "../gate.js";
import { availableMicros, naturalBalanceMicros, type AccountTotals } from "../../ledger/engine/index.js";
import { formatMoney } from "../../platform/money.js";

/** A carrier's credit settings, as credit control keeps them in memory. */
export interface CarrierCredit {
  type: "customer" | "supplier" | "bilateral";
  status: string;
  primaryCurrency: string;
  currencies: readonly string[];
  customerCreditType: "prepaid" | "postpaid";
  customerCreditLimitMicros: bigint;
  bilateralLimitMicros: bigint | null;
  bilateralLimitBreach: "none" | "alert" | "block";
  customerSpendLimit24hMicros: bigint | null;
  customerSpendBreach: "alert" | "block";
  customerSpendResetAtMs: number | null;
  supplierSpendLimit24hMicros: bigint | null;
  supplierSpendBreach: "alert" | "block";
  supplierSpendResetAtMs: number | null;
}

export const ZERO_TOTALS: AccountTotals = { debitsPostedMicros: 0n, creditsPostedMicros: 0n, debitsPendingMicros: 0n, creditsPendingMicros: 0n };
const DAY_MS = 86_400_000;

/** Where a 24-hour spend window starts: the later of 24 hours ago and the last Reset. */
export const spendWindowStart = (atMs: number, resetAtMs: number | null): number => Math.max(atMs - DAY_MS, resetAtMs ?? -Infinity);

/**
 * What a call may cost at most: its connection fee plus its rate for its maximum
 * duration (rounded up to the micro), or the configured minimum if that is more.
 */
export function reservationMicros(p: { rateMicrosPerMinute: bigint; connectionFeeMicros: bigint; maxDurationS: number; minimumMicros: bigint }): bigint {
  const perCall = p.connectionFeeMicros + (p.rateMicrosPerMinute * BigInt(p.maxDurationS) + 59n) / 60n;
  return perCall > p.minimumMicros ? perCall : p.minimumMicros;
}

export interface CustomerDecision {
  carrier: CarrierCredit | undefined;
  currency: string;
  customer: AccountTotals;
  supplier: AccountTotals;
  /** Customer spend posted in the current 24-hour window (see spendWindowStart). */
  spend24hMicros: bigint;
  /** Reservations this process holds that the totals do not show yet. */
  heldMicros: bigint;
  reservationMicros: bigint;
}

const fmt = (m: bigint) => formatMoney(m, 2);

/**
 * May a call of this customer start? In order: the carrier must be an active customer;
 * its balance plus credit limit (limits apply in the primary currency) must cover the
 * reservation on top of the reservations it already holds (prepaid and postpaid alike:
 * prepaid refuses as insufficient balance, postpaid as over its credit limit); a
 * bilateral carrier's net exposure (customer − supplier − held) must stay within its
 * bilateral limit, and the 24-hour customer spend (posted + held) within its spend
 * limit — each of these two refuses only when its breach action is "block", and is
 * otherwise noted in the verdict's detail.
 */
export function decideCustomer(d: CustomerDecision): CreditVerdict {
  const c = d.carrier;
  if (!c) return { allowed: false, reason: "blocked", detail: "unknown carrier (not loaded by credit control)" };
  if (c.type === "supplier") return { allowed: false, reason: "blocked", detail: "a supplier carrier has no customer account" };
  if (c.status !== "active") return { allowed: false, reason: "blocked", detail: `carrier is ${c.status}` };
  if (!c.currencies.includes(d.currency)) return { allowed: false, reason: "blocked", detail: `carrier does not trade in ${d.currency}` };
  const primary = d.currency === c.primaryCurrency;
  const held = d.customer.debitsPendingMicros + d.heldMicros;
  const available = availableMicros(d.customer, primary ? c.customerCreditLimitMicros : 0n) - d.heldMicros;
  const notes: string[] = [`${c.customerCreditType}: ${fmt(available)} ${d.currency} available`];
  if (available < d.reservationMicros) {
    const detail = `${fmt(available)} ${d.currency} available (balance + credit limit − reservations) does not cover the ${fmt(d.reservationMicros)} reservation`;
    return c.customerCreditType === "prepaid" ? { allowed: false, reason: "insufficient_balance", detail } : { allowed: false, reason: "credit_limit", detail };
  }
  if (primary && c.type === "bilateral" && c.bilateralLimitMicros !== null && c.bilateralLimitBreach !== "none") {
    const exposure = naturalBalanceMicros("customer", d.customer) - naturalBalanceMicros("supplier", d.supplier) - held - d.reservationMicros;
    if (exposure + c.bilateralLimitMicros < 0n) {
      const detail = `net exposure ${fmt(exposure)} ${d.currency} would pass the bilateral limit −${fmt(c.bilateralLimitMicros)}`;
      if (c.bilateralLimitBreach === "block") return { allowed: false, reason: "bilateral_limit", detail };
      notes.push(`alert: ${detail}`);
    }
  }
  if (primary && c.customerSpendLimit24hMicros !== null) {
    const spend = d.spend24hMicros + held + d.reservationMicros;
    if (spend > c.customerSpendLimit24hMicros) {
      const detail = `24-hour spend ${fmt(spend)} ${d.currency} would pass its limit ${fmt(c.customerSpendLimit24hMicros)}`;
      if (c.customerSpendBreach === "block") return { allowed: false, reason: "spend_limit", detail };
      notes.push(`alert: ${detail}`);
    }
  }
  return { allowed: true, detail: notes.join("; ") };
}

/**
 * May calls be sent to this supplier? Supplier balances are informational (the
 * supplier enforces its own credit), so only an inactive carrier or a 24-hour supplier
 * spend limit with the "block" action refuses.
 */
export function decideSupplier(d: { carrier: CarrierCredit | undefined; currency: string; spend24hMicros: bigint; costMicros: bigint }): CreditVerdict {
  const c = d.carrier;
  if (!c) return { allowed: false, reason: "blocked", detail: "unknown carrier (not loaded by credit control)" };
  if (c.type === "customer") return { allowed: false, reason: "blocked", detail: "a customer carrier has no supplier account" };
  if (c.status !== "active") return { allowed: false, reason: "blocked", detail: `carrier is ${c.status}` };
  if (d.currency === c.primaryCurrency && c.supplierSpendLimit24hMicros !== null) {
    const spend = d.spend24hMicros + d.costMicros;
    if (spend > c.supplierSpendLimit24hMicros) {
      const detail = `24-hour supplier spend ${fmt(spend)} ${d.currency} would pass its limit ${fmt(c.supplierSpendLimit24hMicros)}`;
      return c.supplierSpendBreach === "block" ? { allowed: false, reason: "spend_limit", detail } : { allowed: true, detail: `alert: ${detail}` };
    }
  }
  return { allowed: true, detail: "supplier balance is informational" };
}
