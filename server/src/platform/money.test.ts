import { describe, expect, it } from "vitest";
import { divRoundHalfUp, formatMinorUnits, formatMoney, minorUnitDigits, parseMoney, roundToMinorUnit, roundToPrecision } from "./money.js";

describe("money in micro-units", () => {
  it.each([
    ["0", 0n],
    ["1", 1_000_000n],
    ["0.000001", 1n],
    ["12.5", 12_500_000n],
    ["-3.25", -3_250_000n],
    ["0.012345", 12_345n],
    ["  7.1 ", 7_100_000n],
  ])("parses %s", (input, micros) => expect(parseMoney(input)).toBe(micros));

  it.each(["", "1e3", "0.0000001", "1,5", "abc", "1.", ".5", "--1"])("rejects %j", (input) => {
    expect(() => parseMoney(input)).toThrow(RangeError);
  });

  it.each([
    [12_345_678n, 6, "12.345678"],
    [12_345_678n, 2, "12.35"],
    [12_344_999n, 2, "12.34"],
    [5_000n, 2, "0.01"],
    [4_999n, 2, "0.00"],
    [-5_000n, 2, "-0.01"],
    [-1_500_000n, 0, "-2"],
    [0n, 4, "0.0000"],
  ])("formats %s with %i decimals as %s", (micros, decimals, out) => expect(formatMoney(micros, decimals)).toBe(out));

  it("rounds half away from zero", () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divRoundHalfUp(5n, 3n)).toBe(2n);
    expect(roundToPrecision(1_234_567n, 10_000n)).toBe(1_230_000n);
    expect(roundToPrecision(1_235_000n, 10_000n)).toBe(1_240_000n);
    expect(() => divRoundHalfUp(1n, 0n)).toThrow();
  });

  it("round-trips every 6-decimal string", () => {
    for (const s of ["0.000000", "123456789.123456", "-0.500000"]) expect(formatMoney(parseMoney(s))).toBe(s);
  });
});

describe("minor units (documents)", () => {
  it.each([
    ["USD", 12_344_999n, 12_340_000n, "12.34"],
    ["USD", 12_345_000n, 12_350_000n, "12.35"],
    ["USD", -12_345_000n, -12_350_000n, "-12.35"],
    ["JPY", 1_499_999n, 1_000_000n, "1"],
    ["JPY", 1_500_000n, 2_000_000n, "2"],
    ["KWD", 1_234_500n, 1_235_000n, "1.235"],
    ["BHD", 1_234_499n, 1_234_000n, "1.234"],
  ])("%s: %s micros round to %s and print as %s", (currency, micros, rounded, text) => {
    expect(roundToMinorUnit(micros, currency)).toBe(rounded);
    expect(formatMinorUnits(micros, currency)).toBe(text);
  });
  it("digits per currency", () => {
    expect(["EUR", "JPY", "OMR", "JOD", "TND", "GBP"].map(minorUnitDigits)).toEqual([2, 0, 3, 3, 3, 2]);
  });
});
