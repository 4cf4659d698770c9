import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsole, type ConsoleUnderTest, screenshot, type RunningServer, themedShots } from "./support.js";

/**
 * Interconnect detail (Digitalk's ingress 5 tabs + Services, egress 6 tabs), the
 * service dialog with its ambiguity rule, and the carrier configuration pages, in a
 * real browser against a freshly seeded server.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let acmeInUrl = "";

beforeAll(async () => {
  ui = await openConsole("interconnects");
  ({ server, page } = ui);
});

afterAll(() => ui?.close());

const { setTheme } = themedShots(() => page);

const tabNames = async () => (await page.getByRole("tablist", { name: "Page sections" }).getByRole("tab").allTextContents()).map((t) => t.replace(/\d+$/, "").trim());

describe("interconnects, services and carrier configuration", () => {
  it("signs in and opens the ingress interconnect Acme IN from the Services page", async () => {
    await ui.signIn();

    await page.goto(`${server.url}/carriers/services`);
    await page.getByRole("heading", { name: "Services" }).waitFor();
    const row = page.locator("tbody tr", { hasText: "Acme Premium" });
    await row.getByRole("link", { name: "Acme IN" }).click();
    await page.getByRole("heading", { name: "Acme IN" }).waitFor();
    acmeInUrl = page.url().replace(/\?.*$/, "");
    expect(acmeInUrl).toMatch(/\/carriers\/interconnects\/[0-9a-f-]{36}$/);

    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect.poll(() => crumbs.textContent()).toContain("Carrier Management");
    expect(await crumbs.getByRole("link", { name: "Acme Telecom" }).getAttribute("href")).toMatch(/^\/carriers\/[0-9a-f-]{36}$/);
    expect(await tabNames()).toEqual(["Details", "Ingress Validation", "Ingress Translation", "Media", "Signalling", "Services"]);
    // The Services page links to the interconnect's Services tab.
    expect(page.url()).toContain("tab=services");
    await page.locator("tbody tr", { hasText: "Acme UK Direct" }).waitFor();
    await page.getByRole("tab", { name: "Details" }).click();
    await page.getByLabel("Interconnect name").waitFor();
    expect(await page.getByLabel("Interconnect name").inputValue()).toBe("Acme IN");
    await screenshot(page, "interconnect-ingress-light");
  });

  it("edits the Media tab (codec order, ptime), saves, and keeps it after a reload", async () => {
    await page.getByRole("tab", { name: "Media" }).click();
    await expect.poll(() => page.url()).toContain("tab=media");
    const codecs = () => page.getByRole("list", { name: "Codec order" }).getByRole("listitem").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    // The tab renders after the URL changes: wait for the list rather than read it once.
    await expect.poll(codecs).toEqual(["1. PCMA", "2. PCMU", "3. G729"]);
    await page.getByRole("button", { name: "Move G729 up" }).click();
    await page.getByLabel("Packetisation time (ptime)").selectOption("30");
    await page.getByRole("toolbar", { name: "Page actions" }).getByText("Unsaved changes").waitFor();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Saved Media" }).waitFor();
    await page.getByText("All changes saved").waitFor();

    await page.reload();
    await expect.poll(codecs).toEqual(["1. PCMA", "2. G729", "3. PCMU"]);
    expect(await page.getByLabel("Packetisation time (ptime)").inputValue()).toBe("30");
    // Saving one tab leaves the others alone.
    await page.getByText("Capacity 200 ch").waitFor();
    await page.getByRole("tab", { name: "Details" }).click();
    expect(await page.getByLabel("Address 2", { exact: true }).inputValue()).toBe("203.0.113.11");

    await setTheme("Dark");
    await screenshot(page, "interconnect-ingress-dark");
    await setTheme("Light");
  });

  it("adds a service with tech prefix 3003# and lists it on the Services page", async () => {
    await page.getByRole("tab", { name: /^Services/ }).click();
    await page.locator("tbody tr", { hasText: "Acme UK Direct" }).waitFor();
    await page.getByRole("button", { name: "Add Service" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add Service" });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.placeholder)).toBe("e.g. Acme UK Premium");
    await dialog.getByLabel("Name", { exact: true }).fill("E2E Gold");
    await dialog.getByLabel("Tech prefix").fill("3003#");
    await dialog.getByLabel("Destination matching prefixes").fill("4420 4421");
    await dialog.getByLabel("Priority").fill("15");
    await dialog.getByText("USD").first().waitFor();
    await screenshot(page, "service-dialog-light");
    await dialog.getByRole("button", { name: "Add Service" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.locator("tbody tr", { hasText: "E2E Gold" }).waitFor();

    await page.goto(`${server.url}/carriers/services`);
    const row = page.locator("tbody tr", { hasText: "E2E Gold" });
    await row.waitFor();
    expect(await row.textContent()).toContain("3003#");
    expect(await row.textContent()).toContain("Acme Telecom");
    await screenshot(page, "services-page-light");
  });

  it("refuses a second service with the same tech prefix, naming the first (409 ambiguity)", async () => {
    await page.goto(`${acmeInUrl}?tab=services`);
    await page.locator("tbody tr", { hasText: "E2E Gold" }).waitFor();
    await page.getByRole("button", { name: "Add Service" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add Service" });
    await dialog.getByLabel("Name", { exact: true }).fill("E2E Clash");
    await dialog.getByLabel("Tech prefix").fill("3003#");
    // Same source IPs, same tech prefix and an overlapping destination prefix: a call to 4420… would match both.
    await dialog.getByLabel("Destination matching prefixes").fill("4420 ");
    await dialog.getByRole("button", { name: "Add Service" }).click();
    const alert = dialog.getByRole("alert").filter({ hasText: "Ambiguous service" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('"E2E Gold"');
    await expect.poll(() => dialog.getByText('ambiguous with service "E2E Gold"').count()).toBeGreaterThan(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await page.locator("tbody tr", { hasText: "E2E Clash" }).count()).toBe(0);
  });

  it("shows the six egress tabs of a supplier interconnect", async () => {
    const res = await page.request.get(`${server.url}/api/interconnects?q=TAC%20Primary`);
    const body = (await res.json()) as { rows: { id: string; name: string }[] };
    const tac = body.rows.find((r) => r.name === "TAC Primary");
    expect(tac).toBeTruthy();
    await page.goto(`${server.url}/carriers/interconnects/${tac!.id}`);
    await page.getByRole("heading", { name: "TAC Primary" }).waitFor();
    await page.getByLabel("Interconnect name").waitFor();
    expect(await tabNames()).toEqual(["Details", "Egress Routing", "Egress Translations", "Media", "Signalling", "Monitoring"]);
    await page.getByText("Supplier rating plan").waitFor();
    await screenshot(page, "interconnect-egress-light");
    await page.getByRole("tab", { name: "Egress Routing" }).click();
    expect(await page.getByLabel("Send-to address 1").inputValue()).toBe("192.0.2.50");
    await page.getByRole("tab", { name: "Monitoring" }).click();
    await page.getByText("Send SIP OPTIONS").waitFor();
  });

  it("shows trunk groups and blacklisting, adding a blacklist entry", async () => {
    await page.goto(`${server.url}/carriers/trunk-groups`);
    const group = page.locator("tbody tr", { hasText: "Tier-1 Suppliers" });
    await group.waitFor();
    expect(await group.textContent()).toContain("TAC Primary");
    await screenshot(page, "trunk-groups-light");

    await page.goto(`${server.url}/carriers/blacklisting`);
    await page.getByRole("heading", { name: "Blacklisting" }).waitFor();
    await page.getByRole("toolbar", { name: "Page actions" }).getByRole("button", { name: "Add entry" }).click();
    const dialog = page.getByRole("dialog", { name: "Add blacklist entry" });
    await dialog.getByLabel("Number or prefix").fill("447000");
    await dialog.getByLabel("Note").fill("Premium-rate fraud range");
    await dialog.getByRole("button", { name: "Add entry" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.locator("tbody tr", { hasText: "447000" }).waitFor();
    await screenshot(page, "blacklisting-light");
  });

  it("toggles a release cause failover inline and keeps it", async () => {
    await page.goto(`${server.url}/carriers/release-causes`);
    const sw = page.getByRole("switch", { name: "Failover for SIP 486" });
    await sw.waitFor({ state: "attached" });
    expect(await sw.isChecked()).toBe(false);
    await sw.click({ force: true });
    await page.getByRole("status").filter({ hasText: "SIP 486: failover on" }).waitFor();
    await page.reload();
    await page.getByRole("switch", { name: "Failover for SIP 486" }).waitFor({ state: "attached" });
    expect(await page.getByRole("switch", { name: "Failover for SIP 486" }).isChecked()).toBe(true);
    await screenshot(page, "release-causes-light");
    await setTheme("Dark");
    await screenshot(page, "release-causes-dark");
    await setTheme("Light");
  });
});
