import { rateCall, type CompiledPlan } from "../../rating/engine/index.js";

/**
 * Rating one CDR: the customer side from the service's customer rating plan, the supplier
 * side from the egress interconnect's supplier rating plan, and the margin in the
 * customer's currency. Pure: plans, FX and the CDR come in as plain data.
 *
 * An attempt that was not answered costs nothing on either side and needs no rate. An
 * answered call needs both rates; a missing one is a rating error with its reason, and
 * the CDR waits in Rating Errors until it is re-rated after the fix.
 */
export interface CdrToRate {
  calledNumber: string;
  startMs: number;
  durationS: number;
  answered: boolean;
}

/** A plan side: the compiled plan, or why there is none. */
export type PlanSide = { plan: CompiledPlan; name: string } | { error: string };

export interface SideResult {
  currency: string;
  prefix: string | null;
  destination: string | null;
  rateMicrosPerMinute: bigint | null;
  billableS: number;
  costMicros: bigint;
}

export type CdrRating =
  | { ok: true; customer: SideResult; supplier: SideResult | null; fxRateMicros: bigint | null; marginMicros: bigint }
  | { ok: false; error: string };

/** The FX rate from → to at `atMs` (null when unknown): the rate as recorded on the CDR (× 1e6) and the exact conversion. */
export type FxLookup = (from: string, to: string, atMs: number) => { rateMicros: bigint; convert(amountMicros: bigint): bigint } | null;

function side(s: { plan: CompiledPlan; name: string }, cdr: CdrToRate, role: string): SideResult | string {
  const rated = rateCall(s.plan, { number: cdr.calledNumber, atMs: cdr.startMs, durationS: cdr.answered ? cdr.durationS : 0 });
  if (!rated) return cdr.answered ? `no ${role} rate for ${cdr.calledNumber} in ${s.name} at ${new Date(cdr.startMs).toISOString()}` : emptySide(s.plan.currency);
  if (!cdr.answered) return { ...emptySide(s.plan.currency), prefix: rated.match.prefix, destination: rated.match.destination, rateMicrosPerMinute: rated.match.rateMicrosPerMinute };
  return {
    currency: s.plan.currency,
    prefix: rated.match.prefix,
    destination: rated.match.destination,
    rateMicrosPerMinute: rated.match.rateMicrosPerMinute,
    billableS: rated.cost.billableS,
    costMicros: rated.cost.costMicros,
  };
}

const emptySide = (currency: string): SideResult => ({ currency, prefix: null, destination: null, rateMicrosPerMinute: null, billableS: 0, costMicros: 0n });

export function rateCdr(cdr: CdrToRate, customer: PlanSide, supplier: PlanSide | null, fx: FxLookup): CdrRating {
  if ("error" in customer) return { ok: false, error: customer.error };
  const c = side(customer, cdr, "customer");
  if (typeof c === "string") return { ok: false, error: c };
  if (!supplier) {
    if (cdr.answered) return { ok: false, error: "an answered call without an egress interconnect cannot be rated on the supplier side" };
    return { ok: true, customer: c, supplier: null, fxRateMicros: null, marginMicros: 0n };
  }
  if ("error" in supplier) {
    if (cdr.answered) return { ok: false, error: supplier.error };
    return { ok: true, customer: c, supplier: null, fxRateMicros: null, marginMicros: 0n };
  }
  const s = side(supplier, cdr, "supplier");
  if (typeof s === "string") return { ok: false, error: s };
  let fxRateMicros: bigint | null = null;
  let supplierInCustomer = s.costMicros;
  if (s.currency !== c.currency) {
    const rate = fx(s.currency, c.currency, cdr.startMs);
    if (rate === null) {
      if (cdr.answered) return { ok: false, error: `no FX rate ${s.currency}→${c.currency} at ${new Date(cdr.startMs).toISOString()}` };
      supplierInCustomer = 0n;
    } else {
      fxRateMicros = rate.rateMicros;
      supplierInCustomer = rate.convert(s.costMicros);
    }
  }
  return { ok: true, customer: c, supplier: s, fxRateMicros, marginMicros: c.costMicros - supplierInCustomer };
}
