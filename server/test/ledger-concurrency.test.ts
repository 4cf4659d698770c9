import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, inTransaction } from "../src/platform/db/client.js";
import { postTransfers } from "../src/ledger/post.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { LedgerRuleError, type TransferRequest } from "../src/ledger/engine/index.js";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";

/** Postings from several connections at once: no lost update, no double resolution, no deadlock. */
const WORKERS = 8;
let t: TestContext;
let admin: Session;
let tenantId: string;
let pool: pg.Pool;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
  tenantId = admin.me.tenant.id;
  pool = createPool(t.url, WORKERS);
});
afterAll(async () => {
  await pool?.end();
  await t?.close();
});

const post = (transfers: TransferRequest[]) => inTransaction(pool, (tx) => postTransfers(tx, { tenantId, transfers }));
const carrier = async (name: string) => (await admin.request("POST", "/api/carriers", { name, type: "bilateral", primaryCurrency: "USD" })).json.id as string;
const settled = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);
const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? (r.reason instanceof LedgerRuleError ? r.reason.code : String(r.reason)) : "ok");
const balances = async (): Promise<Record<string, [bigint, bigint]>> =>
  Object.fromEntries(
    (
      await t.pool.query<{ name: string; dp: string; cp: string }>(
        "SELECT kind || '|' || coalesce(carrier_id::text, '') AS name, debits_posted_micros::text AS dp, credits_posted_micros::text AS cp FROM ledger_accounts WHERE tenant_id = $1 AND currency = 'USD'",
        [tenantId],
      )
    ).rows.map((r) => [r.name, [BigInt(r.dp), BigInt(r.cp)] as [bigint, bigint]]),
  );

describe("concurrent postings", () => {
  it(`${WORKERS} connections posting to the same accounts lose no update and keep the invariants`, async () => {
    const carriers = await Promise.all([0, 1, 2, 3].map((i) => carrier(`Concurrent ${i}`)));
    const before = await balances();
    const expected = new Map<string, [bigint, bigint]>();
    const add = (name: string, d: bigint, c: bigint) => {
      const [bd, bc] = expected.get(name) ?? before[name] ?? [0n, 0n];
      expected.set(name, [bd + d, bc + c]);
    };
    const legs: Record<string, [string, string]> = { payment: ["cash", "customer"], call_charge: ["customer", "revenue"], supplier_cost: ["cost_of_sales", "supplier"], refund: ["customer", "cash"] };
    const batches: TransferRequest[][] = [];
    let n = 0;
    for (let b = 0; b < WORKERS * 30; b++) {
      const batch: TransferRequest[] = [];
      for (let i = 0; i < 25; i++) {
        n++;
        const op = (["payment", "call_charge", "supplier_cost", "refund"] as const)[n % 4]!;
        const c = carriers[(n * 7 + b) % carriers.length]!;
        const amount = BigInt(1 + ((n * 7919) % 1_000_000));
        batch.push({ op, key: `conc-${n}`, carrierId: c, currency: "USD", amountMicros: amount });
        const [dk, ck] = legs[op]!;
        const nameOf = (k: string) => (k === "customer" || k === "supplier" ? `${k}|${c}` : `${k}|`);
        add(nameOf(dk), amount, 0n);
        add(nameOf(ck), 0n, amount);
      }
      batches.push(batch);
    }
    // Each worker takes the next batch until none are left.
    let next = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < batches.length) await post(batches[next++]!);
      }),
    );
    const after = await balances();
    for (const [name, totals] of expected) expect([name, after[name]]).toEqual([name, totals]);
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });

  it("the same idempotency key from many connections is written once; the others are told it was a replay", async () => {
    const c = await carrier("Concurrent Key");
    const results = await Promise.all(Array.from({ length: WORKERS }, () => post([{ op: "payment", key: "same-key", carrierId: c, currency: "USD", amountMicros: 5_000_000n }])));
    expect(results.filter((r) => r.inserted === 1)).toHaveLength(1);
    expect(results.filter((r) => r.replayed === 1)).toHaveLength(WORKERS - 1);
    expect(new Set(results.map((r) => r.results[0]!.transfers[0]!.id)).size).toBe(1);
    expect((await balances())[`customer|${c}`]).toEqual([0n, 5_000_000n]);
  });

  it("a pending transfer raced by posts and voids is resolved exactly once", async () => {
    const c = await carrier("Concurrent Pending");
    const hold = (await post([{ op: "call_charge", key: "race-hold", carrierId: c, currency: "USD", amountMicros: 9_000_000n, pending: true }])).results[0]!.transfers[0]!;
    const outcomes = await settled(
      Array.from({ length: WORKERS }, (_, i) =>
        post([i % 2 ? { op: "void_pending", key: `race-${i}`, pendingId: hold.id } : { op: "post_pending", key: `race-${i}`, pendingId: hold.id, amountMicros: 1_000_000n * BigInt(i + 1) }]),
      ),
    );
    const codes = outcomes.map(codeOf);
    expect(codes.filter((x) => x === "ok")).toHaveLength(1);
    expect(codes.filter((x) => x === "pending_resolved")).toHaveLength(WORKERS - 1);
    const r = await t.pool.query("SELECT debits_pending_micros::text AS dq FROM ledger_accounts WHERE id = $1", [hold.debitAccountId]);
    expect(r.rows[0].dq).toBe("0");
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });

  it("a transfer raced by reversals is reversed exactly once", async () => {
    const c = await carrier("Concurrent Reversal");
    const charge = (await post([{ op: "call_charge", key: "race-charge", carrierId: c, currency: "USD", amountMicros: 3_000_000n }])).results[0]!.transfers[0]!;
    const codes = (await settled(Array.from({ length: WORKERS }, (_, i) => post([{ op: "reverse", key: `race-rev-${i}`, transferId: charge.id }])))).map(codeOf);
    expect(codes.filter((x) => x === "ok")).toHaveLength(1);
    expect(codes.filter((x) => x === "already_reversed")).toHaveLength(WORKERS - 1);
    expect((await balances())[`customer|${c}`]).toEqual([3_000_000n, 3_000_000n]);
  });

  it("first postings racing on a new carrier create each account once", async () => {
    const c = await carrier("Concurrent First");
    const results = await settled(Array.from({ length: WORKERS }, (_, i) => post([{ op: "call_charge", key: `first-${i}`, carrierId: c, currency: "USD", amountMicros: 1_000_000n }])));
    expect(results.map(codeOf)).toEqual(Array(WORKERS).fill("ok"));
    const n = await t.pool.query("SELECT count(*)::int AS n FROM ledger_accounts WHERE tenant_id = $1 AND carrier_id = $2", [tenantId, c]);
    expect(n.rows[0].n).toBe(1);
    expect((await balances())[`customer|${c}`]).toEqual([BigInt(WORKERS) * 1_000_000n, 0n]);
  });
});
