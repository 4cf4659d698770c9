import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { freePort } from "../server/src/platform/db/embedded.js";
import { repoRoot } from "../server/src/platform/config.js";
import { expect } from "vitest";
import type { Requester } from "../server/test/cdrs-fixture.js";
import { createTestDatabase } from "../server/test/harness.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SHOTS_DIR = path.join(repoRoot, "test-results", "screenshots");

export interface RunningServer {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the server the way `npm start` does (tsx, src/main.ts), on a given database. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  let out = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/src/main.ts")], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", SEED_DEMO_TRAFFIC: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
    const ready = await fetch(`${url}/api/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`server not ready in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * Theme switching and screenshots for one test file's page (passed as a getter: the
 * page is created in `beforeAll`). `shot` dismisses toasts and lets colour transitions
 * settle first; `shots` takes light and dark and ends in light.
 */
export function themedShots(getPage: () => Page) {
  const setTheme = async (name: "Light" | "Dark") => {
    const page = getPage();
    await page.getByRole("button", { name: "Toggle theme" }).click();
    await page.getByRole("menuitem", { name }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(name === "Dark");
  };
  const shot = async (name: string) => {
    const page = getPage();
    const dismiss = page.getByRole("button", { name: "Dismiss notification" });
    while (await dismiss.count()) await dismiss.first().click();
    await page.waitForTimeout(400);
    await screenshot(page, name);
  };
  const shots = async (name: string) => {
    await shot(`${name}-light`);
    await setTheme("Dark");
    await shot(`${name}-dark`);
    await setTheme("Light");
  };
  return { setTheme, shot, shots };
}

/** The API as a signed-in user of a running server: session cookie, plus the CSRF token on writes. */
export async function apiSession(baseUrl: string, email: string, password = "didtron-demo"): Promise<Requester> {
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`sign-in as ${email}: ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method, url, body) => {
    const headers: Record<string, string> = { cookie, "x-csrf-token": csrfToken };
    if (body !== undefined) headers["content-type"] = "application/json";
    const r = await fetch(`${baseUrl}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
}

/** A console under test: its own database, a server started as `npm start` starts it, and one browser page. */
export interface ConsoleUnderTest {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The test database (the first-run demo seed is applied by the server). */
  dbUrl: string;
  /** A temp dir of the test's own, also the server's DATA_DIR (exports, uploads). */
  tmp: string;
  /** Signs in through the login page and waits for the dashboard. */
  signIn(email?: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a console on a fresh, unseeded database; `close` stops and removes all of it. */
export async function openConsole(name: string, opts: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {}): Promise<ConsoleUnderTest> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-e2e-`));
  // Undone in reverse order on close, or at once when a later step fails.
  const undo: (() => Promise<void> | void)[] = [() => fs.rmSync(tmp, { recursive: true, force: true })];
  const close = async () => {
    for (const step of undo.reverse()) await step();
  };
  try {
    const db = await createTestDatabase({ seeded: false });
    undo.push(db.drop);
    const server = await startServer({ DATABASE_URL: db.url, DATA_DIR: tmp });
    undo.push(server.stop);
    const browser = await launchBrowser();
    undo.push(() => browser.close());
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, acceptDownloads: opts.acceptDownloads ?? false });
    const page = await context.newPage();
    const signIn = async (email = "super@didtron.local") => {
      await page.goto(`${server.url}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("didtron-demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.url}/`);
    };
    return { server, browser, context, page, dbUrl: db.url, tmp, signIn, close };
  } catch (err) {
    await close();
    throw err;
  }
}
