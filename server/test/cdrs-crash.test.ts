import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { rateBatch } from "../src/cdrs/rate.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { cdrOf, createTraffic, type Traffic } from "./cdrs-fixture.js";

/**
 * A rating worker killed with SIGKILL in the middle of a batch (rated and posted, not
 * committed), then a new worker: every CDR is rated and posted exactly once and the
 * ledger's invariants hold.
 */
let t: TestContext;
let admin: Session;
let tr: Traffic;
const COUNT = 2000;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  tr = await createTraffic(admin.request);
  // From here the test runs the rating workers itself.
  await t.jobs.stop();
}, 120_000);
afterAll(async () => t?.close());

describe("rating worker crash", () => {
  it("a worker killed mid-batch leaves its batch pending; the next one rates and posts each CDR once", async () => {
    const cdrs = Array.from({ length: COUNT }, (_, i) => cdrOf(tr, { switchId: "sw-crash", callId: `crash-${i}`, durationS: 10 + (i % 90) }));
    expect((await admin.request("POST", "/api/cdrs/batch", { cdrs })).json.inserted).toBe(COUNT);
    const tenantId = admin.me.tenant.id;

    const worker = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "support/rate-worker.ts"), t.url, tenantId], {
      env: { ...process.env, HOLD_MS: "60000" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // The first batch is rated and posted in its transaction; kill the worker as it is about to commit.
    await new Promise<void>((resolve, reject) => {
      worker.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("committing")) resolve();
      });
      worker.on("exit", (code) => reject(new Error(`worker exited ${code} before committing`)));
    });
    const exited = new Promise((r) => worker.once("exit", r));
    worker.kill("SIGKILL");
    await exited;
    // Its transaction died with it: nothing of the batch is visible.
    await expect.poll(() => countRows(t.pool, "cdrs", "switch_id = 'sw-crash' AND rating_status <> 'pending'"), { timeout: 10_000 }).toBe(0);
    expect(await countRows(t.pool, "ledger_transfers", "reference_type = 'cdr'")).toBe(0);

    // A new worker picks everything up.
    while ((await rateBatch(t.pool, { tenantId, limit: 500 })).taken);
    expect(await countRows(t.pool, "cdrs", "switch_id = 'sw-crash' AND rating_status = 'rated'")).toBe(COUNT);
    const posted = await t.pool.query(
      "SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys, count(DISTINCT reference_id)::int AS cdrs FROM ledger_transfers WHERE reference_type = 'cdr'",
    );
    expect(posted.rows[0]).toEqual({ n: 2 * COUNT, keys: 2 * COUNT, cdrs: COUNT });
    expect((await checkLedgerInvariants(t.db, { tenantId })).problems).toEqual([]);
  }, 120_000);
});
