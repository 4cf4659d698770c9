import { describe, expect, it } from "vitest";
import { availableMicros, legsOf, naturalBalanceMicros, spendOf, type CarrierMoneyRequest } from "./index.js";

const base = { key: "k", carrierId: "C", currency: "USD", amountMicros: 1_000_000n };

describe("posting rules", () => {
  // [request, debit account, credit account, code] — the table in ARCHITECTURE.md.
  it.each<[CarrierMoneyRequest, string, string, string]>([
    [{ ...base, op: "call_charge" }, "customer C", "revenue", "call_charge"],
    [{ ...base, op: "call_charge", pending: true }, "customer C", "revenue", "call_charge"],
    [{ ...base, op: "supplier_cost" }, "cost_of_sales", "supplier C", "supplier_cost"],
    [{ ...base, op: "payment" }, "cash", "customer C", "payment"],
    [{ ...base, op: "refund" }, "customer C", "cash", "refund"],
    [{ ...base, op: "supplier_payment" }, "supplier C", "cash", "supplier_payment"],
    [{ ...base, op: "supplier_refund" }, "cash", "supplier C", "supplier_refund"],
    [{ ...base, op: "adjustment", side: "customer", direction: "credit" }, "revenue", "customer C", "adjustment"],
    [{ ...base, op: "adjustment", side: "customer", direction: "debit" }, "customer C", "revenue", "adjustment"],
    [{ ...base, op: "adjustment", side: "supplier", direction: "credit" }, "cost_of_sales", "supplier C", "adjustment"],
    [{ ...base, op: "adjustment", side: "supplier", direction: "debit" }, "supplier C", "cost_of_sales", "adjustment"],
    [{ ...base, op: "netting" }, "supplier C", "customer C", "netting"],
    [{ ...base, op: "invoice", leg: "tax" }, "customer C", "tax", "invoice"],
    [{ ...base, op: "invoice", leg: "tax_credit" }, "tax", "customer C", "invoice"],
    [{ ...base, op: "invoice", leg: "rounding_charge" }, "customer C", "revenue", "invoice"],
    [{ ...base, op: "invoice", leg: "rounding_credit" }, "revenue", "customer C", "invoice"],
    [{ ...base, op: "invoice", leg: "fx_out" }, "fx", "customer C", "invoice"],
    [{ ...base, op: "invoice", leg: "fx_in" }, "customer C", "fx", "invoice"],
    [{ ...base, op: "credit_note", leg: "revenue" }, "revenue", "customer C", "credit_note"],
    [{ ...base, op: "credit_note", leg: "tax" }, "tax", "customer C", "credit_note"],
  ])("%o debits %s and credits %s", (req, debit, credit, code) => {
    const legs = legsOf(req);
    const name = (r: { kind: string; carrierId: string | null }) => (r.carrierId ? `${r.kind} ${r.carrierId}` : r.kind);
    expect(name(legs.debit)).toBe(debit);
    expect(name(legs.credit)).toBe(credit);
    expect(legs.code).toBe(code);
    expect(legs.debit.currency).toBe("USD");
    expect(legs.credit.currency).toBe("USD");
  });

  // What each event does to the balances the carrier page shows (customer: credits − debits;
  // supplier: debits − credits), for 1.00 moved.
  it.each<[CarrierMoneyRequest, bigint, bigint]>([
    [{ ...base, op: "call_charge" }, -1_000_000n, 0n],
    [{ ...base, op: "payment" }, 1_000_000n, 0n],
    [{ ...base, op: "refund" }, -1_000_000n, 0n],
    [{ ...base, op: "supplier_cost" }, 0n, -1_000_000n],
    [{ ...base, op: "supplier_payment" }, 0n, 1_000_000n],
    [{ ...base, op: "supplier_refund" }, 0n, -1_000_000n],
    // Netting: both move toward zero, net exposure (customer − supplier) is unchanged.
    [{ ...base, op: "netting" }, 1_000_000n, 1_000_000n],
  ])("%o moves customer by %d and supplier by %d", (req, customer, supplier) => {
    const legs = legsOf(req);
    const moved = (kind: string) => {
      const t = { debitsPostedMicros: 0n, creditsPostedMicros: 0n, debitsPendingMicros: 0n, creditsPendingMicros: 0n };
      if (legs.debit.kind === kind) t.debitsPostedMicros += req.amountMicros;
      if (legs.credit.kind === kind) t.creditsPostedMicros += req.amountMicros;
      return naturalBalanceMicros(kind, t);
    };
    expect(moved("customer")).toBe(customer);
    expect(moved("supplier")).toBe(supplier);
  });
});

describe("natural balances and availability", () => {
  const t = { debitsPostedMicros: 700n, creditsPostedMicros: 1_000n, debitsPendingMicros: 200n, creditsPendingMicros: 0n };
  it.each<[string, bigint]>([
    ["customer", 300n],
    ["revenue", 300n],
    ["tax", 300n],
    ["supplier", -300n],
    ["cash", -300n],
    ["cost_of_sales", -300n],
    ["fx", -300n],
  ])("%s balance", (kind, expected) => expect(naturalBalanceMicros(kind, t)).toBe(expected));

  it("available = credits − debits − pending debits + limit", () => {
    expect(availableMicros(t, 0n)).toBe(100n);
    expect(availableMicros(t, 50n)).toBe(150n);
    expect(availableMicros({ ...t, debitsPendingMicros: 400n }, 0n)).toBe(-100n);
  });
});

describe("24-hour spend", () => {
  const t = { debitAccountId: "D", creditAccountId: "K", amountMicros: 5n, posted: true };
  it.each<[string, Parameters<typeof spendOf>[0], Parameters<typeof spendOf>[1], ReturnType<typeof spendOf>]>([
    ["a posted call charge adds to the customer (debit) account", { ...t, code: "call_charge" }, null, { accountId: "D", micros: 5n }],
    ["a pending call charge adds nothing until posted", { ...t, code: "call_charge", posted: false }, null, null],
    ["a supplier cost adds to the supplier (credit) account", { ...t, code: "supplier_cost" }, null, { accountId: "K", micros: 5n }],
    ["a payment is no spend", { ...t, code: "payment" }, null, null],
    ["reversing a call charge takes it back from its customer", { ...t, code: "reversal" }, { code: "call_charge", debitAccountId: "CUST", creditAccountId: "REV" }, { accountId: "CUST", micros: -5n }],
    ["reversing a supplier cost takes it back from its supplier", { ...t, code: "reversal" }, { code: "supplier_cost", debitAccountId: "COS", creditAccountId: "SUP" }, { accountId: "SUP", micros: -5n }],
    ["reversing a payment is no spend", { ...t, code: "reversal" }, { code: "payment", debitAccountId: "CASH", creditAccountId: "CUST" }, null],
  ])("%s", (_name, transfer, reversed, expected) => expect(spendOf(transfer, reversed)).toEqual(expected));
});
