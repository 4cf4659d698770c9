import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/platform/db/client.js";
import { postTransfers } from "../src/ledger/post.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { carrierSpend24h } from "../src/ledger/balances.js";
import { LedgerRuleError, type TransferRequest } from "../src/ledger/engine/index.js";
import { countRows, createTestApp, login, type Session, type TestContext } from "./harness.js";

let t: TestContext;
let admin: Session;
let acme: Session;
let tenantId: string;
const U = 1_000_000n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tenantId = admin.me.tenant.id;
});
afterAll(async () => t?.close());

const post = (transfers: TransferRequest[], tenant = tenantId) => inTransaction(t.pool, (tx) => postTransfers(tx, { tenantId: tenant, transfers }));
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LedgerRuleError);
  return (err as LedgerRuleError).code;
};
async function carrier(name: string, body: Record<string, unknown> = {}, as = admin): Promise<string> {
  const r = await as.request("POST", "/api/carriers", { name, type: "bilateral", primaryCurrency: "USD", currency2: "EUR", ...body });
  expect(r.status).toBe(201);
  return r.json.id;
}
const creditControl = async (id: string) => (await admin.request("GET", `/api/carriers/${id}/credit-control`)).json.currencies[0];
const money = (carrierId: string, amount: bigint, currency = "USD") => ({ carrierId, currency, amountMicros: amount });
let seq = 0;
const key = (p: string) => `${p}-${++seq}`;
const transferCount = () => countRows(t.pool, "ledger_transfers");

describe("posting transfers", () => {
  it("moves the balances the carrier's Credit Control table shows, and keeps the invariants", async () => {
    const c = await carrier("Posting One", { customerCreditType: "postpaid", customerCreditLimit: "50", bilateralLimit: "100" });
    const r = await post([
      { op: "payment", key: key("pay"), ...money(c, 100n * U), reference: { type: "payment", id: "p1" } },
      { op: "call_charge", key: key("cdr"), ...money(c, 30n * U) },
      { op: "call_charge", key: key("cdr"), ...money(c, 1_500_000n) },
      { op: "supplier_cost", key: key("cdr"), ...money(c, 20n * U) },
      { op: "supplier_payment", key: key("sp"), ...money(c, 5n * U) },
    ]);
    expect(r).toMatchObject({ inserted: 5, replayed: 0 });
    expect(r.results.map((x) => x.transfers[0]!.code)).toEqual(["payment", "call_charge", "call_charge", "supplier_cost", "supplier_payment"]);
    // customer 100 − 31.5 = 68.5; supplier −20 + 5 = −15; net 83.5.
    expect(await creditControl(c)).toMatchObject({
      customer: { balance: "68.500000", pending: "0.000000", limit: "-50.000000", remaining: "118.500000" },
      supplier: { balance: "-15.000000" },
      bilateral: { netExposure: "83.500000", limit: "-100.000000", remaining: "183.500000" },
      spend24h: { customer: { spend: "31.500000" }, supplier: { spend: "20.000000" } },
    });
    // Tenant accounts: cash 100 − 5, revenue 31.5, cost of sales 20.
    const tenantAccounts = await t.pool.query(
      "SELECT kind, (debits_posted_micros - credits_posted_micros)::text AS net FROM ledger_accounts WHERE tenant_id = $1 AND carrier_id IS NULL AND currency = 'USD' ORDER BY kind",
      [tenantId],
    );
    expect(Object.fromEntries(tenantAccounts.rows.map((x) => [x.kind, x.net]))).toMatchObject({ cash: "95000000", cost_of_sales: "20000000", revenue: "-31500000" });
    // The Carriers list shows the same primary-currency balances.
    const listed = (await admin.request("GET", "/api/carriers?q=Posting One")).json.rows[0];
    expect(listed).toMatchObject({ customerBalance: "68.500000", supplierBalance: "-15.000000" });
    expect(await checkLedgerInvariants(t.db, { tenantId: null })).toMatchObject({ ok: true, problems: [] });
  });

  it("creates one account per tenant, kind, carrier and currency, even for the tenant's own accounts", async () => {
    const c = await carrier("Posting Accounts");
    await post([{ op: "payment", key: key("a"), ...money(c, U) }, { op: "payment", key: key("a"), ...money(c, U, "EUR") }]);
    await post([{ op: "payment", key: key("a"), ...money(c, U) }]);
    const n = await t.pool.query("SELECT kind, currency, count(*)::int AS n FROM ledger_accounts WHERE tenant_id = $1 AND (carrier_id = $2 OR carrier_id IS NULL) AND kind IN ('customer', 'cash') GROUP BY 1, 2", [tenantId, c]);
    expect(n.rows.every((x) => x.n === 1)).toBe(true);
    expect(n.rows).toHaveLength(4);
  });

  it("replays an idempotency key: nothing written twice, the stored transfers returned and said so", async () => {
    const c = await carrier("Posting Replay");
    const batch: TransferRequest[] = [
      { op: "payment", key: key("r"), ...money(c, 10n * U) },
      { op: "call_charge", key: key("r"), ...money(c, 3n * U) },
    ];
    const first = await post(batch);
    const before = await transferCount();
    const again = await post(batch);
    expect(again).toMatchObject({ inserted: 0, replayed: 2 });
    expect(again.results.map((x) => x.transfers[0]!.id)).toEqual(first.results.map((x) => x.transfers[0]!.id));
    expect(await transferCount()).toBe(before);
    // A batch mixing a replay and a new transfer writes only the new one.
    const mixed = await post([batch[0]!, { op: "call_charge", key: key("r"), ...money(c, 2n * U) }]);
    expect(mixed.results.map((x) => x.replayed)).toEqual([true, false]);
    expect((await creditControl(c)).customer.balance).toBe("5.000000");
  });

  it("refuses a key reused for a different transfer, and writes nothing of that batch", async () => {
    const c = await carrier("Posting Conflict");
    const k = key("x");
    await post([{ op: "payment", key: k, ...money(c, 10n * U) }]);
    const before = await transferCount();
    expect(await refusal(post([{ op: "payment", key: key("x"), ...money(c, U) }, { op: "payment", key: k, ...money(c, 11n * U) }]))).toBe("idempotency_conflict");
    expect(await refusal(post([{ op: "refund", key: k, ...money(c, 10n * U) }]))).toBe("idempotency_conflict");
    expect(await transferCount()).toBe(before);
  });

  it("reverses a transfer with a linked opposite one, once", async () => {
    const c = await carrier("Posting Reversal");
    const charge = (await post([{ op: "call_charge", key: key("c"), ...money(c, 7n * U) }])).results[0]!.transfers[0]!;
    expect((await creditControl(c)).customer.balance).toBe("-7.000000");
    const rev = (await post([{ op: "reverse", key: key("rev"), transferId: charge.id }])).results[0]!.transfers[0]!;
    expect(rev).toMatchObject({ code: "reversal", reversesId: charge.id, debitAccountId: charge.creditAccountId, creditAccountId: charge.debitAccountId, amountMicros: 7n * U });
    expect(await creditControl(c)).toMatchObject({ customer: { balance: "0.000000" }, spend24h: { customer: { spend: "0.000000" } } });
    expect(await refusal(post([{ op: "reverse", key: key("rev"), transferId: charge.id }]))).toBe("already_reversed");
    expect(await refusal(post([{ op: "reverse", key: key("rev"), transferId: rev.id }]))).toBe("not_reversible");
  });

  it("two-phase: reserve, then post part (the rest released) or void, each once", async () => {
    const c = await carrier("Posting Two Phase");
    await post([{ op: "payment", key: key("p"), ...money(c, 20n * U) }]);
    const [a, b] = (
      await post([
        { op: "call_charge", key: key("hold"), ...money(c, 5n * U), pending: true },
        { op: "call_charge", key: key("hold"), ...money(c, 4n * U), pending: true },
      ])
    ).results.map((x) => x.transfers[0]!);
    expect(await creditControl(c)).toMatchObject({ customer: { balance: "20.000000", pending: "9.000000" }, spend24h: { customer: { spend: "0.000000" } } });
    await post([{ op: "post_pending", key: key("post"), pendingId: a!.id, amountMicros: 3n * U }]);
    expect(await creditControl(c)).toMatchObject({ customer: { balance: "17.000000", pending: "4.000000" }, spend24h: { customer: { spend: "3.000000" } } });
    await post([{ op: "void_pending", key: key("void"), pendingId: b!.id }]);
    expect(await creditControl(c)).toMatchObject({ customer: { balance: "17.000000", pending: "0.000000" } });
    expect(await refusal(post([{ op: "void_pending", key: key("void"), pendingId: a!.id }]))).toBe("pending_resolved");
    expect(await refusal(post([{ op: "post_pending", key: key("post"), pendingId: b!.id, amountMicros: U }]))).toBe("pending_resolved");
    expect(await refusal(post([{ op: "reverse", key: key("r"), transferId: b!.id }]))).toBe("not_reversible");
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });

  it("settles a reservation with its rated cost: excess charged, zero voided", async () => {
    const c = await carrier("Posting Settle");
    const holds = (
      await post([
        { op: "call_charge", key: key("h"), ...money(c, 2n * U), pending: true },
        { op: "call_charge", key: key("h"), ...money(c, 2n * U), pending: true },
      ])
    ).results.map((x) => x.transfers[0]!.id);
    const k = key("s");
    const s = await post([
      { op: "settle_pending", key: k, pendingId: holds[0]!, amountMicros: 2_500_000n },
      { op: "settle_pending", key: key("s"), pendingId: holds[1]!, amountMicros: 0n },
    ]);
    expect(s.results[0]!.transfers.map((x) => [x.key, x.flags, x.amountMicros])).toEqual([
      [k, 4, 2n * U],
      [`${k}:excess`, 0, 500_000n],
    ]);
    expect(s.results[1]!.transfers.map((x) => x.flags)).toEqual([8]);
    expect(await creditControl(c)).toMatchObject({ customer: { balance: "-2.500000", pending: "0.000000" }, spend24h: { customer: { spend: "2.500000" } } });
    // A settlement replayed (the rating job retried) returns both rows again and changes nothing.
    const again = await post([{ op: "settle_pending", key: k, pendingId: holds[0]!, amountMicros: 2_500_000n }]);
    expect(again.results[0]).toMatchObject({ replayed: true });
    expect(again.results[0]!.transfers).toHaveLength(2);
    expect((await creditControl(c)).customer.balance).toBe("-2.500000");
  });

  it("refuses a reservation the balance and credit limit do not cover, writing nothing", async () => {
    const c = await carrier("Posting Limit");
    await post([{ op: "payment", key: key("p"), ...money(c, 5n * U) }]);
    const ok = { op: "call_charge" as const, ...money(c, 3n * U), pending: true, creditLimitMicros: 1n * U };
    await post([{ ...ok, key: key("h") }]);
    const before = await transferCount();
    // 5 − 3 − 4 = −2 < −1.
    expect(await refusal(post([{ ...ok, key: key("h"), amountMicros: 4n * U }]))).toBe("credit_limit_exceeded");
    expect(await transferCount()).toBe(before);
    await post([{ ...ok, key: key("h"), amountMicros: 3n * U }]); // 5 − 6 = −1: exactly the limit.
    expect((await creditControl(c)).customer.pending).toBe("6.000000");
  });

  it("accepts only the tenant's own carriers and transfers", async () => {
    const theirs = await carrier("Acme Ledger Carrier", {}, acme);
    expect(await refusal(post([{ op: "payment", key: key("t"), ...money(theirs, U) }]))).toBe("unknown_account");
    const mine = await carrier("Posting Isolation");
    const charge = (await post([{ op: "call_charge", key: key("t"), ...money(mine, U) }])).results[0]!.transfers[0]!;
    const acmeTenant = acme.me.tenant.id;
    expect(await refusal(post([{ op: "reverse", key: key("t"), transferId: charge.id }], acmeTenant))).toBe("unknown_transfer");
    expect(await refusal(post([{ op: "payment", key: key("t"), ...money(mine, U) }], acmeTenant))).toBe("unknown_account");
  });

  it("refuses bad amounts and currencies as a whole batch", async () => {
    const c = await carrier("Posting Bad");
    const before = await transferCount();
    expect(await refusal(post([{ op: "payment", key: key("b"), ...money(c, U) }, { op: "payment", key: key("b"), ...money(c, 0n) }]))).toBe("invalid_amount");
    expect(await refusal(post([{ op: "payment", key: key("b"), ...money(c, U, "usd") }]))).toBe("invalid_currency");
    expect(await transferCount()).toBe(before);
  });
});

describe("24-hour spend", () => {
  it("counts posted call charges and supplier costs net of reversals, from the later of 24 h ago and the Reset", async () => {
    const c = await carrier("Spend Window");
    const [charge] = (
      await post([
        { op: "call_charge", key: key("s"), ...money(c, 10n * U) },
        { op: "call_charge", key: key("s"), ...money(c, 4n * U) },
        { op: "call_charge", key: key("s"), ...money(c, 99n * U), pending: true },
        { op: "supplier_cost", key: key("s"), ...money(c, 6n * U) },
        { op: "payment", key: key("s"), ...money(c, 50n * U) },
      ])
    ).results.map((x) => x.transfers[0]!);
    await post([{ op: "reverse", key: key("s"), transferId: charge!.id }]);
    const now = new Date(Date.now() + 1_000);
    expect(await carrierSpend24h(t.db, { tenantId, carrierId: c, customerSince: null, supplierSince: null, at: now })).toEqual([
      { currency: "USD", customerMicros: 4n * U, supplierMicros: 6n * U },
    ]);
    // A Reset after the postings starts the window afresh for that direction only.
    expect(await carrierSpend24h(t.db, { tenantId, carrierId: c, customerSince: new Date(now.getTime() - 1), supplierSince: null, at: now })).toEqual([
      { currency: "USD", customerMicros: 0n, supplierMicros: 6n * U },
    ]);
    // 24 hours later it has all rolled out.
    expect(await carrierSpend24h(t.db, { tenantId, carrierId: c, customerSince: null, supplierSince: null, at: new Date(now.getTime() + 86_400_000) })).toEqual([
      { currency: "USD", customerMicros: 0n, supplierMicros: 0n },
    ]);
  });
});

describe("the database guards the ledger", () => {
  it("refuses to update or delete a transfer, or to delete or re-purpose an account", async () => {
    const c = await carrier("Guarded");
    const tr = (await post([{ op: "payment", key: key("g"), ...money(c, U) }])).results[0]!.transfers[0]!;
    await expect(t.pool.query("UPDATE ledger_transfers SET amount_micros = 1 WHERE id = $1", [tr.id])).rejects.toThrow(/append-only/);
    await expect(t.pool.query("DELETE FROM ledger_transfers WHERE id = $1", [tr.id])).rejects.toThrow(/append-only/);
    await expect(t.pool.query("TRUNCATE ledger_transfers CASCADE")).rejects.toThrow(/append-only/);
    await expect(t.pool.query("DELETE FROM ledger_accounts WHERE id = $1", [tr.creditAccountId])).rejects.toThrow(/append-only/);
    await expect(t.pool.query("UPDATE ledger_accounts SET kind = 'supplier' WHERE id = $1", [tr.creditAccountId])).rejects.toThrow(/append-only/);
  });

  it("refuses resolving a pending transfer twice or reversing twice even past the application", async () => {
    const c = await carrier("Guarded Twice");
    const hold = (await post([{ op: "call_charge", key: key("g"), ...money(c, U), pending: true }])).results[0]!.transfers[0]!;
    await post([{ op: "void_pending", key: key("g"), pendingId: hold.id }]);
    await expect(
      t.pool.query(
        `INSERT INTO ledger_transfers (id, tenant_id, idempotency_key, debit_account_id, credit_account_id, amount_micros, currency, code, flags, pending_id)
         VALUES (gen_random_uuid(), $1, 'sneaky', $2, $3, 1, 'USD', 'call_charge', 4, $4)`,
        [tenantId, hold.debitAccountId, hold.creditAccountId, hold.id],
      ),
    ).rejects.toThrow(/ledger_transfers_pending_once/);
  });
});

describe("the invariant check", () => {
  it("finds an account whose totals do not match its transfers, and a broken Σ debits = Σ credits", async () => {
    const c = await carrier("Tampered");
    await post([{ op: "payment", key: key("z"), ...money(c, U) }]);
    const tamper = (delta: number) =>
      t.pool.query(`UPDATE ledger_accounts SET credits_posted_micros = credits_posted_micros + ${delta} WHERE tenant_id = $1 AND carrier_id = $2 AND kind = 'customer'`, [tenantId, c]);
    await tamper(1);
    const report = await checkLedgerInvariants(t.db, { tenantId: null });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.rule)).toEqual(["per tenant and currency, debits equal credits", "each account's totals equal the sum of its transfers"]);
    expect((await checkLedgerInvariants(t.db, { tenantId: acme.me.tenant.id })).ok).toBe(true);
    await tamper(-1);
    expect((await checkLedgerInvariants(t.db, { tenantId })).ok).toBe(true);
  });

  it("finds a transfer written past the ledger to an account that does not exist", async () => {
    const c = await carrier("Dangling");
    const tr = (await post([{ op: "payment", key: key("d"), ...money(c, U) }])).results[0]!.transfers[0]!;
    await t.pool.query(
      `INSERT INTO ledger_transfers (id, tenant_id, idempotency_key, debit_account_id, credit_account_id, amount_micros, currency, code)
       VALUES (gen_random_uuid(), $1, 'dangling', $2, gen_random_uuid(), 1, 'USD', 'payment')`,
      [tenantId, tr.debitAccountId],
    );
    const report = await checkLedgerInvariants(t.db, { tenantId });
    expect(report.problems.map((p) => p.rule)).toContain("a transfer's accounts exist and belong to its tenant and currency");
  });
});
