import { describe, expect, it } from "vitest";
import { billableSeconds, computeCost, type CostInput, type Increments } from "./cost.js";

const inc = (firstS: number, nextS: number): Increments => ({ firstS, nextS });

/** 60 000 micros/minute = exactly 1 000 micros per second: makes hand computation easy. */
const base: CostInput = {
  durationS: 0,
  rateMicrosPerMinute: 60_000n,
  connectionFeeMicros: 0n,
  increments: inc(60, 60),
  minimumDurationS: 0,
  gracePeriodS: 0,
};

describe("computeCost", () => {
  // [name, overrides, billableS, costMicros] — every answer computed by hand.
  it.each<[string, Partial<CostInput>, number, bigint]>([
    ["0 s with grace 0 is free (duration ≤ grace)", { durationS: 0, connectionFeeMicros: 5_000n }, 0, 0n],
    ["1 s at 60/60 bills a full first minute", { durationS: 1 }, 60, 60_000n],
    ["1 s at 1/1 bills one second", { durationS: 1, increments: inc(1, 1) }, 1, 1_000n],
    ["exactly on a 60/60 boundary (120 s)", { durationS: 120 }, 120, 120_000n],
    ["exactly the first increment (60 s)", { durationS: 60 }, 60, 60_000n],
    ["60/60 at 61 s → 120", { durationS: 61 }, 120, 120_000n],
    ["30/6 at 29 s → first block 30", { durationS: 29, increments: inc(30, 6) }, 30, 30_000n],
    ["30/6 at 31 s → 30 + 6", { durationS: 31, increments: inc(30, 6) }, 36, 36_000n],
    ["30/6 at 36 s → on the boundary", { durationS: 36, increments: inc(30, 6) }, 36, 36_000n],
    ["30/6 at 37 s → 30 + 2·6", { durationS: 37, increments: inc(30, 6) }, 42, 42_000n],
    ["6/6 at 7 s → 12", { durationS: 7, increments: inc(6, 6) }, 12, 12_000n],
    ["minimum 30 at 1/1, 10 s → 30", { durationS: 10, increments: inc(1, 1), minimumDurationS: 30 }, 30, 30_000n],
    ["minimum 30 at 1/1, 45 s → 45", { durationS: 45, increments: inc(1, 1), minimumDurationS: 30 }, 45, 45_000n],
    ["minimum 40 then 30/6 increments, 5 s → 30 + 2·6", { durationS: 5, increments: inc(30, 6), minimumDurationS: 40 }, 42, 42_000n],
    ["grace 5 at exactly 5 s is free, fee too", { durationS: 5, gracePeriodS: 5, connectionFeeMicros: 7_000n }, 0, 0n],
    [
      "grace 5 just over (6 s at 1/1) bills all 6 s plus the fee",
      { durationS: 6, gracePeriodS: 5, increments: inc(1, 1), connectionFeeMicros: 7_000n },
      6,
      13_000n,
    ],
    ["grace does not apply minimum first: 3 s, grace 3, minimum 60", { durationS: 3, gracePeriodS: 3, minimumDurationS: 60 }, 0, 0n],
    ["connection fee only (rate 0)", { durationS: 100, rateMicrosPerMinute: 0n, connectionFeeMicros: 25_000n }, 120, 25_000n],
    ["fee plus rate", { durationS: 61, connectionFeeMicros: 25_000n }, 120, 145_000n],
    // 9 000 micros/min × 100 s / 60 = 15 000 micros = exactly 1.5 cents → half-up → 2 cents.
    [
      "cents: exactly .5 cent rounds up",
      { durationS: 100, rateMicrosPerMinute: 9_000n, increments: inc(1, 1), precisionMicros: 10_000n },
      100,
      20_000n,
    ],
    // 8 999 × 100 / 60 = 14 998.33… micros = 1.4998 cents → 1 cent.
    [
      "cents: just under .5 cent rounds down",
      { durationS: 100, rateMicrosPerMinute: 8_999n, increments: inc(1, 1), precisionMicros: 10_000n },
      100,
      10_000n,
    ],
    // 299 970 × 1 / 60 = 4 999.5 micros = 0.49995 cents → 0 cents in ONE rounding. Rounding to
    // micros first (5 000) and then to cents would wrongly give 1 cent.
    [
      "cents: rounded once, no double rounding",
      { durationS: 1, rateMicrosPerMinute: 299_970n, increments: inc(1, 1), precisionMicros: 10_000n },
      1,
      0n,
    ],
    ["micros: 4 999.5 rounds half-up to 5 000", { durationS: 1, rateMicrosPerMinute: 299_970n, increments: inc(1, 1) }, 1, 5_000n],
    ["micros: 1 s at 1 micro/min rounds 1/60 down to 0", { durationS: 1, rateMicrosPerMinute: 1n, increments: inc(1, 1) }, 1, 0n],
    ["micros: 30 s at 1 micro/min is exactly .5 → 1", { durationS: 30, rateMicrosPerMinute: 1n, increments: inc(1, 1) }, 30, 1n],
    // 1e12 micros/min × 86 400 s / 60 = 1.44e15 micros exactly (+1 micro fee).
    [
      "large: 1e12 micros/min for a day stays exact",
      { durationS: 86_400, rateMicrosPerMinute: 1_000_000_000_000n, connectionFeeMicros: 1n, increments: inc(1, 1) },
      86_400,
      1_440_000_000_000_001n,
    ],
    // (1e12 + 1) × 86 399 / 60 = 86 399 000 000 086 399 / 60 = 1 439 983 333 334 773 + 19/60 → rounds down.
    // As a JS float this would be 1439983333334773.2 (not exact past 2^53).
    [
      "large: beyond 2^53 the fraction is still exact",
      { durationS: 86_399, rateMicrosPerMinute: 1_000_000_000_001n, increments: inc(1, 1) },
      86_399,
      1_439_983_333_334_773n,
    ],
  ])("%s", (_name, overrides, billableS, costMicros) => {
    const result = computeCost({ ...base, ...overrides });
    expect(result.billableS).toBe(billableS);
    expect(result.costMicros).toBe(costMicros);
    expect(result.free).toBe(billableS === 0);
  });

  it("returns every figure needed to explain the cost", () => {
    const result = computeCost({
      durationS: 37,
      rateMicrosPerMinute: 10_000n,
      connectionFeeMicros: 500n,
      increments: inc(30, 6),
      minimumDurationS: 0,
      gracePeriodS: 2,
      precisionMicros: 100n,
    });
    // billable 42 s; exact = (500·60 + 10 000·42) / 60 = 450 000 / 60 = 7 500 micros.
    expect(result).toEqual({
      durationS: 37,
      billableS: 42,
      rateMicrosPerMinute: 10_000n,
      connectionFeeMicros: 500n,
      increments: { firstS: 30, nextS: 6 },
      minimumDurationS: 0,
      gracePeriodS: 2,
      precisionMicros: 100n,
      free: false,
      exactCostNumerator: 450_000n,
      exactCostDenominator: 60n,
      exactCostMicros: "7500",
      costMicros: 7_500n,
    });
  });

  it.each<[Partial<CostInput>, string]>([
    [{ durationS: 1, rateMicrosPerMinute: 299_970n, increments: inc(1, 1) }, "4999.5"],
    [{ durationS: 1, rateMicrosPerMinute: 8_999n, increments: inc(1, 1) }, "149.983333…"],
    [{ durationS: 86_399, rateMicrosPerMinute: 1_000_000_000_001n, increments: inc(1, 1) }, "1439983333334773.316666…"],
    [{ durationS: 0 }, "0"],
  ])("states the exact unrounded value %#", (overrides, exact) => {
    expect(computeCost({ ...base, ...overrides }).exactCostMicros).toBe(exact);
  });

  it("defaults precision to one micro-unit", () => {
    expect(computeCost({ ...base, durationS: 1 }).precisionMicros).toBe(1n);
  });

  it.each<[string, Partial<CostInput>]>([
    ["negative duration", { durationS: -1 }],
    ["fractional duration", { durationS: 1.5 }],
    ["zero first increment", { durationS: 1, increments: inc(0, 1) }],
    ["zero next increment", { durationS: 1, increments: inc(1, 0) }],
    ["negative minimum", { durationS: 1, minimumDurationS: -1 }],
    ["negative grace", { durationS: 1, gracePeriodS: -1 }],
    ["zero precision", { durationS: 1, precisionMicros: 0n }],
  ])("rejects %s", (_name, overrides) => {
    expect(() => computeCost({ ...base, ...overrides })).toThrow(RangeError);
  });
});

describe("billableSeconds", () => {
  it.each<[number, Increments, number, number, number]>([
    [0, inc(1, 1), 0, 0, 0],
    [1, inc(1, 1), 0, 0, 1],
    [59, inc(60, 60), 0, 0, 60],
    [60, inc(60, 60), 0, 0, 60],
    [61, inc(60, 60), 0, 0, 120],
    [31, inc(30, 6), 0, 0, 36],
    [36, inc(30, 6), 0, 0, 36],
    [37, inc(30, 6), 0, 0, 42],
    [10, inc(1, 1), 30, 0, 30],
    [10, inc(1, 1), 30, 10, 0],
    [11, inc(1, 1), 30, 10, 30],
  ])("%i s at %o, minimum %i, grace %i → %i", (durationS, increments, minimumS, graceS, expected) => {
    expect(billableSeconds(durationS, increments, minimumS, graceS)).toBe(expected);
  });
});
