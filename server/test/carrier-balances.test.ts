import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestContext, type Session } from "./harness.js";

let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

describe("carrier list balances", () => {
  it("show the ledger's primary-currency balances, zero before any posting, and ignore other currencies", async () => {
    const c = (await admin.request("POST", "/api/carriers", { name: "Balance Row", type: "bilateral", primaryCurrency: "USD", currency2: "EUR" })).json;
    expect(c).toMatchObject({ customerBalance: "0.000000", supplierBalance: "0.000000" });
    // Postings arrive with the ledger module; write the accounts directly to prove the read path.
    await t.pool.query(
      `INSERT INTO ledger_accounts (id, tenant_id, kind, carrier_id, currency, debits_posted_micros, credits_posted_micros) VALUES
         (gen_random_uuid(), $1, 'customer', $2, 'USD', 1500000000, 250000000),
         (gen_random_uuid(), $1, 'supplier', $2, 'USD', 100000000, 400000000),
         (gen_random_uuid(), $1, 'customer', $2, 'EUR', 999000000, 0)`,
      [admin.me.tenant.id, c.id],
    );
    const row = (await admin.request("GET", "/api/carriers?q=Balance Row")).json.rows[0];
    expect(row).toMatchObject({ customerBalance: "-1250.000000", supplierBalance: "-300.000000" });
  });
});
