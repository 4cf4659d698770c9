import { describe, expect, it } from "vitest";
import { computeInvoice, MissingFxRateError, splitCredit, taxOf, type BillableCdr, type FxAt } from "./invoice.js";

const cdr = (id: string, destination: string, costMicros: bigint, over: Partial<BillableCdr> = {}): BillableCdr => ({
  id,
  startMs: Date.parse("2026-11-10T10:00:00Z"),
  destination,
  ratedCurrency: "USD",
  costMicros,
  billableS: 60,
  rateMicrosPerMinute: 15_000n,
  ...over,
});
const noFx: FxAt = () => null;
// EUR→USD 1.08 until 15 Nov, then 1.10 (amount × rate, rounded half away from zero).
const eurUsd: FxAt = (from, to, atMs) => {
  if (from !== "EUR" || to !== "USD") return null;
  const rateNanos = atMs < Date.parse("2026-11-15T00:00:00Z") ? 1_080_000_000n : 1_100_000_000n;
  return { rateNanos, convert: (a) => (a * rateNanos + 500_000_000n) / 1_000_000_000n };
};

describe("invoice figures", () => {
  it("sums per-call micros, rounds once to the cent with an explicit rounding, then taxes", () => {
    // 3 calls: 0.012345 + 0.012345 + 1.000004 = 1.024694 → 1.02, rounding −0.004694; tax 20 % of 1.02 = 0.204 → 0.20.
    const r = computeInvoice([cdr("a", "UK", 12_345n), cdr("b", "UK", 12_345n), cdr("c", "France", 1_000_004n, { rateMicrosPerMinute: 20_000n, billableS: 30 })], { currency: "USD", taxRatePpm: 200_000, fx: noFx });
    expect(r.usageMicros).toBe(1_024_694n);
    expect(r.subtotalMicros).toBe(1_020_000n);
    expect(r.roundingMicros).toBe(-4_694n);
    expect(r.taxMicros).toBe(200_000n);
    expect(r.totalMicros).toBe(1_220_000n);
    expect(r.lines.map((l) => [l.destination, l.calls, l.billableS, l.amountMicros, l.rateMicrosPerMinute])).toEqual([
      ["France", 1, 30n, 1_000_004n, 20_000n],
      ["UK", 2, 120n, 24_690n, 15_000n],
    ]);
    expect(r.cdrAmounts.reduce((a, b) => a + b, 0n) + r.roundingMicros + r.taxMicros).toBe(r.totalMicros);
  });

  it("rounds half away from zero: exactly half a cent goes up", () => {
    expect(computeInvoice([cdr("a", "UK", 1_005_000n)], { currency: "USD", taxRatePpm: 0, fx: noFx })).toMatchObject({ subtotalMicros: 1_010_000n, roundingMicros: 5_000n, totalMicros: 1_010_000n });
    expect(computeInvoice([cdr("a", "UK", 1_004_999n)], { currency: "USD", taxRatePpm: 0, fx: noFx })).toMatchObject({ subtotalMicros: 1_000_000n, roundingMicros: -4_999n });
  });

  it("uses the currency's minor unit: yen have none, dinars three decimals", () => {
    expect(computeInvoice([cdr("a", "JP", 1_499_999n, { ratedCurrency: "JPY" })], { currency: "JPY", taxRatePpm: 100_000, fx: noFx })).toMatchObject({ subtotalMicros: 1_000_000n, taxMicros: 0n });
    expect(computeInvoice([cdr("a", "KW", 1_234_567n, { ratedCurrency: "KWD" })], { currency: "KWD", taxRatePpm: 0, fx: noFx })).toMatchObject({ subtotalMicros: 1_235_000n, roundingMicros: 433n });
  });

  it("converts each call at the rate in force at its start and records the rate per line", () => {
    const r = computeInvoice(
      [
        cdr("a", "DE", 1_000_001n, { ratedCurrency: "EUR" }), // × 1.08 = 1.080001 (1.08000108 rounded)
        cdr("b", "DE", 1_000_001n, { ratedCurrency: "EUR", startMs: Date.parse("2026-11-20T00:00:00Z") }), // × 1.10 = 1.100001
        cdr("c", "UK", 500_000n),
      ],
      { currency: "USD", taxRatePpm: 0, fx: eurUsd },
    );
    expect(r.cdrAmounts).toEqual([1_080_001n, 1_100_001n, 500_000n]);
    expect(r.lines.map((l) => [l.destination, l.ratedCurrency, l.fxRateNanos, l.ratedAmountMicros, l.amountMicros])).toEqual([
      ["DE", "EUR", 1_080_000_000n, 1_000_001n, 1_080_001n],
      ["DE", "EUR", 1_100_000_000n, 1_000_001n, 1_100_001n],
      ["UK", "USD", null, 500_000n, 500_000n],
    ]);
    expect(r.fxLegs).toEqual([{ ratedCurrency: "EUR", ratedMicros: 2_000_002n, convertedMicros: 2_180_002n }]);
    expect(r.usageMicros).toBe(2_680_002n);
  });

  it("refuses a call it cannot convert", () => {
    expect(() => computeInvoice([cdr("a", "DE", 1n, { ratedCurrency: "GBP" })], { currency: "USD", taxRatePpm: 0, fx: eurUsd })).toThrow(MissingFxRateError);
  });

  it("a line with mixed rates shows no single rate", () => {
    const r = computeInvoice([cdr("a", "UK", 1n), cdr("b", "UK", 1n, { rateMicrosPerMinute: 9n })], { currency: "USD", taxRatePpm: 0, fx: noFx });
    expect(r.lines[0]!.rateMicrosPerMinute).toBeNull();
  });

  it("tax rounds once, half away from zero", () => {
    expect(taxOf(1_025_000n, 200_000, "USD")).toBe(210_000n); // 0.205 → 0.21
    expect(taxOf(1_020_000n, 75_000, "USD")).toBe(80_000n); // 0.0765 → 0.08
    expect(taxOf(-1_025_000n, 200_000, "USD")).toBe(-210_000n);
  });

  it("credit notes split into net and tax; the last one takes exactly the tax left", () => {
    const inv = { totalMicros: 1_220_000n, taxMicros: 200_000n, creditedMicros: 0n, creditedTaxMicros: 0n, currency: "USD" };
    expect(splitCredit(610_000n, inv)).toEqual({ netMicros: 510_000n, taxMicros: 100_000n });
    expect(splitCredit(100_000n, inv)).toEqual({ netMicros: 80_000n, taxMicros: 20_000n }); // 0.016393… → 0.02
    expect(splitCredit(510_000n, { ...inv, creditedMicros: 710_000n, creditedTaxMicros: 120_000n })).toEqual({ netMicros: 430_000n, taxMicros: 80_000n });
  });
});
