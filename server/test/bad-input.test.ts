import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";

/** Bad input is a 4xx with field errors, never a 500, and never a half-write. */
let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

const send = (method: "POST" | "PATCH", url: string, payload: string, contentType = "application/json") =>
  t.app.inject({ method, url, payload, headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": contentType } });

async function unchanged<T>(fn: () => Promise<T>): Promise<T> {
  const tables = ["users", "audit_events", "api_keys", "sessions"];
  const before = await Promise.all(tables.map((x) => countRows(t.pool, x)));
  const tenantBefore = (await t.pool.query("SELECT * FROM tenants ORDER BY id")).rows;
  const result = await fn();
  expect(await Promise.all(tables.map((x) => countRows(t.pool, x)))).toEqual(before);
  expect((await t.pool.query("SELECT * FROM tenants ORDER BY id")).rows).toEqual(tenantBefore);
  return result;
}

describe("malformed requests", () => {
  it("malformed JSON → 400 invalid_json", async () => {
    const r = await unchanged(() => send("POST", "/api/users", '{"email": "a@b.c",'));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe("invalid_json");
  });

  it("wrong types → 400 with an error per field", async () => {
    const r = await unchanged(() => send("POST", "/api/users", JSON.stringify({ email: 42, name: ["x"], role: "king", password: "short" })));
    expect(r.statusCode).toBe(400);
    const { error } = r.json();
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.fields).sort()).toEqual(["email", "name", "password", "role"]);
  });

  it("oversized body → 413", async () => {
    const huge = JSON.stringify({ name: "x".repeat(200_000) });
    const r = await unchanged(() => send("PATCH", "/api/tenant", huge));
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe("body_too_large");
  });

  it("non-JSON content type → 415", async () => {
    const r = await unchanged(() => send("POST", "/api/users", "email=a@b.c", "application/x-www-form-urlencoded"));
    expect(r.statusCode).toBe(415);
  });

  it("a path id that is not a uuid → 400, not a database error", async () => {
    const r = await unchanged(() => admin.request("PATCH", "/api/users/not-a-uuid", { name: "x" }));
    expect(r.status).toBe(400);
    expect(r.json.error.fields).toHaveProperty("id");
  });

  it("bad query parameters → 400", async () => {
    expect((await admin.request("GET", "/api/users?page=0")).status).toBe(400);
    expect((await admin.request("GET", "/api/users?pageSize=100000")).status).toBe(400);
    expect((await admin.request("GET", "/api/users?sort=email;drop")).status).toBe(400);
    expect((await admin.request("GET", "/api/audit-events?from=yesterday")).status).toBe(400);
  });

  it("an empty PATCH is refused", async () => {
    const r = await unchanged(() => admin.request("PATCH", "/api/tenant", {}));
    expect(r.status).toBe(400);
  });

  it("tenant settings validate colour, time zone, logo and retention", async () => {
    const r = await unchanged(() =>
      admin.request("PATCH", "/api/tenant", { accentColor: "blue", timeZone: "Mars/Base", logoDataUrl: "http://x/y.png", retentionDays: 0 }),
    );
    expect(r.status).toBe(400);
    expect(Object.keys(r.json.error.fields).sort()).toEqual(["accentColor", "logoDataUrl", "retentionDays", "timeZone"]);
  });

  it("a duplicate e-mail is a 409 naming the field, with nothing written", async () => {
    const r = await unchanged(() => admin.request("POST", "/api/users", { email: "NOC@demo.didtron.local", name: "Dup", role: "noc", password: "long-enough-pw" }));
    expect(r.status).toBe(409);
    expect(r.json.error.fields.email).toBeDefined();
  });

  it("unknown routes are JSON 404s", async () => {
    const r = await admin.request("GET", "/api/nope");
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("not_found");
  });

  it("every error carries the request id that is also in the response header", async () => {
    const r = await t.app.inject({ method: "GET", url: "/api/users", headers: { "x-request-id": "trace-123" } });
    expect(r.headers["x-request-id"]).toBe("trace-123");
    expect(r.json().error.requestId).toBe("trace-123");
  });
});
