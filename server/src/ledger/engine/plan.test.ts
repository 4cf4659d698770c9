import { describe, expect, it } from "vitest";
import {
  FLAG_PENDING,
  FLAG_POST_PENDING,
  FLAG_VOID_PENDING,
  LedgerRuleError,
  accountRefKey,
  planBatch,
  sameRequest,
  type AccountInfo,
  type KnownTransfer,
  type PlanContext,
  type TransferRequest,
} from "./index.js";

/** Carrier C has USD accounts; the tenant has USD revenue/cash/cost of sales; EUR exists only as a customer account. */
const accounts: AccountInfo[] = [
  { id: "cust", kind: "customer", carrierId: "C", currency: "USD" },
  { id: "supp", kind: "supplier", carrierId: "C", currency: "USD" },
  { id: "rev", kind: "revenue", carrierId: null, currency: "USD" },
  { id: "cash", kind: "cash", carrierId: null, currency: "USD" },
  { id: "cos", kind: "cost_of_sales", carrierId: null, currency: "USD" },
  { id: "custEUR", kind: "customer", carrierId: "C", currency: "EUR" },
];
const known = (t: Partial<KnownTransfer> & Pick<KnownTransfer, "id">): KnownTransfer => ({
  debitAccountId: "cust",
  creditAccountId: "rev",
  amountMicros: 1_000n,
  currency: "USD",
  code: "call_charge",
  flags: 0,
  reversesId: null,
  referenceType: "cdr",
  referenceId: "cdr-1",
  resolved: false,
  reversed: false,
  ...t,
});
const transfers = [
  known({ id: "charge" }),
  known({ id: "hold", flags: FLAG_PENDING }),
  known({ id: "holdDone", flags: FLAG_PENDING, resolved: true }),
  known({ id: "posted", flags: FLAG_POST_PENDING, amountMicros: 600n }),
  known({ id: "voided", flags: FLAG_VOID_PENDING }),
  known({ id: "rev1", code: "reversal", reversesId: "charge", debitAccountId: "rev", creditAccountId: "cust" }),
  known({ id: "gone", reversed: true }),
  known({ id: "pay", code: "payment", debitAccountId: "cash", creditAccountId: "cust" }),
];

function ctx(): PlanContext {
  const byRef = new Map(accounts.map((a) => [accountRefKey(a), a.id]));
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const byTransfer = new Map(transfers.map((t) => [t.id, t]));
  let n = 0;
  return { accountIdOf: (r) => byRef.get(accountRefKey(r)), account: (id) => byId.get(id), transfer: (id) => byTransfer.get(id), newId: () => `new${++n}` };
}
const money = { carrierId: "C", currency: "USD", amountMicros: 1_000n };

describe("planBatch: what each request writes", () => {
  it("posts an ordinary transfer to both accounts' posted totals, with its spend", () => {
    const [t] = planBatch([{ op: "call_charge", key: "a", ...money, reference: { type: "cdr", id: "x" } }], ctx()).transfers;
    expect(t).toMatchObject({ debitAccountId: "cust", creditAccountId: "rev", flags: 0, postedDeltaMicros: 1_000n, pendingDeltaMicros: 0n, spend: { accountId: "cust", micros: 1_000n }, referenceType: "cdr", referenceId: "x" });
  });

  it("reserves: a pending call charge moves only pending totals and no spend", () => {
    const [t] = planBatch([{ op: "call_charge", key: "a", ...money, pending: true }], ctx()).transfers;
    expect(t).toMatchObject({ flags: FLAG_PENDING, postedDeltaMicros: 0n, pendingDeltaMicros: 1_000n, spend: null });
  });

  it("posts part of a pending transfer: posted += amount, pending −= the whole reservation", () => {
    const [t] = planBatch([{ op: "post_pending", key: "a", pendingId: "hold", amountMicros: 400n }], ctx()).transfers;
    expect(t).toMatchObject({ flags: FLAG_POST_PENDING, pendingId: "hold", amountMicros: 400n, postedDeltaMicros: 400n, pendingDeltaMicros: -1_000n, spend: { accountId: "cust", micros: 400n }, code: "call_charge", referenceId: "cdr-1" });
  });

  it("voids a pending transfer: only the reservation is released", () => {
    const [t] = planBatch([{ op: "void_pending", key: "a", pendingId: "hold" }], ctx()).transfers;
    expect(t).toMatchObject({ flags: FLAG_VOID_PENDING, amountMicros: 1_000n, postedDeltaMicros: 0n, pendingDeltaMicros: -1_000n, spend: null });
  });

  it("reverses a posted transfer with the opposite one, linked, taking its spend back", () => {
    const [t] = planBatch([{ op: "reverse", key: "a", transferId: "charge" }], ctx()).transfers;
    expect(t).toMatchObject({ debitAccountId: "rev", creditAccountId: "cust", amountMicros: 1_000n, code: "reversal", reversesId: "charge", postedDeltaMicros: 1_000n, spend: { accountId: "cust", micros: -1_000n } });
  });

  it("reverses the post of a pending transfer by its posted amount", () => {
    const [t] = planBatch([{ op: "reverse", key: "a", transferId: "posted" }], ctx()).transfers;
    expect(t).toMatchObject({ amountMicros: 600n, postedDeltaMicros: 600n, pendingDeltaMicros: 0n });
  });

  // [cost, rows as (flags, amount, key)]
  it.each<[string, bigint, [number, bigint, string][]]>([
    ["settles below the reservation: posts the cost", 300n, [[FLAG_POST_PENDING, 300n, "s"]]],
    ["settles at exactly the reservation", 1_000n, [[FLAG_POST_PENDING, 1_000n, "s"]]],
    ["settles above the reservation: posts it all and charges the excess", 1_250n, [[FLAG_POST_PENDING, 1_000n, "s"], [0, 250n, "s:excess"]]],
    ["settles a free call by voiding", 0n, [[FLAG_VOID_PENDING, 1_000n, "s"]]],
  ])("%s", (_name, cost, rows) => {
    const plan = planBatch([{ op: "settle_pending", key: "s", pendingId: "hold", amountMicros: cost }], ctx());
    expect(plan.transfers.map((t) => [t.flags, t.amountMicros, t.key])).toEqual(rows);
    const posted = plan.transfers.reduce((s, t) => s + t.postedDeltaMicros, 0n);
    expect(posted).toBe(cost);
    expect(plan.transfers.reduce((s, t) => s + (t.spend?.micros ?? 0n), 0n)).toBe(cost);
  });

  it("lets a batch reserve and then post the same pending transfer", () => {
    const plan = planBatch(
      [
        { op: "call_charge", key: "r", ...money, pending: true },
        { op: "post_pending", key: "p", pendingId: "new1", amountMicros: 999n },
      ],
      ctx(),
    );
    expect(plan.transfers.map((t) => [t.id, t.pendingId, t.pendingDeltaMicros, t.postedDeltaMicros])).toEqual([
      ["new1", null, 1_000n, 0n],
      ["new2", "new1", -1_000n, 999n],
    ]);
  });

  it("collects credit-limit checks on the customer account", () => {
    const plan = planBatch([{ op: "call_charge", key: "r", ...money, pending: true, creditLimitMicros: 50n }], ctx());
    expect(plan.limits).toEqual([{ index: 0, accountId: "cust", creditLimitMicros: 50n }]);
  });
});

describe("planBatch: refusals (the whole batch)", () => {
  it.each<[string, TransferRequest[], string]>([
    ["zero amount", [{ op: "payment", key: "a", ...money, amountMicros: 0n }], "invalid_amount"],
    ["negative amount", [{ op: "payment", key: "a", ...money, amountMicros: -5n }], "invalid_amount"],
    ["amount above 10^15 micros", [{ op: "payment", key: "a", ...money, amountMicros: 10n ** 15n + 1n }], "invalid_amount"],
    ["lower-case currency", [{ op: "payment", key: "a", ...money, currency: "usd" }], "invalid_currency"],
    ["an account that was not resolved (no EUR revenue)", [{ op: "call_charge", key: "a", ...money, currency: "EUR" }], "unknown_account"],
    ["empty key", [{ op: "payment", key: "", ...money }], "invalid_key"],
    ["key twice in a batch", [{ op: "payment", key: "a", ...money }, { op: "refund", key: "a", ...money }], "invalid_key"],
    ["a settlement's excess key taken by another request", [{ op: "payment", key: "s:excess", ...money }, { op: "settle_pending", key: "s", pendingId: "hold", amountMicros: 1n }], "invalid_key"],
    ["negative credit limit", [{ op: "call_charge", key: "a", ...money, creditLimitMicros: -1n }], "invalid_amount"],
    ["post more than pending", [{ op: "post_pending", key: "a", pendingId: "hold", amountMicros: 1_001n }], "amount_exceeds_pending"],
    ["post zero", [{ op: "post_pending", key: "a", pendingId: "hold", amountMicros: 0n }], "invalid_amount"],
    ["post an unknown transfer", [{ op: "post_pending", key: "a", pendingId: "nope", amountMicros: 1n }], "unknown_transfer"],
    ["post a transfer that is not pending", [{ op: "post_pending", key: "a", pendingId: "charge", amountMicros: 1n }], "not_pending"],
    ["post a pending transfer already resolved", [{ op: "post_pending", key: "a", pendingId: "holdDone", amountMicros: 1n }], "pending_resolved"],
    ["void a pending transfer already resolved", [{ op: "void_pending", key: "a", pendingId: "holdDone" }], "pending_resolved"],
    ["post then void in one batch", [{ op: "post_pending", key: "a", pendingId: "hold", amountMicros: 1n }, { op: "void_pending", key: "b", pendingId: "hold" }], "pending_resolved"],
    ["settle with a negative cost", [{ op: "settle_pending", key: "a", pendingId: "hold", amountMicros: -1n }], "invalid_amount"],
    ["reverse a pending transfer", [{ op: "reverse", key: "a", transferId: "hold" }], "not_reversible"],
    ["reverse a void", [{ op: "reverse", key: "a", transferId: "voided" }], "not_reversible"],
    ["reverse a reversal", [{ op: "reverse", key: "a", transferId: "rev1" }], "not_reversible"],
    ["reverse twice (already reversed)", [{ op: "reverse", key: "a", transferId: "gone" }], "already_reversed"],
    ["reverse twice in one batch", [{ op: "reverse", key: "a", transferId: "pay" }, { op: "reverse", key: "b", transferId: "pay" }], "already_reversed"],
  ])("%s", (_name, requests, code) => {
    let error: unknown;
    try {
      planBatch(requests, ctx());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerRuleError);
    expect((error as LedgerRuleError).code).toBe(code);
  });

  it("names the position of the refused request", () => {
    expect(() => planBatch([{ op: "payment", key: "a", ...money }, { op: "payment", key: "b", ...money, amountMicros: 0n }], ctx())).toThrow(/transfer #1/);
  });

  it("refuses a mismatched currency between a request and its resolved account", () => {
    const c = ctx();
    const lying: PlanContext = { ...c, accountIdOf: (r) => (r.kind === "customer" ? "custEUR" : c.accountIdOf(r)) };
    expect(() => planBatch([{ op: "call_charge", key: "a", ...money }], lying)).toThrow(expect.objectContaining({ code: "currency_mismatch" }));
  });
});

describe("sameRequest: an idempotent replay asks for what its key already did", () => {
  const c = ctx();
  const stored = { debitAccountId: "cash", creditAccountId: "cust", amountMicros: 1_000n, code: "payment", flags: 0, pendingId: null, reversesId: null };
  it.each<[string, TransferRequest, boolean]>([
    ["the same payment", { op: "payment", key: "k", ...money }, true],
    ["another amount", { op: "payment", key: "k", ...money, amountMicros: 999n }, false],
    ["another event on the same key", { op: "refund", key: "k", ...money }, false],
    ["a pending charge where a posted one was", { op: "call_charge", key: "k", ...money, pending: true }, false],
  ])("%s → %s", (_n, r, same) => expect(sameRequest(r, stored, c.accountIdOf)).toBe(same));

  it("compares two-phase and reversal requests by what they refer to", () => {
    const post = { ...stored, flags: FLAG_POST_PENDING, pendingId: "hold", amountMicros: 400n };
    expect(sameRequest({ op: "post_pending", key: "k", pendingId: "hold", amountMicros: 400n }, post, c.accountIdOf)).toBe(true);
    expect(sameRequest({ op: "post_pending", key: "k", pendingId: "hold", amountMicros: 500n }, post, c.accountIdOf)).toBe(false);
    expect(sameRequest({ op: "settle_pending", key: "k", pendingId: "hold", amountMicros: 1_500n }, post, c.accountIdOf)).toBe(true);
    expect(sameRequest({ op: "void_pending", key: "k", pendingId: "hold" }, post, c.accountIdOf)).toBe(false);
    expect(sameRequest({ op: "reverse", key: "k", transferId: "x" }, { ...stored, reversesId: "x" }, c.accountIdOf)).toBe(true);
    expect(sameRequest({ op: "reverse", key: "k", transferId: "y" }, { ...stored, reversesId: "x" }, c.accountIdOf)).toBe(false);
  });
});
