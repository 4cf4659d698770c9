import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createPool, inTransaction } from "../server/src/platform/db/client.js";
import { postTransfers } from "../server/src/ledger/post.js";
import { openConsole, type ConsoleUnderTest, screenshot, type RunningServer, themedShots } from "./support.js";

/**
 * A credit alert fired by a posting reaches the Mail Outbox (no SMTP configured: the
 * outbox is the delivery); the page lists it and its drawer shows the body.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let dbUrl = "";

beforeAll(async () => {
  ui = await openConsole("mail");
  ({ server, page } = ui);
  dbUrl = ui.dbUrl;
});
afterAll(() => ui?.close());

const { setTheme } = themedShots(() => page);

describe("mail outbox", () => {
  it("a low-balance alert fired by a charge shows in the outbox with its body", async () => {
    // The demo's low-balance alert (−4,000 USD): post a charge that crosses it.
    const pool = createPool(dbUrl, 2);
    try {
      const a = (await pool.query<{ tenant_id: string; carrier_id: string }>(`SELECT tenant_id, carrier_id FROM credit_alerts WHERE type = 'low_balance' LIMIT 1`)).rows[0]!;
      await inTransaction(pool, (tx) => postTransfers(tx, { tenantId: a.tenant_id, transfers: [{ op: "call_charge", key: "e2e-alert", carrierId: a.carrier_id, currency: "USD", amountMicros: 5_000_000_000n }] }));
      await expect.poll(async () => (await pool.query(`SELECT status FROM mail_outbox`)).rows.map((r) => r.status), { timeout: 15_000 }).toEqual(["outbox_only"]);
    } finally {
      await pool.end();
    }

    await ui.signIn("billing@demo.didtron.local");
    await page.goto(`${server.url}/system/mail`);
    const row = page.getByRole("row").filter({ hasText: "Low balance" });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain("Outbox only");
    await setTheme("Light");
    await screenshot(page, "mail-outbox-light");
    await row.click();
    await expect.poll(() => page.getByRole("dialog").textContent()).toContain("balance is");
    await screenshot(page, "mail-outbox-detail-light");
    await page.keyboard.press("Escape");
    await setTheme("Dark");
    await screenshot(page, "mail-outbox-dark");
    await row.click();
    await expect.poll(() => page.getByRole("dialog").textContent()).toContain("balance is");
    await screenshot(page, "mail-outbox-detail-dark");
  });
});
