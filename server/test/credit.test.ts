import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../src/platform/db/client.js";
import { CreditControl } from "../src/credit/control.js";
import type { CreditRequest, CreditVerdict } from "../src/credit/gate.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { expireReservations, voidOpenPendings } from "../src/ledger/reservations.js";
import { inTransaction } from "../src/platform/db/client.js";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";

/** Credit control against the real ledger: staleness, limits, reservations under concurrency. */
let t: TestContext;
let admin: Session;
let billing: Session;
let tenantId: string;
let gate: CreditControl;
const U = 1_000_000n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
  billing = await login(t.app, "billing@demo.didtron.local");
  tenantId = admin.me.tenant.id;
  gate = t.app.credit;
});
afterAll(async () => t?.close());

async function carrier(name: string, body: Record<string, unknown> = {}): Promise<string> {
  const r = await admin.request("POST", "/api/carriers", { name, type: "customer", primaryCurrency: "USD", ...body });
  expect(r.status).toBe(201);
  return r.json.id;
}
const pay = async (carrierId: string, amount: string, direction = "customer") =>
  expect((await billing.request("POST", "/api/payments", { carrierId, direction, method: "bank_transfer", paidOn: new Date().toISOString().slice(0, 10), amount, currency: "USD" })).status).toBe(201);
/** 0.10 per minute for the default hour: a 6.00 reservation. */
const call = (carrierId: string, over: Partial<CreditRequest> = {}): CreditRequest => ({ tenantId, carrierId, currency: "USD", rateMicrosPerMinute: 100_000n, connectionFeeMicros: 0n, at: Date.now(), ...over });
const reasonOf = (v: CreditVerdict) => (v.allowed ? "allowed" : v.reason);
/** Polls the gate until `until` holds; returns how long it took (fails after 2 s). */
async function settles(fn: () => CreditVerdict, until: (v: CreditVerdict) => boolean): Promise<number> {
  const started = performance.now();
  while (!until(fn())) {
    if (performance.now() - started > 2_000) throw new Error(`gate did not settle: ${JSON.stringify(fn())}`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now() - started;
}

describe("staleness: the gate follows the ledger and the settings within 1 s", () => {
  it("sees a payment and settings changes within the bound", async () => {
    const c = await carrier("Credit Fresh", { customerSpendLimit24h: "3", customerSpendBreach: "block" });
    await settles(() => gate.check(call(c)), (v) => reasonOf(v) === "insufficient_balance");
    const lags: number[] = [];
    await pay(c, "10");
    lags.push(await settles(() => gate.check(call(c, { rateMicrosPerMinute: 1_000n })), (v) => v.allowed));
    // The 6.00 reservation passes the 3.00 spend limit (block) until the limit is raised.
    expect(reasonOf(gate.check(call(c)))).toBe("spend_limit");
    expect((await admin.request("PATCH", `/api/carriers/${c}`, { customerSpendLimit24h: "50" })).status).toBe(200);
    lags.push(await settles(() => gate.check(call(c)), (v) => v.allowed));
    expect((await admin.request("PATCH", `/api/carriers/${c}`, { status: "suspended" })).status).toBe(200);
    lags.push(await settles(() => gate.check(call(c)), (v) => reasonOf(v) === "blocked"));
    console.log(`credit gate staleness after commit: ${lags.map((l) => l.toFixed(1)).join(", ")} ms`);
    for (const l of lags) expect(l).toBeLessThan(1_000);
  });

  it("counts 24-hour spend from postings and starts afresh after a Reset", async () => {
    const c = await carrier("Credit Spend", { customerCreditType: "postpaid", customerCreditLimit: "1000", customerSpendLimit24h: "10", customerSpendBreach: "block" });
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    const r = await gate.reserve({ ...call(c, { rateMicrosPerMinute: 500_000n }), callKey: "spend-1", maxDurationS: 600 }); // 5.00
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await gate.settle({ tenantId, reservationId: r.reservationId, costMicros: 8n * U });
    // Spend 8 (posted) + a 6.00 reservation > 10.
    await settles(() => gate.check(call(c)), (v) => reasonOf(v) === "spend_limit");
    expect((await admin.request("GET", `/api/carriers/${c}/credit-control`)).json.currencies[0].spend24h.customer.spend).toBe("8.000000");
    expect((await admin.request("POST", `/api/carriers/${c}/spend-reset`, { direction: "customer" })).status).toBe(200);
    await settles(() => gate.check(call(c)), (v) => v.allowed);
  });

  it("reconnects after losing its listening connection and reloads what it missed", async () => {
    const c = await carrier("Credit Reconnect");
    await settles(() => gate.check(call(c)), (v) => reasonOf(v) === "insufficient_balance");
    await t.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
    await pay(c, "100");
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    expect(gate.status().listening).toBe(true);
  });
});

describe("limits against real postings", () => {
  it("postpaid: refuses past the credit limit", async () => {
    const c = await carrier("Credit Postpaid", { customerCreditType: "postpaid", customerCreditLimit: "10" });
    await settles(() => gate.check(call(c)), (v) => v.allowed); // 0 + 10 covers 6
    const r = await gate.reserve({ ...call(c), callKey: "post-1" });
    expect(r.ok).toBe(true);
    expect(reasonOf(gate.check(call(c)))).toBe("credit_limit"); // 10 − 6 held < 6
  });

  it("bilateral: net exposure past its limit blocks, alert only allows", async () => {
    const c = await carrier("Credit Bilateral", { type: "bilateral", customerCreditType: "postpaid", customerCreditLimit: "1000", bilateralLimit: "20", bilateralLimitBreach: "block" });
    await settles(() => gate.check(call(c)), (v) => v.allowed); // net 0 − 6 ≥ −20
    await pay(c, "30", "supplier"); // we paid the supplier side 30 in advance: net exposure −30
    await settles(() => gate.check(call(c)), (v) => reasonOf(v) === "bilateral_limit");
    await admin.request("PATCH", `/api/carriers/${c}`, { bilateralLimitBreach: "alert" });
    const v = await settles(() => gate.check(call(c)), (x) => x.allowed).then(() => gate.check(call(c)));
    expect(v.detail).toContain("alert: net exposure");
  });

  it("supplier 24-hour spend limit with block, for routing's supplier choice", async () => {
    const s = await carrier("Credit Supplier", { type: "supplier", supplierSpendLimit24h: "1", supplierSpendBreach: "block" });
    await settles(() => gate.checkSupplier({ tenantId, carrierId: s, currency: "USD", costMicros: 500_000n, at: Date.now() }), (v) => v.allowed);
    expect(reasonOf(gate.checkSupplier({ tenantId, carrierId: s, currency: "USD", costMicros: 1_000_001n, at: Date.now() }))).toBe("spend_limit");
  });
});

describe("reservations", () => {
  it("reserve → pending on the carrier page; settle posts the cost; release frees it; a repeat is the same reservation", async () => {
    const c = await carrier("Credit Reserve");
    await pay(c, "20");
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    const a = await gate.reserve({ ...call(c), callKey: "sw1:call-a:1" });
    const b = await gate.reserve({ ...call(c), callKey: "sw1:call-b:1" });
    expect([a.ok, b.ok]).toEqual([true, true]);
    if (!a.ok || !b.ok) return;
    expect(a.amountMicros).toBe(6n * U);
    const again = await gate.reserve({ ...call(c), callKey: "sw1:call-a:1" });
    expect(again).toMatchObject({ ok: true, reservationId: a.reservationId, replayed: true });
    const cc = async () => (await admin.request("GET", `/api/carriers/${c}/credit-control`)).json.currencies[0].customer;
    expect(await cc()).toMatchObject({ balance: "20.000000", pending: "12.000000" });
    await gate.settle({ tenantId, reservationId: a.reservationId, costMicros: 2_345_678n });
    await gate.release({ tenantId, reservationId: b.reservationId });
    expect(await cc()).toMatchObject({ balance: "17.654322", pending: "0.000000" });
    await settles(() => gate.check(call(c, { rateMicrosPerMinute: 290_000n })), (v) => v.allowed); // 17.40 ≤ 17.65
    expect(reasonOf(gate.check(call(c, { rateMicrosPerMinute: 300_000n })))).toBe("insufficient_balance"); // 18.00
  });

  it("a reservation whose call never reported expires after its max duration + grace: voided once, by the job or by a late CDR", async () => {
    const c = await carrier("Credit Expiry");
    await pay(c, "20");
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    const expiring = new CreditControl(t.pool, { reservationGraceS: 1 });
    await expiring.start();
    try {
      await settles(() => expiring.check(call(c)), (v) => v.allowed);
      const lost = await expiring.reserve({ ...call(c), callKey: "expiry-lost", maxDurationS: 1 });
      const kept = await expiring.reserve({ ...call(c), callKey: "expiry-kept", maxDurationS: 3600 });
      if (!lost.ok || !kept.ok) throw new Error("reservations refused");
      const progress: number[] = [];
      const ctx = { jobId: "test", progress: async (p: number) => void progress.push(p) };
      expect(await expireReservations(t.pool, { tenantId }, ctx)).toEqual({ expired: 0 });
      await new Promise((r) => setTimeout(r, 2_100));
      expect(await expireReservations(t.pool, { tenantId }, ctx)).toEqual({ expired: 1 });
      expect(progress.at(-1)).toBe(100);
      expect(await expireReservations(t.pool, { tenantId }, ctx)).toEqual({ expired: 0 });
      // A late CDR of the lost call releases nothing more; the kept one is still held.
      expect(await inTransaction(t.pool, (tx) => voidOpenPendings(tx, { tenantId, pendingIds: [lost.reservationId] }))).toBe(0);
      const cc = (await admin.request("GET", `/api/carriers/${c}/credit-control`)).json.currencies[0].customer;
      expect(cc).toMatchObject({ balance: "20.000000", pending: "6.000000" });
      // The rating job and the expiry job racing on one reservation: exactly one void, no error.
      const raced = await Promise.all([1, 2, 3].map(() => inTransaction(t.pool, (tx) => voidOpenPendings(tx, { tenantId, pendingIds: [kept.reservationId] }))));
      expect(raced.sort()).toEqual([0, 0, 1]);
      expect((await t.pool.query("SELECT count(*)::int AS n FROM ledger_transfers WHERE pending_id = $1", [kept.reservationId])).rows[0].n).toBe(1);
      expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
    } finally {
      await expiring.stop();
    }
  });

  it("100 concurrent prepaid reservations against a small balance overrun it by at most one reservation", async () => {
    const c = await carrier("Credit Race");
    await pay(c, "10.5"); // room for 10 reservations of 1.00 (0.10/min for 600 s)
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => gate.reserve({ ...call(c), callKey: `race-${i}`, maxDurationS: 600 })));
    const granted = results.filter((r) => r.ok).length;
    const refused = results.filter((r) => !r.ok && r.verdict.reason === "insufficient_balance").length;
    expect(granted + refused).toBe(100);
    const pending = BigInt((await t.pool.query("SELECT debits_pending_micros::text AS p FROM ledger_accounts WHERE tenant_id = $1 AND carrier_id = $2", [tenantId, c])).rows[0].p);
    expect(pending).toBe(BigInt(granted) * U);
    // Overrun: reserved beyond the 10.50 balance. At most one reservation; here none.
    expect(pending - 10_500_000n).toBeLessThanOrEqual(1n * U);
    expect(granted).toBe(10);
  });

  it("concurrent reservations of one customer share transactions; a call key asked twice while waiting is one reservation", async () => {
    const c = await carrier("Credit Group Commit");
    await pay(c, "1000");
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    const keys = Array.from({ length: 60 }, (_, i) => `group-${i % 50}`); // the last 10 repeat earlier keys
    const results = await Promise.all(keys.map((callKey) => gate.reserve({ ...call(c), callKey, maxDurationS: 600 })));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = results.map((r) => (r.ok ? r.reservationId : ""));
    for (let i = 50; i < 60; i++) expect(ids[i]).toBe(ids[i - 50]);
    const rows = await t.pool.query("SELECT count(*)::int AS n, count(DISTINCT xmin::text)::int AS transactions FROM ledger_transfers WHERE tenant_id = $1 AND idempotency_key LIKE 'reserve:group-%'", [tenantId]);
    expect(rows.rows[0].n).toBe(50);
    // The first goes alone; the ones arriving while it is in flight go together.
    expect(rows.rows[0].transactions).toBeLessThan(10);
    const pending = BigInt((await t.pool.query("SELECT debits_pending_micros::text AS p FROM ledger_accounts WHERE tenant_id = $1 AND carrier_id = $2", [tenantId, c])).rows[0].p);
    expect(pending).toBe(50n * U);
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });

  it("two processes reserving at once on one customer still stay within one reservation of the balance", async () => {
    const c = await carrier("Credit Two Processes");
    await pay(c, "5");
    const pool = createPool(t.url, 5);
    const other = new CreditControl(pool);
    await other.start();
    try {
      const small = call(c, { rateMicrosPerMinute: 1_000n });
      await settles(() => gate.check(small), (v) => v.allowed);
      await settles(() => other.check(small), (v) => v.allowed);
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? gate : other).reserve({ ...call(c), callKey: `two-${i}`, maxDurationS: 600 })));
      const granted = results.filter((r) => r.ok).length;
      expect(granted).toBe(5);
      const pending = BigInt((await t.pool.query("SELECT debits_pending_micros::text AS p FROM ledger_accounts WHERE tenant_id = $1 AND carrier_id = $2", [tenantId, c])).rows[0].p);
      expect(pending - 5n * U).toBeLessThanOrEqual(1n * U);
      expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
    } finally {
      await other.stop();
      await pool.end();
    }
  });

  it("answers from memory in microseconds", async () => {
    const c = await carrier("Credit Speed");
    await pay(c, "1000");
    await settles(() => gate.check(call(c)), (v) => v.allowed);
    const req = call(c);
    const n = 100_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) gate.check(req);
    const perCallUs = ((performance.now() - started) * 1000) / n;
    console.log(`credit gate check: ${perCallUs.toFixed(2)} µs per call`);
    expect(perCallUs).toBeLessThan(50);
  });
});
