import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openExchangeRates, refreshFxRates } from "../src/routing/fx-provider.js";
import { createTestApp, countRows, login, type Session, type TestContext } from "./harness.js";

/** A local HTTP server answering like Open Exchange Rates' latest.json. */
const requests: URL[] = [];
let answer: (base: string) => { status: number; body: unknown } = () => ({ status: 200, body: {} });
const server = http.createServer((req, res) => {
  const url = new URL(req.url!, "http://localhost");
  requests.push(url);
  if (url.pathname !== "/api/latest.json" || url.searchParams.get("app_id") !== "test-app-id") {
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: true, status: 401, message: "invalid_app_id", description: "Invalid App ID provided." }));
    return;
  }
  const a = answer(url.searchParams.get("base") ?? "USD");
  res.writeHead(a.status, { "content-type": "application/json" }).end(JSON.stringify(a.body));
});

let t: TestContext;
let admin: Session;
let base = "";
const ctx = { jobId: "test", progress: async () => {} };
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/latest.json`;
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("Open Exchange Rates adapter", () => {
  it("adds the tenant's pairs from the provider as new effective-dated rates with source oxr, once", async () => {
    // The demo keeps EUR→USD and GBP→USD; give it a USD-based pair too.
    expect((await admin.request("POST", "/api/fx-rates", { base: "USD", quote: "EUR", rate: "0.9", effectiveFrom: "2024-01-01T00:00:00Z" })).status).toBe(201);
    const ts = 1_767_225_600; // 2026-01-01T00:00:00Z
    const tables: Record<string, Record<string, number>> = { USD: { EUR: 0.921834, GBP: 0.787612, JPY: 157.1 }, EUR: { USD: 1.084794 }, GBP: { USD: 1.269660 } };
    answer = (b) => ({ status: 200, body: { disclaimer: "…", license: "…", timestamp: ts, base: b, rates: tables[b] } });
    const provider = openExchangeRates({ appId: "test-app-id", url: base });
    const first = await refreshFxRates(t.pool, provider, {}, ctx);
    expect(first.inserted).toBe(3); // USD→EUR, and the demo's EUR→USD and GBP→USD
    const asked = requests.filter((r) => r.searchParams.get("base") === "USD").at(-1)!;
    expect(asked.searchParams.get("symbols")!.split(",")).toContain("EUR");

    const list = await admin.request("GET", "/api/fx-rates?base=USD&quote=EUR");
    const oxr = list.json.rows.find((r: { source: string }) => r.source === "oxr");
    expect(oxr).toMatchObject({ base: "USD", quote: "EUR", rate: "0.921834", effectiveFrom: "2026-01-01T00:00:00.000Z", source: "oxr" });
    expect(list.json.rows.find((r: { source: string }) => r.source === "manual")).toMatchObject({ rate: "0.9" });
    const gbp = await admin.request("GET", "/api/fx-rates?base=GBP&quote=USD");
    expect(gbp.json.rows.find((r: { source: string }) => r.source === "oxr")).toMatchObject({ rate: "1.26966" });
    expect(await countRows(t.pool, "audit_events", `action = 'fx_rate.create' AND entity_id = '${oxr.id}' AND actor_type = 'system'`)).toBe(1);

    // The same answer again adds nothing.
    expect((await refreshFxRates(t.pool, provider, {}, ctx)).inserted).toBe(0);
  });

  it("a failing or malformed answer writes nothing", async () => {
    const before = await countRows(t.pool, "fx_rates");
    answer = () => ({ status: 500, body: { error: true, description: "Server error" } });
    await expect(refreshFxRates(t.pool, openExchangeRates({ appId: "test-app-id", url: base }), {}, ctx)).rejects.toThrow(/500/);
    await expect(refreshFxRates(t.pool, openExchangeRates({ appId: "wrong", url: base }), {}, ctx)).rejects.toThrow(/401.*Invalid App ID/);
    answer = () => ({ status: 200, body: { base: "XXX", timestamp: 1, rates: {} } });
    await expect(refreshFxRates(t.pool, openExchangeRates({ appId: "test-app-id", url: base }), {}, ctx)).rejects.toThrow(/unexpected/);
    expect(await countRows(t.pool, "fx_rates")).toBe(before);
  });

  it("is off by default: without OXR_APP_ID the queue does not exist", () => {
    expect(t.jobs.queueNames).not.toContain("fx.refresh");
  });
});
