import type { AccountRef, CarrierAccountKind, TransferCode, TransferRequest } from "./types.js";

/** Requests that name their accounts by carrier and currency (the rest name a transfer). */
export type CarrierMoneyRequest = Extract<TransferRequest, { carrierId: string }>;
export const isCarrierMoney = (r: TransferRequest): r is CarrierMoneyRequest => "carrierId" in r;

export interface Legs {
  debit: AccountRef;
  credit: AccountRef;
  code: TransferCode;
}

/**
 * The posting rules: which account each business event debits and which it credits.
 * Balances follow from them (see ARCHITECTURE.md): a customer's is credits − debits
 * (payments credit it, charges debit it: negative means they owe us), a supplier's is
 * debits − credits (their costs credit it, our payments debit it: negative means we
 * owe them); cash and cost of sales are debit-normal, revenue and tax credit-normal.
 */
export function legsOf(r: CarrierMoneyRequest): Legs {
  const carrier = (kind: CarrierAccountKind): AccountRef => ({ kind, carrierId: r.carrierId, currency: r.currency });
  const tenant = (kind: "revenue" | "cost_of_sales" | "cash" | "tax" | "fx"): AccountRef => ({ kind, carrierId: null, currency: r.currency });
  switch (r.op) {
    case "call_charge":
      return { debit: carrier("customer"), credit: tenant("revenue"), code: "call_charge" };
    case "supplier_cost":
      return { debit: tenant("cost_of_sales"), credit: carrier("supplier"), code: "supplier_cost" };
    case "payment":
      return { debit: tenant("cash"), credit: carrier("customer"), code: "payment" };
    case "refund":
      return { debit: carrier("customer"), credit: tenant("cash"), code: "refund" };
    case "supplier_payment":
      return { debit: carrier("supplier"), credit: tenant("cash"), code: "supplier_payment" };
    case "supplier_refund":
      return { debit: tenant("cash"), credit: carrier("supplier"), code: "supplier_refund" };
    case "adjustment": {
      const own = carrier(r.side);
      const counter = tenant(r.side === "customer" ? "revenue" : "cost_of_sales");
      return r.direction === "credit" ? { debit: counter, credit: own, code: "adjustment" } : { debit: own, credit: counter, code: "adjustment" };
    }
    case "netting":
      return { debit: carrier("supplier"), credit: carrier("customer"), code: "netting" };
    case "invoice":
      switch (r.leg) {
        case "tax":
          return { debit: carrier("customer"), credit: tenant("tax"), code: "invoice" };
        // A negative tax: an invoice whose re-rating credits exceed its usage.
        case "tax_credit":
          return { debit: tenant("tax"), credit: carrier("customer"), code: "invoice" };
        case "rounding_charge":
          return { debit: carrier("customer"), credit: tenant("revenue"), code: "invoice" };
        case "rounding_credit":
          return { debit: tenant("revenue"), credit: carrier("customer"), code: "invoice" };
        case "fx_out":
          return { debit: tenant("fx"), credit: carrier("customer"), code: "invoice" };
        case "fx_in":
          return { debit: carrier("customer"), credit: tenant("fx"), code: "invoice" };
      }
      break;
    case "credit_note":
      return { debit: tenant(r.leg), credit: carrier("customer"), code: "credit_note" };
  }
}

/**
 * The 24-hour spend a posted transfer adds to a carrier account: call charges on the
 * customer account, supplier costs on the supplier account; reversing one takes it back.
 * Pending and void transfers move no spend (the post of a reservation does).
 */
export function spendOf(
  t: { code: TransferCode; debitAccountId: string; creditAccountId: string; amountMicros: bigint; posted: boolean },
  reversed: { code: TransferCode; debitAccountId: string; creditAccountId: string } | null,
): { accountId: string; micros: bigint } | null {
  if (!t.posted) return null;
  if (t.code === "call_charge") return { accountId: t.debitAccountId, micros: t.amountMicros };
  if (t.code === "supplier_cost") return { accountId: t.creditAccountId, micros: t.amountMicros };
  if (t.code === "reversal" && reversed) {
    if (reversed.code === "call_charge") return { accountId: reversed.debitAccountId, micros: -t.amountMicros };
    if (reversed.code === "supplier_cost") return { accountId: reversed.creditAccountId, micros: -t.amountMicros };
  }
  return null;
}

/** Running totals of one account. */
export interface AccountTotals {
  debitsPostedMicros: bigint;
  creditsPostedMicros: bigint;
  debitsPendingMicros: bigint;
  creditsPendingMicros: bigint;
}

/**
 * What a credit-normal account (a customer) can still spend: its posted balance less
 * the reservations (pending debits) it holds, plus the credit limit it is allowed.
 */
export const availableMicros = (t: AccountTotals, creditLimitMicros: bigint): bigint =>
  t.creditsPostedMicros - t.debitsPostedMicros - t.debitsPendingMicros + creditLimitMicros;

/** The balance shown for an account, on its natural side (see the sign conventions). */
export function naturalBalanceMicros(kind: string, t: AccountTotals): bigint {
  const creditNormal = kind === "customer" || kind === "revenue" || kind === "tax";
  return creditNormal ? t.creditsPostedMicros - t.debitsPostedMicros : t.debitsPostedMicros - t.creditsPostedMicros;
}
