import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";

/**
 * Every tenant and portal boundary, tried from the wrong side. Each attempt must be
 * refused with 403/404 and must write nothing.
 */
let t: TestContext;
let demoAdmin: Session;
let acmeAdmin: Session;
let acmeUserId: string;
let acmeTenantId: string;

beforeAll(async () => {
  t = await createTestApp();
  demoAdmin = await login(t.app, "admin@demo.didtron.local");
  acmeAdmin = await login(t.app, "admin@acme.example");
  acmeTenantId = acmeAdmin.me.tenant.id;
  const r = await t.pool.query("SELECT id FROM users WHERE email = 'noc@acme.example'");
  acmeUserId = r.rows[0].id;
});
afterAll(async () => t?.close());

async function snapshot() {
  return {
    users: await t.pool.query("SELECT id, email, name, role, is_active, deleted_at FROM users ORDER BY id").then((r) => r.rows),
    audits: await countRows(t.pool, "audit_events"),
    keys: await countRows(t.pool, "api_keys"),
    tenants: await t.pool.query("SELECT * FROM tenants ORDER BY id").then((r) => r.rows),
  };
}

describe("tenant A cannot reach tenant B", () => {
  it("reads, writes and deletes of another tenant's user by id are 404 and change nothing", async () => {
    const before = await snapshot();
    expect((await demoAdmin.request("GET", `/api/users/${acmeUserId}`)).status).toBe(404);
    expect((await demoAdmin.request("PATCH", `/api/users/${acmeUserId}`, { name: "Hijacked" })).status).toBe(404);
    expect((await demoAdmin.request("PATCH", `/api/users/${acmeUserId}`, { isActive: false })).status).toBe(404);
    expect((await demoAdmin.request("DELETE", `/api/users/${acmeUserId}`)).status).toBe(404);
    expect((await demoAdmin.request("POST", `/api/users/${acmeUserId}/logout-everywhere`)).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it("lists, search and audit never show the other tenant's rows", async () => {
    const users = await demoAdmin.request("GET", "/api/users?pageSize=500");
    expect(users.json.rows.every((u: { tenantId: string }) => u.tenantId === demoAdmin.me.tenant.id)).toBe(true);
    expect(JSON.stringify(users.json)).not.toContain("acme.example");
    // "Acme Retail Customer" and the acme.example users belong to the other tenant.
    for (const q of ["Acme Retail", "acme.example"]) {
      const search = await demoAdmin.request("GET", `/api/search?q=${encodeURIComponent(q)}`);
      expect(search.json.hits, q).toEqual([]);
    }
    const audit = await demoAdmin.request("GET", `/api/audit-events?entityId=${acmeUserId}`);
    expect(audit.json.total).toBe(0);
  });

  it("cannot restore another tenant's deleted user from the recycle bin", async () => {
    expect((await acmeAdmin.request("DELETE", `/api/users/${acmeUserId}`)).status).toBe(200);
    const before = await snapshot();
    const r = await demoAdmin.request("POST", "/api/recycle-bin/restore", { entityType: "user", id: acmeUserId });
    expect(r.status).toBe(404);
    expect((await demoAdmin.request("GET", "/api/recycle-bin")).json.rows.map((x: { id: string }) => x.id)).not.toContain(acmeUserId);
    expect(await snapshot()).toEqual(before);
    expect((await acmeAdmin.request("POST", "/api/recycle-bin/restore", { entityType: "user", id: acmeUserId })).status).toBe(200);
  });

  it("cannot see, retry or cancel another tenant's jobs", async () => {
    const { jobId } = (await acmeAdmin.request("POST", "/api/recycle-bin/purge")).json;
    const demoJobs = await demoAdmin.request("GET", "/api/jobs?pageSize=500");
    expect(demoJobs.json.rows.map((j: { id: string }) => j.id)).not.toContain(jobId);
    expect((await demoAdmin.request("POST", `/api/jobs/${jobId}/cancel`)).status).toBe(404);
    expect((await demoAdmin.request("POST", `/api/jobs/${jobId}/retry`)).status).toBe(404);
    const state = await t.pool.query("SELECT state FROM pgboss.job WHERE id = $1", [jobId]);
    expect(state.rows[0].state).toBe("created");
  });

  it("tenant settings writes only ever touch the caller's own tenant", async () => {
    const r = await demoAdmin.request("PATCH", "/api/tenant", { brandName: "Demo Rebrand" });
    expect(r.status).toBe(200);
    const acme = await t.pool.query("SELECT brand_name FROM tenants WHERE id = $1", [acmeTenantId]);
    expect(acme.rows[0].brand_name).toBe("Acme Voice");
  });

  it("a tenant admin cannot switch tenant; a super admin can, and then sees that tenant", async () => {
    expect((await demoAdmin.request("POST", "/api/auth/switch-tenant", { tenantId: acmeTenantId })).status).toBe(403);
    const superAdmin = await login(t.app, "super@didtron.local");
    expect(superAdmin.me.tenant.slug).toBe("demo");
    expect((await superAdmin.request("POST", "/api/auth/switch-tenant", { tenantId: acmeTenantId })).status).toBe(200);
    const me = await superAdmin.request("GET", "/api/auth/me");
    expect(me.json.tenant.slug).toBe("acme");
    const users = await superAdmin.request("GET", "/api/users?pageSize=500");
    expect(users.json.rows.every((u: { tenantId: string }) => u.tenantId === acmeTenantId)).toBe(true);
  });

  it("an API key of tenant A cannot read tenant B's user", async () => {
    const { token } = (await demoAdmin.request("POST", "/api/api-keys", { name: "reader", scopes: ["users:read"] })).json;
    const r = await t.app.inject({ method: "GET", url: `/api/users/${acmeUserId}`, headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(404);
  });
});

describe("portal and role boundaries", () => {
  it("a customer-portal user is refused every staff endpoint", async () => {
    const customer = await login(t.app, "customer@demo.didtron.local");
    const before = await snapshot();
    for (const [method, url, body] of [
      ["GET", "/api/users"],
      ["GET", "/api/audit-events"],
      ["GET", "/api/jobs"],
      ["GET", "/api/tenant"],
      ["GET", "/api/api-keys"],
      ["GET", "/api/recycle-bin"],
      ["GET", "/api/search?q=a"],
      ["PATCH", "/api/tenant", { brandName: "Pwned" }],
      ["POST", "/api/users", { email: "evil@x.example", name: "E", role: "admin", password: "long-enough-pw" }],
      ["POST", "/api/api-keys", { name: "k", scopes: ["users:read"] }],
    ] as const) {
      const r = await customer.request(method, url, body);
      expect(r.status, `${method} ${url}`).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    // …but its own session endpoints work.
    expect((await customer.request("GET", "/api/auth/me")).status).toBe(200);
  });

  it("read-only staff can read but every write is 403 and writes nothing", async () => {
    const ro = await login(t.app, "readonly@demo.didtron.local");
    expect((await ro.request("GET", "/api/users")).status).toBe(200);
    const before = await snapshot();
    const someone = (await ro.request("GET", "/api/users?q=nick")).json.rows[0].id;
    expect((await ro.request("PATCH", `/api/users/${someone}`, { name: "x" })).status).toBe(403);
    expect((await ro.request("DELETE", `/api/users/${someone}`)).status).toBe(403);
    expect((await ro.request("PATCH", "/api/tenant", { brandName: "x" })).status).toBe(403);
    expect((await ro.request("POST", "/api/recycle-bin/purge")).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("an admin cannot create a super admin", async () => {
    const r = await demoAdmin.request("POST", "/api/users", { email: "root2@x.example", name: "R", role: "super_admin", password: "long-enough-pw" });
    expect(r.status).toBe(400);
    expect(r.json.error.fields.role).toBeDefined();
  });

  it("an anonymous caller gets 401 everywhere but health, ready, login and docs", async () => {
    for (const url of ["/api/users", "/api/tenant", "/api/audit-events", "/api/jobs", "/api/notifications"]) {
      expect((await t.app.inject({ method: "GET", url })).statusCode, url).toBe(401);
    }
    expect((await t.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/api/ready" })).statusCode).toBe(200);
  });
});

describe("customer portal", () => {
  it("a portal user sees exactly their own carrier account, and staff cannot use the portal", async () => {
    const customer = await login(t.app, "customer@demo.didtron.local");
    const own = await customer.request("GET", "/api/portal/account");
    expect(own.status).toBe(200);
    expect(own.json.carrier.name).toBe("GlobalVoice Ltd");
    expect(own.json.creditControl.currencies[0].currency).toBe("GBP");
    // The staff routes for any carrier, including their own, stay closed.
    expect((await customer.request("GET", `/api/carriers/${own.json.carrier.id}`)).status).toBe(403);
    expect((await customer.request("GET", "/api/carriers")).status).toBe(403);
    expect((await demoAdmin.request("GET", "/api/portal/account")).status).toBe(403);
  });

  it("portal users must be bound to a live carrier of their own tenant", async () => {
    const acmeCarrier = (await acmeAdmin.request("GET", "/api/carriers")).json.rows[0].id;
    const base = { email: "p1@x.example", name: "P", role: "customer", password: "long-enough-pw" };
    const noCarrier = await demoAdmin.request("POST", "/api/users", base);
    expect(noCarrier.status).toBe(400);
    expect(noCarrier.json.error.fields.carrierId).toBeDefined();
    const foreign = await demoAdmin.request("POST", "/api/users", { ...base, carrierId: acmeCarrier });
    expect(foreign.status).toBe(400);
    const staffBound = await demoAdmin.request("POST", "/api/users", { ...base, role: "noc", carrierId: acmeCarrier });
    expect(staffBound.status).toBe(400);
  });
});
