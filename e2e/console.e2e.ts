import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsole, type ConsoleUnderTest, screenshot, type RunningServer } from "./support.js";

/**
 * The console in a real browser: a fresh, empty database, the server started as
 * `npm start` starts it (migrations + first-run demo seed), Debian Chromium driving it.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;

beforeAll(async () => {
  ui = await openConsole("console");
  ({ server, page } = ui);
});

afterAll(() => ui?.close());

async function signIn(email: string, password = "didtron-demo") {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("staff console", () => {
  it("the first start printed the URL and the demo login", () => {
    expect(server.output()).toContain("DIDTron is running:");
    expect(server.output()).toContain("super@didtron.local / didtron-demo");
  });

  it("rejects a wrong password with a visible error, then signs in to the dashboard", async () => {
    await signIn("super@didtron.local", "wrong-password");
    await page.getByRole("alert").filter({ hasText: /password is incorrect/i }).waitFor();
    await signIn("super@didtron.local");
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await screenshot(page, "dashboard-light");
  });

  it("switches theme to dark and keeps it after a reload", async () => {
    const isDark = () => page.evaluate(() => document.documentElement.classList.contains("dark"));
    expect(await isDark()).toBe(false);
    const toggle = page.getByRole("button", { name: "Toggle theme" });
    await toggle.click();
    const darkItem = page.getByRole("menuitem", { name: "Dark" });
    if (await darkItem.count()) await darkItem.click();
    await expect.poll(isDark).toBe(true);
    await page.reload();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    expect(await isDark()).toBe(true);
    await screenshot(page, "dashboard-dark");
  });

  it("opens Users & Roles and pages through the server-side table", async () => {
    await page.getByRole("link", { name: "Users & Roles" }).first().click();
    await page.getByRole("heading", { name: "Users & Roles" }).waitFor();
    await page.getByText(/Showing 1–25 of \d+/).waitFor();
    const total = Number((await page.getByText(/Showing 1–25 of \d+/).textContent())!.match(/of (\d+)/)![1]);
    expect(total).toBeGreaterThan(40);
    await screenshot(page, "users-dark");
    const firstPageEmails = await page.locator("tbody tr").allTextContents();
    await page.getByRole("button", { name: "Next page" }).click();
    await page.getByText(`Showing 26–${Math.min(50, total)} of ${total}`).waitFor();
    // Rows of the previous page may show until the next page's data arrives.
    await expect.poll(() => page.locator("tbody tr").count()).toBe(Math.min(25, total - 25));
    const secondPageEmails = await page.locator("tbody tr").allTextContents();
    expect(secondPageEmails).not.toEqual(firstPageEmails);
  });

  it("searches the users table on the server", async () => {
    await page.getByRole("button", { name: "Previous page" }).click();
    await page.getByLabel("Search").first().fill("nick");
    await page.getByText(/Showing 1–1 of 1\b/).waitFor();
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
  });

  it("shows the audit log and the jobs page in light mode", async () => {
    const toggle = page.getByRole("button", { name: "Toggle theme" });
    await toggle.click();
    const lightItem = page.getByRole("menuitem", { name: "Light" });
    if (await lightItem.count()) await lightItem.click();
    else while (await page.evaluate(() => document.documentElement.classList.contains("dark"))) await toggle.click();
    await page.getByRole("link", { name: "Audit Log" }).first().click();
    await page.getByRole("heading", { name: "Audit Log" }).waitFor();
    await page.getByText(/Showing 1–\d+ of \d+/).waitFor();
    await screenshot(page, "audit-light");
    await page.getByRole("link", { name: "Jobs" }).first().click();
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    await screenshot(page, "jobs-light");
  });
});
