/**
 * The ledger and credit control, each next to a baseline measured in the same run:
 *  1. the pure planner (engine/plan.ts) over a batch of call charges vs copying the
 *     same requests into row objects (the least any planner must do);
 *  2. postTransfers into PostgreSQL (idempotency index, account locks, one aggregated
 *     UPDATE, NOTIFY) vs a bare INSERT … SELECT unnest of the same rows into an
 *     unindexed table, on a fresh embedded PostgreSQL;
 *  3. the credit gate's check() vs a Map lookup.
 * Usage: npx tsx bench/ledger/ledger.bench.ts [transfers=200000] [batch=5000]
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbeddedPostgres } from "../../server/src/platform/db/embedded.js";
import { createPool, inTransaction } from "../../server/src/platform/db/client.js";
import { migrateDatabase } from "../../server/src/platform/db/migrate.js";
import { repoRoot } from "../../server/src/platform/config.js";
import { newId } from "../../server/src/platform/ids.js";
import { accountRefKey, planBatch, type AccountInfo, type TransferRequest } from "../../server/src/ledger/engine/index.js";
import { postTransfers } from "../../server/src/ledger/post.js";
import { checkLedgerInvariants } from "../../server/src/ledger/check.js";
import { createDb } from "../../server/src/platform/db/client.js";
import { CreditControl } from "../../server/src/credit/control.js";

const TOTAL = Number(process.argv[2] ?? 200_000);
const BATCH = Number(process.argv[3] ?? 5_000);
const CARRIERS = 200;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (s: string) => console.log(s);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

const carrierIds = Array.from({ length: CARRIERS }, () => newId());
const charge = (i: number): TransferRequest => ({ op: "call_charge", key: `bench-${i}`, carrierId: carrierIds[i % CARRIERS]!, currency: "USD", amountMicros: BigInt(1 + ((i * 7919) % 900_000)) });

// ── 1. The planner, in memory ──
{
  const accounts: AccountInfo[] = [
    ...carrierIds.map((id, i) => ({ id: `c${i}`, kind: "customer" as const, carrierId: id, currency: "USD" })),
    { id: "rev", kind: "revenue", carrierId: null, currency: "USD" },
  ];
  const byRef = new Map(accounts.map((a) => [accountRefKey(a), a.id]));
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const requests = Array.from({ length: BATCH }, (_, i) => charge(i));
  let n = 0;
  const ctx = { accountIdOf: (ref: Parameters<typeof accountRefKey>[0]) => byRef.get(accountRefKey(ref)), account: (id: string) => byId.get(id), transfer: () => undefined, newId: () => `t${++n}` };
  const rounds = Math.max(1, Math.round(TOTAL / BATCH));
  let t = performance.now();
  for (let r = 0; r < rounds; r++) planBatch(requests, ctx);
  const planned = (rounds * BATCH) / ((performance.now() - t) / 1000);
  t = performance.now();
  let sink = 0;
  for (let r = 0; r < rounds; r++) sink += requests.map((q) => ({ ...q, id: `t${++n}`, key: q.key })).length;
  const copied = (rounds * BATCH) / ((performance.now() - t) / 1000);
  log(`planner: ${fmt(planned)} transfers/s; copying the requests: ${fmt(copied)}/s (planner at ${ratio(planned, copied)} of a plain copy) [${sink}]`);
}

// ── 2. Posting into PostgreSQL ──
log("starting a fresh embedded PostgreSQL…");
const pg = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, ".data", "bench-ledger"), fresh: true, log });
const pool = createPool(pg.url, 4);
try {
  await migrateDatabase(pool);
  const tenantId = newId();
  await pool.query("INSERT INTO tenants (id, name, slug, brand_name) VALUES ($1, 'Bench', 'bench', 'Bench')", [tenantId]);
  await pool.query(
    `INSERT INTO carriers (id, tenant_id, name, type, primary_currency, customer_credit_type, customer_credit_limit_micros)
     SELECT id, $1, 'Bench ' || ord, 'customer', 'USD', 'prepaid', 1000000000000 FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, ord)`,
    [tenantId, carrierIds],
  );
  // Warm-up: opens every account once.
  await inTransaction(pool, (tx) => postTransfers(tx, { tenantId, transfers: carrierIds.map((_, i) => ({ ...charge(i), key: `warm-${i}` })) }));

  let t = performance.now();
  for (let done = 0; done < TOTAL; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, TOTAL - done) }, (_, i) => charge(done + i));
    await inTransaction(pool, (tx) => postTransfers(tx, { tenantId, transfers: batch }));
  }
  const posting = TOTAL / ((performance.now() - t) / 1000);

  await pool.query("CREATE UNLOGGED TABLE bare_transfers (LIKE ledger_transfers)");
  t = performance.now();
  for (let done = 0; done < TOTAL; done += BATCH) {
    const n = Math.min(BATCH, TOTAL - done);
    const rows = Array.from({ length: n }, (_, i) => charge(done + i) as Extract<TransferRequest, { op: "call_charge" }>);
    await pool.query(
      `INSERT INTO bare_transfers (id, tenant_id, idempotency_key, debit_account_id, credit_account_id, amount_micros, currency, code, flags, created_at)
       SELECT id, $1, key, $1, $1, amount, 'USD', 'call_charge', 0, now() FROM unnest($2::uuid[], $3::text[], $4::bigint[]) AS r(id, key, amount)`,
      [tenantId, rows.map(() => newId()), rows.map((r) => r.key), rows.map((r) => String(r.amountMicros))],
    );
  }
  const bare = TOTAL / ((performance.now() - t) / 1000);
  log(`posting (batches of ${fmt(BATCH)}): ${fmt(posting)} transfers/s; bare INSERT of the same rows: ${fmt(bare)}/s (posting at ${ratio(posting, bare)})`);

  t = performance.now();
  const report = await checkLedgerInvariants(createDb(pool), { tenantId: null });
  log(`invariant check over ${fmt(report.transfers)} transfers: ${report.ok ? "ok" : "BROKEN"} in ${fmt(performance.now() - t)} ms`);

  // ── 3. The gate ──
  const gate = new CreditControl(pool);
  await gate.start();
  try {
    const request = { tenantId, carrierId: carrierIds[0]!, currency: "USD", rateMicrosPerMinute: 12_000n, connectionFeeMicros: 0n, at: Date.now() };
    if (!gate.check(request).allowed) throw new Error("the bench customer should be allowed");
    const N = 1_000_000;
    t = performance.now();
    for (let i = 0; i < N; i++) gate.check(request);
    const checkUs = ((performance.now() - t) * 1000) / N;
    const map = new Map(carrierIds.map((id) => [`${tenantId}|${id}`, 1]));
    t = performance.now();
    let hits = 0;
    for (let i = 0; i < N; i++) hits += map.get(`${tenantId}|${carrierIds[i % CARRIERS]}`) ?? 0;
    const mapUs = ((performance.now() - t) * 1000) / N;
    log(`gate check(): ${checkUs.toFixed(2)} µs per call; Map lookup with a composed key: ${mapUs.toFixed(3)} µs (${ratio(checkUs, mapUs)}) [${hits}]`);
  } finally {
    await gate.stop();
  }
} finally {
  await pool.end();
  await pg.stop();
}
