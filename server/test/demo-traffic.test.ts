import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";
import { seedDemoTraffic } from "../src/demo-traffic.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";

/** The demo traffic `npm start` creates on a fresh database: routed, rated, posted, invoiced. */
let t: TestContext;
let admin: Session;
let result: { cdrs: number; invoices: number };

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  result = await seedDemoTraffic(t.pool, t.jobs, t.app, { calls: 300 });
}, 120_000);
afterAll(async () => t?.close());

describe("demo traffic", () => {
  it("every call is rated and posted, the books balance, and the last hour shows on the dashboard", async () => {
    expect(result.cdrs).toBeGreaterThan(250);
    const r = await t.pool.query("SELECT rating_status, count(*)::int AS n FROM cdrs WHERE switch_id = 'demo' GROUP BY 1");
    expect(r.rows).toEqual([{ rating_status: "rated", n: result.cdrs }]);
    expect(await checkLedgerInvariants(t.db, { tenantId: admin.me.tenant.id })).toMatchObject({ ok: true });
    const stats = (await admin.request("GET", "/api/switch/stats?windowMinutes=60")).json;
    expect(stats.totals.attempts).toBeGreaterThan(40);
    expect(stats.totals.asrPercent).toBeGreaterThan(30);
  });

  it("last month's invoices are issued: GlobalVoice's paid from its top-up, Acme's half paid", async () => {
    expect(result.invoices).toBe(2);
    const invoices = (await admin.request("GET", "/api/invoices")).json.rows as { carrierName: string; status: string; number: number }[];
    const byName = Object.fromEntries(invoices.map((i) => [i.carrierName, i.status]));
    expect(byName).toEqual({ "Acme Telecom": "partially_paid", "GlobalVoice Ltd": "paid" });
  });
});
