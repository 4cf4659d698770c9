import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { cdrOf, createTraffic, importAndApply, type Requester, type Traffic } from "../server/test/cdrs-fixture.js";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots, apiSession } from "./support.js";

/**
 * CDRs in a real browser: traffic and CDRs are created through the API, then the CDRs
 * page is filtered, a CDR opened, the Rating Errors page read, a CSV exported and
 * downloaded, a CDR file uploaded (first with bad lines), and rating errors re-rated.
 */
let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let tmp = "";
let request: Requester;
let tr: Traffic;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  ui = await openConsole("cdrs", { acceptDownloads: true });
  ({ server, page } = ui);
  tmp = ui.tmp;
  request = await apiSession(server.url, "admin@demo.didtron.local");
});

afterAll(() => ui?.close());

async function waitRated() {
  await expect
    .poll(async () => (await request("GET", `/api/cdrs?ratingStatus=pending&from=${iso(Date.now() - 3 * 86_400_000)}&to=${iso(Date.now() + HOUR)}`)).json.total, { timeout: 30_000 })
    .toBe(0);
}

const { setTheme, shot } = themedShots(() => page);

const table = () => page.getByRole("table", { name: "CDRs" });
const bodyRows = () => table().locator("tbody tr");
const footer = () => page.getByText(/^Showing \d/);
const search = () => page.getByPlaceholder("Number prefix…");

describe("CDRs", () => {
  it("creates traffic and CDRs through the API", async () => {
    tr = await createTraffic(request, "E2E");
    const now = Date.now();
    const calls = [];
    // A day of traffic: answered calls to London and the UK, busy and failed attempts.
    for (let i = 0; i < 36; i++) {
      const start = now - (i + 1) * 37 * 60_000;
      const kind = i % 9;
      const dur = 20 + ((i * 47) % 400);
      if (kind === 4) calls.push(cdrOf(tr, { callId: `e2e-${i}`, startAt: iso(start), answerAt: null, endAt: iso(start + 6000), durationS: 0, sipStatus: 486, q850Cause: 17, disposition: "busy" }));
      else if (kind === 7) calls.push(cdrOf(tr, { callId: `e2e-${i}`, startAt: iso(start), answerAt: null, endAt: iso(start + 31_000), durationS: 0, sipStatus: 503, q850Cause: 34, disposition: "failed" }));
      else
        calls.push(
          cdrOf(tr, {
            callId: `e2e-${i}`,
            calledNumber: i % 2 ? "9001#447700900123" : "9001#442079460000",
            callingNumber: `+1212555${String(1000 + i)}`,
            startAt: iso(start),
            answerAt: iso(start + 2500),
            endAt: iso(start + 2500 + dur * 1000),
            durationS: dur,
          }),
        );
    }
    // Rating errors: no service for tech prefix 7777#, and no rate for France yet.
    calls.push(cdrOf(tr, { callId: "e2e-noservice", calledNumber: "7777#4930123456", startAt: iso(now - 5 * HOUR), answerAt: iso(now - 5 * HOUR + 2000), endAt: iso(now - 5 * HOUR + 62_000), durationS: 60 }));
    calls.push(cdrOf(tr, { callId: "e2e-france", calledNumber: "9001#33142685300", startAt: iso(now - 3 * HOUR), answerAt: iso(now - 3 * HOUR + 2000), endAt: iso(now - 3 * HOUR + 92_000), durationS: 90 }));
    const r = await request("POST", "/api/cdrs/batch", { cdrs: calls });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.inserted).toBe(38);
    await waitRated();
  });

  it("signs in and lists the last 24 hours", async () => {
    await ui.signIn();
    await page.goto(`${server.url}/billing/cdrs`);
    await page.getByRole("heading", { name: "CDRs" }).waitFor();
    await expect.poll(() => footer().textContent()).toMatch(/of 38$/);
    expect(await bodyRows().count()).toBe(38);
    await shot("cdrs-light");
  });

  it("filters by number, disposition, rating status and carrier", async () => {
    await search().fill("44770");
    await expect.poll(() => footer().textContent()).toMatch(/of 14$/);
    await search().fill("");
    await expect.poll(() => footer().textContent()).toMatch(/of 38$/);
    await page.getByLabel("Disposition", { exact: true }).selectOption("busy");
    await expect.poll(() => footer().textContent()).toMatch(/of 4$/);
    await page.getByLabel("Disposition", { exact: true }).selectOption("");
    await page.getByLabel("Rating status", { exact: true }).selectOption("error");
    await expect.poll(() => footer().textContent()).toMatch(/of 2$/);
    await page.getByLabel("Rating status", { exact: true }).selectOption("");
    await page.getByLabel("Carrier", { exact: true }).selectOption({ label: "E2E Supplier" });
    await expect.poll(() => footer().textContent()).toMatch(/of 38$/);
    await page.getByLabel("Time range", { exact: true }).selectOption("1h");
    await expect.poll(() => footer().textContent()).toMatch(/of 1$/);
    await page.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => footer().textContent()).toMatch(/of 38$/);
  });

  it("opens a CDR with its rating breakdown", async () => {
    await search().fill("442079460000");
    await expect.poll(() => footer().textContent()).toMatch(/of 14$/);
    await bodyRows().first().click();
    const sheet = page.getByRole("dialog");
    const breakdown = sheet.getByRole("table", { name: "Rating breakdown" });
    await breakdown.waitFor();
    const text = (await breakdown.textContent()) ?? "";
    expect(text).toContain("4420");
    expect(text).toContain("UK London");
    expect(text).toContain("0.010000");
    expect(text).toContain("0.006000");
    expect(await sheet.textContent()).toContain("E2E Customer");
    await shot("cdrs-detail-light");
    // The theme menu is behind the sheet: close it, switch, open it again.
    await page.keyboard.press("Escape");
    await setTheme("Dark");
    await bodyRows().first().click();
    await breakdown.waitFor();
    await shot("cdrs-detail-dark");
    await page.keyboard.press("Escape");
    await search().fill("");
    await expect.poll(() => footer().textContent()).toMatch(/of 38$/);
    await shot("cdrs-dark");
    await setTheme("Light");
    // A CDR replays its route decision in the Route Simulator (service, numbers, call time).
    const back = page.url();
    await bodyRows().first().click();
    await page.getByRole("dialog").getByRole("link", { name: "Replay the route decision" }).click();
    await page.waitForURL(/\/routing\/simulator\?serviceId=[0-9a-f-]{36}&dialled=9001%23/);
    await page.getByRole("heading", { name: "Route Simulator" }).waitFor();
    await expect.poll(() => page.getByText(/REJECT|ROUTE/).count()).toBeGreaterThan(0);
    await page.goto(back);
  });

  it("exports the filtered CDRs as CSV and downloads the file", async () => {
    await page.getByLabel("Disposition", { exact: true }).selectOption("answered");
    await expect.poll(() => footer().textContent()).toMatch(/of 30$/);
    await page.getByRole("button", { name: "Export CSV" }).click();
    const d = page.getByRole("dialog");
    await d.getByRole("button", { name: "Start export" }).click();
    const link = d.getByRole("link", { name: "Download" });
    await link.waitFor({ timeout: 30_000 });
    expect(await d.textContent()).toMatch(/30 CDRs/);
    await shot("cdrs-export-light");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^cdrs-\d{8}-\d{4}-\d{8}-\d{4}\.csv$/);
    const file = path.join(tmp, "download.csv");
    await download.saveAs(file);
    const lines = fs.readFileSync(file, "utf8").trim().split("\r\n");
    expect(lines[0]).toMatch(/^id,switch_id,call_id,/);
    expect(lines.length).toBe(31);
    expect(lines.slice(1).every((l) => l.includes(",answered,"))).toBe(true);
    await d.getByRole("button", { name: "Close" }).last().click();
    await page.getByLabel("Disposition", { exact: true }).selectOption("");
  });

  it("uploads a CDR file: bad lines are listed, a good file is ingested once", async () => {
    const at = iso(Date.now() - 2 * HOUR);
    const end = iso(Date.now() - 2 * HOUR + 45_000);
    const header = "switch_id,call_id,service_id,egress_interconnect_id,calling_number,called_number,start_at,answer_at,end_at,duration_s,sip_status,q850_cause,disposition";
    const line = (id: string, dur: string, disposition = "answered") => `sw-up,${id},${tr.serviceId},${tr.egressId},+12125550199,9001#442071112222,${at},${at},${end},${dur},200,16,${disposition}`;
    fs.writeFileSync(path.join(tmp, "bad.csv"), [header, line("up-1", "45"), line("up-2", "4x5"), line("up-3", "45"), line("up-4", "45", "maybe")].join("\n"));
    fs.writeFileSync(path.join(tmp, "good.csv"), [header, line("up-1", "45"), line("up-3", "45")].join("\n"));
    await page.getByRole("button", { name: "Upload CDRs" }).click();
    const d = page.getByRole("dialog");
    await d.getByLabel("CDR file").setInputFiles(path.join(tmp, "bad.csv"));
    await d.getByRole("button", { name: "Upload", exact: true }).click();
    const bad = d.getByRole("table", { name: "Bad lines" });
    await bad.waitFor();
    const text = (await bad.textContent()) ?? "";
    expect(text).toMatch(/3.*durationS/);
    expect(text).toMatch(/5.*disposition/);
    expect(await d.textContent()).toMatch(/2 bad lines.*nothing was ingested/);
    await shot("cdrs-upload-rejected-light");
    await d.getByLabel("CDR file").setInputFiles(path.join(tmp, "good.csv"));
    await d.getByRole("button", { name: "Upload", exact: true }).click();
    await d.getByText("2 CDRs read: 2 new, 0 already ingested.").waitFor();
    await d.getByRole("button", { name: "Close" }).last().click();
    await expect.poll(() => footer().textContent()).toMatch(/of 40$/);
  });

  it("shows rating errors by reason and re-rates them after the deck is fixed", async () => {
    await page.goto(`${server.url}/billing/rating-errors`);
    await page.getByRole("heading", { name: "Rating Errors" }).waitFor();
    const summary = page.getByRole("table", { name: "Rating errors by reason" });
    await summary.waitFor();
    await expect.poll(() => summary.textContent()).toMatch(/unknown service/);
    expect(await summary.textContent()).toMatch(/no customer rate for/);
    const list = page.getByRole("table", { name: "CDRs with rating errors" });
    await expect.poll(() => list.locator("tbody tr").count()).toBe(2);
    await shot("rating-errors-light");
    await setTheme("Dark");
    await shot("rating-errors-dark");
    await setTheme("Light");

    await importAndApply(request, tr.customerPlanId, "prefix,destination,rate,effective_date\n33,France,0.0200,2024-01-01\n");
    await importAndApply(request, tr.supplierPlanId, "prefix,destination,rate,effective_date\n33,France,0.0120,2024-01-01\n");
    await page.getByRole("button", { name: "Re-rate…" }).click();
    const d = page.getByRole("dialog");
    await d.getByRole("button", { name: "Re-rate", exact: true }).click();
    await d.getByText(/2 CDRs re-rated/).waitFor({ timeout: 30_000 });
    await shot("rating-errors-rerate-light");
    await d.getByRole("button", { name: "Close" }).last().click();
    await expect.poll(() => list.locator("tbody tr").count()).toBe(1);
    await expect.poll(() => summary.textContent()).not.toMatch(/no customer rate/);
    expect(await list.textContent()).toMatch(/unknown service/);
  });
});
