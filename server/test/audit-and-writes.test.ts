import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { inTransaction } from "../src/platform/db/client.js";
import { createUser } from "../src/identity/users.js";
import { systemActor } from "../src/audit/audit.js";

let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

describe("audit log", () => {
  it("records who changed what, before and after, with request id and IP", async () => {
    const created = await admin.request("POST", "/api/users", { email: "new.noc@demo.example", name: "New NOC", role: "noc", password: "long-enough-pw" });
    expect(created.status).toBe(201);
    const id = created.json.id;
    const patched = await admin.request("PATCH", `/api/users/${id}`, { role: "billing", name: "New Billing" });
    expect(patched.status).toBe(200);
    const events = await admin.request("GET", `/api/audit-events?entityId=${id}&sort=createdAt:asc`);
    expect(events.json.rows.map((e: { action: string }) => e.action)).toEqual(["user.create", "user.update"]);
    const update = events.json.rows[1];
    expect(update.actorLabel).toBe("admin@demo.didtron.local");
    expect(update.actorId).toBe(admin.me.user.id);
    expect(update.changes).toMatchObject({ role: ["noc", "billing"], name: ["New NOC", "New Billing"] });
    expect(update.before.role).toBe("noc");
    expect(update.after.role).toBe("billing");
    expect(update.requestId).toBeTruthy();
    expect(update.ip).toBe("127.0.0.1");
    // Secrets never reach the audit log.
    expect(JSON.stringify(events.json)).not.toMatch(/argon2/);
  });

  it("filters by action, entity type and actor type, and offers facets", async () => {
    const r = await admin.request("GET", "/api/audit-events?action=user.create&actorType=system&pageSize=5");
    expect(r.json.total).toBeGreaterThan(30); // the demo seed
    expect(r.json.rows).toHaveLength(5);
    const facets = await admin.request("GET", "/api/audit-events/facets");
    expect(facets.json.actions).toContain("user.create");
    expect(facets.json.entityTypes).toContain("user");
  });

  it("a write that fails leaves neither the change nor its audit row", async () => {
    const users = await countRows(t.pool, "users");
    const audits = await countRows(t.pool, "audit_events");
    await expect(
      inTransaction(t.pool, async (tx) => {
        await createUser(tx, systemActor(admin.me.tenant.id), { email: "rollback@demo.example", name: "R", role: "noc", password: "long-enough-pw" });
        throw new Error("boom after the write");
      }),
    ).rejects.toThrow("boom");
    expect(await countRows(t.pool, "users")).toBe(users);
    expect(await countRows(t.pool, "audit_events")).toBe(audits);
  });
});

describe("soft delete and recycle bin", () => {
  it("a deleted user leaves every list, shows in the bin with its purge date, and can be restored", async () => {
    const { id } = (await admin.request("POST", "/api/users", { email: "temp@demo.example", name: "Temp User", role: "sales", password: "long-enough-pw" })).json;
    const temp = await login(t.app, "temp@demo.example", "long-enough-pw");
    expect((await admin.request("DELETE", `/api/users/${id}`)).status).toBe(200);
    // Deleting ends the user's sessions and blocks login.
    expect((await temp.request("GET", "/api/auth/me")).status).toBe(401);
    expect((await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "temp@demo.example", password: "long-enough-pw" } })).statusCode).toBe(401);
    expect((await admin.request("GET", `/api/users/${id}`)).status).toBe(404);
    expect((await admin.request("GET", "/api/users?q=temp@demo")).json.total).toBe(0);
    const bin = await admin.request("GET", "/api/recycle-bin?q=temp@");
    expect(bin.json.rows).toHaveLength(1);
    const item = bin.json.rows[0];
    expect(item).toMatchObject({ entityType: "user", id, title: "temp@demo.example" });
    const days = (Date.parse(item.purgeAfter) - Date.parse(item.deletedAt)) / 86_400_000;
    expect(days).toBe(30);
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "user", id })).status).toBe(200);
    expect((await admin.request("GET", `/api/users/${id}`)).status).toBe(200);
    expect((await admin.request("GET", "/api/recycle-bin?q=temp@")).json.total).toBe(0);
    const actions = (await admin.request("GET", `/api/audit-events?entityId=${id}&sort=createdAt:asc`)).json.rows.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["user.create", "auth.login", "user.delete", "user.restore"]);
  });

  it("restoring is refused when the e-mail was taken meanwhile", async () => {
    const { id } = (await admin.request("POST", "/api/users", { email: "reuse@demo.example", name: "A", role: "sales", password: "long-enough-pw" })).json;
    await admin.request("DELETE", `/api/users/${id}`);
    expect((await admin.request("POST", "/api/users", { email: "reuse@demo.example", name: "B", role: "sales", password: "long-enough-pw" })).status).toBe(201);
    const r = await admin.request("POST", "/api/recycle-bin/restore", { entityType: "user", id });
    expect(r.status).toBe(409);
  });

  it("an admin cannot delete themselves", async () => {
    expect((await admin.request("DELETE", `/api/users/${admin.me.user.id}`)).status).toBe(409);
  });
});
