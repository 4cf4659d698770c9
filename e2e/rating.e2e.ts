import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots } from "./support.js";

/**
 * Rating in a real browser: create a plan, import a deck through the wizard (first a
 * deck with a bad line, then the fixed one), apply it, browse the rates and quote a call.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let tmp = "";

const PLAN = "E2E Wholesale Sell";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const HEADER = "Dial Code,Destination,Rate,Effective Date,Increments";
const GOOD = ["44,United Kingdom,0.0150,2024-01-01,", "4420,United Kingdom London,0.0100,2024-01-01,", "447,United Kingdom Mobile,0.0450,2024-01-01,60/60"];

beforeAll(async () => {
  ui = await openConsole("rating", { acceptDownloads: true });
  ({ server, page } = ui);
  tmp = ui.tmp;
});

afterAll(() => ui?.close());

const dialog = () => page.getByRole("dialog");

const { setTheme, shot } = themedShots(() => page);

async function openTab(name: RegExp) {
  await page.getByRole("tab", { name }).click();
  await expect.poll(() => page.getByRole("tab", { name }).getAttribute("aria-selected")).toBe("true");
}

function deckFile(name: string, lines: string[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, [HEADER, ...lines].join("\n") + "\n");
  return file;
}

describe("rating plans", () => {
  it("signs in and opens Rating Plans", async () => {
    await ui.signIn();
    await page.goto(`${server.url}/rating/plans`);
    await page.getByRole("heading", { name: "Rating Plans" }).waitFor();
  });

  it("creates a 30/6 plan via the dialog and lands on its page", async () => {
    await page.getByRole("button", { name: "Add Rating Plan" }).first().click();
    const d = dialog();
    await d.getByRole("heading", { name: "Add Rating Plan" }).waitFor();
    await d.getByLabel("Plan Name").fill(PLAN);
    await d.getByLabel("Currency").selectOption("EUR");
    await d.getByLabel("First Increment").fill("30");
    await d.getByLabel("Next Increment").fill("6");
    await d.getByRole("button", { name: "Add time class" }).click();
    await d.getByLabel("Time class 1 name").fill("peak");
    await d.getByRole("button", { name: "Create plan" }).click();
    await page.waitForURL(new RegExp(`/rating/plans/${UUID}$`));
    await page.getByRole("heading", { name: PLAN }).waitFor();
    await page.getByText("No rates yet").waitFor();

    await page.goto(`${server.url}/rating/plans`);
    await page.getByRole("cell", { name: PLAN }).waitFor();
    await page.getByRole("cell", { name: "30/6" }).waitFor();
    await shot("rating-plans-light");
    await page.getByRole("cell", { name: PLAN }).click();
    await page.getByRole("heading", { name: PLAN }).waitFor();
  });

  it("rejects a deck with a bad line and lists the line", async () => {
    await page.getByRole("button", { name: "Import deck" }).first().click();
    const d = dialog();
    await d.getByRole("heading", { name: "Import rate deck" }).waitFor();
    await d.getByLabel("Deck file").setInputFiles(deckFile("bad.csv", [GOOD[0]!, "44x9,Broken,0.0100,2024-01-01,", GOOD[1]!, GOOD[2]!]));
    await d.getByText("bad.csv").waitFor();
    await d.getByRole("button", { name: "Next: map columns" }).click();
    // "Dial Code" is not a default header name of the server for every field: the wizard maps it.
    await expect.poll(() => d.getByLabel("Prefix (dial code)").inputValue()).toBe("Dial Code");
    await expect.poll(() => d.getByLabel("Effective date").inputValue()).toBe("Effective Date");
    await d.getByRole("button", { name: "Preview changes" }).click();
    const bad = d.getByRole("list", { name: "Bad lines" });
    await bad.waitFor();
    await expect.poll(() => bad.textContent()).toMatch(/Line 3.*prefix "44x9"/);
  });

  it("previews the fixed deck and applies it with progress", async () => {
    const d = dialog();
    await d.getByRole("button", { name: "Back" }).click();
    await d.getByRole("button", { name: "Back" }).click();
    await d.getByLabel("Deck file").setInputFiles(deckFile("uk-deck.csv", GOOD));
    await d.getByText("uk-deck.csv").waitFor();
    // Only the head of the file is read in the browser; the file itself is uploaded as it is.
    await d.getByText("3 rows").waitFor();
    await shot("rating-import-upload-light");
    await d.getByRole("button", { name: "Next: map columns" }).click();
    await d.getByRole("button", { name: "Preview changes" }).click();
    await d.getByRole("button", { name: "Apply 3 rows" }).waitFor();
    await d.getByRole("cell", { name: "4420", exact: true }).waitFor();
    await expect.poll(() => d.getByLabel("Changes").first().textContent()).toMatch(/3 new/);
    await shot("rating-import-preview-light");
    await d.getByRole("button", { name: "Apply 3 rows" }).click();
    await d.getByRole("progressbar", { name: "Apply progress" }).waitFor();
    await d.getByRole("button", { name: "View rates" }).waitFor({ timeout: 30_000 });
    await d.getByRole("button", { name: "View rates" }).click();
    await dialog().waitFor({ state: "detached" });
  });

  it("shows the rates table, searchable by prefix", async () => {
    const rates = page.getByRole("table", { name: "Rates" });
    await rates.getByRole("cell", { name: "4420", exact: true }).waitFor();
    await rates.getByRole("cell", { name: "United Kingdom Mobile" }).waitFor();
    await rates.getByRole("cell", { name: "60/60" }).waitFor();
    await rates.getByRole("cell", { name: "0.0450" }).waitFor();
    await shot("rating-plan-rates-light");
    await setTheme("Dark");
    await shot("rating-plan-rates-dark");
    await setTheme("Light");

    await page.getByPlaceholder("Prefix digits or destination…").fill("442");
    await expect.poll(() => rates.getByRole("row").count()).toBe(2);
    await rates.getByRole("cell", { name: "United Kingdom London" }).waitFor();
  });

  it("shows the settings and the compiled plan's size", async () => {
    await openTab(/Settings/);
    const compiled = page.getByText(/bytes per prefix/);
    await compiled.waitFor();
    expect(await compiled.textContent()).toMatch(/^[\d.,]+ (B|KiB|MiB) · [\d.,]+ bytes per prefix$/);
    await page.getByText("3 (3 rate versions)").waitFor();
    await shot("rating-plan-settings-light");
    await setTheme("Dark");
    await shot("rating-plan-settings-dark");
    await setTheme("Light");
  });

  it("lists the revision", async () => {
    await openTab(/Revisions/);
    await page.getByRole("cell", { name: "uk-deck.csv" }).waitFor();
    await page.getByRole("cell", { name: "bad.csv" }).waitFor();
    await page.getByRole("cell", { name: "uk-deck.csv" }).click();
    await dialog().getByText("Applied", { exact: true }).first().waitFor();
    await dialog().getByRole("cell", { name: "447", exact: true }).waitFor();
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "detached" });
  });

  it("quotes 37 s to London as 42 billable seconds", async () => {
    await openTab(/Quote/);
    await page.getByLabel("Number").fill("442071234567");
    await page.getByLabel("Duration").fill("37");
    await page.getByRole("button", { name: "Quote call" }).click();
    const breakdown = page.getByLabel("Quote breakdown");
    await breakdown.waitFor();
    await expect.poll(() => breakdown.getByLabel("Billable seconds").textContent()).toBe("42 s");
    const text = (await breakdown.textContent()) ?? "";
    expect(text).toContain("4420");
    expect(text).toContain("United Kingdom London");
    expect(text).toMatch(/first 30 s \+ 2 × 6 s = 42 s/);
    // 0.01 EUR/min × 42 s = 0.007
    await expect.poll(() => breakdown.getByLabel("Exact cost").textContent()).toMatch(/^0\.007/);
    await shot("rating-quote-light");
  });
});
