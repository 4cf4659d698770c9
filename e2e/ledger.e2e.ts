import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots } from "./support.js";

/**
 * Ledger and payments in a real browser: record a customer payment through the dialog,
 * see the carrier's balance change (carrier detail, Ledger accounts), follow it to its
 * transfer, record a supplier payment, reverse the customer payment and see the balance
 * go back — with screenshots of the pages in light and dark.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;

const CUSTOMER = "Ledger E2E Customer"; // made by the test: a prepaid customer in GBP with nothing posted yet
const SUPPLIER = "TransAtlantic Carrier"; // demo: supplier in USD

beforeAll(async () => {
  ui = await openConsole("ledger");
  ({ server, page } = ui);
});

afterAll(() => ui?.close());

const dialog = () => page.getByRole("dialog");

const { setTheme, shot } = themedShots(() => page);

/** Types an amount and makes sure it is still there right before submitting (a loaded run once lost it). */
async function fillAmount(scope: ReturnType<typeof dialog>, value: string) {
  const amount = scope.getByLabel("Amount");
  await expect
    .poll(async () => {
      if ((await amount.inputValue()) !== value) await amount.fill(value);
      return amount.inputValue();
    })
    .toBe(value);
}

async function pickCarrier(scope: ReturnType<typeof dialog>, name: string) {
  await scope.getByRole("button", { name: "Carrier" }).click();
  await page.getByLabel("Search options").fill(name.split(" ")[0]!);
  await page.getByRole("option", { name: new RegExp(name) }).click();
}

/** The carrier's customer balance as the carrier detail's Credit Control table shows it. */
async function customerBalance(carrierUrl: string, currency: string): Promise<string> {
  await page.goto(carrierUrl);
  const row = page.getByRole("table", { name: `Credit control ${currency}` }).getByRole("row").filter({ hasText: "Customer" });
  await row.waitFor();
  return ((await row.getByRole("cell").nth(2).textContent()) ?? "").trim();
}

let carrierUrl = "";

describe("ledger and payments", () => {
  it("signs in; a new customer starts at zero", async () => {
    await ui.signIn();
    // A customer of its own, so the figures below do not depend on the demo's carriers.
    await page.evaluate(async (name) => {
      const me = (await fetch("/api/auth/me").then((r) => r.json())) as { csrfToken: string };
      const res = await fetch("/api/carriers", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
        body: JSON.stringify({ name, type: "customer", primaryCurrency: "GBP" }),
      });
      if (!res.ok) throw new Error(await res.text());
    }, CUSTOMER);
    await page.goto(`${server.url}/carriers?q=${encodeURIComponent(CUSTOMER)}`);
    await page.getByRole("cell", { name: CUSTOMER }).click();
    await page.waitForURL(/\/carriers\/[0-9a-f-]{36}$/);
    carrierUrl = page.url();
    expect(await customerBalance(carrierUrl, "GBP")).toContain("0.00");

    await page.goto(`${server.url}/billing/payments`);
    await page.getByRole("heading", { name: "Payments" }).waitFor();
    await page.getByText("No payments yet").waitFor();
  });

  it("records a customer payment through the dialog", async () => {
    await page.getByRole("button", { name: "Record payment" }).first().click();
    const d = dialog();
    await d.getByRole("heading", { name: "Record payment" }).waitFor();
    // Nothing chosen yet: the form says what is missing and posts nothing.
    await d.getByRole("button", { name: "Record payment" }).click();
    await d.getByText("Pick a carrier").waitFor();
    // The carrier's currency then appears beside Amount: the field must stay the same element
    // (a remount would drop its focus and whatever is being typed).
    const amountField = await d.getByLabel("Amount").elementHandle();
    await pickCarrier(d, CUSTOMER);
    await expect.poll(() => d.getByLabel("Currency").inputValue()).toBe("GBP");
    expect(await amountField!.evaluate((el) => el.isConnected)).toBe(true);
    await d.getByLabel("Reference").fill("WIRE-2024-0042");
    await d.getByLabel("Note").fill("March invoice");
    await d.getByText("Posts: debit Cash / bank, credit the customer account").waitFor();
    await fillAmount(d, "1500.25");
    await shot("payments-dialog-light");
    await d.getByRole("button", { name: "Record payment" }).click();
    await d.waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ hasText: "WIRE-2024-0042" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Received from customer.*1,500\.25 GBP.*Bank transfer.*Posted/);
  });

  it("records a payment to a supplier", async () => {
    await page.getByRole("button", { name: "Record payment" }).first().click();
    const d = dialog();
    await pickCarrier(d, SUPPLIER);
    // A supplier carrier only has the supplier direction.
    await expect.poll(() => d.getByLabel("Direction").inputValue()).toBe("supplier");
    await d.getByLabel("Method").selectOption("card");
    await d.getByLabel("Reference").fill("CARD-77");
    await fillAmount(d, "300");
    await d.getByRole("button", { name: "Record payment" }).click();
    await d.waitFor({ state: "detached" });
    await page.getByRole("row").filter({ hasText: "CARD-77" }).filter({ hasText: "Paid to supplier" }).waitFor();
    await shot("payments-light");
  });

  it("shows the new balance on the carrier and in the Ledger", async () => {
    await expect.poll(() => customerBalance(carrierUrl, "GBP")).toContain("1,500.25");

    await page.goto(`${server.url}/billing/ledger`);
    await page.getByRole("heading", { name: "Ledger" }).waitFor();
    const accounts = page.getByRole("table", { name: "Ledger accounts" });
    const customer = accounts.getByRole("row").filter({ hasText: CUSTOMER });
    await customer.waitFor();
    expect(await customer.textContent()).toMatch(/Customer.*GBP.*1,500\.25/);
    expect(await accounts.getByRole("row").filter({ hasText: "Cash / bank" }).count()).toBe(2); // GBP and USD
    await shot("ledger-accounts-light");

    // An account opens its transfers.
    await customer.click();
    await page.waitForURL(/view=transfers&accountId=/);
    const transfers = page.getByRole("table", { name: "Ledger transfers" });
    await expect.poll(() => transfers.locator("tbody tr").count()).toBe(1);
    expect(await transfers.locator("tbody tr").first().textContent()).toMatch(/Payment.*Posted.*1,500\.25 GBP.*Cash \/ bank.*Customer · Ledger E2E Customer/);
    await page.getByRole("button", { name: "Show all accounts" }).click();
    await expect.poll(() => transfers.locator("tbody tr").count()).toBe(2);
    await shot("ledger-transfers-light");
  });

  it("reverses the customer payment: linked reversal, balance back to zero", async () => {
    await page.goto(`${server.url}/billing/payments`);
    await page.getByRole("button", { name: "Reverse payment WIRE-2024-0042" }).click();
    const d = dialog();
    await d.getByRole("button", { name: "Reverse" }).click();
    await d.getByText("Say why it is reversed.").waitFor();
    await d.getByLabel("Reason").fill("Booked against the wrong carrier");
    await d.getByRole("button", { name: "Reverse" }).click();
    await d.waitFor({ state: "detached" });
    await expect.poll(() => page.getByRole("row").filter({ hasText: "WIRE-2024-0042" }).textContent()).toContain("Reversed");
    expect(await page.getByRole("button", { name: "Reverse payment WIRE-2024-0042" }).count()).toBe(0);
    await expect.poll(() => customerBalance(carrierUrl, "GBP")).toMatch(/^0\.00|^-?0\.00/);

    await page.goto(`${server.url}/billing/ledger?view=transfers&code=reversal`);
    const transfers = page.getByRole("table", { name: "Ledger transfers" });
    await expect.poll(() => transfers.locator("tbody tr").count()).toBe(1);
    expect(await transfers.locator("tbody tr").first().textContent()).toMatch(/Reversal.*1,500\.25 GBP.*Customer · Ledger E2E Customer.*Cash \/ bank.*reverses/);
  });

  it("Balance & Spend shows every carrier's balances, 24 hour spend and the totals", async () => {
    await page.goto(`${server.url}/carriers/balances`);
    await page.getByRole("heading", { name: "Balance & Spend" }).waitFor();
    const spend = page.getByRole("table", { name: "24 hour spend" });
    // The demo's GlobalVoice has a 800.00 GBP spend limit with the block action.
    const gv = spend.getByRole("row").filter({ hasText: "GlobalVoice Ltd" });
    await gv.waitFor();
    expect(await gv.textContent()).toMatch(/GBP.*0\.00.*800\.00.*800\.00.*Block/);
    await shot("balance-spend-24h-light");
    await page.getByRole("radio", { name: "Carrier Balances" }).click();
    const balances = page.getByRole("table", { name: "Carrier balances" });
    const supplier = balances.getByRole("row").filter({ hasText: SUPPLIER });
    await supplier.waitFor();
    expect(await supplier.textContent()).toMatch(/Supplier.*USD.*300\.00/);
    await shot("balance-spend-balances-light");
    await page.getByRole("radio", { name: "Balance And Totals" }).click();
    const totals = page.getByRole("table", { name: "Balance and totals" });
    await totals.waitFor();
    expect(await totals.getByRole("row").filter({ hasText: "Supplier prepaid" }).textContent()).toMatch(/0\.00.*300\.00/); // GBP, USD
    expect(await totals.getByRole("row").filter({ hasText: "Cash / bank" }).textContent()).toMatch(/0\.00.*-300\.00/);
    await shot("balance-spend-totals-light");
  });

  it("looks right in dark mode", async () => {
    await page.goto(`${server.url}/billing/ledger`);
    await page.getByRole("table", { name: "Ledger accounts" }).getByRole("row").filter({ hasText: CUSTOMER }).waitFor();
    await setTheme("Dark");
    await shot("ledger-accounts-dark");
    await page.getByRole("radio", { name: "Transfers" }).click();
    await expect.poll(() => page.getByRole("table", { name: "Ledger transfers" }).locator("tbody tr").count()).toBe(3);
    await shot("ledger-transfers-dark");
    await page.goto(`${server.url}/billing/payments`);
    await page.getByRole("row").filter({ hasText: "CARD-77" }).waitFor();
    await shot("payments-dark");
    await page.getByRole("button", { name: "Record payment" }).first().click();
    await pickCarrier(dialog(), "Acme Telecom");
    await shot("payments-dialog-dark");
    await page.keyboard.press("Escape");
    await page.goto(`${server.url}/carriers/balances?view=balances`);
    await page.getByRole("table", { name: "Carrier balances" }).getByRole("row").filter({ hasText: SUPPLIER }).waitFor();
    await shot("balance-spend-balances-dark");
    await page.getByRole("radio", { name: "24 Hour Spend" }).click();
    await page.getByRole("table", { name: "24 hour spend" }).getByRole("row").filter({ hasText: CUSTOMER }).waitFor();
    await shot("balance-spend-24h-dark");
    await setTheme("Light");
  });
});
