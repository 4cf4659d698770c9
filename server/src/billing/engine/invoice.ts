/**
 * An invoice's figures from its calls, exact in micro-units: lines grouped by destination
 * (and rated currency and FX rate, so the rate used is on the line), the usage total,
 * the explicit rounding to the currency's minor unit, tax and total. Plain data in, plain
 * data out.
 *
 *   usage    = Σ per-call amounts in the invoice currency (each converted at the FX rate
 *              in force at the call's start)
 *   subtotal = usage rounded to the minor unit;  rounding = subtotal − usage
 *   tax      = subtotal × rate, rounded to the minor unit;  total = subtotal + tax
 */
import { divRoundHalfUp, microsPerMinorUnit, roundToMinorUnit } from "../../platform/money.js";

export interface BillableCdr {
  id: string;
  startMs: number;
  destination: string;
  ratedCurrency: string;
  costMicros: bigint;
  billableS: number;
  rateMicrosPerMinute: bigint;
}

/** Converts `from` → `to` at an instant: the rate (× 10⁹) and the conversion, or null without a rate. */
export type FxAt = (from: string, to: string, atMs: number) => { rateNanos: bigint; convert(amountMicros: bigint): bigint } | null;

export interface ComputedLine {
  destination: string;
  ratedCurrency: string;
  fxRateNanos: bigint | null;
  calls: number;
  billableS: bigint;
  rateMicrosPerMinute: bigint | null;
  ratedAmountMicros: bigint;
  amountMicros: bigint;
}

/** Usage rated in another currency: taken off in `ratedCurrency`, put on in the invoice currency. */
export interface FxLeg {
  ratedCurrency: string;
  ratedMicros: bigint;
  convertedMicros: bigint;
}

export interface ComputedInvoice {
  lines: ComputedLine[];
  /** Per call, in input order: its amount in the invoice currency. */
  cdrAmounts: bigint[];
  usageMicros: bigint;
  roundingMicros: bigint;
  subtotalMicros: bigint;
  taxMicros: bigint;
  totalMicros: bigint;
  fxLegs: FxLeg[];
}

export class MissingFxRateError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly atMs: number,
  ) {
    super(`No ${from}→${to} rate in force at ${new Date(atMs).toISOString()}`);
  }
}

/** Tax on a net amount, rounded once to the minor unit (half away from zero). */
export function taxOf(netMicros: bigint, ratePpm: number, currency: string): bigint {
  const step = microsPerMinorUnit(currency);
  return divRoundHalfUp(netMicros * BigInt(ratePpm), 1_000_000n * step) * step;
}

export function computeInvoice(cdrs: readonly BillableCdr[], opts: { currency: string; taxRatePpm: number; fx: FxAt }): ComputedInvoice {
  const lines = new Map<string, ComputedLine & { rates: Set<bigint> }>();
  const legs = new Map<string, FxLeg>();
  const cdrAmounts: bigint[] = [];
  let usageMicros = 0n;
  for (const c of cdrs) {
    let amount = c.costMicros;
    let fxRateNanos: bigint | null = null;
    if (c.ratedCurrency !== opts.currency) {
      const fx = opts.fx(c.ratedCurrency, opts.currency, c.startMs);
      if (!fx) throw new MissingFxRateError(c.ratedCurrency, opts.currency, c.startMs);
      amount = fx.convert(c.costMicros);
      fxRateNanos = fx.rateNanos;
      const leg = legs.get(c.ratedCurrency) ?? { ratedCurrency: c.ratedCurrency, ratedMicros: 0n, convertedMicros: 0n };
      leg.ratedMicros += c.costMicros;
      leg.convertedMicros += amount;
      legs.set(c.ratedCurrency, leg);
    }
    cdrAmounts.push(amount);
    usageMicros += amount;
    const key = `${c.destination}\u0000${c.ratedCurrency}\u0000${fxRateNanos ?? ""}`;
    let line = lines.get(key);
    if (!line) {
      line = { destination: c.destination, ratedCurrency: c.ratedCurrency, fxRateNanos, calls: 0, billableS: 0n, rateMicrosPerMinute: null, ratedAmountMicros: 0n, amountMicros: 0n, rates: new Set() };
      lines.set(key, line);
    }
    line.calls++;
    line.billableS += BigInt(c.billableS);
    line.ratedAmountMicros += c.costMicros;
    line.amountMicros += amount;
    line.rates.add(c.rateMicrosPerMinute);
  }
  const subtotalMicros = roundToMinorUnit(usageMicros, opts.currency);
  const taxMicros = taxOf(subtotalMicros, opts.taxRatePpm, opts.currency);
  const sorted = [...lines.values()].sort(
    (a, b) => (a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : a.ratedCurrency < b.ratedCurrency ? -1 : a.ratedCurrency > b.ratedCurrency ? 1 : Number((a.fxRateNanos ?? 0n) - (b.fxRateNanos ?? 0n))),
  );
  return {
    lines: sorted.map(({ rates, ...l }) => ({ ...l, rateMicrosPerMinute: rates.size === 1 ? [...rates][0]! : null })),
    cdrAmounts,
    usageMicros,
    roundingMicros: subtotalMicros - usageMicros,
    subtotalMicros,
    taxMicros,
    totalMicros: subtotalMicros + taxMicros,
    fxLegs: [...legs.values()].sort((a, b) => (a.ratedCurrency < b.ratedCurrency ? -1 : 1)),
  };
}

/**
 * How a credit note of `amount` (gross) splits into net and tax: the invoice's tax share,
 * rounded to the minor unit; a credit note for everything still open takes exactly the
 * tax not yet credited, so full credits return the invoice's tax to the micro.
 */
export function splitCredit(amountMicros: bigint, invoice: { totalMicros: bigint; taxMicros: bigint; creditedMicros: bigint; creditedTaxMicros: bigint; currency: string }): { netMicros: bigint; taxMicros: bigint } {
  const remaining = invoice.totalMicros - invoice.creditedMicros;
  if (amountMicros === remaining) {
    const tax = invoice.taxMicros - invoice.creditedTaxMicros;
    return { netMicros: amountMicros - tax, taxMicros: tax };
  }
  if (invoice.totalMicros === 0n) return { netMicros: amountMicros, taxMicros: 0n };
  const step = microsPerMinorUnit(invoice.currency);
  const tax = divRoundHalfUp(amountMicros * invoice.taxMicros, invoice.totalMicros * step) * step;
  return { netMicros: amountMicros - tax, taxMicros: tax };
}
