import { describe, expect, it } from "vitest";
import { renderAlertTemplate, stepAlert, watchedValue, type AlertRule, type AlertState } from "./alerts.js";

const M = 1_000_000n;
/** Runs a series of values through an alert from `armed`; returns the transitions per value. */
function run(rule: AlertRule, values: bigint[], start: AlertState = "armed") {
  let state = start;
  return values.map((v) => {
    const s = stepAlert(rule, state, v);
    state = s.state;
    return s.transition ?? "-";
  });
}

describe("credit alert engine", () => {
  // Low balance at −100 with reset at −50: hand-worked sequences.
  const low: AlertRule = { type: "low_balance", thresholdMicros: -100n * M, resetThresholdMicros: -50n * M };
  it.each([
    ["above, then below: fires once", [0n, -99n, -101n, -150n, -200n], ["-", "-", "fire", "-", "-"]],
    ["exactly at the threshold is not below it", [-100n], ["-"]],
    ["back above the threshold but under the reset: still fired", [-101n, -60n, -101n], ["fire", "-", "-"]],
    ["past the reset re-arms, crossing again fires again", [-101n, -50n, -120n, -10n, -101n], ["fire", "rearm", "fire", "rearm", "fire"]],
    ["starting below the threshold fires on the first value", [-500n, -400n], ["fire", "-"]],
  ])("low balance: %s", (_name, values, expected) => {
    expect(run(low, values.map((v) => v * M))).toEqual(expected);
  });

  it("without a reset threshold, the threshold itself re-arms", () => {
    const rule: AlertRule = { type: "low_balance", thresholdMicros: 0n, resetThresholdMicros: null };
    expect(run(rule, [-1n, 0n, -1n, -2n, 5n])).toEqual(["fire", "rearm", "fire", "-", "rearm"]);
  });

  it.each([
    ["high balance above 1000, reset 800", { type: "high_balance", thresholdMicros: 1000n * M, resetThresholdMicros: 800n * M }, [999n, 1000n, 1001n, 900n, 800n, 1200n], ["-", "-", "fire", "-", "rearm", "fire"]],
    ["24-hour spend above 500, reset 400", { type: "spend_24h_breach", thresholdMicros: 500n * M, resetThresholdMicros: 400n * M }, [100n, 501n, 700n, 450n, 399n, 501n], ["-", "fire", "-", "-", "rearm", "fire"]],
  ] as const)("%s", (_name, rule, values, expected) => {
    expect(run(rule as AlertRule, values.map((v) => v * M))).toEqual(expected);
  });

  it("a fired alert whose value never recovers stays fired", () => {
    expect(run(low, [-200n * M, -300n * M], "fired")).toEqual(["-", "-"]);
  });

  it("watches the balance, or the 24-hour spend for a spend breach", () => {
    const v = { balanceMicros: -7n, spend24hMicros: 3n };
    expect(watchedValue("low_balance", v)).toBe(-7n);
    expect(watchedValue("high_balance", v)).toBe(-7n);
    expect(watchedValue("spend_24h_breach", v)).toBe(3n);
  });

  it("fills the template and leaves unknown placeholders as written", () => {
    expect(renderAlertTemplate("{{carrier}} balance is {{ balance }} {{currency}}, below {{threshold}} {{nope}}.", { carrier: "Acme", balance: "-101.00", currency: "USD", threshold: "-100.00" })).toBe(
      "Acme balance is -101.00 USD, below -100.00 {{nope}}.",
    );
  });
});
