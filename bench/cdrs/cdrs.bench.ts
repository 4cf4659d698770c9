/**
 * The CDR pipeline, end to end, against two baselines measured in the same run on a fresh
 * embedded PostgreSQL:
 *  - end to end: a CDR file streamed through the upload path (csv-parse, validation,
 *    reference checks, idempotency keys, partitioned insert), then the rating job
 *    (customer and supplier rating with the compiled plans in memory, ledger postings:
 *    one call charge and one supplier cost per answered CDR);
 *  - baseline 1: a raw `COPY` of the same CSV into an unindexed table;
 *  - baseline 2: the same customer + supplier rating done by PostgreSQL as one
 *    `INSERT … SELECT` with a longest-prefix `LATERAL` join per side over the same rates;
 *  - informative: a `COPY` of the same CSV into a table shaped like `cdrs` (the same
 *    monthly partition, fillfactor and indexes): what storing the rows at all costs.
 * Usage: npx tsx bench/cdrs/cdrs.bench.ts [cdrs=200000] [prefixes=100000]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { generateDeck, generateNumbers } from "../rating/deck.js";
import { startEmbeddedPostgres } from "../../server/src/platform/db/embedded.js";
import { createDb, createPool } from "../../server/src/platform/db/client.js";
import { migrateDatabase } from "../../server/src/platform/db/migrate.js";
import { JobQueue } from "../../server/src/platform/jobs/boss.js";
import { defineQueues } from "../../server/src/jobs/queues.js";
import { loadConfig, repoRoot } from "../../server/src/platform/config.js";
import { buildApp } from "../../server/src/app.js";
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN, seedDemoIfEmpty } from "../../server/src/seed.js";
import { formatMoney } from "../../server/src/platform/money.js";
import { systemActor } from "../../server/src/audit/audit.js";
import { ingestChunks } from "../../server/src/cdrs/ingest.js";
import { csvChunks } from "../../server/src/cdrs/csv.js";
import { loadFx, ratePending } from "../../server/src/cdrs/rate.js";

const COUNT = Number(process.argv[2] ?? 200_000);
const PREFIXES = Number(process.argv[3] ?? 100_000);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (s: string) => console.log(s);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");

log(`generating a ${fmt(PREFIXES)}-prefix deck and ${fmt(COUNT)} CDRs…`);
const deck = generateDeck(PREFIXES, 42);
const seen = new Set<string>();
const sell = ["prefix,destination,rate,effective_date"];
const buy = ["prefix,destination,rate,effective_date"];
for (const r of deck.plan.rates) {
  if (r.timeClass !== null || r.effectiveTo !== null || seen.has(r.prefix)) continue;
  seen.add(r.prefix);
  const dest = `"${r.destination.replaceAll('"', '""')}"`;
  sell.push(`${r.prefix},${dest},${formatMoney(r.rateMicrosPerMinute + 2000n)},2025-01-01`);
  buy.push(`${r.prefix},${dest},${formatMoney(r.rateMicrosPerMinute)},2025-01-01`);
}

log("starting a fresh embedded PostgreSQL…");
const pgServer = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, ".data", "bench-cdrs"), fresh: true, log });
const pool = createPool(pgServer.url, 8);
await migrateDatabase(pool);
const jobs = new JobQueue(pool, pgServer.url, { supervise: false });
defineQueues(jobs, pool);
await jobs.start({ work: true });
await seedDemoIfEmpty(pool, jobs);
const db = createDb(pool);
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: "silent", BODY_LIMIT_BYTES: String(256 * 1024 * 1024) }), pool, db, jobs });
const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email: DEMO_SUPER_ADMIN, password: DEMO_PASSWORD } });
const me = login.json();
const headers = { cookie: `didtron_sid=${login.cookies.find((c) => c.name === "didtron_sid")!.value}`, "x-csrf-token": me.csrfToken };
const api = async (method: "GET" | "POST", url: string, payload?: unknown) => {
  const r = await app.inject({ method, url, headers, payload: payload as object });
  if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body.slice(0, 300)}`);
  return r.json();
};
async function planWithDeck(name: string, kind: "customer" | "supplier", csv: string[]) {
  const plan = await api("POST", "/api/rating-plans", { name, kind, currency: "USD", noticeDays: 0, incrementFirstS: kind === "customer" ? 30 : 60, incrementNextS: kind === "customer" ? 6 : 60 });
  const preview = await api("POST", `/api/rating-plans/${plan.id}/imports`, { fileName: `${name}.csv`, csv: `${csv.join("\n")}\n`, mode: "full", noticePolicy: "reject" });
  await api("POST", `/api/rating-revisions/${preview.revision.id}/apply`);
  for (;;) {
    const r = await api("GET", `/api/rating-revisions/${preview.revision.id}?pageSize=1`);
    if (r.revision.status === "applied") return plan.id as string;
    if (r.revision.status === "failed") throw new Error(r.revision.failureMessage);
    await new Promise((res) => setTimeout(res, 200));
  }
}
log("loading the sell and buy decks…");
const sellPlan = await planWithDeck("Bench sell", "customer", sell);
const buyPlan = await planWithDeck("Bench buy", "supplier", buy);
const customer = await api("POST", "/api/carriers", { name: "Bench customer", type: "customer", primaryCurrency: "USD", customerCreditType: "postpaid" });
const ingress = await api("POST", `/api/carriers/${customer.id}/interconnects`, { name: "Bench in", direction: "ingress", currency: "USD", addresses: [{ address: "100.64.200.1", port: null }] });
const service = await api("POST", `/api/interconnects/${ingress.id}/services`, { name: "Bench svc", techPrefix: "", ratingPlanId: sellPlan });
const supplier = await api("POST", "/api/carriers", { name: "Bench supplier", type: "supplier", primaryCurrency: "USD" });
const egress = await api("POST", `/api/carriers/${supplier.id}/interconnects`, { name: "Bench out", direction: "egress", currency: "USD", supplierRatingPlanId: buyPlan, egressRouting: { sendTo: [{ address: "192.0.2.200", port: 5060, transport: "udp" }] } });

// Answered calls (matched and, ~5 %, unmatched numbers: rating errors) over one day.
const numbers = generateNumbers(COUNT, 7, deck).map((n) => n.replace(/^\+|^00/, ""));
const day = Date.UTC(2026, 5, 1);
const lines = ["switch_id,call_id,service_id,egress_interconnect_id,calling_number,called_number,start_at,answer_at,end_at,duration_s,sip_status,disposition"];
for (let i = 0; i < COUNT; i++) {
  const start = day + Math.floor((i * 86_400_000) / COUNT);
  const dur = 5 + ((i * 7919) % 600);
  lines.push(`sw1,bench-${i},${service.id},${egress.id},12125550100,${numbers[i]},${new Date(start).toISOString()},${new Date(start + 2000).toISOString()},${new Date(start + 2000 + dur * 1000).toISOString()},${dur},200,answered`);
}
const csvFile = path.join(os.tmpdir(), `didtron-bench-cdrs-${process.pid}.csv`);
fs.writeFileSync(csvFile, `${lines.join("\n")}\n`, { mode: 0o644 });
log(`CDR file: ${fmt(COUNT)} rows, ${(fs.statSync(csvFile).size / 1e6).toFixed(1)} MB`);

// ── End to end ──
await jobs.stop(); // the benchmark runs the rating loop itself, timed
const actor = systemActor(me.tenant.id, "bench");
const loadStart = load();
const t0 = performance.now();
const ingested = await ingestChunks(pool, jobs, actor, { kind: "csv", fileName: "bench.csv" }, csvChunks(fs.createReadStream(csvFile), { errors: [], count: 0 }));
const t1 = performance.now();
const { rated, errors } = await ratePending(pool, {
  tenantId: me.tenant.id,
  fx: await loadFx(pool, me.tenant.id),
  onBatch: (r) => void process.stdout.write(`\r  rated ${fmt(r.rated + r.errors)} / ${fmt(COUNT)}`),
});
const t2 = performance.now();
process.stdout.write("\n");
const posted = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_transfers WHERE reference_type = 'cdr'")).rows[0]!.n;

// ── Baseline 1: COPY ──
await pool.query(`CREATE TABLE bench_cdr_copy (switch_id text, call_id text, service_id uuid, egress_interconnect_id uuid, calling_number text, called_number text,
  start_at timestamptz, answer_at timestamptz, end_at timestamptz, duration_s int, sip_status int, disposition text)`);
const c0 = performance.now();
await pool.query(`COPY bench_cdr_copy FROM '${csvFile}' WITH (FORMAT csv, HEADER true)`);
const c1 = performance.now();

// ── Informative: COPY into a table shaped like cdrs (its partitioning and indexes) ──
await pool.query("CREATE TABLE bench_cdr_shaped (LIKE cdrs INCLUDING DEFAULTS INCLUDING INDEXES) PARTITION BY RANGE (start_at)");
await pool.query(`CREATE TABLE bench_cdr_shaped_p PARTITION OF bench_cdr_shaped FOR VALUES FROM ('2026-06-01') TO ('2026-07-01') WITH (fillfactor = 80)`);
// The columns the file lacks get what ingest would write: an id, the tenant, the batch, the raw numbers.
await pool.query(`ALTER TABLE bench_cdr_shaped ALTER id SET DEFAULT gen_random_uuid(), ALTER tenant_id SET DEFAULT '${me.tenant.id}', ALTER attempt SET DEFAULT 1,
  ALTER ingest_batch_id SET DEFAULT gen_random_uuid(), ALTER calling_raw SET DEFAULT '', ALTER called_raw SET DEFAULT ''`);
const h0 = performance.now();
await pool.query(`COPY bench_cdr_shaped (switch_id, call_id, service_id, egress_interconnect_id, calling_number, called_number, start_at, answer_at, end_at, duration_s, sip_status, disposition)
  FROM '${csvFile}' WITH (FORMAT csv, HEADER true)`);
const h1 = performance.now();

// ── Baseline 2: rating in SQL (both sides, longest prefix by LATERAL, cost with increments) ──
await pool.query("ANALYZE bench_cdr_copy");
const side = (alias: string, plan: string, first: number, next: number) => `
  LEFT JOIN LATERAL (
    SELECT r.prefix, r.rate_micros_per_minute AS rate,
           CASE WHEN c.duration_s <= ${first} THEN ${first} ELSE ${first} + ceil((c.duration_s - ${first})::numeric / ${next})::int * ${next} END AS billable
    FROM rates r
    WHERE r.tenant_id = '${me.tenant.id}' AND r.plan_id = '${plan}' AND r.prefix = ANY(ARRAY(SELECT left(c.called_number, n) FROM generate_series(1, length(c.called_number)) n))
      AND r.effective_from <= c.start_at AND (r.effective_to IS NULL OR r.effective_to > c.start_at) AND r.time_class IS NULL
    ORDER BY length(r.prefix) DESC LIMIT 1) ${alias} ON true`;
await pool.query("CREATE TABLE bench_cdr_sql_rated (call_id text, c_prefix text, c_rate bigint, c_billable int, c_cost bigint, s_prefix text, s_rate bigint, s_billable int, s_cost bigint)");
const s0 = performance.now();
await pool.query(`
  INSERT INTO bench_cdr_sql_rated
  SELECT c.call_id, cs.prefix, cs.rate, cs.billable, round(cs.rate * cs.billable / 60.0)::bigint, ss.prefix, ss.rate, ss.billable, round(ss.rate * ss.billable / 60.0)::bigint
  FROM bench_cdr_copy c ${side("cs", sellPlan, 30, 6)} ${side("ss", buyPlan, 60, 60)}`);
const s1 = performance.now();

const e2eS = (t2 - t0) / 1000;
const copyS = (c1 - c0) / 1000;
const sqlS = (s1 - s0) / 1000;
const shapedS = (h1 - h0) / 1000;
log(`
Results (${fmt(COUNT)} CDRs, ${fmt(PREFIXES)}-prefix sell and buy decks)
  end to end: ingest ${((t1 - t0) / 1000).toFixed(2)} s (${fmt(ingested.inserted)} CDRs) + rate & post ${((t2 - t1) / 1000).toFixed(2)} s = ${e2eS.toFixed(2)} s  (${fmt(COUNT / e2eS)} CDRs/s)
    ${fmt(rated)} rated, ${fmt(errors)} rating errors (unmatched numbers), ${fmt(posted)} ledger transfers posted
  baseline COPY into an unindexed table   ${copyS.toFixed(2)} s  (${fmt(COUNT / copyS)} rows/s)
  baseline rating in SQL (LATERAL)        ${sqlS.toFixed(2)} s  (${fmt(COUNT / sqlS)} rows/s)
  informative: COPY into a cdrs-shaped table (partition, 5 indexes)  ${shapedS.toFixed(2)} s  (${fmt(COUNT / shapedS)} rows/s)
  ratio end-to-end / COPY throughput      ${(copyS / e2eS).toFixed(2)}×   (target ≥ 0.5×)
  ratio end-to-end / SQL rating           ${(sqlS / e2eS).toFixed(2)}×   (target ≥ 5×; the SQL baseline only rates, it neither ingests nor posts)
  ratio end-to-end / COPY into cdrs shape ${(shapedS / e2eS).toFixed(2)}×   (informative)
  load average at start ${loadStart}, at the end ${load()} (2 cores: figures above ~1.5 mean other work shared the machine)`);

await app.close();
await pool.end();
await pgServer.stop();
fs.rmSync(csvFile, { force: true });
