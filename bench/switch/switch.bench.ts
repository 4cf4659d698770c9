/**
 * Softswitch benchmark (issue #8), in one run on a fresh embedded PostgreSQL: sipp drives
 * short calls (answered at once, hung up after 1 s) at fixed rates through
 *  (a) Kamailio with the platform in the loop: the production configuration from
 *      `startSwitch`, the platform app in this process deciding every INVITE over HTTP,
 *      credit control on (a postpaid customer with a big limit, so each call reserves)
 *      and CDRs on (spool rows, pulled into `cdrs` while the load runs);
 *  (c) the same as (a) with the spool puller paused during the step: every INVITE still
 *      asks the platform and reserves credit, and the switch writes its spool rows, but
 *      they become CDRs after the step (the spool absorbing a burst): the decision path alone;
 *  (b) Kamailio with its native drouting module (bench/switch/drouting.cfg.tmpl) loaded
 *      with the same routes (one dr_rules row per routing entry, gateways in the
 *      platform's LCR order) from a scratch database on the same PostgreSQL.
 * Around each step the CPU seconds of every process (by name) are read from /proc, and
 * printed as CPU milliseconds per call: where a call's cost goes on the shared cores.
 * The rate steps up (RATES); each system stops after two steps in a row with ≥ 0.1 %
 * failed calls. The figures: the highest rate with < 0.1 % failed calls and the p99 of sipp's
 * "fwd" timer (INVITE sent → 200 received; the supplier answers at once, so it is the
 * switch's INVITE → forwarded INVITE plus the answer's way back, loopback hops and sipp).
 * Usage: npx tsx bench/switch/switch.bench.ts   (env PREFIXES, RATES, STEP_SECONDS, SWITCH_CHILDREN, KEEP_TMP)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../../server/src/platform/db/embedded.js";
import { createDb, createPool } from "../../server/src/platform/db/client.js";
import { migrateDatabase } from "../../server/src/platform/db/migrate.js";
import { JobQueue } from "../../server/src/platform/jobs/boss.js";
import { defineQueues } from "../../server/src/jobs/queues.js";
import { loadConfig, repoRoot } from "../../server/src/platform/config.js";
import { buildApp } from "../../server/src/app.js";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "../../server/src/seed.js";
import { newId } from "../../server/src/platform/ids.js";
import { rates } from "../../server/src/rating/schema.js";
import { routingCandidates, routingEntries } from "../../server/src/routing/schema.js";
import { renderTemplate, sqlopsUrl, switchSettingsSchema } from "../../server/src/switch/kamailio/render.js";
import { rpcCall, startSwitch } from "../../server/src/switch/kamailio/runner.js";
import { startSpoolPuller } from "../../server/src/switch/cdr-pull.js";
import { SwitchDecider } from "../../server/src/switch/decide.js";
import { createRandom, generateDeck } from "../rating/deck.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const PREFIXES = Number(process.env.PREFIXES ?? 3_000);
const RATES = (process.env.RATES ?? "50,100,150,200,300,400,500,600,800,1000,1500,2000,3000,4000").split(",").map(Number);
const STEP_SECONDS = Number(process.env.STEP_SECONDS ?? 10);
// Both switches run the production default unless told otherwise.
const CHILDREN = String(switchSettingsSchema.parse({ SWITCH_CHILDREN: process.env.SWITCH_CHILDREN }).SWITCH_CHILDREN);
// Addresses of their own: other checkouts' switch tests use 127.0.0.2–13 on this machine.
// Answered calls last this long: a BYE right behind the ACK can overtake it between Kamailio's workers.
const CALL_MS = 1000;
const SUPPLIER_IPS = ["127.0.0.52", "127.0.0.53", "127.0.0.54"];
const CUSTOMER_IP = "127.0.0.60";
const MAX_FAILED = 0.001;
// A system stops after this many failing steps in a row (one lost packet on a shared machine is 0.1 % of 1 000 calls).
const STOP_AFTER_FAILED = 2;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (s: string) => console.log(s);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "didtron-switch-bench-"));
const children: ChildProcess[] = [];

log("starting a fresh embedded PostgreSQL…");
const pgServer = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, ".data", "bench-switch"), fresh: true, log });
const pool = createPool(pgServer.url, 10);
await migrateDatabase(pool);
const jobs = new JobQueue(pool, pgServer.url);
defineQueues(jobs, pool);
await jobs.start({ work: false });
await seedDemoIfEmpty(pool, jobs);
const db = createDb(pool);
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: "silent" }), pool, db, jobs });
await app.listen({ port: 0, host: "127.0.0.1" });
const platformPort = (app.server.address() as { port: number }).port;
const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "admin@acme.example", password: DEMO_PASSWORD } });
const session = { cookie: `didtron_sid=${login.cookies.find((c) => c.name === "didtron_sid")!.value}`, "x-csrf-token": login.json().csrfToken as string };
const tenantId = (await pool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'acme'")).rows[0]!.id;
const post = async (url: string, payload: unknown): Promise<string> => {
  const r = await app.inject({ method: "POST", url, headers: session, payload: payload as object });
  if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  return r.json().id as string;
};

// ── The hierarchy: a customer deck, three supplier decks over the same prefixes, one LCR entry per prefix ──
log(`writing a ${fmt(PREFIXES)}-prefix deck, 3 suppliers, a routing plan of ${fmt(PREFIXES)} LCR entries…`);
const prefixes = generateDeck(PREFIXES, 42).prefixes;
const random = createRandom(7);
const sellMicros = prefixes.map(() => BigInt(10_000 + Math.floor(random() * 190_000)));
// Every supplier below the sell rate (40–95 %), so the profit guard keeps all three routes.
const buyMicros = SUPPLIER_IPS.map(() => sellMicros.map((sell) => (sell * BigInt(40 + Math.floor(random() * 56))) / 100n));
const from = new Date("2024-01-01T00:00:00Z");
async function deck(name: string, kind: "customer" | "supplier", micros: bigint[]): Promise<string> {
  const id = await post("/api/rating-plans", { name, kind, currency: "USD", noticeDays: 0 });
  const rows = prefixes.map((prefix, i) => ({ id: newId(), tenantId, planId: id, prefix, destination: `Bench ${prefix}`, rateMicrosPerMinute: micros[i]!, effectiveFrom: from }));
  for (let i = 0; i < rows.length; i += 2_000) await db.insert(rates).values(rows.slice(i, i + 2_000));
  return id;
}
const sellPlan = await deck("Switch bench sell", "customer", sellMicros);
const egressIds: string[] = [];
for (const [k, ip] of SUPPLIER_IPS.entries()) {
  const buy = await deck(`Switch bench buy ${k + 1}`, "supplier", buyMicros[k]!);
  const carrier = await post("/api/carriers", { name: `Switch bench supplier ${k + 1}`, type: "supplier", primaryCurrency: "USD" });
  egressIds.push(await post(`/api/carriers/${carrier}/interconnects`, { name: `Bench out ${k + 1}`, direction: "egress", currency: "USD", supplierRatingPlanId: buy, egressRouting: { sendTo: [{ address: ip, port: 5070, transport: "udp" }] } }));
}
const routingPlan = await post("/api/routing-plans", { name: "Switch bench routes", currency: "USD" });
const entries = prefixes.map((prefix) => ({ id: newId(), tenantId, planId: routingPlan, prefix, strategy: "lcr", maxAttempts: 3 }));
const candidates = entries.flatMap((e) => egressIds.map((interconnectId, position) => ({ id: newId(), tenantId, entryId: e.id, position, interconnectId })));
for (let i = 0; i < entries.length; i += 2_000) await db.insert(routingEntries).values(entries.slice(i, i + 2_000));
for (let i = 0; i < candidates.length; i += 2_000) await db.insert(routingCandidates).values(candidates.slice(i, i + 2_000));
// Postpaid with a limit no run reaches: every call makes (and keeps, unrated) a reservation.
const customer = await post("/api/carriers", { name: "Switch bench customer", type: "customer", primaryCurrency: "USD", customerCreditType: "postpaid", customerCreditLimit: "100000000" });
const ingress = await post(`/api/carriers/${customer}/interconnects`, { name: "Bench in", direction: "ingress", currency: "USD", addresses: [{ address: CUSTOMER_IP, port: null }] });
await post(`/api/interconnects/${ingress}/services`, { name: "Bench svc", techPrefix: "", ratingPlanId: sellPlan, routingPlanId: routingPlan });
await pool.query("ANALYZE");
app.routingService.invalidate(tenantId);

/** LCR order of the suppliers for deck prefix i (cheapest first), as the platform ranks them. */
const lcr = (i: number) => [0, 1, 2].sort((a, b) => Number(buyMicros[a]![i]! - buyMicros[b]![i]!) || a - b);
const indexOf = new Map(prefixes.map((p, i) => [p, i]));
const longest = (n: string) => {
  for (let l = n.length; l > 0; l--) {
    const i = indexOf.get(n.slice(0, l));
    if (i !== undefined) return i;
  }
  return -1;
};

// Numbers: a random deck prefix extended to 11 digits (plain digits, as drouting matches them).
const numbers = Array.from({ length: 50_000 }, () => {
  let n = prefixes[Math.floor(random() * prefixes.length)]!;
  while (n.length < 11) n += String(Math.floor(random() * 10));
  return n;
});

// The platform's own answer must be the routes drouting gets: check a sample.
let mismatched = 0;
for (const n of numbers.slice(0, 300)) {
  const d = await app.routingService.decide(tenantId, { sourceIp: CUSTOMER_IP, dialled: n, calling: "12125550100" });
  const got = d.routes.map((r) => egressIds.indexOf(r.interconnect.id));
  if (d.outcome !== "route" || got.join() !== lcr(longest(n)).join()) mismatched += 1;
}
if (mismatched) throw new Error(`${mismatched} of 300 sample numbers: the platform's routes differ from the drouting rules`);
log("the platform's routes equal the drouting rules on 300 sample numbers");

// Where (a)'s time goes, in process: the routing decision alone, then the whole decision
// Kamailio gets (with the credit reservation), one at a time and CHILDREN at once.
async function timed(label: string, n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const s = performance.now();
        await fn(i);
        ms.push(performance.now() - s);
      }
    }),
  );
  ms.sort((x, y) => x - y);
  log(`  ${label}: ${fmt(n / ((performance.now() - t0) / 1000))}/s, p50 ${fmt(quantile(ms, 0.5), 2)} ms, p99 ${fmt(quantile(ms, 0.99), 2)} ms`);
}
const decider = new SwitchDecider(pool, app.routingService, app.credit);
const probe = (i: number) => ({ sourceIp: CUSTOMER_IP, dialled: numbers[i % numbers.length]!, calling: "12125550100", switchId: "probe", callId: `probe-${i}-${Math.random()}` });
log("profile, in process:");
await timed("routing decision", 2_000, 1, (i) => app.routingService.decide(tenantId, probe(i)));
await timed("switch decision with reservation, 1 at a time", 500, 1, (i) => decider.decide(probe(i)));
await timed(`switch decision with reservation, ${CHILDREN} at once`, 1_000, Number(CHILDREN), (i) => decider.decide(probe(i)));

// ── (b)'s data: drouting tables in a scratch database on the same server ──
const drUrl = new URL(pgServer.url);
drUrl.pathname = "/bench_drouting";
await pool.query("DROP DATABASE IF EXISTS bench_drouting");
await pool.query("CREATE DATABASE bench_drouting");
const dr = new pg.Client({ connectionString: drUrl.toString() });
await dr.connect();
for (const f of ["standard-create.sql", "drouting-create.sql"]) await dr.query(fs.readFileSync(path.join("/usr/share/kamailio/postgres", f), "utf8"));
await dr.query("INSERT INTO dr_gateways (gwid, type, address, description) SELECT g, 0, ($1::text[])[g] || ':5070', 'bench' FROM generate_series(1, 3) g", [SUPPLIER_IPS]);
await dr.query(
  "INSERT INTO dr_rules (groupid, prefix, timerec, priority, routeid, gwlist) SELECT '1', p, '', 0, '', l FROM unnest($1::text[], $2::text[]) AS u(p, l)",
  [prefixes, prefixes.map((_, i) => lcr(i).map((k) => k + 1).join(","))],
);
await dr.end();

// ── Peers and switches ──
// The suppliers answer at once, without the 180: Kamailio's workers may relay a 180 and a
// 200 sent back to back in either order, which sipp's UAC would count as a failed call.
const uas = path.join(tmp, "uas.xml");
const ringing = /\s*<send>\s*<!\[CDATA\[\s*SIP\/2\.0 180 Ringing[\s\S]*?<\/send>/;
const uasText = fs.readFileSync(path.resolve(here, "../../server/src/switch/sipp/uas.xml"), "utf8");
if (!ringing.test(uasText)) throw new Error("server/src/switch/sipp/uas.xml no longer sends a 180 this bench can take out");
fs.writeFileSync(uas, uasText.replace(ringing, ""));
for (const ip of SUPPLIER_IPS) {
  const p = spawn("sipp", ["-sf", uas, "-i", ip, "-p", "5070", "-nostdin"], { stdio: "ignore", cwd: tmp });
  children.push(p);
}
await sleep(500);

const settings = switchSettingsSchema.parse({
  SWITCH_ID: "kam-bench",
  SWITCH_SIP_PORT: String(await freePort()),
  SWITCH_RPC_PORT: String(await freePort()),
  PLATFORM_URL: `http://127.0.0.1:${platformPort}`,
  SWITCH_CHILDREN: CHILDREN,
  SWITCH_DEBUG: "0",
});
const platformSwitch = await startSwitch({ pool, databaseUrl: pgServer.url, settings, dataDir: tmp, log: (m) => log(`  [a] ${m}`) });
const pull = () => startSpoolPuller(pool, jobs, { intervalMs: 200, log: (m) => log(`  [a] ${m}`) });
let puller = pull();

async function startDrouting(): Promise<{ sipPort: number; stop(): Promise<void> }> {
  const sipPort = await freePort();
  const rpcPort = await freePort();
  const text = renderTemplate(fs.readFileSync(path.join(here, "drouting.cfg.tmpl"), "utf8"), {
    CHILDREN,
    SIP_ADDRESS: "127.0.0.1",
    SIP_PORT: sipPort,
    RPC_PORT: rpcPort,
    MODULES_DIR: settings.KAMAILIO_MODULES,
    DB_URL: sqlopsUrl(drUrl.toString()),
  });
  const dir = fs.mkdtempSync(path.join(tmp, "drouting-"));
  const cfg = path.join(dir, "kamailio.cfg");
  fs.writeFileSync(cfg, text, { mode: 0o600 });
  const check = spawnSync("kamailio", ["-c", "-f", cfg], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`drouting config refused:\n${(check.stderr || check.stdout).slice(-3000)}`);
  const p = spawn("kamailio", ["-DD", "-E", "-m", String(settings.SWITCH_SHM_MB), "-f", cfg, "-P", path.join(dir, "kamailio.pid"), "-Y", dir], { stdio: ["ignore", "ignore", "pipe"] });
  let tail = "";
  p.stderr!.on("data", (c: Buffer) => (tail = (tail + c.toString()).slice(-3000)));
  for (let i = 0; ; i++) {
    try {
      await rpcCall(`http://127.0.0.1:${rpcPort}/RPC`, "core.version");
      break;
    } catch {
      if (i > 150) throw new Error(`drouting Kamailio did not come up:\n${tail}`);
      await sleep(100);
    }
  }
  return {
    sipPort,
    stop: async () => {
      const exited = new Promise((r) => p.once("exit", r));
      p.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (p.exitCode === null) p.kill("SIGKILL");
    },
  };
}
const drouting = await startDrouting();

interface Step {
  rate: number;
  calls: number;
  ok: number;
  failed: number;
  /** sipp's failure counters that are not zero. */
  why: string;
  p50: number;
  p99: number;
  load: number;
  /** CPU milliseconds per call placed, by process name (see cpuByProcess). */
  cpu: string;
}
let uacPort = 5080;
let offset = 0;

/**
 * CPU seconds used so far per process (utime + stime from /proc, with its name; this
 * process's finished, waited-for children — the sipp UACs — under "sipp (uac)"). Taken
 * around each step, the difference shows where a call's CPU goes on the shared cores; a
 * process that exits during the step loses its last interval (PostgreSQL backends rarely).
 */
const TICKS_PER_S = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;
function cpuByProcess(): Map<string, { name: string; s: number }> {
  const out = new Map<string, { name: string; s: number }>();
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
    const own = pid === String(process.pid);
    out.set(pid, { name: own ? "platform (node)" : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), s: (Number(f[11]) + Number(f[12])) / TICKS_PER_S });
    if (own) out.set("uac", { name: "sipp (uac)", s: (Number(f[13]) + Number(f[14])) / TICKS_PER_S });
  }
  return out;
}
function cpuPerCall(before: Map<string, { name: string; s: number }>, after: Map<string, { name: string; s: number }>, calls: number): string {
  const byName = new Map<string, number>();
  for (const [pid, x] of after) byName.set(x.name, (byName.get(x.name) ?? 0) + x.s - (before.get(pid)?.s ?? 0));
  return ["kamailio", "platform (node)", "postgres", "sipp", "sipp (uac)"].map((k) => `${k} ${fmt(((byName.get(k) ?? 0) * 1000) / calls, 2)}`).join(", ");
}

/** One step: `rate` calls/s for STEP_SECONDS through the switch at `sipPort`. */
async function step(sipPort: number, rate: number): Promise<Step> {
  const calls = rate * STEP_SECONDS;
  const dir = fs.mkdtempSync(path.join(tmp, "step-"));
  // Each step dials the next slice of the numbers (an injection file is read from its top).
  const slice = Array.from({ length: calls }, (_, i) => numbers[(offset + i) % numbers.length]!);
  offset += calls;
  fs.writeFileSync(path.join(dir, "numbers.csv"), `SEQUENTIAL\n${slice.map((n) => `${n};`).join("\n")}\n`);
  const args = [
    ...["-sf", path.join(here, "uac.xml"), "-inf", path.join(dir, "numbers.csv"), `127.0.0.1:${sipPort}`, "-i", CUSTOMER_IP, "-p", String(uacPort++)],
    ...["-r", String(rate), "-m", String(calls), "-d", String(CALL_MS), "-l", String(rate * 10), "-recv_timeout", "8000", "-timeout", `${STEP_SECONDS + 30}s`, "-nostdin"],
    ...["-trace_stat", "-stf", path.join(dir, "stat.csv"), "-fd", "1", "-trace_rtt", "-rtt_freq", "1", "-trace_err", "-error_file", path.join(dir, "errors.log")],
  ];
  const cpu0 = cpuByProcess();
  const p = spawn("sipp", args, { stdio: "ignore", cwd: dir });
  children.push(p);
  await new Promise((r) => p.once("exit", r));
  const cpu = cpuPerCall(cpu0, cpuByProcess(), calls);
  const load = os.loadavg()[0]!;
  const lines = fs.readFileSync(path.join(dir, "stat.csv"), "utf8").trim().split("\n");
  const head = lines[0]!.split(";");
  const last = lines.at(-1)!.split(";");
  const col = (name: string) => Number(last[head.indexOf(name)]);
  const ok = col("SuccessfulCall(C)");
  const failed = col("FailedCall(C)");
  const rttFile = fs.readdirSync(dir).find((f) => f.endsWith("_rtt.csv"));
  // Rows: Date_ms;response_time_ms;rtd_no (whole milliseconds) after a header line.
  const rtts = rttFile
    ? fs.readFileSync(path.join(dir, rttFile), "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(";")[1])).filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
    : [];
  const why = head.flatMap((h, i) => (h.startsWith("Failed") && h !== "FailedCall(C)" && h.endsWith("(C)") && Number(last[i]) > 0 ? [`${h.slice(6, -3)} ${last[i]}`] : []));
  return { rate, calls, ok, failed: Math.max(failed, calls - ok), why: why.join(", "), p50: quantile(rtts, 0.5), p99: quantile(rtts, 0.99), load, cpu };
}

const pass = (s: Step) => s.failed / s.calls < MAX_FAILED;
const show = (name: string, s: Step) =>
  log(`  ${name} ${fmt(s.rate).padStart(5)} CPS: ${fmt(s.ok)}/${fmt(s.calls)} ok, failed ${fmt((100 * s.failed) / s.calls, 2)}%, fwd p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, load ${s.load.toFixed(1)}${pass(s) ? "" : `  ✗ ${s.why}`}\n        CPU ms per call: ${s.cpu}`);

// Warm up both (the platform builds its snapshot on the first decision).
await step(settings.SWITCH_SIP_PORT, 20);
await step(drouting.sipPort, 20);
const spooled = async () => Number((await pool.query("SELECT count(*) FROM switch_cdr_spool WHERE error IS NULL")).rows[0].count);
const answeredCdrs = async () => Number((await pool.query("SELECT count(*) FROM cdrs WHERE switch_id = 'kam-bench' AND disposition = 'answered'")).rows[0].count);
const drainSpool = async () => {
  for (let i = 0; i < 600 && (await spooled()) > 0; i++) await sleep(200);
};
await drainSpool();
const cdrsBefore = await answeredCdrs();
const reservations = async () => Number((await pool.query("SELECT count(*) FROM ledger_transfers WHERE flags = 2 AND reference_id LIKE 'kam-bench:%'")).rows[0].count);
const holdsBefore = await reservations();

const results: { a: Step[]; c: Step[]; b: Step[] } = { a: [], c: [], b: [] };
let okA = 0;
log(`stepping ${RATES.join(", ")} CPS, ${STEP_SECONDS} s each, (a), (c) then (b) at each rate; a system stops after ${STOP_AFTER_FAILED} steps in a row with ≥ 0.1 % failed`);
for (const rate of RATES) {
  const done = (list: Step[]) => list.length >= STOP_AFTER_FAILED && list.slice(-STOP_AFTER_FAILED).every((s) => !pass(s));
  const doneA = done(results.a);
  const doneC = done(results.c);
  const doneB = done(results.b);
  if (doneA && doneC && doneB) break;
  for (const [name, list, pulling] of [["(a) platform", results.a, true], ["(c) decision", results.c, false]] as const) {
    if (name === "(a) platform" ? doneA : doneC) continue;
    // (c): the same switch and decisions (credit reservations included); the spool rows the
    // switch writes are pulled into CDRs after the step instead of during it.
    if (!pulling) await puller.stop();
    const before = await answeredCdrs();
    const s = await step(settings.SWITCH_SIP_PORT, rate);
    okA += s.ok;
    list.push(s);
    show(name, s);
    if (!pulling) puller = pull();
    // Settle: hang-ups finished and spool rows pulled before the next step.
    await sleep(1000);
    await drainSpool();
    log(`      its CDRs: ${fmt((await answeredCdrs()) - before)} answered for ${fmt(s.ok)} calls sipp completed`);
  }
  if (!doneB) {
    const s = await step(drouting.sipPort, rate);
    results.b.push(s);
    show("(b) drouting", s);
    await sleep(1000);
  }
}
await drainSpool();
const cdrCount = (await answeredCdrs()) - cdrsBefore;
const errors = Number((await pool.query("SELECT count(*) FROM switch_cdr_spool WHERE error IS NOT NULL")).rows[0].count);
const holds = (await reservations()) - holdsBefore;

const best = (list: Step[]) => list.filter(pass).at(-1);
const calls = (list: Step[]) => list.reduce((n, s) => n + s.calls, 0);
const a = best(results.a);
const c = best(results.c);
const b = best(results.b);
const ratio = a && b ? a.rate / b.rate : NaN;
// sipp's clock ticks ~4 ms: a drouting p99 of 0 is under one tick, not a ratio.
const p99Ratio = (x: Step | undefined) => {
  const base = x && results.b.find((s) => s.rate === x.rate)?.p99;
  return x && base ? `${fmt(x.p99 / base, 1)}×` : "– (drouting's p99 under one sipp tick)";
};
log(`
Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores (shared machine)
Results (${fmt(PREFIXES)}-prefix deck, 3 suppliers, ${fmt(PREFIXES)} LCR entries, ${CHILDREN} Kamailio children, ${STEP_SECONDS} s per step, calls answered at once and hung up after ${CALL_MS / 1000} s)
  (a) platform in the loop (credit + CDRs)  ${a ? `${fmt(a.rate)} CPS sustained, fwd p99 ${fmt(a.p99, 2)} ms (p50 ${fmt(a.p50, 2)})` : "no step passed"}   (target ≥ 300 CPS)
  (b) native drouting                       ${b ? `${fmt(b.rate)} CPS sustained, fwd p99 ${fmt(b.p99, 2)} ms (p50 ${fmt(b.p50, 2)})` : "no step passed"}${
    results.b.every(pass) ? "   (never failed: the highest rate tried)" : ""
  }
  (c) decision + credit in the loop,        ${c ? `${fmt(c.rate)} CPS sustained, fwd p99 ${fmt(c.p99, 2)} ms (p50 ${fmt(c.p50, 2)})` : "no step passed"}
      CDRs pulled after the step
  ratio (a) / (b) CPS                       ${fmt(ratio, 2)}×   (target ≥ 0.8×)
  ratio (c) / (b) CPS                       ${fmt(c && b ? c.rate / b.rate : NaN, 2)}×
  ratio (a) / (b) p99 at (a)'s best rate    ${p99Ratio(a)}
  CDRs of (a) and (c): ${fmt(cdrCount)} answered CDRs for ${fmt(okA)} completed calls, ${fmt(errors)} spool rows in error, ${fmt(holds)} credit reservations for ${fmt(calls(results.a) + calls(results.c))} calls placed`);

await puller.stop();
await drouting.stop();
await platformSwitch.stop();
for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
await app.close();
await jobs.stop();
await pool.end();
await pgServer.stop();
if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
