import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots } from "./support.js";

/**
 * Carrier Management in a real browser: create a bilateral carrier, give it an ingress
 * and an egress interconnect, credit settings, a contact and a credit alert — all via
 * the UI, on a fresh database with the first-run demo seed.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let carrierUrl = "";

const CARRIER = "E2E Bilateral Telecom";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

beforeAll(async () => {
  ui = await openConsole("carriers");
  ({ server, page } = ui);
});

afterAll(() => ui?.close());

const dialog = () => page.getByRole("dialog");

const { setTheme, shot } = themedShots(() => page);

async function openTab(name: RegExp) {
  await page.getByRole("tab", { name }).click();
  await expect.poll(() => page.getByRole("tab", { name }).getAttribute("aria-selected")).toBe("true");
}

describe("carrier management", () => {
  it("signs in and opens the carriers list", async () => {
    await ui.signIn();
    await page.goto(`${server.url}/carriers`);
    await page.getByRole("heading", { name: "Carriers" }).waitFor();
    // The demo seed's carriers are listed.
    await page.getByRole("cell", { name: "Acme Telecom" }).waitFor();
  });

  it("creates a bilateral carrier via the Add Carrier dialog and lands on its page", async () => {
    await page.getByRole("button", { name: "Add Carrier" }).click();
    const d = dialog();
    await d.getByRole("heading", { name: "Add Carrier" }).waitFor();
    await d.getByLabel("Carrier Name").fill(CARRIER);
    await d.getByLabel("Type", { exact: true }).selectOption("bilateral");
    await d.getByLabel("Currency 2").selectOption("EUR");
    await d.getByRole("button", { name: "Create carrier" }).click();
    await page.waitForURL(new RegExp(`/carriers/${UUID}$`));
    carrierUrl = page.url();
    await page.getByRole("heading", { name: CARRIER }).waitFor();
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect.poll(() => crumbs.textContent()).toBe(`Carrier Management${CARRIER}`);
    for (const tab of ["1 Carrier Details", "2 Interconnects", "3 Contact Details", "4 Accounting Details", "5 Credit Alerts"]) {
      await page.getByRole("tab", { name: new RegExp(`^${tab}`) }).waitFor();
    }
    await page.getByRole("table", { name: "Credit control USD" }).waitFor();
  });

  it("adds an ingress interconnect and opens its page", async () => {
    await openTab(/Interconnects/);
    await page.getByRole("button", { name: "Add Interconnect" }).click();
    const d = dialog();
    await d.getByLabel("Name", { exact: true }).fill("E2E IN");
    await d.getByLabel("Direction").selectOption("ingress");
    await d.getByLabel("Address 1", { exact: true }).fill("203.0.113.77");
    await d.getByLabel("Port 1", { exact: true }).fill("5060");
    await d.getByLabel("Ingress Tech Prefix").fill("9001#");
    await d.getByRole("button", { name: "Add interconnect" }).click();
    await page.waitForURL(new RegExp(`/carriers/interconnects/${UUID}$`));
  });

  it("adds an egress interconnect with a Send to address", async () => {
    await page.goBack();
    await page.waitForURL((u) => u.href.startsWith(carrierUrl));
    await page.getByRole("cell", { name: "E2E IN" }).waitFor();
    await page.getByRole("button", { name: "Add Interconnect" }).click();
    const d = dialog();
    await d.getByLabel("Name", { exact: true }).fill("E2E OUT");
    await d.getByLabel("Direction").selectOption("egress");
    // An egress interconnect needs somewhere to send calls.
    await d.getByRole("button", { name: "Add interconnect" }).click();
    await d.getByText("Add at least one address to send calls to").waitFor();
    await d.getByLabel("Send to address 1").fill("192.0.2.99");
    await d.getByLabel("Transport 1").selectOption("tcp");
    await d.getByRole("button", { name: "Add interconnect" }).click();
    await page.waitForURL(new RegExp(`/carriers/interconnects/${UUID}$`));
  });

  it("shows both interconnects in the Carriers page's Interconnects view", async () => {
    await page.goBack();
    await page.waitForURL((u) => u.href.startsWith(carrierUrl));
    await page.getByRole("link", { name: "Carrier Management" }).click();
    await page.waitForURL(`${server.url}/carriers`);
    await page.getByRole("radio", { name: "Interconnects" }).click();
    await page.waitForURL(/view=interconnects/);
    await page.getByRole("table", { name: "Interconnects" }).getByRole("columnheader", { name: "Carrier" }).waitFor();
    await page.getByRole("main").getByLabel("Search").fill("E2E");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
    const rows = page.locator("tbody tr");
    expect(await rows.filter({ hasText: "E2E IN" }).filter({ hasText: "Ingress" }).count()).toBe(1);
    expect(await rows.filter({ hasText: "E2E OUT" }).filter({ hasText: "Egress" }).count()).toBe(1);
    expect(await rows.filter({ hasText: CARRIER }).count()).toBe(2);
  });

  it("edits the credit settings and shows the new credit limit", async () => {
    await page.goto(carrierUrl);
    await page.getByRole("heading", { name: CARRIER }).waitFor();
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: /Edit credit settings/ }).click();
    const d = dialog();
    await d.getByLabel("Credit Type", { exact: true }).selectOption("postpaid");
    await d.getByLabel("Credit Limit", { exact: true }).fill("2500");
    await d.getByLabel("Bilateral Limit", { exact: true }).fill("1000");
    await d.getByRole("button", { name: "Save changes" }).click();
    await d.waitFor({ state: "detached" });
    const settings = page.getByRole("region", { name: "Customer Credit Settings" });
    await expect.poll(() => settings.textContent()).toContain("2,500.00");
    await expect.poll(() => settings.textContent()).toContain("Postpaid");
    // Credit control picks up the limits: remaining = balance + limit.
    const cc = page.getByRole("table", { name: "Credit control USD" });
    await expect.poll(() => cc.textContent()).toContain("-2,500.00");
    await expect.poll(() => cc.textContent()).toContain("-1,000.00");
    // Saving credit settings leaves the carrier details alone (Currency 2 is still EUR).
    await page.getByRole("table", { name: "Credit control EUR" }).waitFor();
    const details = await page.getByRole("region", { name: "Currency" }).textContent();
    expect(details).toContain("EUR");
  });

  it("adds a contact", async () => {
    await openTab(/Contact Details/);
    await page.getByRole("button", { name: "Add Contact" }).click();
    const d = dialog();
    await d.getByLabel("Name", { exact: true }).fill("E2E NOC Desk");
    await d.getByLabel("NOC", { exact: true }).check();
    await d.getByLabel("Billing", { exact: true }).check();
    await d.getByLabel("Email").fill("noc@e2e-bilateral.example");
    await d.getByLabel("Phone").fill("+44 20 7946 0100");
    await d.getByRole("button", { name: "Add contact" }).click();
    await d.waitFor({ state: "detached" });
    const row = page.locator("tbody tr").filter({ hasText: "E2E NOC Desk" });
    await row.waitFor();
    expect(await row.textContent()).toContain("noc@e2e-bilateral.example");
    await shot("carrier-contacts-light");
  });

  it("adds a credit alert with that contact as recipient", async () => {
    await openTab(/Credit Alerts/);
    await page.getByRole("button", { name: "Add Alert" }).click();
    const d = dialog();
    await d.getByLabel("Alert Type").selectOption("low_balance");
    await d.getByLabel("Threshold", { exact: true }).fill("-2000");
    await d.getByLabel("Reset at", { exact: true }).fill("-1500");
    await d.getByRole("checkbox", { name: /E2E NOC Desk/ }).check();
    await d.getByRole("button", { name: "Add alert" }).click();
    await d.waitFor({ state: "detached" });
    const row = page.locator("tbody tr").filter({ hasText: "Low Balance" });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain("E2E NOC Desk");
    expect(await row.textContent()).toContain("-2,000.00");
    await shot("carrier-alerts-light");
  });

  it("takes the carrier detail and list screenshots in light and dark", async () => {
    await openTab(/Carrier Details/);
    await page.getByRole("table", { name: "Credit control USD" }).waitFor();
    await page.getByRole("table", { name: "Credit control EUR" }).waitFor();
    await shot("carrier-detail-light");
    await setTheme("Dark");
    await shot("carrier-detail-dark");
    await setTheme("Light");
    await page.getByRole("link", { name: "Carrier Management" }).click();
    await page.waitForURL(`${server.url}/carriers`);
    await page.getByRole("cell", { name: CARRIER }).waitFor();
    await shot("carriers-list-light");
  });
});
