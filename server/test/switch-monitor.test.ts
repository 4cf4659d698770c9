import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { startSwitchMonitor } from "../src/switch/monitor.js";
import { importAndApply } from "./cdrs-fixture.js";

/**
 * SIP OPTIONS monitoring against a real SIP peer (sipp, auto-answering OPTIONS): when it
 * stops answering, the egress interconnect is marked down (notified, audited) and routing
 * drops it with reason "down"; when it answers again, routing uses it again.
 */
const SUPPLIER_IP = "127.0.0.22";
let t: TestContext;
let admin: Session;
let serviceId = "";
let egressId = "";
let peer: ChildProcess | null = null;
let monitor: Awaited<ReturnType<typeof startSwitchMonitor>> | null = null;

const post = async (url: string, body: unknown) => {
  const r = await admin.request("POST", url, body);
  if (r.status !== 201) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.id as string;
};
function startPeer() {
  peer = spawn("sipp", ["-sf", path.resolve(import.meta.dirname, "../src/switch/sipp/uas.xml"), "-i", SUPPLIER_IP, "-p", "5070", "-aa", "-nostdin"], { stdio: "ignore" });
}
async function stopPeer() {
  if (!peer) return;
  const done = new Promise((r) => peer!.once("exit", r));
  peer.kill("SIGKILL");
  await done;
  peer = null;
}
const decide = async () => (await admin.request("POST", "/api/routing/decide", { serviceId, dialled: "442071234567" })).json;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  const sell = await post("/api/rating-plans", { name: "Mon sell", kind: "customer", currency: "USD", noticeDays: 0 });
  await importAndApply(admin.request, sell, "prefix,destination,rate,effective_date\n44,United Kingdom,0.0200,2024-01-01\n");
  const buy = await post("/api/rating-plans", { name: "Mon buy", kind: "supplier", currency: "USD", noticeDays: 0 });
  await importAndApply(admin.request, buy, "prefix,destination,rate,effective_date\n44,United Kingdom,0.0050,2024-01-01\n");
  const supplier = await post("/api/carriers", { name: "Mon Supplier", type: "supplier", primaryCurrency: "USD" });
  egressId = await post(`/api/carriers/${supplier}/interconnects`, {
    name: "Mon out",
    direction: "egress",
    currency: "USD",
    supplierRatingPlanId: buy,
    egressRouting: { sendTo: [{ address: SUPPLIER_IP, port: 5070, transport: "udp" }] },
    monitoring: { optionsPing: true, optionsIntervalS: 5, autoDisableAfterFailures: 1, reEnableAfterSuccesses: 1 },
  });
  const routingPlan = await post("/api/routing-plans", { name: "Mon routes", currency: "USD" });
  await post(`/api/routing-plans/${routingPlan}/entries`, { prefix: "44", strategy: "lcr", candidates: [{ interconnectId: egressId }] });
  const customer = await post("/api/carriers", { name: "Mon Customer", type: "customer", primaryCurrency: "USD", customerCreditType: "postpaid", customerCreditLimit: "100" });
  const ingress = await post(`/api/carriers/${customer}/interconnects`, { name: "Mon in", direction: "ingress", currency: "USD", addresses: [{ address: "100.64.90.1", port: null }] });
  serviceId = await post(`/api/interconnects/${ingress}/services`, { name: "Mon svc", ratingPlanId: sell, routingPlanId: routingPlan });
}, 120_000);

afterAll(async () => {
  await monitor?.stop();
  await stopPeer();
  await t?.close();
});

describe("OPTIONS monitoring", () => {
  it("marks a silent supplier down (routing skips it, the NOC is told) and brings it back when it answers", async () => {
    startPeer();
    await new Promise((r) => setTimeout(r, 300));
    monitor = await startSwitchMonitor(t.pool, t.app.routingService);
    const state = async () => (await admin.request("GET", `/api/interconnects/${egressId}/health`)).json;
    await expect.poll(state, { timeout: 10_000 }).toMatchObject({ state: "up", consecutiveSuccesses: 1 });
    expect((await decide()).routes.map((r: { interconnect: { id: string } }) => r.interconnect.id)).toEqual([egressId]);

    await stopPeer();
    await expect.poll(async () => (await state()).state, { timeout: 15_000, interval: 250 }).toBe("down");
    expect((await state()).lastError).toMatch(/no answer to OPTIONS/);
    const down = await decide();
    expect(down.outcome).toBe("reject");
    expect(down.dropped).toEqual([expect.objectContaining({ reason: "down" })]);
    expect(await countRows(t.pool, "notifications", "title = 'Mon out is down'")).toBe(1);
    expect(await countRows(t.pool, "audit_events", `action = 'interconnect.monitor_down' AND entity_id = '${egressId}'`)).toBe(1);

    startPeer();
    await expect.poll(async () => (await state()).state, { timeout: 15_000, interval: 250 }).toBe("up");
    expect((await decide()).routes).toHaveLength(1);
    expect(await countRows(t.pool, "notifications", "title = 'Mon out is back up'")).toBe(1);
  }, 60_000);
});
