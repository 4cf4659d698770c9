import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots } from "./support.js";

/**
 * Routing in a real browser: an FX rate and a routing plan with an LCR entry created
 * through the UI (rating plans, decks and assignments through the API), then the Route
 * Simulator for a call that routes, one every candidate of is dropped, an unknown source
 * and a number without a customer rate.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;

const PLAN = "E2E LCR USD";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
let planId = "";
const ids: Record<string, string> = {};

beforeAll(async () => {
  ui = await openConsole("routing", { viewport: { width: 1600, height: 1000 } });
  ({ server, page } = ui);
});

afterAll(() => ui?.close());

const dialog = () => page.getByRole("dialog");

const { setTheme, shot, shots } = themedShots(() => page);

/** The API as the signed-in browser calls it (session cookie + CSRF token). */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await fetch("/api/auth/me").then((r) => r.json())) as { csrfToken: string };
      const res = await fetch(`/api${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), "x-csrf-token": me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    { method, path, body },
  ) as Promise<T>;
}

const idOf = async (path: string, name: string) => {
  const res = await call<{ rows: { id: string; name: string }[] }>("GET", `${path}?pageSize=100&q=${encodeURIComponent(name)}`);
  const row = res.rows.find((r) => r.name === name);
  if (!row) throw new Error(`${name} not found in ${path}`);
  return row.id;
};

/** A rating plan with a deck, previewed and applied (the apply runs as a job). */
async function ratedPlan(name: string, kind: "customer" | "supplier", currency: string, rows: string[]): Promise<string> {
  const plan = await call<{ id: string }>("POST", "/rating-plans", { name, kind, currency, timeZone: "UTC" });
  const csv = ["prefix,destination,rate,effective_date", ...rows.map((r) => `${r},2024-01-01`)].join("\n") + "\n";
  const preview = await call<{ revision: { id: string } }>("POST", `/rating-plans/${plan.id}/imports`, { fileName: `${name}.csv`, csv, mode: "full" });
  await call("POST", `/rating-revisions/${preview.revision.id}/apply`);
  await expect.poll(async () => (await call<{ revision: { status: string } }>("GET", `/rating-revisions/${preview.revision.id}`)).revision.status, { timeout: 30_000 }).toBe("applied");
  return plan.id;
}

/** Fills and runs the simulator; returns when a decision for this input is shown. */
async function simulate(input: { sourceIp?: string; port?: string; service?: string; dialled: string; calling?: string }) {
  if (input.service) {
    await page.getByRole("radio", { name: "Service" }).click();
    await page.getByRole("button", { name: "Service", exact: true }).click();
    await page.getByRole("option", { name: new RegExp(input.service) }).click();
  } else {
    await page.getByRole("radio", { name: "Source IP" }).click();
    await page.getByLabel("Source IP").fill(input.sourceIp ?? "");
    await page.getByLabel("Port").fill(input.port ?? "");
  }
  await page.getByLabel("Dialled Number").fill(input.dialled);
  await page.getByLabel("Calling Number").fill(input.calling ?? "");
  await page.getByRole("button", { name: "Simulate" }).click();
  await page.getByLabel("Decision", { exact: true }).waitFor();
  await expect.poll(() => page.getByLabel("Decision", { exact: true }).getByLabel("Dialled as received", { exact: true }).textContent()).toBe(input.dialled);
  await expect.poll(() => page.getByRole("button", { name: "Simulate" }).isEnabled()).toBe(true);
}

const cells = async (table: string, row: number) =>
  (await page.getByRole("table", { name: table }).locator("tbody tr").nth(row).locator("td").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());

describe("routing", () => {
  it("signs in and finds the Routing module in the navigation", async () => {
    await ui.signIn();
    await page.goto(`${server.url}/routing/plans`);
    await page.getByRole("heading", { name: "Routing Plans" }).waitFor();
    await page.getByRole("link", { name: "Route Simulator" }).first().waitFor();
    await page.getByRole("link", { name: "FX Rates" }).first().waitFor();
  });

  it("routes a UK mobile call of the seeded demo by a reproducible 70/30 weighted draw", async () => {
    // The demo seed, before this file changes it: Acme UK Direct routes by "Wholesale USD", whose 447 entry
    // splits TAC Primary 70 / Orion 30 with TAC Backup last.
    await page.goto(`${server.url}/routing/simulator`);
    await page.getByLabel("Seed", { exact: true }).fill("7");
    await simulate({ sourceIp: "203.0.113.10", port: "5060", dialled: "1002#447700900123" });
    const routes = page.getByRole("table", { name: "Routes" });
    await expect.poll(() => routes.locator("tbody tr").count()).toBe(3);
    const first = (await cells("Routes", 0))[1];
    expect(["TAC Primary", "Orion FRA"].some((n) => first?.includes(n))).toBe(true);
    expect((await cells("Routes", 2))[1]).toContain("TAC Backup");
    expect(await page.getByLabel("Service", { exact: true }).textContent()).toBe("Acme UK Direct");
    // The same seed replays the same order.
    await page.getByRole("button", { name: "Simulate" }).click();
    await expect.poll(async () => (await cells("Routes", 0))[1]).toBe(first);
    await page.getByLabel("Seed", { exact: true }).fill("");
    await shots("routing-simulator-weighted");
  });

  it("prepares customer and supplier rates through the API", async () => {
    // Customer (sell, USD): UK 0.02, UK mobile 0.05. Suppliers: TAC (USD) 0.008 / 0.03; Orion (EUR) 0.006 / 0.06.
    const sell = await ratedPlan("E2E Sell USD", "customer", "USD", ["44,United Kingdom,0.0200", "447,United Kingdom Mobile,0.0500"]);
    const tac = await ratedPlan("E2E TAC Buy", "supplier", "USD", ["44,UK,0.0080", "447,UK Mobile,0.0300"]);
    const orion = await ratedPlan("E2E Orion Buy", "supplier", "EUR", ["44,UK Fixed,0.0060", "447,UK Mobile,0.0600"]);
    for (const name of ["TAC Primary", "TAC Backup", "Orion FRA"]) ids[name] = await idOf("/interconnects", name);
    await call("PATCH", `/interconnects/${ids["TAC Primary"]}`, { supplierRatingPlanId: tac });
    // TAC Backup keeps no supplier plan: the simulator drops it with that reason.
    await call("PATCH", `/interconnects/${ids["TAC Backup"]}`, { supplierRatingPlanId: null });
    await call("PATCH", `/interconnects/${ids["Orion FRA"]}`, { supplierRatingPlanId: orion });
    ids.service = await idOf("/services", "Acme Premium");
    ids.sell = sell;
  });

  it("adds an EUR → USD FX rate through the FX Rates page", async () => {
    await page.goto(`${server.url}/routing/fx-rates`);
    await page.getByRole("heading", { name: "FX Rates" }).waitFor();
    await page.getByRole("button", { name: "Add FX rate" }).first().click();
    const d = dialog();
    await d.getByLabel("Base").selectOption("EUR");
    await d.getByLabel("Quote").selectOption("USD");
    await d.getByLabel("Rate").fill("1.1");
    await d.getByText("1 EUR = 1.1 USD").waitFor();
    await d.getByRole("button", { name: "Add rate" }).click();
    await d.waitFor({ state: "detached" });
    const fx = page.getByRole("table", { name: "FX rates" });
    await fx.getByRole("cell", { name: "1 EUR = 1.1 USD" }).waitFor();
    await shots("routing-fx-rates");
  });

  it("creates a routing plan through the dialog and lands on its page", async () => {
    await page.goto(`${server.url}/routing/plans`);
    await page.getByRole("button", { name: "Add Routing Plan" }).first().click();
    const d = dialog();
    await d.getByRole("heading", { name: "Add Routing Plan" }).waitFor();
    await d.getByLabel("Plan Name").fill(PLAN);
    await d.getByLabel("Currency").selectOption("USD");
    await d.getByLabel("Max Attempts").fill("3");
    await d.getByRole("button", { name: "Create plan" }).click();
    await page.waitForURL(new RegExp(`/routing/plans/${UUID}$`));
    planId = page.url().split("/").pop()!;
    await page.getByRole("heading", { name: PLAN }).waitFor();
    await page.getByText("No entries yet").waitFor();
  });

  it("adds an LCR entry for 44 with three candidates", async () => {
    await page.getByRole("button", { name: "Add entry" }).first().click();
    const d = dialog();
    await d.getByRole("heading", { name: "Add routing entry" }).waitFor();
    await d.getByLabel("Prefix").fill("44");
    await d.getByLabel("Strategy").selectOption("lcr");
    await d.getByLabel("Description").fill("United Kingdom");
    for (const name of ["TAC Primary", "Orion FRA", "TAC Backup"]) {
      await d.getByRole("button", { name: "Add candidate" }).click();
      await page.getByRole("option", { name: new RegExp(`^${name}`) }).click();
      await d.getByRole("listitem", { name: new RegExp(`: ${name}$`) }).waitFor();
    }
    await expect.poll(() => d.getByRole("listitem").count()).toBe(3);
    await shot("routing-entry-dialog-light");
    await d.getByRole("button", { name: "Add entry" }).click();
    await d.waitFor({ state: "detached" });
    const entries = page.getByRole("table", { name: "Routing entries" });
    await entries.getByRole("cell", { name: "44", exact: true }).waitFor();
    await entries.getByRole("cell", { name: "United Kingdom" }).waitFor();
    await entries.getByText("LCR").waitFor();
  });

  it("wires the plan to the service and adds a 447 entry every candidate of is dropped", async () => {
    // Orion's 0.06 EUR (0.066 USD) loses money against 0.05; TAC's 0.03 exceeds the candidate's 0.02 cap.
    await call("POST", `/routing-plans/${planId}/entries`, {
      prefix: "447",
      description: "UK mobile",
      strategy: "priority",
      candidates: [{ interconnectId: ids["Orion FRA"] }, { interconnectId: ids["TAC Primary"], maxSupplierRate: "0.02" }],
    });
    await call("PATCH", `/services/${ids.service}`, { ratingPlanId: ids.sell, routingPlanId: planId });
    await page.reload();
    const entries = page.getByRole("table", { name: "Routing entries" });
    await entries.getByRole("cell", { name: "447", exact: true }).waitFor();
    await page.getByLabel("Plan settings").getByRole("link", { name: "Acme Premium" }).waitFor();
    await shots("routing-plan-detail");

    await page.getByPlaceholder("Prefix digits or description…").fill("447");
    await expect.poll(() => entries.locator("tbody tr").count()).toBe(1);
    await page.getByLabel("State").selectOption("future");
    await page.getByText("No matching results").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => entries.locator("tbody tr").count()).toBe(2);

    await page.goto(`${server.url}/routing/plans`);
    const row = page.locator("tbody tr", { hasText: PLAN });
    await row.waitFor();
    expect((await row.locator("td").allTextContents()).map((t) => t.trim())).toEqual(expect.arrayContaining(["USD", "2", "1", "3"]));
    await shots("routing-plans");
  });

  it("simulates a UK call: Orion first (converted from EUR), TAC second, TAC Backup dropped", async () => {
    await page.goto(`${server.url}/routing/simulator`);
    await page.getByRole("heading", { name: "Route Simulator" }).waitFor();
    // The routing snapshot rebuilds after changes; retry until it has the new plan.
    await expect
      .poll(
        async () => {
          await simulate({ sourceIp: "203.0.113.10", port: "5060", dialled: "1001#442079460000", calling: "12125550100" });
          return page.getByRole("table", { name: "Routes" }).locator("tbody tr").count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(2);
    const decision = page.getByLabel("Decision", { exact: true });
    await decision.getByLabel("Routed", { exact: true }).waitFor();
    expect(await decision.getByLabel("Ingress interconnect", { exact: true }).textContent()).toBe("Acme IN");
    expect(await decision.getByLabel("Service", { exact: true }).textContent()).toBe("Acme Premium");
    expect(await decision.getByLabel("Customer prefix", { exact: true }).textContent()).toMatch(/^44\s*United Kingdom$/);
    expect(await decision.getByLabel("Customer rate", { exact: true }).textContent()).toBe("0.0200USD");
    expect(await decision.getByLabel("Credit verdict", { exact: true }).textContent()).toMatch(/allowed/);

    const first = await cells("Routes", 0);
    expect(first[0]).toBe("1");
    expect(first[1]).toContain("Orion FRA");
    expect(first[4]).toBe("0.0060EUR");
    expect(first[5]).toMatch(/^@1\.1\s*0\.0066USD$/);
    expect(first[6]).toMatch(/^\+0\.0134/);
    expect(first[7]).toContain("192.0.2.80:5061");
    const second = await cells("Routes", 1);
    expect(second[1]).toContain("TAC Primary");
    expect(second[5]).toBe("0.0080USD");
    expect(second[6]).toMatch(/^\+0\.0120/);
    expect(second[8]).toMatch(/^77#442079460000 \/ /);

    const dropped = await cells("Dropped candidates", 0);
    expect(dropped[0]).toContain("TAC Backup");
    expect(dropped[2]).toBe("No supplier plan");
    const steps = await page.getByRole("list", { name: "Decision steps" }).locator("li").allTextContents();
    for (const step of ["Ingress", "Numbers", "Customer rate", "Routing"]) expect(steps.some((s) => s.includes(step))).toBe(true);
    await page.mouse.move(0, 0);
    await shots("routing-simulator-route");
  });

  it("rejects a UK mobile call with 503 when every candidate is dropped, listing each reason", async () => {
    await simulate({ sourceIp: "203.0.113.10", port: "5060", dialled: "1001#447700900123", calling: "12125550100" });
    const decision = page.getByLabel("Decision", { exact: true });
    const rejected = decision.getByLabel("Rejected", { exact: true });
    await rejected.waitFor();
    expect(await rejected.getByLabel("SIP status", { exact: true }).textContent()).toBe("503");
    expect(await rejected.getByLabel("Reject reason", { exact: true }).textContent()).toMatch(/^No route/);
    expect(Number(await rejected.getByLabel("Q.850 cause", { exact: true }).textContent())).toBeGreaterThan(0);
    const reasons = await page.getByRole("table", { name: "Dropped candidates" }).locator("tbody tr td:nth-child(3)").allTextContents();
    expect(reasons.sort()).toEqual(["Loss", "Over max rate"]);
    await shots("routing-simulator-reject");
  });

  it("rejects an unknown source with 403 and a number without a customer rate with 404", async () => {
    await simulate({ sourceIp: "192.0.2.99", dialled: "442079460000" });
    let rejected = page.getByLabel("Decision", { exact: true }).getByLabel("Rejected", { exact: true });
    expect(await rejected.getByLabel("SIP status", { exact: true }).textContent()).toBe("403");
    expect(await rejected.getByLabel("Reject reason", { exact: true }).textContent()).toMatch(/^Unknown source/);

    await simulate({ service: "Acme Premium", dialled: "8613800138000" });
    rejected = page.getByLabel("Decision", { exact: true }).getByLabel("Rejected", { exact: true });
    expect(await rejected.getByLabel("SIP status", { exact: true }).textContent()).toBe("404");
    expect(await rejected.getByLabel("Reject reason", { exact: true }).textContent()).toMatch(/^No customer rate/);
    // The call is in the URL: reloading replays it.
    expect(page.url()).toContain(`serviceId=${ids.service}`);
  });

  it("opens the demo's priority-groups entry with a trunk group candidate for editing", async () => {
    await page.goto(`${server.url}/routing/plans`);
    await page.getByRole("cell", { name: "Wholesale USD", exact: true }).click();
    await page.getByRole("heading", { name: "Wholesale USD" }).waitFor();
    const entries = page.getByRole("table", { name: "Routing entries" });
    await entries.getByRole("cell", { name: "447", exact: true }).waitFor();
    const d = dialog();
    // The theme menu sits under the dialog's backdrop: one screenshot per theme, reopening the dialog.
    for (const theme of ["Dark", "Light"] as const) {
      await setTheme(theme);
      await entries.getByRole("cell", { name: "44", exact: true }).click();
      await d.getByRole("heading", { name: "Edit entry 44" }).waitFor();
      expect(await d.getByLabel("Strategy").inputValue()).toBe("priority_lcr");
      await d.getByRole("listitem", { name: /: Tier-1 Suppliers$/ }).waitFor();
      expect(await d.getByLabel("Group of Tier-1 Suppliers").inputValue()).toBe("1");
      expect(await d.getByLabel("Group of Acme OUT").inputValue()).toBe("2");
      await shot(`routing-entry-dialog-groups-${theme.toLowerCase()}`);
      await d.getByRole("button", { name: "Cancel" }).click();
      await d.waitFor({ state: "detached" });
    }
  });
});
