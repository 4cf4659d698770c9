import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { purgeExpired } from "../src/recycle-bin/recycle-bin.js";

/**
 * Routing through HTTP on the seeded demo tenant: the decisions the Route Simulator
 * shows, plan/entry/FX CRUD with audit and validation, permissions, tenant isolation,
 * and the in-memory snapshot following committed changes.
 */
let t: TestContext;
let admin: Session;
let noc: Session;
let readonly: Session;
let acme: Session;
beforeAll(async () => {
  t = await createTestApp();
  [admin, noc, readonly, acme] = await Promise.all([
    login(t.app, "admin@demo.didtron.local"),
    login(t.app, "noc@demo.didtron.local"),
    login(t.app, "readonly@demo.didtron.local"),
    login(t.app, "admin@acme.example"),
  ]);
});
afterAll(async () => t?.close());

const AT = "2026-01-15T12:00:00Z";
const ACME_IN = { sourceIp: "203.0.113.10", sourcePort: 5060 };
const GV = { sourceIp: "198.51.100.5", sourcePort: 5060 };
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function decide(s: Session, body: Record<string, unknown>): Promise<Json> {
  const r = await s.request("POST", "/api/routing/decide", { at: AT, ...body });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
}
const names = (d: Json) => d.routes.map((r: Json) => r.interconnect.name);
const dropped = (d: Json) => Object.fromEntries(d.dropped.map((x: Json) => [x.interconnect?.name ?? x.trunkGroup?.name, x.reason]));
const idOf = async (s: Session, url: string, name: string) => ((await s.request("GET", url)).json.rows as Json[]).find((r) => r.name === name)!.id as string;

/** Waits until the tenant's snapshot was rebuilt after a change (NOTIFY → background rebuild). */
async function rebuiltAfter(s: Session, generation: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const st = (await s.request("GET", "/api/routing/status")).json;
    if (st.generation > generation && !st.refreshing) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the routing snapshot was not rebuilt");
}
const generation = async (s: Session) => (await s.request("GET", "/api/routing/status")).json.generation as number;

describe("decisions on the demo tenant", () => {
  it("UK via Acme UK Direct: Tier-1 group cheapest first, the bilateral's own trunk dropped as circular", async () => {
    const d = await decide(noc, { ...ACME_IN, dialled: "1002#442071234567", calling: "+12125550100" });
    expect(d.outcome).toBe("route");
    expect(d.ingress).toMatchObject({ interconnect: { name: "Acme IN" }, carrier: { name: "Acme Telecom" }, matchedBy: "source", address: "203.0.113.10" });
    expect(d.service).toMatchObject({ name: "Acme UK Direct", techPrefix: "1002#", destinationPrefix: "44" });
    expect(d.numbers).toMatchObject({ techPrefix: "1002#", destination: "442071234567", origination: "12125550100" });
    expect(d.customerRate).toMatchObject({ ratingPlan: { name: "Retail USD" }, prefix: "4420", destination: "UK London", rate: "0.012000", currency: "USD", fxRate: null });
    expect(d.entry).toMatchObject({ prefix: "44", strategy: "priority_lcr", maxAttempts: 3 });
    // Orion 0.0055 EUR × 1.09 = 0.005995 USD < TAC Primary 0.006; Acme OUT is circular; TAC Backup last.
    expect(names(d)).toEqual(["Orion FRA", "TAC Primary", "TAC Backup"]);
    expect(d.routes[0]).toMatchObject({
      position: 1,
      trunkGroup: { name: "Tier-1 Suppliers" },
      supplierRatingPlan: { name: "Orion Buy" },
      supplierPrefix: "4420",
      supplierCurrency: "EUR",
      supplierRate: "0.005500",
      fxRate: "1.09",
      supplierRateInPlanCurrency: "0.005995",
      margin: "0.006005",
      marginPercent: "50.04",
      sendTo: [{ address: "192.0.2.80", port: 5061, transport: "tls" }],
      destination: "442071234567",
    });
    expect(d.routes[1]).toMatchObject({ supplierRate: "0.006000", margin: "0.006000", techPrefix: "77#", destination: "77#442071234567" });
    expect(dropped(d)).toEqual({ "Acme OUT": "circular" });
    expect(d.dropped[0].message).toMatch(/back to Acme Telecom, which has circular routing disabled/);
    expect(d.explanation.map((l: Json) => [l.step, l.status])).toEqual([
      ["ingress", "ok"],
      ["numbers", "ok"],
      ["blacklist", "ok"],
      ["customer_rate", "ok"],
      ["credit", "ok"],
      ["capacity", "ok"],
      ["routing", "ok"],
    ]);
    // The demo's bilateral carrier is postpaid: its credit limit is what is available.
    expect(d.credit).toMatchObject({ allowed: true, enforced: true, detail: expect.stringMatching(/postpaid: .* USD available/) });
    expect(d.explanation.find((l: Json) => l.step === "credit").message).toMatch(/USD available/);
    expect(d.explanation.find((l: Json) => l.step === "routing").message).toMatch(/"Wholesale USD" entry 44: priority_lcr/);
    expect(d.capacity).toEqual(
      expect.arrayContaining([
        { scope: "interconnect", kind: "channels", id: d.ingress.interconnect.id, name: "Acme IN", inUse: 0, limit: 200, ok: true },
        { scope: "interconnect", kind: "cps", id: d.ingress.interconnect.id, name: "Acme IN", inUse: 0, limit: 30, ok: true },
      ]),
    );
  });

  it("GBP customer on a USD plan: the customer rate is converted for the margins; weighted split reproducible by seed", async () => {
    const body = { ...GV, dialled: "2001#447700900123", seed: 42 };
    const d = await decide(admin, body);
    expect(d.service.name).toBe("GV CLI Route");
    // 0.037 GBP × 1.27 = 0.04699 USD.
    expect(d.customerRate).toMatchObject({ currency: "GBP", rate: "0.037000", fxRate: "1.27", rateInPlanCurrency: "0.046990" });
    expect(d.entry.strategy).toBe("weighted");
    expect(names(d)[2]).toBe("TAC Backup");
    expect(d.seed).toBe(42);
    expect(names(await decide(admin, body))).toEqual(names(d));
  });

  it.each<[string, Record<string, unknown>, string, number, number, RegExp]>([
    ["unknown source", { sourceIp: "192.0.2.200", dialled: "1001#442071234567" }, "unknown_source", 403, 21, /No ingress interconnect has the source address 192.0.2.200/],
    ["known source, unknown tech prefix", { ...ACME_IN, dialled: "9999#442071234567" }, "no_service", 403, 21, /no service there matches/],
    ["no customer rate (China)", { ...GV, dialled: "2001#8613800138000" }, "no_rate", 404, 1, /"Retail GBP" has no rate for 8613800138000/],
    ["blocked premium numbers", { ...ACME_IN, dialled: "1001#19005551234" }, "blocked", 403, 21, /Entry 1900 of "Wholesale USD" blocks/],
  ])("%s → %s, SIP %i, Q.850 %i", async (_label, body, reason, sip, q850, message) => {
    const d = await decide(readonly, body);
    expect(d.outcome).toBe("reject");
    expect(d.rejection).toMatchObject({ reason, sipStatus: sip, q850Cause: q850 });
    expect(d.rejection.message).toMatch(message);
    expect(d.explanation.at(-1)).toMatchObject({ status: "reject", message: d.rejection.message });
  });

  it("profit guard drops Orion for Nigeria (a loss), explained with the figures", async () => {
    const d = await decide(noc, { ...ACME_IN, dialled: "1001#2348031234567" });
    expect(names(d)).toEqual(["TAC Primary"]);
    // 0.165 EUR × 1.09 = 0.17985 USD > the customer's 0.15.
    expect(d.dropped).toEqual([expect.objectContaining({ interconnect: expect.objectContaining({ name: "Orion FRA" }), reason: "loss", supplierRateInPlanCurrency: "0.179850", margin: "-0.029850" })]);
    expect(d.dropped[0].message).toBe("Loses money: supplier 0.179850 > customer 0.150000 USD/min");
    expect(d.routes[0].marginPercent).toBe("13.33");
  });

  it("a service that routes straight to an interconnect", async () => {
    const d = await decide(noc, { ...GV, dialled: "2002#441234567890" });
    expect(d.service).toMatchObject({ name: "GV Standard", routingMethod: "interconnect" });
    expect(names(d)).toEqual(["TAC Backup"]);
    expect(d.entry).toBeNull();
    expect(d.routingPlan).toBeNull();
    expect(d.explanation.at(-1).message).toMatch(/straight to TAC Backup/);
  });

  it("picking the service instead of a source address, and the simulator's what-if state", async () => {
    const svc = await idOf(noc, "/api/services?q=Acme%20UK", "Acme UK Direct");
    const tacPrimary = await idOf(noc, "/api/interconnects?q=TAC", "TAC Primary");
    const d = await decide(noc, { serviceId: svc, dialled: "442071234567", simulate: { down: [tacPrimary] } });
    expect(d.ingress.matchedBy).toBe("service");
    expect(names(d)).toEqual(["Orion FRA", "TAC Backup"]);
    expect(dropped(d)).toEqual({ "Acme OUT": "circular", "TAC Primary": "down" });
    const acmeIn = d.ingress.interconnect.id;
    const full = await decide(noc, { serviceId: svc, dialled: "442071234567", simulate: { channels: { [acmeIn]: 200 } } });
    expect(full.rejection).toMatchObject({ reason: "capacity", sipStatus: 503, q850Cause: 41, message: "Acme IN is at its channel limit (200/200)" });
  });

  it("the decision's money, at another time: scheduled France change", async () => {
    const now = await decide(noc, { ...ACME_IN, dialled: "1001#33123456789", at: new Date().toISOString() });
    expect(now.entry.strategy).toBe("lcr");
    const later = await decide(noc, { ...ACME_IN, dialled: "1001#33123456789", at: new Date(Date.now() + 62 * 86_400_000).toISOString() });
    expect(later.entry.strategy).toBe("priority");
    expect(names(later)).toEqual(["Orion FRA", "TAC Primary"]);
  });

  it("bad decide input is a 400; another tenant's service is a 404", async () => {
    for (const body of [{ dialled: "442071234567" }, { ...ACME_IN, serviceId: "0190aaaa-0000-7000-8000-000000000000", dialled: "44" }, { ...ACME_IN, dialled: "44 20" }, { sourceIp: "300.1.1.1", dialled: "44" }]) {
      expect((await noc.request("POST", "/api/routing/decide", body)).status).toBe(400);
    }
    const svc = await idOf(noc, "/api/services?q=Acme%20UK", "Acme UK Direct");
    expect((await acme.request("POST", "/api/routing/decide", { serviceId: svc, dialled: "442071234567" })).status).toBe(404);
    // Acme's tenant has no interconnect on the demo's addresses.
    expect((await decide(acme, { ...ACME_IN, dialled: "1002#442071234567" })).rejection.reason).toBe("unknown_source");
  });
});

describe("routing plans and entries", () => {
  it("create, list, read, edit and delete a plan with its entries; every write audited", async () => {
    const audits = await countRows(t.pool, "audit_events", "action LIKE 'routing_%'");
    const plan = await noc.request("POST", "/api/routing-plans", { name: "Test EUR", currency: "EUR" });
    expect(plan.status).toBe(201);
    expect(plan.json).toMatchObject({ name: "Test EUR", currency: "EUR", maxAttempts: 3, noRateSipCode: 404, entryCount: 0, serviceCount: 0 });
    const id = plan.json.id;
    const tacPrimary = await idOf(noc, "/api/interconnects?q=TAC", "TAC Primary");
    const tier1 = ((await noc.request("GET", "/api/trunk-groups")).json.rows as Json[]).find((g) => g.name === "Tier-1 Suppliers").id;
    const entry = await noc.request("POST", `/api/routing-plans/${id}/entries`, {
      prefix: "49",
      strategy: "priority_lcr",
      maxSupplierRate: "0.02",
      minMarginPercent: 12.5,
      candidates: [{ trunkGroupId: tier1 }, { interconnectId: tacPrimary, priority: 2, maxSupplierRate: "0.015" }],
    });
    expect(entry.status).toBe(201);
    expect(entry.json).toMatchObject({ prefix: "49", strategy: "priority_lcr", maxSupplierRate: "0.020000", minMargin: "0.000000", minMarginPercent: 12.5, state: "live", profitGuard: true });
    expect(entry.json.candidates).toEqual([
      expect.objectContaining({ position: 0, trunkGroupId: tier1, targetName: "Tier-1 Suppliers", targetStatus: "trunk_group", carrier: null }),
      expect.objectContaining({ position: 1, interconnectId: tacPrimary, targetName: "TAC Primary", targetStatus: "active", carrier: expect.objectContaining({ name: "TransAtlantic Carrier" }), maxSupplierRate: "0.015000" }),
    ]);
    const patched = await noc.request("PATCH", `/api/routing-entries/${entry.json.id}`, { description: "Germany", blocked: true });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ description: "Germany", blocked: true, strategy: "priority_lcr" });
    expect(patched.json.candidates).toHaveLength(2);
    const replaced = await noc.request("PATCH", `/api/routing-entries/${entry.json.id}`, { candidates: [{ interconnectId: tacPrimary }] });
    expect(replaced.json.candidates).toHaveLength(1);
    const list = await noc.request("GET", `/api/routing-plans/${id}/entries?q=4&state=live`);
    expect(list.json).toMatchObject({ total: 1, rows: [expect.objectContaining({ prefix: "49" })] });
    expect((await noc.request("GET", `/api/routing-plans/${id}/entries?state=future`)).json.total).toBe(0);
    expect((await noc.request("GET", `/api/routing-plans?q=Test%20EUR`)).json.rows[0]).toMatchObject({ entryCount: 1 });
    expect((await noc.request("PATCH", `/api/routing-plans/${id}`, { currency: "USD" })).status).toBe(409);
    expect((await noc.request("PATCH", `/api/routing-plans/${id}`, { maxAttempts: 5 })).json.maxAttempts).toBe(5);
    expect((await noc.request("DELETE", `/api/routing-entries/${entry.json.id}`)).status).toBe(200);
    expect((await noc.request("GET", `/api/routing-entries/${entry.json.id}`)).status).toBe(404);
    expect((await noc.request("DELETE", `/api/routing-plans/${id}`)).status).toBe(200);
    expect((await noc.request("GET", `/api/routing-plans/${id}`)).status).toBe(404);
    // create plan, create entry, 2 entry edits, plan edit, entry delete, plan delete.
    expect(await countRows(t.pool, "audit_events", "action LIKE 'routing_%'")).toBe(audits + 7);
  });

  it("a plan in use by services cannot be deleted; its detail lists them", async () => {
    const id = await idOf(noc, "/api/routing-plans", "Wholesale USD");
    const detail = (await noc.request("GET", `/api/routing-plans/${id}`)).json;
    expect(detail.serviceCount).toBe(3);
    expect(detail.services.map((s: Json) => s.name).sort()).toEqual(["Acme Premium", "Acme UK Direct", "GV CLI Route"]);
    const r = await noc.request("DELETE", `/api/routing-plans/${id}`);
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/service Acme Premium/);
  });

  it("refuses bad entries with field errors and writes nothing", async () => {
    const id = await idOf(noc, "/api/routing-plans", "Wholesale USD");
    const acmeIn = await idOf(noc, "/api/interconnects?q=Acme", "Acme IN");
    const tacPrimary = await idOf(noc, "/api/interconnects?q=TAC", "TAC Primary");
    const before = await countRows(t.pool, "routing_entries");
    const cases: [Record<string, unknown>, number, string][] = [
      [{ prefix: "44a" }, 400, "prefix"],
      [{ prefix: "55", strategy: "fastest" }, 400, "strategy"],
      [{ prefix: "55", strategy: "weighted", candidates: [{ interconnectId: tacPrimary, weight: 60 }] }, 400, "candidates"],
      [{ prefix: "55", candidates: [{ interconnectId: acmeIn }] }, 400, "candidates.0.interconnectId"],
      [{ prefix: "55", candidates: [{}] }, 400, "candidates.0"],
      [{ prefix: "55", candidates: [{ interconnectId: tacPrimary }, { interconnectId: tacPrimary }] }, 400, "candidates.1.interconnectId"],
      [{ prefix: "55", effectiveFrom: "2026-02-01T00:00:00Z", effectiveTo: "2026-01-01T00:00:00Z" }, 400, "effectiveTo"],
      [{ prefix: "55", maxSupplierRate: "-1" }, 400, "maxSupplierRate"],
      [{ prefix: "44" }, 409, "effectiveFrom"],
    ];
    for (const [body, status, field] of cases) {
      const r = await noc.request("POST", `/api/routing-plans/${id}/entries`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(Object.keys(r.json.error.fields ?? {}).some((k) => k === field || k.startsWith(`${field}.`)), `${JSON.stringify(r.json.error)}`).toBe(true);
    }
    expect(await countRows(t.pool, "routing_entries")).toBe(before);
  });

  it("entries of one prefix may follow each other in time, not overlap", async () => {
    const plan = (await noc.request("POST", "/api/routing-plans", { name: "Dated", currency: "USD" })).json;
    const at = (from: string | null, to: string | null) => noc.request("POST", `/api/routing-plans/${plan.id}/entries`, { prefix: "1", effectiveFrom: from, effectiveTo: to });
    expect((await at(null, "2026-03-01T00:00:00Z")).status).toBe(201);
    expect((await at("2026-03-01T00:00:00Z", null)).status).toBe(201);
    const clash = await at("2026-02-01T00:00:00Z", "2026-02-15T00:00:00Z");
    expect(clash.status).toBe(409);
    expect(clash.json.error.message).toMatch(/Prefix 1 already has an entry live from the beginning to 2026-03-01/);
  });

  it("permissions: readonly reads and simulates but cannot write; NOC can", async () => {
    expect((await readonly.request("GET", "/api/routing-plans")).status).toBe(200);
    expect((await readonly.request("POST", "/api/routing-plans", { name: "Nope", currency: "USD" })).status).toBe(403);
    expect((await readonly.request("POST", "/api/fx-rates", { base: "EUR", quote: "USD", rate: "1.1", effectiveFrom: AT })).status).toBe(403);
    expect((await noc.request("POST", "/api/routing-plans", { name: "NOC plan", currency: "USD" })).status).toBe(201);
  });

  it("once past retention a deleted plan is purged with its entries and candidates; a live name blocks restoring", async () => {
    const tac = await idOf(admin, "/api/interconnects?q=TAC", "TAC Primary");
    const plan = (await admin.request("POST", "/api/routing-plans", { name: "Purged plan", currency: "USD" })).json;
    await admin.request("POST", `/api/routing-plans/${plan.id}/entries`, { prefix: "44", candidates: [{ interconnectId: tac }] });
    await admin.request("POST", `/api/routing-plans/${plan.id}/entries`, { prefix: "", candidates: [{ interconnectId: tac }] });
    const ofPlan = `entry_id IN (SELECT id FROM routing_entries WHERE plan_id = '${plan.id}')`;
    expect(await countRows(t.pool, "routing_candidates", ofPlan)).toBe(2);
    const candidates = await countRows(t.pool, "routing_candidates");

    expect((await admin.request("DELETE", `/api/routing-plans/${plan.id}`)).status).toBe(200);
    const twin = (await admin.request("POST", "/api/routing-plans", { name: "Purged plan", currency: "EUR" })).json;
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "routing_plan", id: plan.id })).status).toBe(409);
    await admin.request("DELETE", `/api/routing-plans/${twin.id}`);

    await t.pool.query("UPDATE routing_plans SET deleted_at = now() - interval '40 days' WHERE id = $1", [plan.id]);
    // The recycle-bin.purge job's handler, run here directly.
    await purgeExpired(t.pool, { tenantId: admin.me.tenant.id }, { jobId: "test", progress: async () => {} });
    expect(await countRows(t.pool, "routing_plans", `id = '${plan.id}'`)).toBe(0);
    expect(await countRows(t.pool, "routing_entries", `plan_id = '${plan.id}'`)).toBe(0);
    expect(await countRows(t.pool, "routing_candidates")).toBe(candidates - 2);
  });

  it("a deleted plan is in the recycle bin and can be restored", async () => {
    const plan = (await noc.request("POST", "/api/routing-plans", { name: "Binned", currency: "GBP" })).json;
    await noc.request("POST", `/api/routing-plans/${plan.id}/entries`, { prefix: "44" });
    await noc.request("DELETE", `/api/routing-plans/${plan.id}`);
    const bin = (await admin.request("GET", "/api/recycle-bin?entityType=routing_plan")).json;
    expect(bin.rows.map((r: Json) => r.title)).toContain("Binned");
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "routing_plan", id: plan.id })).status).toBe(200);
    expect((await noc.request("GET", `/api/routing-plans/${plan.id}`)).json).toMatchObject({ name: "Binned", entryCount: 1 });
  });
});

describe("tenant isolation", () => {
  it("another tenant's plans, entries and FX rates are 404 to read, edit or delete", async () => {
    const planId = await idOf(admin, "/api/routing-plans", "Wholesale USD");
    const entryId = (await admin.request("GET", `/api/routing-plans/${planId}/entries`)).json.rows[0].id;
    const fxId = (await admin.request("GET", "/api/fx-rates")).json.rows[0].id;
    const entries = await countRows(t.pool, "routing_entries");
    for (const [method, url, body] of [
      ["GET", `/api/routing-plans/${planId}`],
      ["PATCH", `/api/routing-plans/${planId}`, { name: "Mine" }],
      ["DELETE", `/api/routing-plans/${planId}`],
      ["GET", `/api/routing-plans/${planId}/entries`],
      ["POST", `/api/routing-plans/${planId}/entries`, { prefix: "1" }],
      ["GET", `/api/routing-entries/${entryId}`],
      ["PATCH", `/api/routing-entries/${entryId}`, { blocked: true }],
      ["DELETE", `/api/routing-entries/${entryId}`],
      ["DELETE", `/api/fx-rates/${fxId}`],
    ] as const) {
      expect((await acme.request(method, url, body)).status, `${method} ${url}`).toBe(404);
    }
    expect(await countRows(t.pool, "routing_entries")).toBe(entries);
    expect((await acme.request("GET", "/api/routing-plans")).json.total).toBe(0);
    expect((await acme.request("GET", "/api/fx-rates")).json.total).toBe(0);
    // Another tenant's interconnect is no candidate.
    const own = (await acme.request("POST", "/api/routing-plans", { name: "Acme plan", currency: "GBP" })).json;
    const tacPrimary = await idOf(admin, "/api/interconnects?q=TAC", "TAC Primary");
    const r = await acme.request("POST", `/api/routing-plans/${own.id}/entries`, { prefix: "44", candidates: [{ interconnectId: tacPrimary }] });
    expect(r.status).toBe(400);
    expect(r.json.error.fields["candidates.0.interconnectId"]).toEqual(["no such interconnect"]);
  });
});

describe("FX rates", () => {
  it("add, list, refuse duplicates and bad rates, delete", async () => {
    const r = await noc.request("POST", "/api/fx-rates", { base: "GBP", quote: "EUR", rate: "1.171234567", effectiveFrom: "2026-01-01T00:00:00Z" });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ base: "GBP", quote: "EUR", rate: "1.171234567" });
    expect((await noc.request("POST", "/api/fx-rates", { base: "GBP", quote: "EUR", rate: "1.2", effectiveFrom: "2026-01-01T00:00:00Z" })).status).toBe(409);
    for (const rate of ["0", "-1", "1.0000000001", "abc"]) expect((await noc.request("POST", "/api/fx-rates", { base: "GBP", quote: "EUR", rate, effectiveFrom: AT })).status).toBe(400);
    expect((await noc.request("POST", "/api/fx-rates", { base: "GBP", quote: "GBP", rate: "1", effectiveFrom: AT })).status).toBe(400);
    expect((await noc.request("GET", "/api/fx-rates?base=GBP&quote=EUR")).json.total).toBe(1);
    expect((await noc.request("DELETE", `/api/fx-rates/${r.json.id}`)).status).toBe(200);
    expect((await noc.request("GET", "/api/fx-rates?base=GBP&quote=EUR")).json.total).toBe(0);
  });
});

describe("the in-memory snapshot follows committed changes", () => {
  it("every table the snapshot is loaded from notifies routing_change", async () => {
    const r = await t.pool.query<{ table: string }>("SELECT DISTINCT event_object_table AS table FROM information_schema.triggers WHERE trigger_name = 'routing_change' ORDER BY 1");
    // load.ts reads these (rates reach it through rating_plans.updated_at, bumped by every applied deck).
    expect(r.rows.map((x) => x.table)).toEqual([
      "blacklist_entries",
      "carriers",
      "fx_rates",
      "interconnects",
      "rating_plans",
      "release_cause_mappings",
      "routing_candidates",
      "routing_entries",
      "routing_plans",
      "services",
      "trunk_group_members",
      "trunk_groups",
    ]);
  });

  it("entry, interconnect and FX changes reach decisions without a restart", async () => {
    const call = { ...ACME_IN, dialled: "1002#442071234567" };
    expect(names(await decide(noc, call))).toEqual(["Orion FRA", "TAC Primary", "TAC Backup"]);

    // Each change reaches decisions moments after its commit (the snapshot rebuilds on
    // the change notice); a rebuild already running for an earlier change may finish
    // first, so the decision is polled rather than read once after the next generation.
    let g = await generation(noc);
    const orion = await idOf(noc, "/api/interconnects?q=Orion", "Orion FRA");
    expect((await noc.request("PATCH", `/api/interconnects/${orion}`, { status: "disabled" })).status).toBe(200);
    await rebuiltAfter(noc, g);
    await expect.poll(async () => names(await decide(noc, call))).toEqual(["TAC Primary", "TAC Backup"]);
    let d = await decide(noc, call);
    expect(dropped(d)).toMatchObject({ "Orion FRA": "disabled" });
    await noc.request("PATCH", `/api/interconnects/${orion}`, { status: "active" });

    // A higher EUR rate from the call's date makes Orion dearer than TAC Primary (0.0055 × 1.2 = 0.0066).
    g = await generation(noc);
    const fx = await noc.request("POST", "/api/fx-rates", { base: "EUR", quote: "USD", rate: "1.2", effectiveFrom: "2026-01-01T00:00:00Z" });
    await rebuiltAfter(noc, g);
    await expect.poll(async () => names(await decide(noc, call))).toEqual(["TAC Primary", "Orion FRA", "TAC Backup"]);
    d = await decide(noc, call);
    expect(d.routes[1]).toMatchObject({ fxRate: "1.2", supplierRateInPlanCurrency: "0.006600" });
    await noc.request("DELETE", `/api/fx-rates/${fx.json.id}`);

    g = await generation(noc);
    const planId = await idOf(noc, "/api/routing-plans", "Wholesale USD");
    const uk = ((await noc.request("GET", `/api/routing-plans/${planId}/entries?q=44`)).json.rows as Json[]).find((e) => e.prefix === "44");
    await noc.request("PATCH", `/api/routing-entries/${uk.id}`, { blocked: true });
    await rebuiltAfter(noc, g);
    await expect.poll(async () => (await decide(noc, call)).rejection?.reason).toBe("blocked");
    await noc.request("PATCH", `/api/routing-entries/${uk.id}`, { blocked: false });

    const status = (await noc.request("GET", "/api/routing/status")).json;
    expect(status).toMatchObject({ lastError: null, creditEnforced: true, counts: expect.objectContaining({ routingPlans: expect.any(Number), fxRates: 3 }) });
    expect(status.counts.services).toBe(4);
  });
});
