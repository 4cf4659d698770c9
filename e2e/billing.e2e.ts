import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { cdrOf, createTraffic, type Requester, type Traffic } from "../server/test/cdrs-fixture.js";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots, apiSession } from "./support.js";

/**
 * Customer billing in a real browser: usage comes through the API; the clerk generates an
 * invoice, issues it, previews its PDF, sends it (outbox status on the invoice), credits
 * it, reads the statement, and accepts a netting — with light and dark screenshots of
 * every billing page.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let request: Requester;
let tr: Traffic;
let bilateralId = "";

beforeAll(async () => {
  ui = await openConsole("billing");
  ({ server, page } = ui);
  request = await apiSession(server.url, "admin@demo.didtron.local");

});

afterAll(() => ui?.close());

const { shot, shots } = themedShots(() => page);

async function pick(scope: Page | ReturnType<Page["getByRole"]>, label: string, name: string) {
  await scope.getByRole("button", { name: label }).click();
  await page.getByLabel("Search options").fill(name.split(" ")[0]!);
  await page.getByRole("option", { name: new RegExp(name) }).click();
}

describe("customer billing", () => {
  it("has rated usage, a tax rate and a billing contact", async () => {
    tr = await createTraffic(request, "Bill");
    expect((await request("POST", "/api/billing/tax-rates", { code: "VAT20", name: "VAT 20 %", rate: "20" })).status).toBe(201);
    expect((await request("PATCH" as "POST", `/api/carriers/${tr.customerCarrierId}`, { taxCode: "VAT20", billTo: "1 Test Street, London" })).status).toBe(200);
    expect((await request("PUT" as "POST", `/api/billing/settings/${tr.customerCarrierId}`, { billingModel: "wholesaler", cycle: "daily", paymentTermsDays: 15 })).status).toBe(200);
    expect((await request("POST", `/api/carriers/${tr.customerCarrierId}/contacts`, { name: "Accounts Payable", roles: ["billing"], email: "ap@bill.example" })).status).toBe(201);
    const calls = Array.from({ length: 6 }, (_, i) => {
      const s = 7 + i * 13;
      return cdrOf(tr, { callId: `e2e-bill-${i}`, calledNumber: i % 2 ? "9001#442071234567" : "9001#441632960000", startAt: "2026-11-20T10:00:00Z", answerAt: "2026-11-20T10:00:01Z", endAt: `2026-11-20T10:${String(Math.floor((s + 1) / 60)).padStart(2, "0")}:${String((s + 1) % 60).padStart(2, "0")}Z`, durationS: s });
    });
    expect((await request("POST", "/api/cdrs/batch", { cdrs: calls })).status).toBe(200);
    await expect.poll(async () => (await request("GET", "/api/cdrs?ratingStatus=pending&from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z")).json.total, { timeout: 30_000 }).toBe(0);
    // A bilateral carrier they owe 30 and we owe 12.
    bilateralId = (await request("POST", "/api/carriers", { name: "Both Ways", type: "bilateral", primaryCurrency: "USD" })).json.id;
    const today = new Date().toISOString().slice(0, 10);
    for (const [direction, amount] of [["customer", "30"], ["supplier", "12"]])
      expect((await request("POST", "/api/payments", { carrierId: bilateralId, direction, kind: "refund", method: "bank_transfer", paidOn: today, amount, currency: "USD" })).status).toBe(201);

    await ui.signIn("billing@demo.didtron.local");
  });

  it("generates a draft, issues it and previews the PDF", async () => {
    await page.goto(`${server.url}/billing/invoices`);
    await page.getByRole("heading", { name: "Invoices" }).waitFor();
    await page.getByRole("button", { name: "Generate invoice" }).click();
    const d = page.getByRole("dialog");
    await pick(d, "Customer", "Bill Customer");
    await d.getByLabel("Period date").fill("2026-11-20");
    await d.getByRole("button", { name: "Generate" }).click();
    await page.waitForURL(/\/billing\/invoices\/[0-9a-f-]{36}$/);
    await page.getByText("Draft", { exact: true }).first().waitFor();
    const lines = page.getByRole("table", { name: "Invoice lines" });
    await lines.getByText("UK London").waitFor();
    await lines.getByText("United Kingdom").waitFor();
    await page.getByRole("button", { name: "Issue" }).click();
    await page.getByRole("heading", { name: /INV-1 · Bill Customer/ }).waitFor();
    await page.getByText("Issued", { exact: true }).first().waitFor();
    const src = (await page.locator("iframe[title='Invoice PDF preview']").getAttribute("src"))!;
    expect(src).toMatch(/\/api\/invoices\/[0-9a-f-]{36}\/pdf/);
    const res = await page.request.get(`${server.url}${src}`);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    expect((await res.body()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("sends it: the delivery shows on the invoice with its outbox status", async () => {
    await page.getByRole("button", { name: "Send" }).click();
    const d = page.getByRole("dialog");
    await d.getByRole("button", { name: "Send" }).click();
    await d.waitFor({ state: "detached" });
    const deliveries = page.getByRole("table", { name: "Deliveries" });
    const row = deliveries.getByRole("row").filter({ hasText: "ap@bill.example" });
    await row.waitFor();
    // No SMTP in this server: the outbox row is the delivery.
    await row.getByText("Outbox only").waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toMatch(/2/); // PDF + CDR CSV
    await shots("invoice-detail");
  });

  it("credits part of it; the credit note lists and the statement shows it", async () => {
    await page.getByRole("button", { name: "Credit note" }).click();
    const d = page.getByRole("dialog");
    await d.getByLabel("Credit everything not yet credited").uncheck();
    await d.getByLabel("Amount").fill("0.01");
    await d.getByLabel("Reason").fill("Goodwill");
    await d.getByRole("button", { name: "Create credit note" }).click();
    await d.waitFor({ state: "detached" });
    await page.getByRole("table", { name: "Credit notes" }).getByText("CN-1").waitFor();

    await page.goto(`${server.url}/billing/invoices`);
    await page.getByRole("row").filter({ hasText: "INV-1" }).filter({ hasText: "Issued" }).waitFor();
    await shots("invoices");
    await page.goto(`${server.url}/billing/credit-notes`);
    await page.getByRole("row").filter({ hasText: "CN-1" }).filter({ hasText: "Goodwill" }).waitFor();
    await shots("credit-notes");

    await page.goto(`${server.url}/billing/statements`);
    await pick(page, "Carrier", "Bill Customer");
    await page.getByLabel("From", { exact: true }).fill("2026-11-01");
    await page.getByLabel("To", { exact: true }).fill(new Date().toISOString().slice(0, 10));
    const st = page.getByRole("table", { name: "Customer statement" });
    await st.getByText(/Credit note 1 · Goodwill/).waitFor();
    await st.getByText(/Invoice 1 · 2026-11-20/).first().waitFor();
    await shots("statements");
  });

  it("drafts a netting request and accepts it", async () => {
    await page.goto(`${server.url}/billing/netting`);
    await page.getByRole("button", { name: "New netting request" }).click();
    const d = page.getByRole("dialog");
    await pick(d, "Bilateral carrier", "Both Ways");
    const today = new Date().toISOString().slice(0, 10);
    await d.getByLabel("From").fill(today);
    await d.getByLabel("To").fill(today);
    await d.getByRole("button", { name: "Draft" }).click();
    const sheet = page.getByRole("dialog", { name: /Netting · Both Ways/ });
    await sheet.getByText("30.00 USD").waitFor();
    await sheet.getByText("12.00 USD").first().waitFor();
    await shot("netting-detail-light");
    await sheet.getByRole("button", { name: "Mark as sent" }).click();
    await sheet.getByText("Sent", { exact: true }).first().waitFor();
    await sheet.getByRole("button", { name: "Accept and post" }).click();
    await sheet.getByText("Accepted", { exact: true }).first().waitFor();
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    await page.getByRole("row").filter({ hasText: "Both Ways" }).filter({ hasText: "Accepted" }).waitFor();
    await shots("netting");
  });

  it("settings: tax table, numbering and a customer's billing settings", async () => {
    await page.goto(`${server.url}/billing/settings`);
    await page.getByRole("table", { name: "Tax rates" }).getByText("VAT20").waitFor();
    await page.getByRole("table", { name: "Numbering" }).getByText("INV-2").waitFor();
    await page.getByRole("table", { name: "Numbering" }).getByText("CN-2").waitFor();
    await shots("billing-settings");
    await page.getByRole("row").filter({ hasText: "Bill Customer" }).getByRole("button", { name: "Billing settings" }).click();
    const d = page.getByRole("dialog");
    await expect.poll(() => d.getByLabel("Cycle").inputValue()).toBe("daily");
    await d.getByLabel("Payment terms").fill("20");
    await d.getByRole("button", { name: "Save" }).click();
    await d.waitFor({ state: "detached" });
    expect((await request("GET", `/api/billing/settings/${tr.customerCarrierId}`)).json.paymentTermsDays).toBe(20);
    await page.goto(`${server.url}/billing/fx-rates`);
    await page.getByRole("heading", { name: "FX Rates" }).waitFor();
  });
});
