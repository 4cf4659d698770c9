/**
 * The cost of one call — the ONE place these rules live. Pure: no I/O, no clock.
 *
 * Money is integer micro-units (1e-6 of the currency unit) as `bigint`; durations are
 * integer seconds. Rules, in order:
 *
 *  1. Grace: if duration_s ≤ grace_period_s the call is free: billable 0 s, cost 0, and
 *     no connection fee. (A 0-second call with grace 0 is therefore free.)
 *  2. Minimum: billable0 = max(duration_s, minimum_duration_s).
 *  3. Increments first_s/next_s (both ≥ 1): billable0 ≤ first_s → billable = first_s;
 *     otherwise billable = first_s + ceil((billable0 − first_s) / next_s) · next_s.
 *  4. Cost = connection_fee + rate_per_minute × billable / 60, computed exactly as the
 *     fraction (fee·60 + rate·billable) / 60 micro-units and rounded ONCE, half away from
 *     zero ("half-up"), to a multiple of precision_micros (default 1 = one micro-unit;
 *     10 000 = cents): cost = divRoundHalfUp(fee·60 + rate·billable, 60·precision) ·
 *     precision. Division and rounding are one step, so there is no double rounding.
 *
 * The breakdown returned carries every figure needed to explain the cost, including the
 * exact unrounded value (numerator/denominator and as a decimal string).
 */
import { divRoundHalfUp } from "../../platform/money.js";

/** Billing increments: the first `firstS` seconds are charged as a block, then blocks of `nextS`. */
export interface Increments {
  readonly firstS: number;
  readonly nextS: number;
}

export interface CostInput {
  /** Actual call duration, integer seconds ≥ 0. */
  durationS: number;
  rateMicrosPerMinute: bigint;
  connectionFeeMicros: bigint;
  increments: Increments;
  /** Calls shorter than this (but past grace) are billed as this many seconds. */
  minimumDurationS: number;
  /** Calls of at most this many seconds are free (no fee either). */
  gracePeriodS: number;
  /** Step the final cost is rounded to; default 1n (a micro-unit). 10_000n = cents. */
  precisionMicros?: bigint;
}

export interface CostBreakdown {
  readonly durationS: number;
  /** Seconds charged after grace, minimum and increments. 0 when free. */
  readonly billableS: number;
  readonly rateMicrosPerMinute: bigint;
  readonly connectionFeeMicros: bigint;
  readonly increments: Increments;
  readonly minimumDurationS: number;
  readonly gracePeriodS: number;
  readonly precisionMicros: bigint;
  /** True when duration ≤ grace: nothing is charged, not even the connection fee. */
  readonly free: boolean;
  /** Exact cost in micro-units = exactCostNumerator / exactCostDenominator (before rounding). */
  readonly exactCostNumerator: bigint;
  readonly exactCostDenominator: bigint;
  /** The exact cost in micro-units as a decimal (at most 6 decimals; "…" marks a truncated repeating tail). */
  readonly exactCostMicros: string;
  /** The charged cost: exact cost rounded once, half away from zero, to precisionMicros. */
  readonly costMicros: bigint;
}

const SECONDS_PER_MINUTE = 60n;

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be an integer ≥ 0, got ${value}`);
}

function assertIncrements(increments: Increments): void {
  const { firstS, nextS } = increments;
  if (!Number.isSafeInteger(firstS) || firstS < 1) throw new RangeError(`increments.firstS must be an integer ≥ 1, got ${firstS}`);
  if (!Number.isSafeInteger(nextS) || nextS < 1) throw new RangeError(`increments.nextS must be an integer ≥ 1, got ${nextS}`);
}

/** Billable seconds after grace (→ 0), minimum duration and increments. */
export function billableSeconds(
  durationS: number,
  increments: Increments,
  minimumDurationS: number,
  gracePeriodS: number,
): number {
  assertNonNegativeInteger("durationS", durationS);
  assertNonNegativeInteger("minimumDurationS", minimumDurationS);
  assertNonNegativeInteger("gracePeriodS", gracePeriodS);
  assertIncrements(increments);
  if (durationS <= gracePeriodS) return 0;
  const billable0 = Math.max(durationS, minimumDurationS);
  const { firstS, nextS } = increments;
  if (billable0 <= firstS) return firstS;
  return firstS + Math.ceil((billable0 - firstS) / nextS) * nextS;
}

/** numerator / 60 as a decimal with at most 6 places; "…" marks a truncated (repeating) tail. */
function formatSixtieths(numerator: bigint): string {
  const neg = numerator < 0n;
  const n = neg ? -numerator : numerator;
  const whole = n / SECONDS_PER_MINUTE;
  const rem = Number(n % SECONDS_PER_MINUTE); // 0–59: plain Number arithmetic is exact here
  let frac = "";
  let tail = "";
  if (rem !== 0) {
    const scaled = rem * 50_000; // rem / 60 · 1e6 = rem · 50 000 / 3
    frac = String(Math.floor(scaled / 3)).padStart(6, "0").replace(/0+$/, "");
    if (scaled % 3 !== 0) tail = "…";
  }
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}${tail}`;
}

/** Rates one call's duration: see the rules at the top of this file. */
export function computeCost(input: CostInput): CostBreakdown {
  const precisionMicros = input.precisionMicros ?? 1n;
  if (precisionMicros <= 0n) throw new RangeError(`precisionMicros must be > 0, got ${precisionMicros}`);
  const billableS = billableSeconds(input.durationS, input.increments, input.minimumDurationS, input.gracePeriodS);
  const free = billableS === 0;
  const exactCostNumerator = free
    ? 0n
    : input.connectionFeeMicros * SECONDS_PER_MINUTE + input.rateMicrosPerMinute * BigInt(billableS);
  const costMicros = free ? 0n : divRoundHalfUp(exactCostNumerator, SECONDS_PER_MINUTE * precisionMicros) * precisionMicros;
  return {
    durationS: input.durationS,
    billableS,
    rateMicrosPerMinute: input.rateMicrosPerMinute,
    connectionFeeMicros: input.connectionFeeMicros,
    increments: input.increments,
    minimumDurationS: input.minimumDurationS,
    gracePeriodS: input.gracePeriodS,
    precisionMicros,
    free,
    exactCostNumerator,
    exactCostDenominator: SECONDS_PER_MINUTE,
    exactCostMicros: formatSixtieths(exactCostNumerator),
    costMicros,
  };
}
