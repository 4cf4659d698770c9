import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FastifyInstance } from "fastify";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/platform/config.js";
import { AUTH_CACHE_TTL_MS, AuthCache, type Resolved } from "../src/identity/auth-cache.js";
import type { Principal } from "../src/identity/principal.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const principal = (name: string): Principal => ({ kind: "api_key", apiKeyId: "00000000-0000-4000-8000-000000000001", tenantId: "00000000-0000-4000-8000-000000000002", name, scopes: [] });

describe("AuthCache", () => {
  it("answers from memory within the TTL, asks again after it, and never caches a refusal", async () => {
    const cache = new AuthCache(80);
    let loads = 0;
    const load = async (): Promise<Resolved> => ({ principal: principal(`v${++loads}`), expiresAtMs: null });
    expect((await cache.resolve("a", load))).toMatchObject({ name: "v1" });
    expect((await cache.resolve("a", load))).toMatchObject({ name: "v1" });
    expect(loads).toBe(1);
    await sleep(100);
    expect((await cache.resolve("a", load))).toMatchObject({ name: "v2" });

    let refusals = 0;
    const refuse = async () => (refusals++, null);
    expect(await cache.resolve("b", refuse)).toBeNull();
    expect(await cache.resolve("b", refuse)).toBeNull();
    expect(refusals).toBe(2);
  });

  it("never keeps an entry past the key's or session's expiry", async () => {
    const cache = new AuthCache(60_000);
    let loads = 0;
    const load = async (): Promise<Resolved> => ({ principal: principal(`v${++loads}`), expiresAtMs: Date.now() + 40 });
    await cache.resolve("a", load);
    await cache.resolve("a", load);
    expect(loads).toBe(1);
    await sleep(60);
    await cache.resolve("a", load);
    expect(loads).toBe(2);
  });

  it("does not store an answer loaded across a clear (it may predate the change that cleared)", async () => {
    const cache = new AuthCache(60_000);
    let loads = 0;
    const slow = async (): Promise<Resolved> => {
      loads++;
      cache.clear(); // a revoke commits while this lookup is in flight
      return { principal: principal("stale"), expiresAtMs: null };
    };
    await cache.resolve("a", slow);
    await cache.resolve("a", async () => (loads++, null));
    expect(loads).toBe(2);
  });
});

describe("cached callers across two app instances on one database", () => {
  let t: TestContext;
  let other: FastifyInstance;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    other = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), pool: t.pool, db: t.db, jobs: t.jobs });
    await other.ready();
    admin = await login(t.app, "admin@demo.didtron.local");
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  /** Polls until the request is refused; returns the milliseconds it took. */
  async function refusedWithin(send: () => Promise<number>): Promise<number> {
    const t0 = Date.now();
    while ((await send()) !== 401) {
      if (Date.now() - t0 > AUTH_CACHE_TTL_MS * 3) throw new Error("still accepted long past the bound");
      await sleep(50);
    }
    return Date.now() - t0;
  }

  it("a key revoked on one instance is refused on the other within the bound", async () => {
    const { token, key } = (await admin.request("POST", "/api/api-keys", { name: "switch", scopes: ["users:read"] })).json;
    const read = async (app: FastifyInstance) => (await app.inject({ method: "GET", url: "/api/users?pageSize=1", headers: { authorization: `Bearer ${token}` } })).statusCode;
    expect(await read(other)).toBe(200); // cached on the other instance now
    expect(await read(t.app)).toBe(200);
    expect((await admin.request("POST", `/api/api-keys/${key.id}/revoke`)).status).toBe(200);
    // The instance that revoked honours it at once…
    expect(await read(t.app)).toBe(401);
    // …the other within the cache's TTL (plus the polling step).
    expect(await refusedWithin(() => read(other))).toBeLessThanOrEqual(AUTH_CACHE_TTL_MS + 250);
  });

  it("a session whose user is deactivated on one instance is refused on the other within the bound", async () => {
    const noc = await login(other, "noc@demo.didtron.local");
    const me = async () => (await other.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: noc.cookie } })).statusCode;
    expect(await me()).toBe(200);
    expect((await admin.request("PATCH", `/api/users/${noc.me.user.id}`, { isActive: false })).status).toBe(200);
    expect(await refusedWithin(me)).toBeLessThanOrEqual(AUTH_CACHE_TTL_MS + 250);
  });

  it("only a successful identity write empties the cache: not refusals, not sign-ins", async () => {
    const clear = vi.spyOn(AuthCache.prototype, "clear");
    try {
      const { key } = (await admin.request("POST", "/api/api-keys", { name: "spied", scopes: ["users:read"] })).json;
      clear.mockClear();
      const anonymous = await t.app.inject({ method: "POST", url: `/api/api-keys/${key.id}/revoke` });
      expect(anonymous.statusCode).toBe(401);
      expect((await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "noc@demo.didtron.local", password: "wrong-password" } })).statusCode).toBe(401);
      await login(t.app, "billing@demo.didtron.local");
      expect(clear).not.toHaveBeenCalled();
      expect((await admin.request("POST", `/api/api-keys/${key.id}/revoke`)).status).toBe(200);
      expect(clear).toHaveBeenCalledTimes(1);
    } finally {
      clear.mockRestore();
    }
  });

  it("a key revoked straight in the database is refused within the bound", async () => {
    const { token, key } = (await admin.request("POST", "/api/api-keys", { name: "direct", scopes: ["users:read"] })).json;
    const read = async () => (await t.app.inject({ method: "GET", url: "/api/users?pageSize=1", headers: { authorization: `Bearer ${token}` } })).statusCode;
    expect(await read()).toBe(200);
    await t.pool.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [key.id]);
    expect(await refusedWithin(read)).toBeLessThanOrEqual(AUTH_CACHE_TTL_MS + 250);
  });
});
