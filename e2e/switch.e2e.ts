import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { importAndApply, type Requester } from "../server/test/cdrs-fixture.js";
import { createPool } from "../server/src/platform/db/client.js";
import { freePort } from "../server/src/platform/db/embedded.js";
import { switchSettingsSchema } from "../server/src/switch/kamailio/render.js";
import { startSwitch, type RunningSwitch } from "../server/src/switch/kamailio/runner.js";
import { openConsole, type ConsoleUnderTest, type RunningServer, themedShots, apiSession } from "./support.js";

/**
 * The switch pages in a real browser: Switch Status and Active Calls with no switch
 * (the e2e server starts none), an egress interconnect's monitoring state with a sipp
 * peer answering the platform's OPTIONS, the dashboard tiles; then a real Kamailio on
 * the same database carrying one long sipp call, seen live and hung up from the console.
 */
const SCENARIOS = path.resolve(import.meta.dirname, "../server/src/switch/sipp");
// Distinct from server/test/switch.test.ts's peers, so both can run at once.
const SUPPLIER_IP = "127.0.0.42";
const CUSTOMER_IP = "127.0.0.43";
const EMAIL = "admin@demo.didtron.local";

let server: RunningServer;
let page: Page;
let ui: ConsoleUnderTest;
let dbUrl = "";
let request: Requester;
let tmp = "";
let pool: pg.Pool | undefined;
let sw: RunningSwitch | undefined;
const peers: ChildProcess[] = [];
let egressId = "";
let ingressId = "";

beforeAll(async () => {
  ui = await openConsole("switch");
  ({ server, page } = ui);
  tmp = ui.tmp;
  dbUrl = ui.dbUrl;
  request = await apiSession(server.url, EMAIL);
}, 120_000);

afterAll(async () => {
  for (const p of peers) p.kill("SIGKILL");
  await sw?.stop();
  await pool?.end();
  await ui?.close();
});

async function post(url: string, body: unknown): Promise<string> {
  const r = await request("POST", url, body);
  if (r.status !== 201) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.id as string;
}

const { shots } = themedShots(() => page);

/** sipp answering calls and OPTIONS (-aa) on SUPPLIER_IP:5070. */
function startSupplier(): Promise<void> {
  const p = spawn("sipp", ["-sf", path.join(SCENARIOS, "uas.xml"), "-i", SUPPLIER_IP, "-p", "5070", "-aa", "-nostdin"], { stdio: "ignore", cwd: tmp });
  peers.push(p);
  return new Promise((r) => setTimeout(r, 300));
}

describe("switch pages", () => {
  it("Switch Status says no switch is connected and how to start one", async () => {
    await ui.signIn(EMAIL);

    await page.goto(`${server.url}/switch`);
    await page.getByRole("heading", { name: "Switch Status" }).waitFor();
    await page.getByText("No switch is connected").waitFor();
    expect(await page.getByText("npm run switch", { exact: true }).count()).toBeGreaterThan(0);
    await page.getByText(/apt-get install kamailio/).first().waitFor();
    await page.getByText("No switch has ever registered").waitFor();
    // The sidebar lists the Switch module's pages.
    await page.getByRole("link", { name: "Active Calls" }).first().waitFor();
    await shots("switch-status-disconnected");
  });

  it("Active Calls shows the empty state while no switch is connected", async () => {
    await page.goto(`${server.url}/switch/calls`);
    await page.getByRole("heading", { name: "Active Calls" }).waitFor();
    await page.getByText("No calls: the switch is not connected").waitFor();
    await shots("switch-calls-empty");
  });

  it("an egress interconnect's monitoring state: up while its sipp peer answers OPTIONS", async () => {
    const carrier = await post("/api/carriers", { name: "E2E Switch Supplier", type: "supplier", primaryCurrency: "USD" });
    const buy = await post("/api/rating-plans", { name: "E2E SW buy", kind: "supplier", currency: "USD", noticeDays: 0 });
    await importAndApply(request, buy, "prefix,destination,rate,effective_date\n44,United Kingdom,0.0050,2024-01-01\n");
    egressId = await post(`/api/carriers/${carrier}/interconnects`, {
      name: "E2E Supplier out",
      direction: "egress",
      currency: "USD",
      supplierRatingPlanId: buy,
      egressRouting: { sendTo: [{ address: SUPPLIER_IP, port: 5070, transport: "udp" }] },
      monitoring: { optionsPing: true, optionsIntervalS: 5, callResponseMonitoring: false, autoDisableAfterFailures: 3, reEnableAfterSuccesses: 1 },
    });
    await startSupplier();

    // The monitor reloads its targets every 5 s and pings on the 5 s interval.
    await expect.poll(async () => JSON.stringify((await request("GET", `/api/interconnects/${egressId}/health`)).json), { timeout: 45_000, interval: 1000 }).toContain('"state":"up"');
    await page.goto(`${server.url}/carriers/interconnects/${egressId}?tab=monitoring`);
    await page.getByRole("heading", { name: "E2E Supplier out" }).waitFor();
    await page.getByText(/^Up since /).waitFor();
    await page.getByText(/^\d+ ms$/).waitFor();
    await page.getByText("Monitor up").waitFor();
    await shots("switch-interconnect-monitoring");
  });

  it("the dashboard shows the switch tiles", async () => {
    await page.goto(`${server.url}/`);
    const traffic = page.getByRole("region", { name: "Traffic" });
    await traffic.getByText("Not connected", { exact: true }).waitFor();
    await traffic.getByText("Monitoring", { exact: true }).waitFor();
    await expect.poll(() => traffic.getByText(/\d+ up/).first().textContent()).toMatch(/[1-9]\d* up/);
    await shots("switch-dashboard");
  });
});

describe("with a running Kamailio (installed by .ci/run; see README)", () => {
  it("shows the node connected once Kamailio runs on the e2e server's database", async () => {
    const sell = await post("/api/rating-plans", { name: "E2E SW sell", kind: "customer", currency: "USD", noticeDays: 0 });
    await importAndApply(request, sell, "prefix,destination,rate,effective_date\n44,United Kingdom,0.0200,2024-01-01\n");
    const routingPlan = await post("/api/routing-plans", { name: "E2E SW routes", currency: "USD" });
    await post(`/api/routing-plans/${routingPlan}/entries`, { prefix: "44", strategy: "lcr", candidates: [{ interconnectId: egressId }] });
    const customer = await post("/api/carriers", { name: "E2E Switch Customer", type: "customer", primaryCurrency: "USD", customerCreditType: "postpaid", customerCreditLimit: "1000" });
    ingressId = await post(`/api/carriers/${customer}/interconnects`, { name: "E2E Customer in", direction: "ingress", currency: "USD", addresses: [{ address: CUSTOMER_IP, port: null }] });
    await post(`/api/interconnects/${ingressId}/services`, { name: "E2E SW svc", techPrefix: "1001#", ratingPlanId: sell, routingPlanId: routingPlan });

    pool = createPool(dbUrl, 2);
    const settings = switchSettingsSchema.parse({
      SWITCH_ID: "kam-e2e",
      SWITCH_SIP_PORT: String(await freePort()),
      SWITCH_RPC_PORT: String(await freePort()),
      PLATFORM_URL: server.url,
      SWITCH_CHILDREN: "2",
    });
    sw = await startSwitch({ pool, databaseUrl: dbUrl, settings, dataDir: tmp, log: (m) => process.env.SIP_DEBUG && console.log(m), heartbeatMs: 500 });

    await page.goto(`${server.url}/switch`);
    await page.getByText("Switch connected").waitFor({ timeout: 15_000 });
    const nodes = page.getByRole("table", { name: "Switch nodes" });
    await nodes.getByText("kam-e2e").waitFor();
    await nodes.getByText(`127.0.0.1:${settings.SWITCH_SIP_PORT}`).waitFor();
    await nodes.getByText("Running").waitFor();
    await shots("switch-status-connected");
  }, 120_000);

  it("a live sipp call shows in Active Calls with its names and is hung up from the console", async () => {
    const status = await request("GET", "/api/switch/status");
    const node = (status.json.nodes as { id: string; sipAddress: string; sipPort: number }[]).find((n) => n.id === "kam-e2e")!;
    const uac = spawn(
      "sipp",
      ["-sf", path.join(SCENARIOS, "uac.xml"), "-s", "1001#442071234567", `${node.sipAddress}:${node.sipPort}`, "-i", CUSTOMER_IP, "-p", "5093", "-m", "1", "-d", "60000", "-timeout", "90", "-nostdin"],
      { stdio: "ignore", cwd: tmp },
    );
    peers.push(uac);
    const ended = new Promise<number | null>((r) => uac.once("exit", (code) => r(code)));

    await page.goto(`${server.url}/switch/calls`);
    const table = page.getByRole("table", { name: "Active calls" });
    const row = table.locator("tbody tr", { hasText: "442071234567" });
    await row.waitFor({ timeout: 15_000 });
    await row.getByText("Answered").waitFor();
    await row.getByRole("link", { name: "E2E Customer in" }).waitFor();
    await row.getByRole("link", { name: "E2E Supplier out" }).waitFor();
    await row.getByText("E2E SW svc").waitFor();
    // The duration ticks between refreshes.
    const duration = () => row.locator("td").nth(1).textContent();
    const first = await duration();
    await expect.poll(duration, { timeout: 5000 }).not.toBe(first);
    await shots("switch-calls-live");

    await row.getByRole("button", { name: /Hang up call to/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(/Hang up the call to 1001#442071234567/).waitFor();
    await dialog.getByRole("button", { name: "Hang up" }).click();
    await page.getByText("Hung up the call to 1001#442071234567").waitFor();
    await row.waitFor({ state: "detached", timeout: 10_000 });
    await page.getByText("No active calls").waitFor();
    // sipp's customer sees the switch's BYE and ends well before its 60 s pause.
    const code = await Promise.race([ended, new Promise<"running">((r) => setTimeout(() => r("running"), 10_000))]);
    expect(code).not.toBe("running");
  }, 120_000);

  it("the dashboard shows ASR, ACD and PDD from the calls' CDRs, per supplier and customer", async () => {
    // A call the customer ends itself (BYE through the switch): its CDR is in within seconds.
    const status = await request("GET", "/api/switch/status");
    const node = (status.json.nodes as { id: string; sipAddress: string; sipPort: number }[]).find((n) => n.id === "kam-e2e")!;
    const uac = spawn("sipp", ["-sf", path.join(SCENARIOS, "uac.xml"), "-s", "1001#442071234568", `${node.sipAddress}:${node.sipPort}`, "-i", CUSTOMER_IP, "-p", "5094", "-m", "1", "-d", "1000", "-timeout", "30", "-nostdin"], { stdio: "ignore", cwd: tmp });
    peers.push(uac);
    expect(await new Promise<number | null>((r) => uac.once("exit", (code) => r(code)))).toBe(0);
    await expect.poll(async () => (await request("GET", "/api/switch/stats?windowMinutes=60")).json.byEgress.length, { timeout: 20_000 }).toBe(1);
    await page.goto(`${server.url}/`);
    await page.getByText("Traffic, last 60 minutes", { exact: true }).waitFor();
    await page.locator("td", { hasText: "E2E Supplier out" }).waitFor();
    await page.locator("td", { hasText: "E2E Switch Customer" }).waitFor();
    await page.getByText("ASR · 5 min").waitFor();
    await shots("dashboard-traffic");
  }, 60_000);
});
