/**
 * FX conversion at the call's time. A rate is an integer scaled by 10⁹ ("1.08" =
 * 1 080 000 000): one unit of `base` buys rate/10⁹ units of `quote`. Converting an amount
 * multiplies by a fraction of bigints and rounds once, half away from zero, to a
 * micro-unit (platform/money.ts). A pair without direct rates uses the inverse of the
 * opposite pair; there is no triangulation through a third currency.
 */
import { divRoundHalfUp } from "../../platform/money.js";

export const FX_SCALE = 1_000_000_000n;
const FX_DECIMAL = /^(\d{1,9})(?:\.(\d{1,9}))?$/;

export interface FxRateData {
  base: string;
  quote: string;
  /** The rate × 10⁹. */
  rateNanos: bigint;
  /** Epoch ms from which the rate applies (until the pair's next rate). */
  effectiveFrom: number;
}

/** The rates of one direction (from → to) over time: amount_to = amount_from × num / den. */
export interface FxSeries {
  readonly from: string;
  readonly to: string;
  /** Ascending effective-from instants (epoch ms). */
  readonly times: Float64Array;
  readonly num: readonly bigint[];
  readonly den: readonly bigint[];
  /** true when derived from the opposite pair. */
  readonly inverse: boolean;
}

/** "1.08" → 1 080 000 000n; throws RangeError on anything else. */
export function parseFxRate(text: string): bigint {
  const m = FX_DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`Not a rate with at most 9 decimals: "${text}"`);
  return BigInt(m[1]!) * FX_SCALE + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** 1 080 000 000n → "1.08" (trailing zeros dropped, at least one decimal). */
export function formatFxRate(nanos: bigint): string {
  const whole = nanos / FX_SCALE;
  const frac = (nanos % FX_SCALE).toString().padStart(9, "0").replace(/0+$/, "");
  return `${whole}.${frac || "0"}`;
}

/** The series converting `from` into `to`, or null when the tenant has no rate for the pair. */
export function buildFxSeries(rates: readonly FxRateData[], from: string, to: string): FxSeries | null {
  const pick = (base: string, quote: string) => rates.filter((r) => r.base === base && r.quote === quote).sort((a, b) => a.effectiveFrom - b.effectiveFrom);
  const direct = pick(from, to);
  const list = direct.length ? direct : pick(to, from);
  if (!list.length) return null;
  const inverse = !direct.length;
  return {
    from,
    to,
    inverse,
    times: Float64Array.from(list.map((r) => r.effectiveFrom)),
    num: list.map((r) => (inverse ? FX_SCALE : r.rateNanos)),
    den: list.map((r) => (inverse ? r.rateNanos : FX_SCALE)),
  };
}

/** Index of the rate in force at `atMs` (the latest effective-from ≤ atMs); −1 before the first. */
export function fxIndexAt(series: FxSeries, atMs: number): number {
  const t = series.times;
  let lo = 0;
  let hi = t.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= atMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function convertAt(amountMicros: bigint, series: FxSeries, index: number): bigint {
  return divRoundHalfUp(amountMicros * series.num[index]!, series.den[index]!);
}

/** The rate used at `index` as a decimal (an inverse is rounded to 9 decimals). */
export function describeFxRate(series: FxSeries, index: number): string {
  return formatFxRate(divRoundHalfUp(series.num[index]! * FX_SCALE, series.den[index]!));
}
