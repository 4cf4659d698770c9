import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/platform/db/client.js";
import { postTransfers } from "../src/ledger/post.js";
import type { TransferRequest } from "../src/ledger/engine/index.js";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";

/** Balance & Spend: all carriers' balances, limits and 24-hour spend, and the tenant's totals. */
let t: TestContext;
let admin: Session;
let tenantId: string;
const U = 1_000_000n;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
  tenantId = admin.me.tenant.id;
  const make = async (name: string, body: Record<string, unknown>) => {
    const r = await admin.request("POST", "/api/carriers", { name, primaryCurrency: "USD", ...body });
    expect(r.status).toBe(201);
    ids[name] = r.json.id;
  };
  await make("Qx Bilateral", { type: "bilateral", currency2: "EUR", customerCreditType: "postpaid", customerCreditLimit: "500", bilateralLimit: "300", bilateralLimitBreach: "block", customerSpendLimit24h: "100", customerSpendBreach: "block", supplierSpendLimit24h: "50" });
  await make("Qx Customer", { type: "customer", customerCreditType: "prepaid" });
  await make("Qx Supplier", { type: "supplier", supplierSpendLimit24h: "10" });
  const m = (carrierId: string, amount: bigint, currency = "USD") => ({ carrierId, currency, amountMicros: amount });
  let n = 0;
  const k = () => `qx-${++n}`;
  const transfers: TransferRequest[] = [
    { op: "payment", key: k(), ...m(ids["Qx Bilateral"]!, 40n * U) },
    { op: "call_charge", key: k(), ...m(ids["Qx Bilateral"]!, 120n * U) },
    { op: "call_charge", key: k(), ...m(ids["Qx Bilateral"]!, 7n * U), pending: true },
    { op: "supplier_cost", key: k(), ...m(ids["Qx Bilateral"]!, 60n * U) },
    { op: "call_charge", key: k(), ...m(ids["Qx Bilateral"]!, 3n * U, "EUR") },
    { op: "payment", key: k(), ...m(ids["Qx Customer"]!, 25n * U) },
    { op: "call_charge", key: k(), ...m(ids["Qx Customer"]!, 5n * U) },
    { op: "supplier_cost", key: k(), ...m(ids["Qx Supplier"]!, 12n * U) },
    { op: "supplier_payment", key: k(), ...m(ids["Qx Supplier"]!, 20n * U) },
  ];
  await inTransaction(t.pool, (tx) => postTransfers(tx, { tenantId, transfers }));
});
afterAll(async () => t?.close());

const list = async (query = "") => {
  const r = await admin.request("GET", `/api/ledger/carrier-balances?pageSize=100&q=Qx${query}`);
  expect(r.status).toBe(200);
  return r.json;
};

describe("carrier balances", () => {
  it("shows each carrier in each currency with exactly the carrier page's Credit Control figures", async () => {
    const { rows, total } = await list();
    expect(rows.map((r: { carrierName: string; currency: string }) => `${r.carrierName} ${r.currency}`)).toEqual(["Qx Bilateral USD", "Qx Bilateral EUR", "Qx Customer USD", "Qx Supplier USD"]);
    expect(total).toBe(4);
    for (const row of rows) {
      const cc = (await admin.request("GET", `/api/carriers/${row.carrierId}/credit-control`)).json.currencies.find((c: { currency: string }) => c.currency === row.currency);
      expect([row.carrierName, row.currency, row.customerBalance, row.customerPending, row.creditLimit, row.customerRemaining]).toEqual([
        row.carrierName,
        row.currency,
        cc.customer?.balance ?? null,
        cc.customer?.pending ?? null,
        cc.customer?.limit ?? null,
        cc.customer?.remaining ?? null,
      ]);
      expect([row.supplierBalance, row.netExposure, row.bilateralLimit, row.bilateralRemaining]).toEqual([cc.supplier?.balance ?? null, cc.bilateral?.netExposure ?? null, cc.bilateral?.limit ?? null, cc.bilateral?.remaining ?? null]);
      expect([row.customerSpend, row.customerSpendLimit, row.customerSpendRemaining]).toEqual([cc.spend24h.customer?.spend ?? null, cc.spend24h.customer?.limit ?? null, cc.spend24h.customer?.remaining ?? null]);
      expect([row.supplierSpend, row.supplierSpendLimit, row.supplierSpendRemaining]).toEqual([cc.spend24h.supplier?.spend ?? null, cc.spend24h.supplier?.limit ?? null, cc.spend24h.supplier?.remaining ?? null]);
    }
    // By hand: bilateral USD customer 40 − 120 = −80 (7 pending), supplier −60, net −20; spend 120 of 100 (over).
    expect(rows[0]).toMatchObject({ customerBalance: "-80.000000", customerPending: "7.000000", creditLimit: "-500.000000", customerRemaining: "420.000000", supplierBalance: "-60.000000", netExposure: "-20.000000", bilateralRemaining: "280.000000", customerSpend: "120.000000", customerSpendRemaining: "-20.000000", supplierSpend: "60.000000", supplierSpendRemaining: "-10.000000" });
    expect(rows[3]).toMatchObject({ customerBalance: null, supplierBalance: "8.000000", supplierSpend: "12.000000", supplierSpendRemaining: "-2.000000" });
  });

  it("sorts, filters and paginates in SQL", async () => {
    const bySpend = (await list("&sort=customerSpend:desc")).rows.map((r: { carrierName: string; currency: string }) => `${r.carrierName} ${r.currency}`);
    expect(bySpend).toEqual(["Qx Bilateral USD", "Qx Customer USD", "Qx Bilateral EUR", "Qx Supplier USD"]); // supplier-only has no customer spend: last
    expect((await list("&type=supplier")).rows.map((r: { carrierName: string }) => r.carrierName)).toEqual(["Qx Supplier"]);
    expect((await list("&currency=EUR")).rows.map((r: { carrierName: string }) => r.carrierName)).toEqual(["Qx Bilateral"]);
    const page = (await admin.request("GET", "/api/ledger/carrier-balances?q=Qx&pageSize=1&page=2&sort=name:asc")).json;
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 1 });
    expect(page.rows[0]).toMatchObject({ carrierName: "Qx Bilateral", currency: "EUR" });
    expect((await admin.request("GET", "/api/ledger/carrier-balances?q=Qx&page=9")).json).toMatchObject({ rows: [], total: 4 });
    for (const bad of ["sort=bogus:asc", "type=alien", "currency=usd", "pageSize=0"]) expect([bad, (await admin.request("GET", `/api/ledger/carrier-balances?${bad}`)).status]).toEqual([bad, 400]);
  });

  it("totals the tenant's books per currency", async () => {
    const rows = (await admin.request("GET", "/api/ledger/totals")).json.rows;
    // USD: customers in credit: Qx Customer 20; owing: Qx Bilateral 80. Suppliers: we owe Qx Bilateral 60; Qx Supplier is prepaid 8.
    expect(rows.find((r: { currency: string }) => r.currency === "USD")).toEqual({
      currency: "USD",
      customerCredit: "20.000000",
      receivables: "80.000000",
      payables: "60.000000",
      supplierPrepaid: "8.000000",
      reservations: "7.000000",
      cash: "45.000000",
      revenue: "125.000000",
      costOfSales: "72.000000",
      margin: "53.000000",
    });
    expect(rows.find((r: { currency: string }) => r.currency === "EUR")).toMatchObject({ receivables: "3.000000", revenue: "3.000000", margin: "3.000000" });
  });

  it("shows only the caller's tenant and refuses portal users", async () => {
    const acme = await login(t.app, "admin@acme.example");
    expect((await acme.request("GET", "/api/ledger/carrier-balances?q=Qx")).json.total).toBe(0);
    expect((await acme.request("GET", "/api/ledger/totals")).json.rows).toEqual([]);
    const portal = await login(t.app, "customer@demo.didtron.local");
    expect((await portal.request("GET", "/api/ledger/carrier-balances")).status).toBe(403);
    expect((await portal.request("GET", "/api/ledger/totals")).status).toBe(403);
  });
});
