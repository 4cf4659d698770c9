import { describe, expect, it } from "vitest";
import { ZERO_TOTALS, decideCustomer, decideSupplier, reservationMicros, spendWindowStart, type CarrierCredit, type CustomerDecision } from "./decide.js";
import { SpendWindow } from "./spend-window.js";

const U = 1_000_000n;
const carrier: CarrierCredit = {
  type: "customer",
  status: "active",
  primaryCurrency: "USD",
  currencies: ["USD", "EUR"],
  customerCreditType: "prepaid",
  customerCreditLimitMicros: 0n,
  bilateralLimitMicros: null,
  bilateralLimitBreach: "none",
  customerSpendLimit24hMicros: null,
  customerSpendBreach: "alert",
  customerSpendResetAtMs: null,
  supplierSpendLimit24hMicros: null,
  supplierSpendBreach: "alert",
  supplierSpendResetAtMs: null,
};
/** A customer with 10.00 paid in and nothing else. */
const base: CustomerDecision = {
  carrier,
  currency: "USD",
  customer: { ...ZERO_TOTALS, creditsPostedMicros: 10n * U },
  supplier: ZERO_TOTALS,
  spend24hMicros: 0n,
  heldMicros: 0n,
  reservationMicros: 1n * U,
};
const c = (over: Partial<CarrierCredit>): CarrierCredit => ({ ...carrier, ...over });
const postpaid = { customerCreditType: "postpaid", customerCreditLimitMicros: 100n * U } as const;
const owing = { customer: { ...ZERO_TOTALS, debitsPostedMicros: 30n * U, creditsPostedMicros: 10n * U }, supplier: { ...ZERO_TOTALS, creditsPostedMicros: 8n * U } };

describe("decideCustomer", () => {
  // [name, decision, allowed or refusal reason] — balances by hand.
  it.each<[string, Partial<CustomerDecision>, true | string]>([
    ["prepaid 10 covers a 1 reservation", {}, true],
    ["prepaid covers exactly (available = reservation)", { reservationMicros: 10n * U }, true],
    ["prepaid one micro short", { reservationMicros: 10n * U + 1n }, "insufficient_balance"],
    ["reservations already pending count against the balance", { customer: { ...base.customer, debitsPendingMicros: 9_500_000n } }, "insufficient_balance"],
    ["reservations held in this process count too", { heldMicros: 9_500_000n }, "insufficient_balance"],
    ["charges posted count", { customer: { ...base.customer, debitsPostedMicros: 9_000_001n } }, "insufficient_balance"],
    ["a prepaid credit limit extends the balance", { carrier: c({ customerCreditLimitMicros: 5n * U }), reservationMicros: 15n * U }, true],
    ["postpaid within its limit, balance negative", { carrier: c({ customerCreditType: "postpaid", customerCreditLimitMicros: 100n * U }), customer: { ...ZERO_TOTALS, debitsPostedMicros: 98n * U } }, true],
    ["postpaid past its limit", { carrier: c({ customerCreditType: "postpaid", customerCreditLimitMicros: 100n * U }), customer: { ...ZERO_TOTALS, debitsPostedMicros: 99_500_000n } }, "credit_limit"],
    ["the limit applies in the primary currency only", { carrier: c({ customerCreditLimitMicros: 50n * U }), currency: "EUR", customer: ZERO_TOTALS }, "insufficient_balance"],
    ["unknown carrier", { carrier: undefined }, "blocked"],
    ["suspended carrier", { carrier: c({ status: "suspended" }) }, "blocked"],
    ["supplier carrier has no customer side", { carrier: c({ type: "supplier" }) }, "blocked"],
    ["a currency the carrier does not trade in", { currency: "GBP" }, "blocked"],
    // Bilateral: customer 10 − supplier (−8 owed to them) = net 18; held/reservation reduce it.
    ["bilateral within its limit", { carrier: c({ type: "bilateral", bilateralLimitMicros: 0n, bilateralLimitBreach: "block" }), supplier: { ...ZERO_TOTALS, creditsPostedMicros: 8n * U } }, true],
    // Owing us 20 as a customer while we owe them 8: net −12, minus the 1 reservation = −13.
    ["bilateral within a 13 limit", { ...owing, carrier: c({ ...postpaid, type: "bilateral", bilateralLimitMicros: 13n * U, bilateralLimitBreach: "block" }) }, true],
    ["bilateral past a 12.99 limit, block", { ...owing, carrier: c({ ...postpaid, type: "bilateral", bilateralLimitMicros: 12_990_000n, bilateralLimitBreach: "block" }) }, "bilateral_limit"],
    ["bilateral past its limit, alert only", { ...owing, carrier: c({ ...postpaid, type: "bilateral", bilateralLimitMicros: 1n * U, bilateralLimitBreach: "alert" }) }, true],
    ["bilateral past its limit, no breach action", { ...owing, carrier: c({ ...postpaid, type: "bilateral", bilateralLimitMicros: 1n * U, bilateralLimitBreach: "none" }) }, true],
    ["24-hour spend within the limit", { carrier: c({ customerSpendLimit24hMicros: 5n * U, customerSpendBreach: "block" }), spend24hMicros: 4n * U }, true],
    ["24-hour spend + reservation past the limit, block", { carrier: c({ customerSpendLimit24hMicros: 5n * U, customerSpendBreach: "block" }), spend24hMicros: 4_000_001n }, "spend_limit"],
    ["24-hour spend counts pending reservations", { carrier: c({ customerSpendLimit24hMicros: 5n * U, customerSpendBreach: "block" }), heldMicros: 4_500_000n }, "spend_limit"],
    ["24-hour spend past the limit, alert only", { carrier: c({ customerSpendLimit24hMicros: 5n * U }), spend24hMicros: 9n * U }, true],
  ])("%s", (_name, over, expected) => {
    const v = decideCustomer({ ...base, ...over });
    expect(v.allowed ? true : v.reason).toBe(expected);
  });

  it("says what it would alert on when the breach action is alert only", () => {
    const v = decideCustomer({ ...base, carrier: c({ customerSpendLimit24hMicros: 5n * U }), spend24hMicros: 9n * U });
    expect(v).toEqual({ allowed: true, detail: "prepaid: 10.00 USD available; alert: 24-hour spend 10.00 USD would pass its limit 5.00" });
  });

  it("explains a refusal with the figures", () => {
    expect(decideCustomer({ ...base, reservationMicros: 12n * U })).toEqual({
      allowed: false,
      reason: "insufficient_balance",
      detail: "10.00 USD available (balance + credit limit − reservations) does not cover the 12.00 reservation",
    });
  });
});

describe("decideSupplier", () => {
  const s = c({ type: "supplier", supplierSpendLimit24hMicros: 100n * U, supplierSpendBreach: "block" });
  it.each<[string, Parameters<typeof decideSupplier>[0], true | string]>([
    ["within its 24-hour limit", { carrier: s, currency: "USD", spend24hMicros: 99n * U, costMicros: U }, true],
    ["past it, block", { carrier: s, currency: "USD", spend24hMicros: 99n * U, costMicros: U + 1n }, "spend_limit"],
    ["past it, alert only", { carrier: { ...s, supplierSpendBreach: "alert" }, currency: "USD", spend24hMicros: 200n * U, costMicros: 0n }, true],
    ["another currency has no limit", { carrier: s, currency: "EUR", spend24hMicros: 200n * U, costMicros: 0n }, true],
    ["a customer-only carrier", { carrier: c({}), currency: "USD", spend24hMicros: 0n, costMicros: 0n }, "blocked"],
    ["inactive", { carrier: { ...s, status: "inactive" }, currency: "USD", spend24hMicros: 0n, costMicros: 0n }, "blocked"],
  ])("%s", (_n, d, expected) => {
    const v = decideSupplier(d);
    expect(v.allowed ? true : v.reason).toBe(expected);
  });
});

describe("reservationMicros", () => {
  it.each<[string, bigint, bigint, number, bigint, bigint]>([
    // rate/min, fee, max duration s, minimum → reservation
    ["one hour at 0.012/min", 12_000n, 0n, 3_600, 0n, 720_000n],
    ["fee plus rate", 12_000n, 50_000n, 600, 0n, 170_000n],
    ["rounded up to the micro: 1 micro/min for 61 s", 1n, 0n, 61, 0n, 2n],
    ["the configured minimum when more", 0n, 0n, 600, 250_000n, 250_000n],
  ])("%s", (_n, rate, fee, s, min, expected) =>
    expect(reservationMicros({ rateMicrosPerMinute: rate, connectionFeeMicros: fee, maxDurationS: s, minimumMicros: min })).toBe(expected),
  );
});

describe("spend window", () => {
  it("starts at the later of 24 hours ago and the Reset", () => {
    expect(spendWindowStart(100_000_000, null)).toBe(13_600_000);
    expect(spendWindowStart(100_000_000, 50_000_000)).toBe(50_000_000);
    expect(spendWindowStart(100_000_000, 1_000)).toBe(13_600_000);
  });

  it("sums what was posted after the start, dropping the rest for good", () => {
    const w = new SpendWindow();
    w.add(1_000, 5n);
    w.add(2_000, 7n);
    w.add(2_000, 1n);
    w.add(3_500, -2n); // a reversal
    expect(w.sumAfter(0)).toBe(11n);
    expect(w.sumAfter(1_000)).toBe(6n); // "after": the entry at exactly the start is out
    w.add(1_500, 4n); // late arrival: joins the newest entry
    expect(w.sumAfter(2_500)).toBe(2n);
    expect(w.sumAfter(3_500)).toBe(0n);
    w.add(10_000, 3n);
    expect(w.sumAfter(3_500)).toBe(3n);
  });

  it("stays exact over many entries and compacts", () => {
    const w = new SpendWindow();
    for (let i = 1; i <= 5_000; i++) w.add(i, BigInt(i));
    expect(w.sumAfter(4_000)).toBe(BigInt((4_001 + 5_000) * 1_000) / 2n);
    expect(w.sumAfter(4_999)).toBe(5_000n);
  });
});
