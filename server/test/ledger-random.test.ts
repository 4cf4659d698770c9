import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/platform/db/client.js";
import { postTransfers } from "../src/ledger/post.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import type { TransferRequest } from "../src/ledger/engine/index.js";
import { createTestApp, login, type TestContext } from "./harness.js";

/**
 * 100 000 random ledger operations — payments, refunds, charges, supplier costs,
 * adjustments, netting, reversals, reservations posted, voided or settled, and replays —
 * in batches, then the invariant check and a comparison with an independent model.
 */
const OPS = Number(process.env.LEDGER_RANDOM_OPS ?? 100_000);
const BATCH = 2_000;
const SEED = Number(process.env.LEDGER_RANDOM_SEED ?? 20_240_607);

let t: TestContext;
let tenantId: string;
const carriers: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  const admin = await login(t.app, "admin@demo.didtron.local");
  tenantId = admin.me.tenant.id;
  for (let i = 0; i < 12; i++) {
    const r = await admin.request("POST", "/api/carriers", { name: `Random ${i}`, type: "bilateral", primaryCurrency: "USD", currency2: "EUR" });
    carriers.push(r.json.id);
  }
});
afterAll(async () => t?.close());

/** mulberry32: a small seeded PRNG, so a failure can be replayed with LEDGER_RANDOM_SEED. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

// The model: its own table of which account each event debits and credits (not the engine's).
const MODEL_LEGS: Record<string, [string, string]> = {
  payment: ["cash", "customer"],
  refund: ["customer", "cash"],
  supplier_payment: ["supplier", "cash"],
  supplier_refund: ["cash", "supplier"],
  call_charge: ["customer", "revenue"],
  supplier_cost: ["cost_of_sales", "supplier"],
  netting: ["supplier", "customer"],
};
interface ModelAccount {
  dp: bigint;
  cp: bigint;
  dq: bigint;
  cq: bigint;
}
interface ModelTransfer {
  id: string;
  debit: string;
  credit: string;
  amount: bigint;
  pending: boolean;
}

describe(`${OPS} random ledger operations`, () => {
  it("keep every invariant and end where an independent model says", { timeout: 120_000 }, async () => {
    const random = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const model = new Map<string, ModelAccount>();
    const acc = (name: string) => {
      let a = model.get(name);
      if (!a) model.set(name, (a = { dp: 0n, cp: 0n, dq: 0n, cq: 0n }));
      return a;
    };
    const move = (debit: string, credit: string, posted: bigint, pending: bigint) => {
      acc(debit).dp += posted;
      acc(credit).cp += posted;
      acc(debit).dq += pending;
      acc(credit).cq += pending;
    };
    const name = (kind: string, carrier: string, currency: string) => (kind === "customer" || kind === "supplier" ? `${kind}|${carrier}|${currency}` : `${kind}||${currency}`);

    const openPending: ModelTransfer[] = [];
    const reversible: ModelTransfer[] = [];
    const sent: TransferRequest[] = [];
    let seq = 0;
    let expectedTransfers = 0;

    for (let done = 0; done < OPS; done += BATCH) {
      const batch: TransferRequest[] = [];
      // What the model does once the batch is posted, and what it learns from the result.
      const effects: ((rows: { id: string }[]) => void)[] = [];
      const isReplay: boolean[] = [];
      const replayed = new Set<string>();
      const add = (r: TransferRequest, effect: (rows: { id: string }[]) => void, replay = false) => {
        batch.push(r);
        effects.push(effect);
        isReplay.push(replay);
      };
      for (let i = 0; i < BATCH && done + i < OPS; i++) {
        const roll = random();
        const key = `rnd-${SEED}-${++seq}`;
        if (roll < 0.03 && sent.length) {
          // A replay of an earlier request (once per batch): must write nothing.
          const again = pick(sent);
          if (!replayed.has(again.key)) add(again, () => {}, true);
          replayed.add(again.key);
          continue;
        }
        if (roll < 0.13 && openPending.length) {
          const p = openPending.splice(Math.floor(random() * openPending.length), 1)[0]!;
          const how = random();
          if (how < 0.35) {
            const amount = 1n + BigInt(Math.floor(random() * Number(p.amount)));
            add({ op: "post_pending", key, pendingId: p.id, amountMicros: amount }, ([row]) => {
              move(p.debit, p.credit, amount, -p.amount);
              reversible.push({ ...p, id: row!.id, amount, pending: false });
              expectedTransfers++;
            });
          } else if (how < 0.6) {
            add({ op: "void_pending", key, pendingId: p.id }, () => {
              move(p.debit, p.credit, 0n, -p.amount);
              expectedTransfers++;
            });
          } else {
            const cost = BigInt(Math.floor(random() * Number(p.amount) * 1.5));
            add({ op: "settle_pending", key, pendingId: p.id, amountMicros: cost }, (rows) => {
              move(p.debit, p.credit, cost, -p.amount);
              expectedTransfers += rows.length;
            });
          }
          continue;
        }
        if (roll < 0.2 && reversible.length) {
          const o = reversible.splice(Math.floor(random() * reversible.length), 1)[0]!;
          add({ op: "reverse", key, transferId: o.id }, () => {
            move(o.credit, o.debit, o.amount, 0n);
            expectedTransfers++;
          });
          continue;
        }
        const carrier = pick(carriers);
        const currency = random() < 0.8 ? "USD" : "EUR";
        const amount = 1n + BigInt(Math.floor(random() * 50_000_000));
        if (roll < 0.35) {
          const debit = name("customer", carrier, currency);
          const credit = name("revenue", carrier, currency);
          add({ op: "call_charge", key, carrierId: carrier, currency, amountMicros: amount, pending: true }, ([row]) => {
            move(debit, credit, 0n, amount);
            openPending.push({ id: row!.id, debit, credit, amount, pending: true });
            expectedTransfers++;
          });
          continue;
        }
        if (roll < 0.4) {
          const side = random() < 0.5 ? "customer" : "supplier";
          const direction = random() < 0.5 ? "credit" : "debit";
          const own = name(side, carrier, currency);
          const counter = name(side === "customer" ? "revenue" : "cost_of_sales", carrier, currency);
          const [debit, credit] = direction === "credit" ? [counter, own] : [own, counter];
          add({ op: "adjustment", key, carrierId: carrier, currency, amountMicros: amount, side, direction }, ([row]) => {
            move(debit, credit, amount, 0n);
            reversible.push({ id: row!.id, debit, credit, amount, pending: false });
            expectedTransfers++;
          });
          continue;
        }
        const op = pick(Object.keys(MODEL_LEGS)) as keyof typeof MODEL_LEGS;
        const [dk, ck] = MODEL_LEGS[op]!;
        const debit = name(dk, carrier, currency);
        const credit = name(ck, carrier, currency);
        add({ op, key, carrierId: carrier, currency, amountMicros: amount } as TransferRequest, ([row]) => {
          move(debit, credit, amount, 0n);
          reversible.push({ id: row!.id, debit, credit, amount, pending: false });
          expectedTransfers++;
        });
      }
      const result = await inTransaction(t.pool, (tx) => postTransfers(tx, { tenantId, transfers: batch }));
      expect(result.results.map((r) => r.replayed)).toEqual(isReplay);
      result.results.forEach((r, i) => effects[i]!(r.transfers));
      batch.forEach((r, i) => !isReplay[i] && sent.push(r));
    }

    const report = await checkLedgerInvariants(t.db, { tenantId });
    expect(report.problems).toEqual([]);
    expect(report.transfers).toBe(expectedTransfers);

    const stored = await t.pool.query<{ name: string; dp: string; cp: string; dq: string; cq: string }>(
      `SELECT kind || '|' || coalesce(carrier_id::text, '') || '|' || currency AS name, debits_posted_micros::text AS dp, credits_posted_micros::text AS cp,
         debits_pending_micros::text AS dq, credits_pending_micros::text AS cq
       FROM ledger_accounts WHERE tenant_id = $1`,
      [tenantId],
    );
    const actual = Object.fromEntries(stored.rows.map((r) => [r.name, { dp: BigInt(r.dp), cp: BigInt(r.cp), dq: BigInt(r.dq), cq: BigInt(r.cq) }]));
    expect(actual).toEqual(Object.fromEntries(model));
  });
});
