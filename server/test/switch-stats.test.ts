import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";
import { cdrOf, createTraffic, type Traffic } from "./cdrs-fixture.js";

/**
 * Live statistics from CDRs: the dashboard's ASR/ACD/PDD over 5 and 60 minutes, and the
 * same figures per egress interconnect and entry prefix feeding quality routing.
 */
let t: TestContext;
let admin: Session;
let traffic: Traffic;
const ago = (minutes: number, s = 0) => new Date(Date.now() - minutes * 60_000 + s * 1000).toISOString();

/** An attempt started `minutes` ago: answered for `durationS`, or failed (0). */
const attempt = (n: number, minutes: number, durationS: number, pddMs: number) =>
  cdrOf(traffic, {
    callId: `stats-${n}`,
    startAt: ago(minutes),
    answerAt: durationS ? ago(minutes, 2) : null,
    endAt: ago(minutes, 2 + durationS),
    durationS,
    pddMs,
    sipStatus: durationS ? 200 : 503,
    q850Cause: durationS ? 16 : 34,
    disposition: durationS ? "answered" : "failed",
  });

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  traffic = await createTraffic(admin.request, "Stats");
  const r = await admin.request("POST", "/api/cdrs/batch", {
    cdrs: [attempt(1, 2, 30, 1000), attempt(2, 2, 60, 2000), attempt(3, 3, 90, 3000), attempt(4, 3, 0, 4000), attempt(5, 30, 120, 1500)],
  });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
});
afterAll(async () => t?.close());

describe("traffic statistics", () => {
  it("ASR, ACD and PDD over the last 5 and 60 minutes, in total, per supplier interconnect and per customer", async () => {
    const five = (await admin.request("GET", "/api/switch/stats?windowMinutes=5")).json;
    // 4 attempts, 3 answered: ASR 75 %, ACD (30+60+90)/3 = 60 s, PDD (1000+2000+3000+4000)/4 = 2500 ms.
    expect(five.totals).toEqual({ attempts: 4, answered: 3, asrPercent: 75, acdS: 60, pddMs: 2500, minutes: 3 });
    expect(five.cps).toBe(0.01);
    expect(five.byEgress).toEqual([{ id: traffic.egressId, name: "Stats out", ...five.totals }]);
    expect(five.byCustomer).toEqual([{ id: traffic.customerCarrierId, name: "Stats Customer", ...five.totals }]);
    const hour = (await admin.request("GET", "/api/switch/stats?windowMinutes=60")).json;
    // + the answered 120 s call of 30 minutes ago: 5 attempts, ASR 80 %, ACD 75 s, PDD 2300 ms.
    expect(hour.totals).toEqual({ attempts: 5, answered: 4, asrPercent: 80, acdS: 75, pddMs: 2300, minutes: 5 });
    expect((await admin.request("GET", "/api/switch/stats?windowMinutes=7")).status).toBe(400);
  });

  it("another tenant sees none of it", async () => {
    const acme = await login(t.app, "admin@acme.example");
    const r = await acme.request("GET", "/api/switch/stats?windowMinutes=60");
    expect(r.status).toBe(200);
    expect(r.json.byEgress.map((x: { id: string }) => x.id)).not.toContain(traffic.egressId);
    expect(r.json.byCustomer.map((x: { id: string }) => x.id)).not.toContain(traffic.customerCarrierId);
  });

  it("feeds quality routing: an interconnect under the entry's minimum ASR is dropped with its figures", async () => {
    const plan = await admin.request("POST", "/api/routing-plans", { name: "Stats quality", currency: "USD" });
    expect(plan.status).toBe(201);
    const entry = await admin.request("POST", `/api/routing-plans/${plan.json.id}/entries`, {
      prefix: "44",
      strategy: "quality",
      minAsrPercent: 90,
      minSamples: 3,
      candidates: [{ interconnectId: traffic.egressId }],
    });
    expect(entry.status, JSON.stringify(entry.json)).toBe(201);
    expect((await admin.request("PATCH", `/api/services/${traffic.serviceId}`, { routingPlanId: plan.json.id })).status).toBe(200);
    const paid = await admin.request("POST", "/api/payments", { carrierId: traffic.customerCarrierId, direction: "customer", method: "bank_transfer", paidOn: "2026-11-01", amount: "100", currency: "USD" });
    expect(paid.status).toBe(201);
    const tenantId = admin.me.tenant.id;
    await t.app.routingService.refreshQuality(tenantId);
    expect(t.app.routingService.live.quality.get(traffic.egressId)?.get("44")).toEqual({ asrPercent: 80, acdS: 75, pddMs: 2300, attempts: 5 });
    const decide = async () => (await admin.request("POST", "/api/routing/decide", { sourceIp: "100.64.77.1", dialled: "9001#442071234567" })).json;
    // The snapshot follows the plan and service changes within moments.
    await expect.poll(async () => (await decide()).rejection?.reason).toBe("no_route");
    const d = await decide();
    expect(d.dropped, JSON.stringify(d.dropped)).toEqual([expect.objectContaining({ reason: "quality", message: "Quality below the entry's thresholds: ASR 80% < 90%" })]);
    // Good enough once the bar is lowered.
    expect((await admin.request("PATCH", `/api/routing-entries/${entry.json.id}`, { minAsrPercent: 75 })).status).toBe(200);
    await expect.poll(async () => (await decide()).outcome).toBe("route");
  });
});
