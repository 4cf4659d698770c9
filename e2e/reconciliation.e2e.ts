import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { cdrOf, createTraffic, type Requester, type Traffic } from "../server/test/cdrs-fixture.js";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots, apiSession } from "./support.js";

/**
 * Supplier reconciliation in a real browser: our CDRs and a supplier invoice come through
 * the API; the clerk reconciles the invoice, uploads the supplier's file, maps its columns,
 * follows the job to the results, opens a dispute and agrees it — with screenshots of each
 * page in light and dark.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let tmp = "";
let request: Requester;
let tr: Traffic;

beforeAll(async () => {
  ui = await openConsole("reconciliation");
  ({ server, page } = ui);
  tmp = ui.tmp;
  await apiSession(server.url, "billing@demo.didtron.local"); // the clerk can sign in
  request = await apiSession(server.url, "admin@demo.didtron.local");

});

afterAll(() => ui?.close());

const { setTheme, shot, shots } = themedShots(() => page);

// Theirs: A matches, B is charged more than we rated it, D is a call we have no record of; our C is missing from their file.
const THEIRS = ["Ref,CLD,Start,Billed Sec,Charge,Dest", "rec-A,442071230001,2026-11-20T10:00:00Z,60,0.006,UK", "rec-B,442071230002,2026-11-20T10:05:01Z,60,0.0095,UK", "rec-D,442071230004,2026-11-20T10:20:00Z,120,0.012,UK", "rec-E,,2026-11-20T10:30:00Z,60,0.006,UK"].join("\n");

describe("supplier reconciliation", () => {
  it("has our rated CDRs and the supplier's invoice", async () => {
    tr = await createTraffic(request, "Recon");
    const ours = [
      ["rec-A", "442071230001", "10:00:00"],
      ["rec-B", "442071230002", "10:05:00"],
      ["rec-C", "442071230003", "10:10:00"],
    ].map(([callId, called, time]) => cdrOf(tr, { callId, calledNumber: `9001#${called}`, startAt: `2026-11-20T${time}Z`, answerAt: `2026-11-20T${time}Z`, endAt: `2026-11-20T${time!.slice(0, 6)}40Z`, durationS: 40 }));
    expect((await request("POST", "/api/cdrs/batch", { cdrs: ours })).status).toBe(200);
    await expect.poll(async () => (await request("GET", "/api/cdrs?ratingStatus=pending&from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z")).json.total, { timeout: 30_000 }).toBe(0);
    const inv = await request("POST", "/api/supplier-invoices", { carrierId: tr.supplierCarrierId, invoiceNumber: "RC-1120", periodFrom: "2026-11-20", periodTo: "2026-11-20", currency: "USD", billedAmount: "0.0335", billedCalls: 4, lines: [{ destination: "UK", calls: 4, amount: "0.0335" }] });
    expect(inv.status).toBe(201);

    await ui.signIn("billing@demo.didtron.local");
    await page.goto(`${server.url}/billing/supplier-invoices`);
    await page.getByRole("heading", { name: "Supplier Invoices" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "RC-1120" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Recon Supplier.*2026-11-20.*0\.0335 USD.*Received/);
    await shots("supplier-invoices");
  });

  it("reconciles the invoice: upload, map, follow the job, read the classes", async () => {
    await page.getByRole("button", { name: "Reconcile RC-1120" }).click();
    await page.waitForURL(/\/billing\/reconciliation\/[0-9a-f-]{36}$/);
    await page.getByText("Awaiting file").waitFor();
    const file = path.join(tmp, "recon-supplier.csv");
    fs.writeFileSync(file, THEIRS);
    await page.getByLabel("Supplier CDR file").setInputFiles(file);
    await page.getByRole("table", { name: "File preview" }).getByText("rec-B").waitFor();
    // Columns are guessed by name; the start time is ISO.
    await expect.poll(() => page.getByLabel("Called Number").inputValue()).toBe("CLD");
    await expect.poll(() => page.getByLabel("Amount").inputValue()).toBe("Charge");
    await shots("reconciliation-mapping");
    await page.getByRole("button", { name: "Run match" }).click();
    await page.getByRole("button", { name: "Show Matched" }).waitFor({ timeout: 30_000 });
    const tile = (label: string) => page.getByRole("button", { name: `Show ${label}` });
    expect(await tile("Matched").textContent()).toMatch(/Matched1/);
    expect(await tile("Amount mismatch").textContent()).toMatch(/Amount mismatch1/);
    expect(await tile("Only theirs").textContent()).toMatch(/Only theirs1/);
    expect(await tile("Only ours").textContent()).toMatch(/Only ours1/);
    // One of their rows has no called number: listed, not fatal.
    await page.getByRole("tab", { name: /Unusable rows/ }).click();
    await page.getByText(/line 5 · called number "" has no digits/).waitFor();
    await page.getByRole("tab", { name: /By destination/ }).click();
    const uk = page.getByRole("table", { name: "Totals by destination" }).getByRole("row").filter({ hasText: "United Kingdom" });
    await uk.waitFor();
    expect(await uk.textContent()).toMatch(/0\.0155 USD.*0\.018 USD.*-0\.0025 USD/);
    await tile("Only ours").click();
    const results = page.getByRole("table", { name: "Match results" });
    await results.getByText("rec-C").waitFor();
    await expect.poll(() => results.locator("tbody tr").count()).toBe(1);
    await tile("Only ours").click();
    await results.getByText("rec-B").waitFor();
    await shots("reconciliation-run");
    await page.goto(`${server.url}/billing/reconciliation`);
    await page.getByRole("row").filter({ hasText: "Recon Supplier" }).filter({ hasText: "Done" }).waitFor();
    await shots("reconciliation-runs");
    await page.getByRole("row").filter({ hasText: "Recon Supplier" }).click();
    await page.waitForURL(/\/billing\/reconciliation\/[0-9a-f-]{36}$/);
  });

  it("opens a dispute from the run and agrees it: the credit posts to the payable", async () => {
    await page.getByRole("button", { name: "Open dispute" }).click();
    const d = page.getByRole("dialog");
    // Default: what they billed above us on mismatched and unmatched rows (0.0035 on rec-B + 0.012 for rec-D).
    await expect.poll(() => d.getByLabel("Disputed Amount").inputValue()).toBe("0.0155");
    await d.getByRole("button", { name: "Cancel" }).click();
    await d.waitFor({ state: "detached" });
    // Rows picked in the results: the dispute claims what they billed above us on those (rec-B).
    const recB = page.getByRole("table", { name: "Match results" }).getByRole("row").filter({ hasText: "rec-B" });
    await recB.getByRole("checkbox", { name: "Select row" }).check();
    await page.getByRole("button", { name: "Dispute 1 selected row" }).click();
    await expect.poll(() => d.getByLabel("Disputed Amount").inputValue()).toBe("0.0035");
    await d.getByLabel("Note").fill("rec-B overcharged");
    await d.getByRole("button", { name: "Open dispute" }).click();
    await page.waitForURL(/\/billing\/disputes/);
    const row = page.getByRole("row").filter({ hasText: "rec-B overcharged" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Recon Supplier.*RC-1120.*0\.0035 USD.*Open/);
    await shots("disputes");
    // The sheet is modal (the theme toggle is behind it): dark first, then light.
    const sheet = page.getByRole("dialog");
    await setTheme("Dark");
    await row.click();
    await sheet.getByText("Opened", { exact: true }).waitFor();
    await sheet.getByText(/^#\d+$/).waitFor(); // the one result row it covers
    await shot("dispute-detail-dark");
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    await setTheme("Light");
    await row.click();
    await sheet.getByText("Opened", { exact: true }).waitFor();
    await sheet.getByLabel("Agreed Amount").fill("0.0035");
    await sheet.getByLabel("Note").fill("They credit rec-B in full");
    await shot("dispute-detail-light");
    await sheet.getByRole("button", { name: "Agree and post credit" }).click();
    await sheet.getByText("Agreed", { exact: true }).first().waitFor();
    await sheet.getByText("They credit rec-B in full").waitFor();
    await sheet.getByRole("link", { name: "Its adjustment" }).waitFor();
    // The payable: our rated costs (3 × 0.006) less the agreed credit.
    const control = (await request("GET", `/api/carriers/${tr.supplierCarrierId}/credit-control`)).json.currencies[0].supplier.balance;
    expect(control).toBe("-0.014500");
  });
});
