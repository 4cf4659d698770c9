/**
 * Routing benchmark, in one run on a fresh embedded PostgreSQL (bench/routing/world.ts
 * writes the world: 500 000-prefix decks, 200 carriers, 1 000 interconnects, 500
 * services, 5 routing plans):
 *  1. in process: the engine's decide() over the snapshot the server builds (load +
 *     compile), decisions/s on one core;
 *  2. over HTTP on loopback: POST /api/routing/decide with an API key, the real app
 *     (auth, validation, explanation, serialization): maximum decisions/s with 16 in
 *     flight, then latency p50/p99 at a fixed 2 000 decisions/s (open loop);
 *  3. a PostgreSQL baseline doing the same lookups in one prepared statement per call
 *     (ingress by address and tech prefix, customer rate, routing entry, candidates and
 *     trunk groups, supplier rates, FX, LCR order), one session.
 * Usage: npx tsx bench/routing/routing.bench.ts   (env PREFIXES, CALLS, HTTP_SECONDS)
 */
import os from "node:os";
import v8 from "node:v8";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fork } from "node:child_process";
import { startEmbeddedPostgres } from "../../server/src/platform/db/embedded.js";
import { createDb, createPool } from "../../server/src/platform/db/client.js";
import { migrateDatabase } from "../../server/src/platform/db/migrate.js";
import { JobQueue } from "../../server/src/platform/jobs/boss.js";
import { defineQueues } from "../../server/src/jobs/queues.js";
import { loadConfig, repoRoot } from "../../server/src/platform/config.js";
import { buildApp } from "../../server/src/app.js";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "../../server/src/seed.js";
import { allowAllCreditGate } from "../../server/src/credit/gate.js";
import { compileSnapshot, decide, seededRng, type CallInput, type LiveState } from "../../server/src/routing/engine/index.js";
import { loadSnapshotData } from "../../server/src/routing/load.js";
import { buildWorld } from "./world.js";
import type { LoadJob, LoadResult } from "./http-load.js";

const PREFIXES = Number(process.env.PREFIXES ?? 500_000);
const CALLS = Number(process.env.CALLS ?? 200_000);
const HTTP_SECONDS = Number(process.env.HTTP_SECONDS ?? 10);
const RATE = 2_000;
const SQL_CALLS = 2_000;
const AT = new Date("2025-06-02T10:00:00Z");
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (s: string) => console.log(s);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

log("starting a fresh embedded PostgreSQL…");
const pgServer = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, ".data", "bench-routing"), fresh: true, log });
const pool = createPool(pgServer.url, 8);
await migrateDatabase(pool);
const jobs = new JobQueue(pool, pgServer.url);
defineQueues(jobs, pool);
await jobs.start({ work: false });
await seedDemoIfEmpty(pool, jobs);
const db = createDb(pool);
const { rows: [tenant] } = await pool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'acme'");
const t0 = performance.now();
// Only the calls and counts outlive this: the decks' millions of objects would otherwise
// stay on this process's heap, and every major GC of the server under test would mark them.
const world = await buildWorld(pool, db, { tenantId: tenant!.id, prefixes: PREFIXES, calls: CALLS, log }).then((w) => ({ counts: w.counts, calls: w.calls }));
log(`world written in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(world.counts).map(([k, v]) => `${fmt(v)} ${k}`).join(", ")}`);

// ── 1. In process ── (in a function, so its snapshot is garbage before the HTTP part)
const { inProcess, inProcessCpu } = await (async () => {
  const b0 = performance.now();
  const data = await loadSnapshotData(pool, db, { tenantId: tenant!.id });
  const b1 = performance.now();
  const snapshot = compileSnapshot(data);
  const b2 = performance.now();
  log(`snapshot: load ${fmt(b1 - b0)} ms (rating plans compiled on first load), compile ${fmt(b2 - b1)} ms`);

  // Through JSON like a request body: flat strings, as the server sees them.
  const calls: CallInput[] = (JSON.parse(JSON.stringify(world.calls)) as typeof world.calls).map((c) => ({ sourceIp: c.sourceIp, sourcePort: c.sourcePort, serviceId: null, dialled: c.dialled, calling: c.calling, atMs: AT.getTime() }));
  const live: LiveState = { down: new Set(), channels: new Map(), cps: new Map(), quality: new Map() };
  const env = { credit: allowAllCreditGate, live, rng: seededRng(1) };
  const outcomes = new Map<string, number>();
  let routes = 0;
  for (const c of calls) {
    const d = decide(snapshot, c, env);
    const key = d.reject ?? "route";
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    routes += d.routes.length;
  }
  // Wall clock, and this process's CPU time (the machine may be shared: CPU time is what one core delivers).
  const rounds: { wall: number; cpu: number }[] = [];
  for (let round = 0; round < 5; round++) {
    const s = performance.now();
    const u = process.cpuUsage();
    for (let i = 0; i < calls.length; i++) decide(snapshot, calls[i]!, env);
    const used = process.cpuUsage(u);
    rounds.push({ wall: calls.length / ((performance.now() - s) / 1000), cpu: calls.length / ((used.user + used.system) / 1e6) });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const inProcess = median(rounds.map((r) => r.wall));
  const inProcessCpu = median(rounds.map((r) => r.cpu));
  log(`in process: ${fmt(inProcess)} decisions/s wall clock, ${fmt(inProcessCpu)} per CPU-second (median of 5 rounds of ${fmt(calls.length)})`);
  log(`  outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt((100 * v) / calls.length, 1)}%`).join(", ")}; ${fmt(routes / calls.length, 2)} routes per call`);
  return { inProcess, inProcessCpu };
})();
// Garbage is collected between the parts (bench/run.ts passes --expose-gc), not in the middle of a latency run.
const collect = () => (globalThis as { gc?: () => void }).gc?.();
collect();

// ── 2. HTTP ──
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: "silent" }), pool, db, jobs });
await app.listen({ port: 0, host: "127.0.0.1" });
const port = (app.server.address() as { port: number }).port;
const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "admin@acme.example", password: DEMO_PASSWORD } });
const cookie = `didtron_sid=${login.cookies.find((c) => c.name === "didtron_sid")!.value}`;
const key = await app.inject({ method: "POST", url: "/api/api-keys", headers: { cookie, "x-csrf-token": login.json().csrfToken }, payload: { name: "bench", scopes: ["routing:read"] } });
const token = key.json().token as string;
const bodies = world.calls.slice(0, 20_000).map((c) => JSON.stringify({ ...c, at: AT.toISOString() }));
const w0 = performance.now();
const first = await fetch(`http://127.0.0.1:${port}/api/routing/decide`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: bodies[0] });
const firstAnswer = await first.text();
if (first.status !== 200) throw new Error(`decide → ${first.status} ${firstAnswer}`);
log(`http: the server built its snapshot on the first decision in ${fmt(performance.now() - w0)} ms`);
collect();

function load(job: Omit<LoadJob, "port" | "token" | "bodies">, target = port): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Its own process: the load generator's event loop and GC pauses are not the server's.
    const child = fork(new URL("./http-load.ts", import.meta.url), { execArgv: ["--import", "tsx"], stdio: "inherit" });
    child.once("message", (r) => resolve(r as LoadResult));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`load generator exited with ${code}`))));
    child.send({ ...job, port: target, token, bodies } satisfies LoadJob);
  });
}
await load({ mode: "closed", seconds: 2, concurrency: 16, rate: 0 }); // warm-up
const closed = await load({ mode: "closed", seconds: HTTP_SECONDS / 2, concurrency: 16, rate: 0 });
const httpRate = closed.ok / closed.seconds;
// The floor of any authenticated request on this server: API-key lookup, HTTP, a small JSON answer.
const floor = await load({ mode: "closed", seconds: HTTP_SECONDS / 4, concurrency: 16, rate: 0, getPath: "/api/routing/status" });
const floorRate = floor.ok / floor.seconds;
// Server-side time of each request (parsed → answer flushed) and the event loop's delay,
// to tell the server's share of the latency from the client's and the OS scheduler's.
let serverTimes: number[] = [];
app.server.prependListener("request", (_req, res) => {
  const t = performance.now();
  res.once("finish", () => serverTimes.push(performance.now() - t));
});
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
serverTimes = [];
loopDelay.enable();
const open = await load({ mode: "open", seconds: HTTP_SECONDS, concurrency: 64, rate: RATE });
loopDelay.disable();
const lat = open.latencies.sort((a, b) => a - b);
const server = serverTimes.slice().sort((a, b) => a - b); // a copy: later runs keep adding to serverTimes
const loopP99 = loopDelay.percentile(99) / 1e6;
const loopMax = loopDelay.max / 1e6;
// When 2 000/s is more than this machine sustains, latency at half the measured maximum too.
const halfRate = Math.max(100, Math.floor(httpRate / 200) * 100);
const half = halfRate < RATE ? await load({ mode: "open", seconds: HTTP_SECONDS / 2, concurrency: 64, rate: halfRate }) : null;
const halfLat = half ? half.latencies.sort((a, b) => a - b) : [];
// The floor: a bare node:http server in its own process answering the same bytes, at the same rate.
const bare = fork(new URL("./bare-server.ts", import.meta.url), { execArgv: ["--import", "tsx"], stdio: "inherit" });
const barePort = await new Promise<number>((resolve) => {
  bare.once("message", (p) => resolve(p as number));
  bare.send(firstAnswer);
});
await load({ mode: "closed", seconds: 1, concurrency: 16, rate: 0 }, barePort); // warm-up
const floorOpen = await load({ mode: "open", seconds: HTTP_SECONDS, concurrency: 64, rate: RATE }, barePort);
bare.disconnect();
const floorLat = floorOpen.latencies.sort((a, b) => a - b);
const failures = (r: LoadResult) => (r.errors ? ` (failed: ${Object.entries(r.failures).map(([k, v]) => `${k} ×${v}`).join(", ")})` : "");
log(`http max: ${fmt(httpRate)} decisions/s with 16 in flight${failures(closed)}; GET /api/routing/status (auth + HTTP only): ${fmt(floorRate)}/s`);
log(`http at ${fmt(RATE)}/s: ${fmt(open.ok / open.seconds)} decisions/s done, p50 ${fmt(quantile(lat, 0.5), 2)} ms, p99 ${fmt(quantile(lat, 0.99), 2)} ms, max ${fmt(lat.at(-1) ?? NaN, 2)} ms${failures(open)}`);
log(`  in the server: p50 ${fmt(quantile(server, 0.5), 2)} ms, p99 ${fmt(quantile(server, 0.99), 2)} ms; event loop delay p99 ${fmt(loopP99, 2)} ms, max ${fmt(loopMax, 2)} ms`);
log(`floor at ${fmt(RATE)}/s: a bare node:http server answering the same ${fmt(firstAnswer.length)} bytes: p50 ${fmt(quantile(floorLat, 0.5), 2)} ms, p99 ${fmt(quantile(floorLat, 0.99), 2)} ms, max ${fmt(floorLat.at(-1) ?? NaN, 2)} ms${failures(floorOpen)}`);
if (half) log(`http at ${fmt(halfRate)}/s: p50 ${fmt(quantile(halfLat, 0.5), 2)} ms, p99 ${fmt(quantile(halfLat, 0.99), 2)} ms${failures(half)}`);

// ── 3. PostgreSQL baseline ──
const SQL = `
WITH svc AS (
  SELECT s.id, s.rating_plan_id, s.routing_plan_id, s.tech_prefix
  FROM interconnects i
  JOIN services s ON s.interconnect_id = i.id AND s.deleted_at IS NULL AND s.tenant_id = $1
  CROSS JOIN LATERAL jsonb_array_elements(i.addresses) a
  WHERE i.tenant_id = $1 AND i.direction = 'ingress' AND i.deleted_at IS NULL
    AND $2::inet <<= (a->>'address')::inet AND (a->>'port' IS NULL OR (a->>'port')::int = $3)
    AND left($4, length(s.tech_prefix)) = s.tech_prefix
  ORDER BY length(s.tech_prefix) DESC LIMIT 1
), num AS (
  SELECT svc.*, regexp_replace(substr($4, length(svc.tech_prefix) + 1), '^(\\+|00)', '') AS dest FROM svc
), pre AS (
  SELECT num.*, ARRAY(SELECT left(num.dest, n) FROM generate_series(1, length(num.dest)) n) AS prefixes FROM num
), cust AS (
  SELECT r.rate_micros_per_minute AS rate FROM pre JOIN rates r ON r.plan_id = pre.rating_plan_id
  WHERE r.prefix = ANY(pre.prefixes) AND r.effective_from <= $5 AND (r.effective_to IS NULL OR r.effective_to > $5) AND r.time_class IS NULL
  ORDER BY length(r.prefix) DESC LIMIT 1
), entry AS (
  SELECT e.id FROM pre JOIN routing_entries e ON e.tenant_id = $1 AND e.plan_id = pre.routing_plan_id
  WHERE (e.prefix = '' OR e.prefix = ANY(pre.prefixes)) AND (e.effective_from IS NULL OR e.effective_from <= $5) AND (e.effective_to IS NULL OR e.effective_to > $5)
  ORDER BY length(e.prefix) DESC LIMIT 1
), cands AS (
  SELECT c.position, coalesce(m.interconnect_id, c.interconnect_id) AS ic_id
  FROM entry JOIN routing_candidates c ON c.entry_id = entry.id
  LEFT JOIN trunk_group_members m ON m.trunk_group_id = c.trunk_group_id
)
SELECT ic.id, sr.rate, cust.rate AS customer_rate,
       (sr.rate * coalesce(fx.rate_nanos, 1000000000) / 1000000000) AS rate_usd
FROM cands
JOIN interconnects ic ON ic.id = cands.ic_id AND ic.status = 'active' AND ic.deleted_at IS NULL
CROSS JOIN pre CROSS JOIN cust
JOIN LATERAL (
  SELECT r.rate_micros_per_minute AS rate FROM rates r
  WHERE r.plan_id = ic.supplier_rating_plan_id AND r.prefix = ANY(pre.prefixes) AND r.effective_from <= $5 AND (r.effective_to IS NULL OR r.effective_to > $5) AND r.time_class IS NULL
  ORDER BY length(r.prefix) DESC LIMIT 1) sr ON true
LEFT JOIN LATERAL (
  SELECT f.rate_nanos FROM fx_rates f WHERE f.tenant_id = $1 AND f.base = ic.currency AND f.quote = 'USD' AND f.effective_from <= $5
  ORDER BY f.effective_from DESC LIMIT 1) fx ON true
WHERE NOT EXISTS (SELECT 1 FROM blacklist_entries b WHERE b.tenant_id = $1 AND b.list = 'destination' AND b.scope = 'global' AND b.value = ANY(pre.prefixes))
ORDER BY rate_usd, cands.position
LIMIT 4`;
const youngMb = (v8.getHeapSpaceStatistics().find((sp) => sp.space_name === "new_space")?.space_size ?? 0) / 2 ** 20;
const client = await pool.connect();
const query = { name: "route", text: SQL };
const sqlCalls = world.calls.slice(0, SQL_CALLS);
for (const c of sqlCalls.slice(0, 200)) await client.query({ ...query, values: [tenant!.id, c.sourceIp, c.sourcePort, c.dialled, AT] });
let sqlRoutes = 0;
const s0 = performance.now();
for (const c of sqlCalls) sqlRoutes += (await client.query({ ...query, values: [tenant!.id, c.sourceIp, c.sourcePort, c.dialled, AT] })).rowCount ?? 0;
const sqlRate = sqlCalls.length / ((performance.now() - s0) / 1000);
client.release();

log(`
Load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores; young generation ${fmt(youngMb)} MB (--max-semi-space-size, see the start scripts)
Results (${fmt(PREFIXES)}-prefix decks × 5, ${fmt(world.counts.carriers!)} carriers, ${fmt(world.counts.interconnects!)} interconnects, ${fmt(world.counts.services!)} services, ${fmt(world.counts.entries!)} routing entries)
  in process (engine decide)            ${fmt(inProcess)} decisions/s wall clock, ${fmt(inProcessCpu)} per CPU-second, one core   (target ≥ 200,000)
  over HTTP, max (16 in flight)         ${fmt(httpRate)} decisions/s   (an authenticated GET of the status: ${fmt(floorRate)}/s)
  over HTTP at ${fmt(RATE)}/s                 p50 ${fmt(quantile(lat, 0.5), 2)} ms, p99 ${fmt(quantile(lat, 0.99), 2)} ms   (target p99 < 2 ms)
    of which in the server              p50 ${fmt(quantile(server, 0.5), 2)} ms, p99 ${fmt(quantile(server, 0.99), 2)} ms   (event loop delay p99 ${fmt(loopP99, 2)} ms)
  floor: bare node:http, same answer    p50 ${fmt(quantile(floorLat, 0.5), 2)} ms, p99 ${fmt(quantile(floorLat, 0.99), 2)} ms   (same generator and rate: loopback and this machine alone)
  ratio p99 HTTP / floor                ${fmt(quantile(lat, 0.99) / quantile(floorLat, 0.99), 2)}×${
    half ? `\n  over HTTP at ${fmt(halfRate)}/s (half the max)   p50 ${fmt(quantile(halfLat, 0.5), 2)} ms, p99 ${fmt(quantile(halfLat, 0.99), 2)} ms` : ""
  }
  baseline: PostgreSQL, one statement   ${fmt(sqlRate)} decisions/s, one session (${fmt(sqlRoutes / sqlCalls.length, 2)} routes per call)
  ratio in process / SQL                ${fmt(inProcess / sqlRate)}×
  ratio HTTP / SQL                      ${fmt(httpRate / sqlRate, 1)}×`);

await app.close();
await jobs.stop();
await pool.end();
await pgServer.stop();
