import { describe, expect, it } from "vitest";
import { nextHealth, type HealthState } from "./health.js";

const rules = { autoDisableAfterFailures: 3, reEnableAfterSuccesses: 2 };
const run = (pings: boolean[], from: HealthState = { state: "up", consecutiveFailures: 0, consecutiveSuccesses: 0 }) => {
  const out: string[] = [];
  let s = from;
  for (const p of pings) {
    const n = nextHealth(s, p, rules);
    out.push(`${n.state}${n.transition ? `!` : ""}`);
    s = n;
  }
  return out.join(" ");
};

describe("nextHealth", () => {
  it.each([
    ["two failures stay up", [false, false], "up up"],
    ["the third failure in a row takes it down, once", [false, false, false, false], "up up down! down"],
    ["a success in between resets the count", [false, false, true, false, false], "up up up up up"],
    ["down, then two successes bring it back", [false, false, false, true, true, true], "up up down! down up! up"],
    ["a failure between successes keeps it down", [false, false, false, true, false, true, true], "up up down! down down down up!"],
  ])("%s", (_name, pings, want) => expect(run(pings)).toBe(want));
});
