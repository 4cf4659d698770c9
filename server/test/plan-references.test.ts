import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";

/** A service names a customer rating plan in its currency; an egress interconnect a supplier plan. */
let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

const plan = async (name: string, kind: string, currency: string) =>
  (await admin.request("POST", "/api/rating-plans", { name, kind, currency, noticeDays: 0 })).json.id as string;

describe("rating plan references", () => {
  it("a service accepts a customer plan in its currency and refuses the rest, naming the field", async () => {
    const usdCustomer = await plan("Ref USD retail", "customer", "USD");
    const eurCustomer = await plan("Ref EUR retail", "customer", "EUR");
    const usdSupplier = await plan("Ref USD buy", "supplier", "USD");
    const carrier = (await admin.request("POST", "/api/carriers", { name: "Ref Customer", type: "customer", primaryCurrency: "USD" })).json;
    const ic = (await admin.request("POST", `/api/carriers/${carrier.id}/interconnects`, { name: "Ref in", direction: "ingress", currency: "USD", addresses: [{ address: "100.64.50.1", port: null }] })).json;
    const services = await countRows(t.pool, "services");
    for (const [id, msg] of [
      [eurCustomer, /EUR, not USD/],
      [usdSupplier, /is a supplier plan/],
      ["0190aaaa-0000-7000-8000-000000000000", /No such rating plan/],
    ] as const) {
      const r = await admin.request("POST", `/api/interconnects/${ic.id}/services`, { name: "Ref svc", ratingPlanId: id });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(msg);
      expect(r.json.error.fields.ratingPlanId).toBeDefined();
    }
    expect(await countRows(t.pool, "services")).toBe(services);
    const ok = await admin.request("POST", `/api/interconnects/${ic.id}/services`, { name: "Ref svc", ratingPlanId: usdCustomer });
    expect(ok.status).toBe(201);
    expect(ok.json.ratingPlanId).toBe(usdCustomer);
    // …and the plan cannot be deleted while the service uses it.
    expect((await admin.request("DELETE", `/api/rating-plans/${usdCustomer}`)).status).toBe(409);
  });

  it("an egress interconnect takes a supplier plan in its currency", async () => {
    const usdSupplier = await plan("Ref USD buy 2", "supplier", "USD");
    const usdCustomer = await plan("Ref USD sell 2", "customer", "USD");
    const carrier = (await admin.request("POST", "/api/carriers", { name: "Ref Supplier", type: "supplier", primaryCurrency: "USD" })).json;
    const body = { name: "Ref out", direction: "egress", currency: "USD", egressRouting: { sendTo: [{ address: "192.0.2.99", port: 5060, transport: "udp" }] } };
    expect((await admin.request("POST", `/api/carriers/${carrier.id}/interconnects`, { ...body, supplierRatingPlanId: usdCustomer })).status).toBe(400);
    const ok = await admin.request("POST", `/api/carriers/${carrier.id}/interconnects`, { ...body, supplierRatingPlanId: usdSupplier });
    expect(ok.status).toBe(201);
    expect(ok.json.supplierRatingPlanId).toBe(usdSupplier);
  });
});

describe("routing plan references", () => {
  it("a service accepts a live routing plan of its tenant and refuses another tenant's or a deleted one", async () => {
    const acme = await login(t.app, "admin@acme.example");
    const mine = (await admin.request("POST", "/api/routing-plans", { name: "Ref routing", currency: "EUR" })).json.id as string;
    const gone = (await admin.request("POST", "/api/routing-plans", { name: "Ref routing gone", currency: "USD" })).json.id as string;
    await admin.request("DELETE", `/api/routing-plans/${gone}`);
    const theirs = (await acme.request("POST", "/api/routing-plans", { name: "Acme routing", currency: "GBP" })).json.id as string;
    const carrier = (await admin.request("POST", "/api/carriers", { name: "Ref Routing Customer", type: "customer", primaryCurrency: "USD" })).json;
    const ic = (await admin.request("POST", `/api/carriers/${carrier.id}/interconnects`, { name: "Ref routing in", direction: "ingress", currency: "USD", addresses: [{ address: "100.64.51.1", port: null }] })).json;
    const services = await countRows(t.pool, "services");
    for (const id of [theirs, gone]) {
      const r = await admin.request("POST", `/api/interconnects/${ic.id}/services`, { name: "Ref routed", routingPlanId: id });
      expect(r.status).toBe(400);
      expect(r.json.error.fields.routingPlanId).toEqual(["no such routing plan"]);
    }
    expect(await countRows(t.pool, "services")).toBe(services);
    // A routing plan may compare in another currency than the service's (FX rates convert).
    const ok = await admin.request("POST", `/api/interconnects/${ic.id}/services`, { name: "Ref routed", routingPlanId: mine });
    expect(ok.status).toBe(201);
    expect(ok.json.routingPlanId).toBe(mine);
    const r = await admin.request("DELETE", `/api/routing-plans/${mine}`);
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/service Ref routed/);
    const patched = await admin.request("PATCH", `/api/services/${ok.json.id}`, { routingPlanId: null });
    expect(patched.json.routingPlanId).toBeNull();
    expect((await admin.request("DELETE", `/api/routing-plans/${mine}`)).status).toBe(200);
  });
});
