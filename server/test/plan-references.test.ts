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
