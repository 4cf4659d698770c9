import crypto from "node:crypto";
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestContext, type Session } from "./harness.js";
import { freePort } from "../src/platform/db/embedded.js";
import { switchSettingsSchema } from "../src/switch/kamailio/render.js";
import { startSwitch, type RunningSwitch } from "../src/switch/kamailio/runner.js";
import { pullSpool } from "../src/switch/cdr-pull.js";
import { rateBatch } from "../src/cdrs/rate.js";
import { importAndApply } from "./cdrs-fixture.js";

/**
 * Kamailio in the call path, with sipp as the customer and the suppliers, all on
 * loopback: the platform decides every INVITE, Kamailio forks serially and fails over
 * on the mapping's failover causes, each attempt lands in the spool, and the puller
 * turns it into a CDR that is rated and posted. Needs the Debian packages the README
 * names (`.ci/run` installs them).
 */
const SCENARIOS = path.resolve(import.meta.dirname, "../src/switch/sipp");
const SUPPLIER_A = "127.0.0.2";
const SUPPLIER_B = "127.0.0.3";
const CUSTOMER_IP = "127.0.0.10";
const PREPAID_IP = "127.0.0.12";
const LIMITED_IP = "127.0.0.13";
const SHORT_IP = "127.0.0.14";
let t: TestContext;
let admin: Session;
let sw: RunningSwitch;
let sipPort = 0;
let tmp = "";
const peers: ChildProcess[] = [];
let egressA = "";
let egressB = "";

const post = async (url: string, body: unknown) => {
  const r = await admin.request("POST", url, body);
  if (r.status !== 201) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.id as string;
};

/** A supplier: answers every call (status 200), rings until cancelled (0) or refuses it with one status. */
function supplier(ip: string, status: number): Promise<void> {
  let file = path.join(SCENARIOS, status === 0 ? "uas-ring.xml" : "uas.xml");
  if (status !== 200 && status !== 0) {
    file = path.join(tmp, `uas-${status}.xml`);
    fs.writeFileSync(file, fs.readFileSync(path.join(SCENARIOS, "uas-status.xml"), "utf8").replaceAll("{{STATUS}}", String(status)));
  }
  const p = spawn("sipp", ["-sf", file, "-i", ip, "-p", "5070", "-aa", "-nostdin"], { stdio: "ignore", cwd: tmp });
  peers.push(p);
  return new Promise((r) => setTimeout(r, 300));
}
async function stopSuppliers() {
  for (const p of peers.splice(0)) {
    const done = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await done;
  }
}

/** A customer call through sipp's UAC honouring Record-Route; resolves its exit code (0: answered and hung up). */
function customerCall(dialled: string, port: number, opts: { fromIp?: string; holdMs?: number; switchPort?: number } = {}): Promise<number> {
  return new Promise((resolve) => {
    const args = ["-sf", path.join(SCENARIOS, "uac.xml"), "-s", dialled, `127.0.0.1:${opts.switchPort ?? sipPort}`, "-i", opts.fromIp ?? CUSTOMER_IP, "-p", String(port), "-m", "1"];
    const p = spawn("sipp", [...args, "-d", String(opts.holdMs ?? 1000), "-timeout", "20", "-timeout_error", "-nostdin"], { stdio: "ignore", cwd: tmp });
    p.on("exit", (code) => resolve(code ?? -1));
  });
}

/** A bare INVITE from `fromIp`; resolves the first final status Kamailio answers. */
function invite(fromIp: string, dialled: string, switchPort = sipPort): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket("udp4");
    const timer = setTimeout(() => {
      s.close();
      reject(new Error("no final answer"));
    }, 8000);
    s.on("message", (m) => {
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(m.toString())?.[1] ?? 0);
      if (process.env.SIP_DEBUG) console.log(m.toString().split("\r\n").filter((l, i) => i === 0 || l.startsWith("Reason")).join(" | "));
      if (status >= 200) {
        clearTimeout(timer);
        s.close();
        resolve(status);
      }
    });
    s.bind(0, fromIp, () => {
      const { port } = s.address();
      const id = crypto.randomBytes(6).toString("hex");
      const msg = [
        `INVITE sip:${encodeURIComponent(dialled)}@127.0.0.1:${switchPort} SIP/2.0`,
        `Via: SIP/2.0/UDP ${fromIp}:${port};branch=z9hG4bK${id}`,
        "Max-Forwards: 70",
        `From: <sip:12125550100@${fromIp}>;tag=${id}`,
        `To: <sip:${encodeURIComponent(dialled)}@127.0.0.1>`,
        `Call-ID: ${id}@test`,
        "CSeq: 1 INVITE",
        `Contact: <sip:12125550100@${fromIp}:${port}>`,
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n");
      s.send(msg, switchPort, "127.0.0.1");
    });
  });
}

interface LiveCall {
  switchId: string;
  callId: string;
  to: string;
  state: string;
}
/** Whether the call to `number` is up (answered and acknowledged) on the switch. */
async function answered(number: string): Promise<boolean> {
  const calls = (await admin.request("GET", "/api/switch/calls")).json as LiveCall[];
  return calls.some((c) => c.to.includes(number) && c.state === "answered");
}

async function spoolRows() {
  return (await t.pool.query("SELECT call_id, attempt, sip_status, egress_interconnect_id FROM switch_cdr_spool ORDER BY id")).rows;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "didtron-switch-"));
  t = await createTestApp({ work: true });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const address = t.app.server.address();
  const platformPort = typeof address === "object" && address ? address.port : 0;
  admin = await login(t.app, "admin@demo.didtron.local");
  const plan = async (name: string, kind: string, csv: string) => {
    const id = await post("/api/rating-plans", { name, kind, currency: "USD", noticeDays: 0 });
    await importAndApply(admin.request, id, `prefix,destination,rate,effective_date\n${csv}\n`);
    return id;
  };
  const sell = await plan("SW sell", "customer", "44,United Kingdom,0.0200,2024-01-01");
  const buyA = await plan("SW buy A", "supplier", "44,United Kingdom,0.0050,2024-01-01");
  const buyB = await plan("SW buy B", "supplier", "44,United Kingdom,0.0080,2024-01-01");
  const egress = async (name: string, ip: string, ratingPlan: string) => {
    const carrier = await post("/api/carriers", { name, type: "supplier", primaryCurrency: "USD" });
    return post(`/api/carriers/${carrier}/interconnects`, { name: `${name} out`, direction: "egress", currency: "USD", supplierRatingPlanId: ratingPlan, egressRouting: { sendTo: [{ address: ip, port: 5070, transport: "udp" }] } });
  };
  egressA = await egress("SW Supplier A", SUPPLIER_A, buyA);
  egressB = await egress("SW Supplier B", SUPPLIER_B, buyB);
  const routingPlan = await post("/api/routing-plans", { name: "SW routes", currency: "USD" });
  await post(`/api/routing-plans/${routingPlan}/entries`, { prefix: "44", strategy: "lcr", candidates: [{ interconnectId: egressB }, { interconnectId: egressA }] });
  const customer = await post("/api/carriers", { name: "SW Customer", type: "customer", primaryCurrency: "USD", customerCreditType: "postpaid", customerCreditLimit: "1000" });
  const ingress = await post(`/api/carriers/${customer}/interconnects`, { name: "SW in", direction: "ingress", currency: "USD", addresses: [{ address: CUSTOMER_IP, port: null }] });
  await post(`/api/interconnects/${ingress}/services`, { name: "SW svc", techPrefix: "1001#", ratingPlanId: sell, routingPlanId: routingPlan });

  sipPort = await freePort();
  const settings = switchSettingsSchema.parse({
    SWITCH_ID: "kam-test",
    SWITCH_SIP_PORT: String(sipPort),
    SWITCH_RPC_PORT: String(await freePort()),
    PLATFORM_URL: `http://127.0.0.1:${platformPort}`,
    SWITCH_CHILDREN: "2",
    SWITCH_RING_TIMEOUT_S: "5",
  });
  sw = await startSwitch({ pool: t.pool, databaseUrl: t.url, settings, dataDir: tmp, log: (m) => process.env.SIP_DEBUG && console.log(m), heartbeatMs: 500 });
}, 120_000);

afterAll(async () => {
  await stopSuppliers();
  await sw?.stop();
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("Kamailio in the call path", () => {
  it("decides by the platform: LCR puts the cheaper supplier first", async () => {
    const d = await admin.request("POST", "/api/routing/decide", { sourceIp: CUSTOMER_IP, dialled: "1001#442071234567" });
    expect(d.json.outcome, JSON.stringify(d.json.rejection)).toBe("route");
    expect(d.json.routes.map((r: { interconnect: { id: string } }) => r.interconnect.id)).toEqual([egressA, egressB]);
    const status = await admin.request("GET", "/api/switch/status");
    expect(status.json).toMatchObject({ connected: true, nodes: [{ id: "kam-test", status: "running" }] });
  });

  it("completes a call through the cheapest supplier; its CDR is pulled, rated and posted", async () => {
    await supplier(SUPPLIER_A, 200);
    await supplier(SUPPLIER_B, 200);
    expect(await customerCall("1001#442071234567", 5091)).toBe(0);
    await stopSuppliers();
    await expect.poll(spoolRows, { timeout: 5000 }).toHaveLength(1);
    expect((await spoolRows())[0]).toMatchObject({ attempt: 1, sip_status: 200, egress_interconnect_id: egressA });
    expect(await pullSpool(t.pool, t.jobs)).toEqual({ moved: 1, failed: 0 });
    expect(await spoolRows()).toHaveLength(0);
    while ((await rateBatch(t.pool, { tenantId: admin.me.tenant.id })).taken);
    const cdr = await t.pool.query("SELECT disposition, duration_s, called_number, rating_status, customer_cost_micros::text AS c, supplier_cost_micros::text AS s, egress_interconnect_id FROM cdrs WHERE switch_id = 'kam-test'");
    // ~1 s answered: 60/60 on both plans → one minute at 0.02 and 0.005.
    expect(cdr.rows[0]).toMatchObject({ disposition: "answered", called_number: "442071234567", rating_status: "rated", c: "20000", s: "5000", egress_interconnect_id: egressA });
    expect(cdr.rows[0].duration_s).toBeGreaterThanOrEqual(1);
    const posted = await t.pool.query("SELECT code FROM ledger_transfers WHERE reference_type = 'cdr' AND reference_id = (SELECT id::text FROM cdrs WHERE switch_id = 'kam-test') ORDER BY code");
    expect(posted.rows.map((r) => r.code)).toEqual(["call_charge", "supplier_cost"]);
    // The call held a reservation (7 200 s at 0.02/min = 2.40), released when its CDR was rated.
    const hold = await t.pool.query(
      `SELECT h.amount_micros::text AS amount, (SELECT flags FROM ledger_transfers v WHERE v.pending_id = h.id) AS resolution
       FROM ledger_transfers h WHERE h.id = (SELECT reservation_id FROM cdrs WHERE switch_id = 'kam-test')`,
    );
    expect(hold.rows).toEqual([{ amount: "2400000", resolution: 8 }]);
  });

  it("fails over to the next supplier on 503", async () => {
    await supplier(SUPPLIER_A, 503);
    await supplier(SUPPLIER_B, 200);
    expect(await customerCall("1001#442071234568", 5092)).toBe(0);
    await stopSuppliers();
    await expect.poll(spoolRows, { timeout: 5000 }).toHaveLength(2);
    expect((await spoolRows()).map((r) => [r.attempt, r.sip_status, r.egress_interconnect_id])).toEqual([
      [1, 503, egressA],
      [2, 200, egressB],
    ]);
    expect(await pullSpool(t.pool, t.jobs)).toEqual({ moved: 2, failed: 0 });
    // Only the last attempt carries the call's reservation: the failed-over one must not release it early.
    const attempts = await t.pool.query("SELECT attempt, reservation_id IS NOT NULL AS holds FROM cdrs WHERE called_number = '442071234568' ORDER BY attempt");
    expect(attempts.rows).toEqual([
      { attempt: 1, holds: false },
      { attempt: 2, holds: true },
    ]);
  });

  it("does not fail over on 486 busy", async () => {
    await supplier(SUPPLIER_A, 486);
    await supplier(SUPPLIER_B, 200);
    expect(await invite(CUSTOMER_IP, "1001#442071234569")).toBe(486);
    await stopSuppliers();
    await expect.poll(spoolRows, { timeout: 5000 }).toHaveLength(1);
    expect((await spoolRows())[0]).toMatchObject({ attempt: 1, sip_status: 486, egress_interconnect_id: egressA });
    await pullSpool(t.pool, t.jobs);
  });

  it("refuses an unknown source with 403 and a number without a rate with 404, writing no CDR", async () => {
    expect(await invite("127.0.0.11", "1001#442071234567")).toBe(403);
    expect(await invite(CUSTOMER_IP, "1001#33123456789")).toBe(404);
    expect(await spoolRows()).toHaveLength(0);
  });

  it("stops a runaway prepaid customer: each live call holds a reservation, the call beyond the balance gets 402", async () => {
    const plan = (await t.pool.query("SELECT rating_plan_id AS sell, routing_plan_id AS routes FROM services WHERE name = 'SW svc'")).rows[0];
    const carrier = await post("/api/carriers", { name: "SW Prepaid", type: "customer", primaryCurrency: "USD", customerCreditType: "prepaid" });
    const ingress = await post(`/api/carriers/${carrier}/interconnects`, {
      name: "SW prepaid in",
      direction: "ingress",
      currency: "USD",
      addresses: [{ address: PREPAID_IP, port: null }],
      signalling: { maxCallDurationS: 3600 },
    });
    await post(`/api/interconnects/${ingress}/services`, { name: "SW prepaid svc", techPrefix: "2002#", ratingPlanId: plan.sell, routingPlanId: plan.routes });
    // 2.50 covers two reservations of an hour at 0.02/min (1.20 each), not three.
    await post("/api/payments", { carrierId: carrier, direction: "customer", method: "bank_transfer", paidOn: "2026-11-01", amount: "2.50", currency: "USD" });
    await supplier(SUPPLIER_A, 200);
    const calls = [customerCall("2002#442071230001", 5093, { fromIp: PREPAID_IP, holdMs: 4000 }), customerCall("2002#442071230002", 5094, { fromIp: PREPAID_IP, holdMs: 4000 })];
    const pending = async () => (await admin.request("GET", `/api/ledger/accounts?carrierId=${carrier}`)).json.rows.find((a: { kind: string }) => a.kind === "customer")?.debitsPending;
    await expect.poll(pending, { timeout: 8000 }).toBe("2.400000");
    expect(await invite(PREPAID_IP, "2002#442071230003")).toBe(402);
    expect(await Promise.all(calls)).toEqual([0, 0]);
    await stopSuppliers();
    await expect.poll(async () => (await spoolRows()).length, { timeout: 5000 }).toBe(2);
    await pullSpool(t.pool, t.jobs);
    while ((await rateBatch(t.pool, { tenantId: admin.me.tenant.id })).taken);
    const account = (await admin.request("GET", `/api/ledger/accounts?carrierId=${carrier}`)).json.rows.find((a: { kind: string }) => a.kind === "customer");
    // Both holds released; each ~4 s call charged a minute (0.02).
    expect(account).toMatchObject({ debitsPending: "0.000000", debitsPosted: "0.040000", balance: "2.460000" });
  });

  it("enforces the ingress channel capacity in Kamailio and its CPS at the platform: the excess gets 503", async () => {
    const svc = (await t.pool.query("SELECT carrier_id, rating_plan_id AS sell, routing_plan_id AS routes FROM services WHERE name = 'SW svc'")).rows[0];
    const ingress = await post(`/api/carriers/${svc.carrier_id}/interconnects`, {
      name: "SW limited in",
      direction: "ingress",
      currency: "USD",
      capacity: 1,
      addresses: [{ address: LIMITED_IP, port: null }],
      ingressValidation: { maxCps: 2 },
    });
    await post(`/api/interconnects/${ingress}/services`, { name: "SW limited svc", techPrefix: "3003#", ratingPlanId: svc.sell, routingPlanId: svc.routes });
    await supplier(SUPPLIER_A, 200);
    const first = customerCall("3003#442071231001", 5098, { fromIp: LIMITED_IP, holdMs: 3000 });
    await expect.poll(() => answered("442071231001"), { timeout: 8000 }).toBe(true);
    expect(await invite(LIMITED_IP, "3003#442071231002")).toBe(503);
    expect(await first).toBe(0);
    await stopSuppliers();

    // CPS: two calls a second pass, the third in the same second is refused.
    await supplier(SUPPLIER_A, 486);
    while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 20));
    const statuses: number[] = [];
    for (const n of [3, 4, 5]) statuses.push(await invite(LIMITED_IP, `3003#44207123100${n}`));
    expect(statuses).toEqual([486, 486, 503]);
    await stopSuppliers();
    await expect.poll(async () => (await spoolRows()).length, { timeout: 5000 }).toBe(4);
    expect((await spoolRows()).map((r) => r.sip_status).sort()).toEqual([200, 486, 486, 503]);
    await pullSpool(t.pool, t.jobs);
  });

  it("a call hung up from the console writes exactly one CDR: answered → answered, ringing → cancelled", async () => {
    const live = async () => (await admin.request("GET", "/api/switch/calls")).json as LiveCall[];
    const hangUp = (c: LiveCall) => admin.request("POST", "/api/switch/calls/hangup", { switchId: c.switchId, callId: c.callId });
    const cdrs = async (callIds: string[]) =>
      (await t.pool.query("SELECT call_id, disposition, count(*) OVER (PARTITION BY call_id)::int AS n FROM cdrs WHERE call_id = ANY($1) ORDER BY call_id", [callIds])).rows;
    // Answered: several at once, each ended while its caller and supplier are idle, so a
    // BYE's reply can come back before Kamailio has sent the other one (the lost-CDR race).
    await supplier(SUPPLIER_A, 200);
    const numbers = ["442071239100", "442071239101", "442071239102"];
    const calls = numbers.map((n, i) => customerCall(`1001#${n}`, 5099 + i * 2, { holdMs: 30_000 }));
    await expect.poll(async () => (await live()).filter((c) => c.state === "answered").length, { timeout: 10_000 }).toBe(3);
    const up = await live();
    for (const c of up) expect((await hangUp(c)).status).toBe(200);
    // Each caller got its BYE (sipp ends the call early: its own BYE was due in 30 s).
    await Promise.all(calls);
    await expect.poll(async () => (await live()).length, { timeout: 5000 }).toBe(0);
    await stopSuppliers();

    // Ringing: the supplier never answers; the caller gets 487 and the supplier a CANCEL.
    await supplier(SUPPLIER_A, 0);
    const ringing = invite(CUSTOMER_IP, "1001#442071239109");
    await expect.poll(async () => (await live()).find((c) => c.to.includes("442071239109"))?.state, { timeout: 8000 }).toBe("ringing");
    const ring = (await live()).find((c) => c.to.includes("442071239109"))!;
    expect((await hangUp(ring)).status).toBe(200);
    expect(await ringing).toBe(487);
    await stopSuppliers();

    // A late dialog:end row (when Kamailio's own path did run) must not make a second CDR.
    await new Promise((r) => setTimeout(r, 1500));
    await pullSpool(t.pool, t.jobs);
    const ids = [...up.map((c) => c.callId), ring.callId];
    expect(await cdrs(ids)).toEqual(ids.map((callId) => ({ call_id: callId, disposition: callId === ring.callId ? "cancelled" : "answered", n: 1 })).sort((x, y) => x.call_id.localeCompare(y.call_id)));
    const audits = await t.pool.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'call.hang_up'");
    expect(audits.rows[0].n).toBe(4);
  });

  it("a call cut at the ingress's max call duration writes exactly one answered CDR", async () => {
    const svc = (await t.pool.query("SELECT carrier_id, rating_plan_id AS sell, routing_plan_id AS routes FROM services WHERE name = 'SW svc'")).rows[0];
    const ingress = await post(`/api/carriers/${svc.carrier_id}/interconnects`, {
      name: "SW short in",
      direction: "ingress",
      currency: "USD",
      addresses: [{ address: SHORT_IP, port: null }],
      signalling: { maxCallDurationS: 2 },
    });
    await post(`/api/interconnects/${ingress}/services`, { name: "SW short svc", techPrefix: "4004#", ratingPlanId: svc.sell, routingPlanId: svc.routes });
    await supplier(SUPPLIER_A, 200);
    // The caller would hang up after 10 s: the switch's BYE comes at 2 s.
    const started = Date.now();
    await customerCall("4004#442071239200", 5110, { fromIp: SHORT_IP, holdMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(8000);
    await stopSuppliers();
    await new Promise((r) => setTimeout(r, 1000));
    await pullSpool(t.pool, t.jobs);
    const rows = (await t.pool.query("SELECT disposition, duration_s FROM cdrs WHERE called_number = '442071239200'")).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].disposition).toBe("answered");
    expect(rows[0].duration_s).toBeGreaterThanOrEqual(2);
    expect(rows[0].duration_s).toBeLessThanOrEqual(4);
  });

  it("lists the switch's live calls for the tenant only and refuses another token", async () => {
    expect((await admin.request("GET", "/api/switch/calls")).json).toEqual([]);
    const bad = await t.app.inject({ method: "POST", url: "/api/switch/decide?token=nope", payload: { sourceIp: CUSTOMER_IP, dialled: "1001#44" } });
    expect(bad.statusCode).toBe(401);
  });
});

/** The platform as its own process (`server/src/main.ts`) on the test database: what a restart kills. */
function platformProcess(port: number): { proc: ChildProcess; ready: Promise<void> } {
  const proc = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../src/main.ts")], {
    env: { ...process.env, DATABASE_URL: t.url, PORT: String(port), HOST: "127.0.0.1", SEED_DEMO: "false", LOG_LEVEL: "warn", NODE_ENV: "test", DATA_DIR: tmp },
    stdio: "ignore",
  });
  const ready = (async () => {
    for (let i = 0; i < 300; i++) {
      if (proc.exitCode !== null) throw new Error(`platform exited with ${proc.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("platform did not start");
  })();
  return { proc, ready };
}

describe("a platform restart during calls", () => {
  it("loses and doubles no CDR: calls in progress finish, their CDRs are pulled once by the restarted platform", async () => {
    const platformPort = await freePort();
    const restartSip = await freePort();
    let platform = platformProcess(platformPort);
    await platform.ready;
    const settings = switchSettingsSchema.parse({
      SWITCH_ID: "kam-restart",
      SWITCH_SIP_PORT: String(restartSip),
      SWITCH_RPC_PORT: String(await freePort()),
      PLATFORM_URL: `http://127.0.0.1:${platformPort}`,
      SWITCH_CHILDREN: "2",
      SWITCH_RING_TIMEOUT_S: "5",
    });
    const second = await startSwitch({ pool: t.pool, databaseUrl: t.url, settings, dataDir: fs.mkdtempSync(path.join(tmp, "restart-")), log: () => {}, heartbeatMs: 500 });
    try {
      await supplier(SUPPLIER_A, 200);
      const calls = [5095, 5096, 5097].map((port, i) => customerCall(`1001#44207123900${i}`, port, { holdMs: 5000, switchPort: restartSip }));
      const live = async () => (await second.rpc<{ all: number }>("dlg.stats_active")).all;
      await expect.poll(live, { timeout: 8000 }).toBe(3);
      platform.proc.kill("SIGKILL");
      await new Promise((r) => platform.proc.once("exit", r));
      // Down: a new call cannot be decided; the ones in progress carry on.
      expect(await invite(CUSTOMER_IP, "1001#442071239009", restartSip)).toBe(503);
      platform = platformProcess(platformPort);
      await platform.ready;
      expect(await Promise.all(calls)).toEqual([0, 0, 0]);
      await stopSuppliers();
      const cdrs = async () =>
        (await t.pool.query("SELECT called_number, count(*)::int AS n, min(rating_status) AS status FROM cdrs WHERE switch_id = 'kam-restart' AND disposition = 'answered' GROUP BY called_number ORDER BY called_number")).rows;
      await expect.poll(cdrs, { timeout: 15_000 }).toEqual([0, 1, 2].map((i) => ({ called_number: `44207123900${i}`, n: 1, status: "rated" })));
      const open = await t.pool.query("SELECT count(*)::int AS n FROM ledger_transfers h WHERE h.flags = 2 AND h.reference_id LIKE 'kam-restart:%' AND NOT EXISTS (SELECT 1 FROM ledger_transfers v WHERE v.pending_id = h.id)");
      expect(open.rows[0].n).toBe(0);
    } finally {
      await stopSuppliers();
      await second.stop();
      platform.proc.kill("SIGKILL");
    }
  }, 90_000);
});
