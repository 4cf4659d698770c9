/**
 * Supplier reconciliation at scale, against a baseline measured in the same run on a
 * fresh embedded PostgreSQL:
 *  - end to end: their CDR file (N rows) streamed through the upload path (csv-parse →
 *    COPY of text arrays into the staging table), then the matching job (read back by
 *    keyset, parse + map every row, COPY, our N CDRs of the supplier, the call-id pass,
 *    the number + time pass, classification, N-row results and destination totals);
 *  - baseline: a raw `COPY` of the same CSV into an unindexed table (the least any
 *    import of the file can cost).
 * Our side is N answered CDRs inserted by SQL (set-up, not timed). Their file: 70 %
 * carry our call id, 20 % only a number and a start time up to 2 s off, the rest split
 * into amount and duration mismatches and rows of their own; 3 % of ours are missing.
 * Usage: npx tsx bench/reconciliation/reconciliation.bench.ts [rows=1000000]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbeddedPostgres } from "../../server/src/platform/db/embedded.js";
import { createDb, createPool } from "../../server/src/platform/db/client.js";
import { migrateDatabase } from "../../server/src/platform/db/migrate.js";
import { JobQueue } from "../../server/src/platform/jobs/boss.js";
import { defineQueues } from "../../server/src/jobs/queues.js";
import { loadConfig, repoRoot } from "../../server/src/platform/config.js";
import { buildApp } from "../../server/src/app.js";
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN, seedDemoIfEmpty } from "../../server/src/seed.js";
import { ensurePartitions } from "../../server/src/cdrs/partitions.js";
import { systemActor } from "../../server/src/audit/audit.js";
import { inTransaction } from "../../server/src/platform/db/client.js";
import { uploadFile } from "../../server/src/reconciliation/runs.js";
import { reconcileJob } from "../../server/src/reconciliation/match.js";

const COUNT = Number(process.argv[2] ?? 1_000_000);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (s: string) => console.log(s);

log("starting a fresh embedded PostgreSQL…");
const pgServer = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, ".data", "bench-recon"), fresh: true, log });
const pool = createPool(pgServer.url, 8);
await migrateDatabase(pool);
const jobs = new JobQueue(pool, pgServer.url, { supervise: false });
defineQueues(jobs, pool);
await jobs.start({ work: false });
await seedDemoIfEmpty(pool, jobs);
const db = createDb(pool);
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: "silent" }), pool, db, jobs });
const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email: DEMO_SUPER_ADMIN, password: DEMO_PASSWORD } });
const me = login.json();
const tenantId: string = me.tenant.id;
const headers = { cookie: `didtron_sid=${login.cookies.find((c) => c.name === "didtron_sid")!.value}`, "x-csrf-token": me.csrfToken };
const api = async (method: "GET" | "POST", url: string, payload?: unknown) => {
  const r = await app.inject({ method, url, headers, payload: payload as object });
  if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body.slice(0, 300)}`);
  return r.json();
};
const supplier = await api("POST", "/api/carriers", { name: "Bench supplier", type: "supplier", primaryCurrency: "USD" });

const day = Date.UTC(2026, 5, 1);
const startOf = (i: number) => day + Math.floor((i * 86_400_000) / COUNT) * 1;
log(`inserting ${fmt(COUNT)} of our CDRs…`);
await ensurePartitions(pool, [day]);
await pool.query(
  `INSERT INTO cdrs (id, tenant_id, switch_id, call_id, attempt, ingest_batch_id, supplier_carrier_id, calling_raw, called_raw, calling_number, called_number,
     start_at, end_at, duration_s, sip_status, disposition, rating_status, supplier_currency, supplier_destination, supplier_billable_s, supplier_cost_micros)
   SELECT gen_random_uuid(), $1, 'sw1', 'bench-' || i, 1, gen_random_uuid(), $2, '12125550100', n, '12125550100', n,
     $3::timestamptz + (i::bigint * 86400000 / $4) * interval '1 millisecond', $3::timestamptz + (i::bigint * 86400000 / $4 + 60000) * interval '1 millisecond',
     60, 200, 'answered', 'rated', 'USD', 'Dest ' || (i % 500), 60, 6000
   FROM (SELECT i, (44200000000 + i * 7)::text AS n FROM generate_series(0, $4 - 1) i) g`,
  [tenantId, supplier.id, new Date(day).toISOString(), COUNT],
);
await pool.query("ANALYZE cdrs");

const lines = ["Ref,CLD,Start,Billed Sec,Charge,Dest"];
for (let i = 0; i < COUNT; i++) {
  const kind = i % 100;
  if (kind < 3) continue; // ours only
  const n = 44200000000 + i * 7;
  const start = startOf(i);
  if (kind < 73) lines.push(`bench-${i},${n},${new Date(start).toISOString()},60,0.006,Dest ${i % 500}`);
  else if (kind < 93) lines.push(`,${n},${new Date(start + ((i % 5) - 2) * 1000).toISOString()},60,0.006,Dest ${i % 500}`);
  else if (kind < 96) lines.push(`bench-${i},${n},${new Date(start).toISOString()},60,0.009,Dest ${i % 500}`);
  else if (kind < 98) lines.push(`bench-${i},${n},${new Date(start).toISOString()},120,0.012,Dest ${i % 500}`);
  else lines.push(`theirs-${i},${n + 3},${new Date(start).toISOString()},60,0.006,Dest ${i % 500}`);
}
const csvFile = path.join(os.tmpdir(), `didtron-bench-recon-${process.pid}.csv`);
fs.writeFileSync(csvFile, `${lines.join("\n")}\n`, { mode: 0o644 });
const theirRows = lines.length - 1;
log(`their file: ${fmt(theirRows)} rows, ${(fs.statSync(csvFile).size / 1e6).toFixed(1)} MB`);

// ── End to end ──
const run = await api("POST", "/api/reconciliation/runs", { carrierId: supplier.id, currency: "USD", periodFrom: "2026-06-01", periodTo: "2026-06-01" });
const actor = systemActor(tenantId, "bench");
const t0 = performance.now();
await inTransaction(pool, (tx) => uploadFile(tx, actor, run.id, { fileName: "bench.csv", source: fs.createReadStream(csvFile) }));
const t1 = performance.now();
const mapped = await api("POST", `/api/reconciliation/runs/${run.id}/mapping`, { callId: "Ref", calledNumber: "CLD", startAt: "Start", startFormat: "iso", durationS: "Billed Sec", amount: "Charge", destination: "Dest" });
const t2 = performance.now();
let lastShown = -1;
await reconcileJob(pool, { tenantId, runId: run.id }, {
  jobId: mapped.jobId,
  progress: async (p, m) => {
    if (p !== lastShown) process.stdout.write(`\r  ${p}% ${m ?? ""}`.padEnd(70));
    lastShown = p;
  },
});
const t3 = performance.now();
process.stdout.write("\n");
const done = await api("GET", `/api/reconciliation/runs/${run.id}`);

// ── Baseline: COPY ──
await pool.query("CREATE TABLE bench_recon_copy (ref text, cld text, start text, billed_sec text, charge text, dest text)");
const c0 = performance.now();
await pool.query(`COPY bench_recon_copy FROM '${csvFile}' WITH (FORMAT csv, HEADER true)`);
const c1 = performance.now();

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const total = t1 - t0 + (t3 - t2);
log("");
log(`classes: ${Object.entries(done.summary as Record<string, { rows: number }>).map(([k, v]) => `${k} ${fmt(v.rows)}`).join(", ")}; bad rows ${done.errorCount}`);
log(`upload (parse + COPY into staging)   ${s(t1 - t0).padStart(8)}   ${fmt(theirRows / ((t1 - t0) / 1000))} rows/s`);
log(`match job (map, 2 passes, results)   ${s(t3 - t2).padStart(8)}   ${fmt(theirRows / ((t3 - t2) / 1000))} rows/s`);
log(`end to end                           ${s(total).padStart(8)}   ${fmt(theirRows / (total / 1000))} rows/s`);
log(`baseline: raw COPY of the file       ${s(c1 - c0).padStart(8)}   ${fmt(theirRows / ((c1 - c0) / 1000))} rows/s`);
log(`ratio end to end / raw COPY          ${((total) / (c1 - c0)).toFixed(1)}×`);

fs.rmSync(csvFile, { force: true });
await app.close();
await jobs.stop();
await pool.end();
await pgServer.stop();
