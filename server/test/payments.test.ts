import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { countRows, createTestApp, login, type Session, type TestContext } from "./harness.js";

let t: TestContext;
let admin: Session;
let billing: Session;
let acme: Session;
let bilateral: string;
let supplierOnly: string;
let acmeCarrier: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
  billing = await login(t.app, "billing@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  bilateral = (await admin.request("POST", "/api/carriers", { name: "Pay Bilateral", type: "bilateral", primaryCurrency: "USD", currency2: "EUR" })).json.id;
  supplierOnly = (await admin.request("POST", "/api/carriers", { name: "Pay Supplier", type: "supplier", primaryCurrency: "GBP" })).json.id;
  acmeCarrier = (await acme.request("POST", "/api/carriers", { name: "Acme Payee", type: "customer", primaryCurrency: "USD" })).json.id;
});
afterAll(async () => t?.close());

const today = () => new Date().toISOString().slice(0, 10);
const payment = (over: Record<string, unknown> = {}) => ({ carrierId: bilateral, direction: "customer", method: "bank_transfer", reference: "WIRE-1", paidOn: today(), amount: "100.00", currency: "USD", ...over });
const control = async (id: string) => (await admin.request("GET", `/api/carriers/${id}/credit-control`)).json.currencies;
const written = async () => ({ payments: await countRows(t.pool, "payments"), transfers: await countRows(t.pool, "ledger_transfers") });

describe("recording payments", () => {
  it("a customer payment credits the customer account from cash, is audited, listed and shown", async () => {
    const r = await billing.request("POST", "/api/payments", payment({ amount: "250.50", note: "March invoice" }));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ carrierName: "Pay Bilateral", direction: "customer", kind: "payment", amount: "250.500000", currency: "USD", paidOn: today(), reversedById: null, recordedBy: expect.stringContaining("billing") });
    const tr = (await billing.request("GET", `/api/ledger/transfers/${r.json.transferId}`)).json;
    expect(tr).toMatchObject({ code: "payment", state: "posted", amount: "250.500000", debitAccount: { kind: "cash" }, creditAccount: { kind: "customer", carrierName: "Pay Bilateral" }, referenceType: "payment", referenceId: r.json.id });
    expect((await control(bilateral))[0].customer.balance).toBe("250.500000");
    expect(await countRows(t.pool, "audit_events", `entity_id = '${r.json.id}' AND action = 'payment.record'`)).toBe(1);
    expect((await billing.request("GET", `/api/payments/${r.json.id}`)).json.id).toBe(r.json.id);
  });

  it("supplier payments, and refunds both ways, move the right balance the right way", async () => {
    const before = (await control(bilateral))[0];
    for (const body of [
      payment({ direction: "supplier", amount: "40" }),
      payment({ direction: "supplier", kind: "refund", amount: "15" }),
      payment({ kind: "refund", amount: "10" }),
    ]) {
      const r = await billing.request("POST", "/api/payments", body);
      expect(r.status).toBe(201);
    }
    const after = (await control(bilateral))[0];
    // Supplier: +40 paid to them, −15 refunded by them; customer: −10 refunded to them.
    expect(BigInt(after.supplier.balance.replace(".", "")) - BigInt(before.supplier.balance.replace(".", ""))).toBe(25_000_000n);
    expect(BigInt(after.customer.balance.replace(".", "")) - BigInt(before.customer.balance.replace(".", ""))).toBe(-10_000_000n);
    const codes = (await billing.request("GET", `/api/ledger/transfers?carrierId=${bilateral}&sort=createdAt:asc`)).json.rows.map((x: { code: string }) => x.code);
    expect(codes).toEqual(["payment", "supplier_payment", "supplier_refund", "refund"]);
  });

  it("an idempotency key records a payment once: the repeat answers 200 with the same payment", async () => {
    const body = payment({ amount: "7", idempotencyKey: "dialog-6f1c2b7e" });
    const first = await billing.request("POST", "/api/payments", body);
    const before = await written();
    const again = await billing.request("POST", "/api/payments", body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json.id).toBe(first.json.id);
    expect(await written()).toEqual(before);
    const other = await billing.request("POST", "/api/payments", { ...body, amount: "8" });
    expect(other.status).toBe(409);
    expect(await written()).toEqual(before);
  });

  it("lists with filters and server-side pagination", async () => {
    await billing.request("POST", "/api/payments", payment({ currency: "EUR", amount: "5", reference: "EUR-ONLY", method: "card" }));
    const eur = (await billing.request("GET", "/api/payments?currency=EUR")).json;
    expect(eur.rows.map((p: { reference: string }) => p.reference)).toEqual(["EUR-ONLY"]);
    expect((await billing.request("GET", "/api/payments?method=card")).json.total).toBe(1);
    expect((await billing.request("GET", "/api/payments?q=eur-only")).json.total).toBe(1);
    expect((await billing.request("GET", `/api/payments?direction=supplier&carrierId=${bilateral}`)).json.total).toBe(2);
    expect((await billing.request("GET", "/api/payments?kind=refund")).json.total).toBe(2);
    expect((await billing.request("GET", `/api/payments?from=${today()}&to=${today()}`)).json.total).toBeGreaterThanOrEqual(6);
    expect((await billing.request("GET", "/api/payments?to=2001-01-01")).json.total).toBe(0);
    const page = (await billing.request("GET", "/api/payments?pageSize=2&page=2&sort=amount:asc")).json;
    expect(page).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.rows).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(6);
  });

  it("refuses bad input with 400 and writes nothing", async () => {
    const before = await written();
    const bad: [Record<string, unknown>, string][] = [
      [payment({ amount: "0" }), "amount"],
      [payment({ amount: "-5" }), "amount"],
      [payment({ amount: "1.1234567" }), "amount"],
      [payment({ amount: 12 }), "amount"],
      [payment({ currency: "usd" }), "currency"],
      [payment({ currency: "JPY" }), "currency"],
      [payment({ paidOn: "2024-02-30" }), "paidOn"],
      [payment({ paidOn: "2999-01-01" }), "paidOn"],
      [payment({ method: "bitcoin" }), "method"],
      [payment({ direction: "sideways" }), "direction"],
      [payment({ carrierId: "not-a-uuid" }), "carrierId"],
      [payment({ carrierId: "0190aaaa-0000-7000-8000-000000000000" }), "carrierId"],
      [payment({ carrierId: acmeCarrier }), "carrierId"],
      [payment({ carrierId: supplierOnly, currency: "GBP" }), "direction"],
      [payment({ reference: "x".repeat(121) }), "reference"],
      [payment({ idempotencyKey: "short" }), "idempotencyKey"],
      [{ ...payment(), amount: undefined }, "amount"],
    ];
    for (const [body, field] of bad) {
      const r = await billing.request("POST", "/api/payments", body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 400]);
      expect(Object.keys(r.json.error.fields ?? {})).toContain(field);
    }
    expect(await written()).toEqual(before);
  });
});

describe("reversing transfers", () => {
  it("reverses a payment with a linked transfer, once, audited with the reason", async () => {
    const p = (await billing.request("POST", "/api/payments", payment({ amount: "33", reference: "TO-REVERSE" }))).json;
    const before = (await control(bilateral))[0].customer.balance;
    const r = await billing.request("POST", `/api/ledger/transfers/${p.transferId}/reverse`, { reason: "recorded against the wrong carrier" });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ code: "reversal", reversesId: p.transferId, amount: "33.000000", debitAccount: { kind: "customer" }, creditAccount: { kind: "cash" }, referenceType: "payment", referenceId: p.id });
    expect(BigInt((await control(bilateral))[0].customer.balance.replace(".", ""))).toBe(BigInt(before.replace(".", "")) - 33_000_000n);
    expect((await billing.request("GET", `/api/payments/${p.id}`)).json.reversedById).toBe(r.json.id);
    expect((await billing.request("GET", `/api/ledger/transfers/${p.transferId}`)).json.reversedById).toBe(r.json.id);
    const again = await billing.request("POST", `/api/ledger/transfers/${p.transferId}/reverse`, { reason: "twice" });
    expect(again.status).toBe(409);
    expect((await billing.request("POST", `/api/ledger/transfers/${r.json.id}/reverse`, { reason: "undo the undo" })).status).toBe(409);
    const audit = await t.pool.query("SELECT after FROM audit_events WHERE entity_id = $1 AND action = 'ledger.reverse'", [p.transferId]);
    expect(audit.rows[0].after).toMatchObject({ reason: "recorded against the wrong carrier", reversalId: r.json.id });
    expect((await billing.request("POST", `/api/ledger/transfers/${p.transferId}/reverse`, { reason: "" })).status).toBe(400);
    expect(await checkLedgerInvariants(t.db, { tenantId: admin.me.tenant.id })).toMatchObject({ ok: true });
  });
});

describe("ledger API", () => {
  it("lists accounts with their balances, filtered", async () => {
    const all = (await billing.request("GET", `/api/ledger/accounts?carrierId=${bilateral}`)).json;
    expect(all.rows.map((a: { kind: string; currency: string }) => `${a.kind} ${a.currency}`).sort()).toEqual(["customer EUR", "customer USD", "supplier USD"]);
    const customer = all.rows.find((a: { kind: string; currency: string }) => a.kind === "customer" && a.currency === "USD");
    expect(customer.balance).toBe((await control(bilateral))[0].customer.balance);
    const cash = (await billing.request("GET", "/api/ledger/accounts?kind=cash&currency=USD")).json.rows;
    expect(cash).toHaveLength(1);
    expect(cash[0]).toMatchObject({ carrierId: null, carrierName: null });
    expect((await billing.request("GET", `/api/ledger/accounts/${customer.id}`)).json.id).toBe(customer.id);
    const sorted = (await billing.request("GET", "/api/ledger/accounts?sort=balance:desc&pageSize=1")).json;
    expect(sorted.rows).toHaveLength(1);
    expect(sorted.total).toBeGreaterThan(3);
  });

  it("lists transfers by account, code, state and time range, newest first, paginated", async () => {
    const account = (await billing.request("GET", `/api/ledger/accounts?carrierId=${bilateral}&kind=customer&currency=USD`)).json.rows[0];
    const byAccount = (await billing.request("GET", `/api/ledger/transfers?accountId=${account.id}`)).json;
    expect(byAccount.total).toBeGreaterThanOrEqual(5);
    const times = byAccount.rows.map((x: { createdAt: string }) => x.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await billing.request("GET", `/api/ledger/transfers?accountId=${account.id}&code=reversal`)).json.total).toBe(1);
    expect((await billing.request("GET", "/api/ledger/transfers?state=pending")).json.total).toBe(0);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await billing.request("GET", `/api/ledger/transfers?from=${encodeURIComponent(future)}`)).json.total).toBe(0);
    expect((await billing.request("GET", `/api/ledger/transfers?to=${encodeURIComponent(future)}&pageSize=1`)).json).toMatchObject({ pageSize: 1, total: byAccount.total + 3 });
    const one = byAccount.rows[0];
    expect((await billing.request("GET", `/api/ledger/transfers?q=${one.key}`)).json.rows.map((x: { id: string }) => x.id)).toEqual([one.id]);
    for (const bad of ["state=open", "code=gift", "from=yesterday", "accountId=42", "pageSize=501", "sort=key:asc"]) {
      expect([bad, (await billing.request("GET", `/api/ledger/transfers?${bad}`)).status]).toEqual([bad, 400]);
    }
  });
});

describe("permissions and tenant isolation", () => {
  it("read-only staff read the ledger but record nothing; portal users get nothing", async () => {
    const readonly = await login(t.app, "readonly@demo.didtron.local");
    expect((await readonly.request("GET", "/api/ledger/accounts")).status).toBe(200);
    expect((await readonly.request("GET", "/api/payments")).status).toBe(200);
    expect((await readonly.request("POST", "/api/payments", payment())).status).toBe(403);
    const noc = await login(t.app, "noc@demo.didtron.local");
    expect((await noc.request("GET", "/api/ledger/transfers")).status).toBe(200);
    expect((await noc.request("POST", "/api/payments", payment())).status).toBe(403);
    const portal = await login(t.app, "customer@demo.didtron.local");
    for (const url of ["/api/ledger/accounts", "/api/ledger/transfers", "/api/payments"]) expect((await portal.request("GET", url)).status).toBe(403);
  });

  it("another tenant's payments, accounts and transfers are 404 and never listed", async () => {
    const p = (await acme.request("POST", "/api/payments", { ...payment(), carrierId: acmeCarrier })).json;
    const acmeAccount = (await acme.request("GET", `/api/ledger/accounts?carrierId=${acmeCarrier}`)).json.rows[0];
    expect((await billing.request("GET", `/api/payments/${p.id}`)).status).toBe(404);
    expect((await billing.request("GET", `/api/ledger/transfers/${p.transferId}`)).status).toBe(404);
    expect((await billing.request("GET", `/api/ledger/accounts/${acmeAccount.id}`)).status).toBe(404);
    const before = await written();
    expect((await billing.request("POST", `/api/ledger/transfers/${p.transferId}/reverse`, { reason: "not mine" })).status).toBe(404);
    expect(await written()).toEqual(before);
    expect((await billing.request("GET", `/api/payments?carrierId=${acmeCarrier}`)).json.total).toBe(0);
    expect((await billing.request("GET", `/api/ledger/transfers?accountId=${acmeAccount.id}`)).json.total).toBe(0);
    expect((await billing.request("GET", `/api/ledger/accounts?carrierId=${acmeCarrier}`)).json.total).toBe(0);
    expect((await acme.request("GET", "/api/payments")).json.rows.map((x: { id: string }) => x.id)).toEqual([p.id]);
  });
});
