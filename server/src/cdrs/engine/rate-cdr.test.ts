import { describe, expect, it } from "vitest";
import { compilePlan } from "../../rating/engine/index.js";
import { divRoundHalfUp } from "../../platform/money.js";
import { rateCdr, type FxLookup } from "./rate-cdr.js";
import { normalizeNumber, serviceByTechPrefix } from "./normalize.js";

const plan = (currency: string, rate: bigint, inc = { firstS: 60, nextS: 60 }, prefix = "44") =>
  compilePlan({
    id: currency,
    currency,
    timeZone: "UTC",
    defaults: { increments: inc, minimumDurationS: 0, gracePeriodS: 0, connectionFeeMicros: 0n, precisionMicros: 1n },
    timeClasses: [],
    rates: [{ prefix, destination: "UK", rateMicrosPerMinute: rate, connectionFeeMicros: null, increments: null, timeClass: null, effectiveFrom: 0, effectiveTo: null }],
  });
const usdSell = { plan: plan("USD", 15_000n, { firstS: 30, nextS: 6 }), name: "sell" };
const usdBuy = { plan: plan("USD", 6_000n), name: "buy" };
const eurBuy = { plan: plan("EUR", 6_000n), name: "buy EUR" };
const at = Date.UTC(2026, 10, 20);
const call = (o: Partial<{ calledNumber: string; durationS: number; answered: boolean }> = {}) => ({ calledNumber: "447700900123", startMs: at, durationS: 37, answered: true, ...o });
/** Converts micro-units at a rate × 1e6, rounded half-up once (as routing's FX series does for a 6-decimal rate). */
const convertMicros = (amount: bigint, rateMicros: bigint) => divRoundHalfUp(amount * rateMicros, 1_000_000n);
const fx: FxLookup = (from, to) => (from === "EUR" && to === "USD" ? { rateMicros: 1_080_000n, convert: (a) => convertMicros(a, 1_080_000n) } : null);

describe("rateCdr", () => {
  it.each([
    ["answered, same currency", call(), usdBuy, { customer: 10_500n, supplier: 6_000n, margin: 4_500n, fx: null }],
    ["answered, EUR supplier at 1.08", call(), eurBuy, { customer: 10_500n, supplier: 6_000n, margin: 10_500n - 6_480n, fx: 1_080_000n }],
    ["not answered: free on both sides", call({ answered: false, durationS: 0 }), usdBuy, { customer: 0n, supplier: 0n, margin: 0n, fx: null }],
  ])("%s", (_name, c, supplier, want) => {
    const r = rateCdr(c, usdSell, supplier, fx);
    if (!r.ok) throw new Error(r.error);
    expect([r.customer.costMicros, r.supplier?.costMicros, r.marginMicros, r.fxRateMicros]).toEqual([want.customer, want.supplier, want.margin, want.fx]);
  });

  it.each([
    ["no customer plan", { error: "service X has no customer rating plan" }, usdBuy, call(), /no customer rating plan/],
    ["no customer rate", usdSell, usdBuy, call({ calledNumber: "33123" }), /no customer rate for 33123 in sell/],
    ["no supplier rate", usdSell, { plan: plan("USD", 1n, undefined, "33"), name: "buy FR" }, call(), /no supplier rate for 447700900123 in buy FR/],
    ["answered without egress", usdSell, null, call(), /without an egress interconnect/],
    ["no FX rate", usdSell, { plan: plan("GBP", 1n), name: "gbp" }, call(), /no FX rate GBP→USD/],
  ])("error: %s", (_name, customer, supplier, c, msg) => {
    const r = rateCdr(c, customer, supplier, fx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });

  it("converts half-up once (the test's FX helper)", () => {
    expect(convertMicros(1n, 1_500_000n)).toBe(2n); // 1.5 → 2
    expect(convertMicros(1n, 1_400_000n)).toBe(1n);
    expect(convertMicros(-1n, 1_500_000n)).toBe(-2n);
  });
});

describe("normalizeNumber", () => {
  it.each([
    ["9001#442071234567", "9001#", "442071234567"],
    ["+44 20 7123 4567", "", "442071234567"],
    ["0044207", "", "44207"],
    ["9001#+44207", "9001#", "44207"],
    ["442071234567", "9001#", "442071234567"],
  ])("%s (tech prefix %s) → %s", (raw, tp, want) => expect(normalizeNumber(raw, tp)).toBe(want));

  it("picks the longest tech prefix", () => {
    const s = [{ techPrefix: "" }, { techPrefix: "1001#" }, { techPrefix: "1001#9" }];
    expect(serviceByTechPrefix(s, "1001#9123")).toBe(s[2]);
    expect(serviceByTechPrefix(s, "1001#8123")).toBe(s[1]);
    expect(serviceByTechPrefix(s, "44123")).toBe(s[0]);
    expect(serviceByTechPrefix([{ techPrefix: "2#" }], "44123")).toBeNull();
  });
});
