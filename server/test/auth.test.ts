import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, DEMO_PASSWORD, type TestContext } from "./harness.js";
import { THROTTLE } from "../src/identity/auth.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe("password login and sessions", () => {
  it("signs in, sets an HttpOnly SameSite cookie and returns who I am with a CSRF token", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "Admin@Demo.didtron.local", password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "didtron_sid")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const me = res.json();
    expect(me.user.role).toBe("admin");
    expect(me.tenant.slug).toBe("demo");
    expect(me.csrfToken.length).toBeGreaterThan(20);
    expect(me.permissions).toContain("users:write");
    // The session is stored hashed: the cookie value is nowhere in the table.
    expect(await countRows(t.pool, "sessions", `token_hash = '${cookie.value}'`)).toBe(0);
  });

  it("refuses a wrong password with 401 and records the failed attempt", async () => {
    const before = await countRows(t.pool, "login_attempts", "NOT succeeded");
    const res = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "noc@demo.didtron.local", password: "wrong-password" } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("invalid_credentials");
    expect(await countRows(t.pool, "login_attempts", "NOT succeeded")).toBe(before + 1);
  });

  it("throttles repeated failures for one e-mail, even with the right password afterwards", async () => {
    const email = "billing@demo.didtron.local";
    for (let i = 0; i < THROTTLE.maxFailuresPerEmail; i++) {
      const r = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password: "nope-nope-nope" } });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password: DEMO_PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("too_many_attempts");
    expect(blocked.headers["retry-after"]).toBe(String(THROTTLE.windowMinutes * 60));
  });

  it("rejects an unknown e-mail the same way as a wrong password", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "nobody@nowhere.example", password: "whatever-123" } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("invalid_credentials");
  });

  it("requires a session for /api/auth/me and ends it on logout", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me" })).statusCode).toBe(401);
    const s = await login(t.app, "sales@demo.didtron.local");
    expect((await s.request("GET", "/api/auth/me")).status).toBe(200);
    expect((await s.request("POST", "/api/auth/logout")).status).toBe(200);
    expect((await s.request("GET", "/api/auth/me")).status).toBe(401);
  });

  it("logs out everywhere: every session of the user ends", async () => {
    const a = await login(t.app, "readonly@demo.didtron.local");
    const b = await login(t.app, "readonly@demo.didtron.local");
    const r = await a.request("POST", "/api/auth/logout-everywhere");
    expect(r.json.sessionsEnded).toBe(2);
    expect((await b.request("GET", "/api/auth/me")).status).toBe(401);
  });

  it("refuses a cookie-authenticated write without the CSRF token and writes nothing", async () => {
    const s = await login(t.app, "admin@demo.didtron.local");
    const users = await countRows(t.pool, "users");
    const audits = await countRows(t.pool, "audit_events");
    const r = await s.request("POST", "/api/users", { email: "x1@demo.example", name: "X", role: "noc", password: "long-enough-pw" }, { csrf: false });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe("csrf_failed");
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/users",
      headers: { cookie: s.cookie, "x-csrf-token": "not-the-token" },
      payload: { email: "x2@demo.example", name: "X", role: "noc", password: "long-enough-pw" },
    });
    expect(wrong.statusCode).toBe(403);
    expect(await countRows(t.pool, "users")).toBe(users);
    expect(await countRows(t.pool, "audit_events")).toBe(audits);
  });

  it("changing a password needs the current one and ends other sessions", async () => {
    const s = await login(t.app, "admin@acme.example");
    const other = await login(t.app, "admin@acme.example");
    const bad = await s.request("POST", "/api/auth/password", { currentPassword: "wrong", newPassword: "a-new-password-1" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.currentPassword).toBeDefined();
    const good = await s.request("POST", "/api/auth/password", { currentPassword: DEMO_PASSWORD, newPassword: "a-new-password-1" });
    expect(good.status).toBe(200);
    expect((await other.request("GET", "/api/auth/me")).status).toBe(401);
    expect((await s.request("GET", "/api/auth/me")).status).toBe(200);
    await login(t.app, "admin@acme.example", "a-new-password-1");
  });
});

describe("API keys", () => {
  it("shows the token once, stores it hashed, honours scopes, and stops working when revoked", async () => {
    const admin = await login(t.app, "admin@demo.didtron.local");
    const created = await admin.request("POST", "/api/api-keys", { name: "billing export", scopes: ["users:read"] });
    expect(created.status).toBe(201);
    const { token, key } = created.json;
    expect(token).toMatch(/^dtk_[A-Za-z0-9]{12}_/);
    expect(await countRows(t.pool, "api_keys", `token_hash LIKE '%${token.slice(-20)}%'`)).toBe(0);
    const list = await admin.request("GET", "/api/api-keys?q=billing");
    expect(JSON.stringify(list.json)).not.toContain(token);
    expect(list.json.rows.map((k: { name: string; createdByName: string }) => [k.name, k.createdByName])).toEqual([["billing export", "Dana Admin"]]);

    const bearer = { authorization: `Bearer ${token}` };
    const read = await t.app.inject({ method: "GET", url: "/api/users?pageSize=5", headers: bearer });
    expect(read.statusCode).toBe(200);
    expect(read.json().total).toBeGreaterThan(5);
    // No CSRF needed for a key, but scope users:read does not allow writes.
    const users = await countRows(t.pool, "users");
    const w = await t.app.inject({ method: "POST", url: "/api/users", headers: bearer, payload: { email: "k@x.example", name: "K", role: "noc", password: "long-enough-pw" } });
    expect(w.statusCode).toBe(403);
    expect(await countRows(t.pool, "users")).toBe(users);

    expect((await admin.request("POST", `/api/api-keys/${key.id}/revoke`)).status).toBe(200);
    const after = await t.app.inject({ method: "GET", url: "/api/users", headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("invalid_api_key");
  });

  it("a key with users:write creates users, audited as the key", async () => {
    const admin = await login(t.app, "admin@demo.didtron.local");
    const { token, key } = (await admin.request("POST", "/api/api-keys", { name: "provisioning", scopes: ["users:write", "users:read"] })).json;
    const r = await t.app.inject({
      method: "POST",
      url: "/api/users",
      headers: { authorization: `Bearer ${token}` },
      payload: { email: "provisioned@demo.example", name: "Provisioned", role: "noc", password: "long-enough-pw" },
    });
    expect(r.statusCode).toBe(201);
    const audit = await t.pool.query("SELECT actor_type, actor_id FROM audit_events WHERE entity_id = $1 AND action = 'user.create'", [r.json().id]);
    expect(audit.rows).toEqual([{ actor_type: "api_key", actor_id: key.id }]);
  });

  it("cannot grant scopes its creator does not hold", async () => {
    const noc = await login(t.app, "noc@demo.didtron.local");
    // NOC lacks api_keys:write entirely.
    expect((await noc.request("POST", "/api/api-keys", { name: "x", scopes: ["jobs:read"] })).status).toBe(403);
  });

  it("rejects malformed and unknown bearer tokens", async () => {
    for (const value of ["Bearer nope", "Bearer dtk_AAAAAAAAAAAA_" + "a".repeat(43), "Basic abc"]) {
      const r = await t.app.inject({ method: "GET", url: "/api/users", headers: { authorization: value } });
      expect(r.statusCode).toBe(401);
    }
  });
});
