import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestApp, login, type TestContext, type Session } from "./harness.js";
import { inTransaction } from "../src/platform/db/client.js";
import { PURGE_QUEUE } from "../src/recycle-bin/recycle-bin.js";

let t: TestContext;
let admin: Session;
let flakyFixed = false;
beforeAll(async () => {
  // A queue of the test's own whose handler fails until told otherwise.
  t = await createTestApp({
    work: true,
    queues: [
      {
        name: "test.flaky",
        retryLimit: 0,
        handler: async (_data, ctx) => {
          await ctx.progress(40, "halfway");
          if (!flakyFixed) throw new Error("upstream refused the connection");
          return { ok: true };
        },
      },
    ],
  });
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

async function waitForJob(id: string, states: string[], timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await admin.request("GET", `/api/jobs?pageSize=100`);
    const job = r.json.rows.find((j: { id: string }) => j.id === id);
    if (job && states.includes(job.state)) return job;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`job ${id} did not reach ${states.join("/")}`);
}

describe("job queue", () => {
  it("a job enqueued in a transaction that rolls back never exists", async () => {
    let jobId = "";
    await expect(
      inTransaction(t.pool, async (tx) => {
        jobId = await t.jobs.enqueue(tx, PURGE_QUEUE, { tenantId: admin.me.tenant.id });
        throw new Error("the write failed");
      }),
    ).rejects.toThrow();
    expect(jobId).not.toBe("");
    const r = await t.db.execute(sql`SELECT count(*)::int AS n FROM pgboss.job WHERE id = ${jobId}`);
    expect(r.rows[0]!.n).toBe(0);
  });

  it("the purge job hard-deletes rows past retention, audits each, and reports progress", async () => {
    const mk = async (email: string) =>
      (await admin.request("POST", "/api/users", { email, name: email, role: "sales", password: "long-enough-pw" })).json.id as string;
    const old = await mk("old@demo.example");
    const recent = await mk("recent@demo.example");
    await admin.request("DELETE", `/api/users/${old}`);
    await admin.request("DELETE", `/api/users/${recent}`);
    // Age one deletion past the 30-day retention.
    await t.pool.query("UPDATE users SET deleted_at = now() - interval '31 days' WHERE id = $1", [old]);

    const r = await admin.request("POST", "/api/recycle-bin/purge");
    expect(r.status).toBe(202);
    const job = await waitForJob(r.json.jobId, ["completed", "failed"]);
    expect(job.state).toBe("completed");
    expect(job.percent).toBe(100);

    const left = await t.pool.query("SELECT id FROM users WHERE id = ANY($1::uuid[])", [[old, recent]]);
    expect(left.rows.map((x) => x.id)).toEqual([recent]);
    const purgeAudit = await admin.request("GET", `/api/audit-events?entityId=${old}&action=user.purge`);
    expect(purgeAudit.json.rows[0]).toMatchObject({ actorType: "system", actorLabel: "retention purge" });
  });

  it("a failed job shows its error and can be retried; a finished one cannot", async () => {
    const jobId = await inTransaction(t.pool, (tx) => t.jobs.enqueue(tx, "test.flaky", { tenantId: admin.me.tenant.id }));
    const failed = await waitForJob(jobId, ["failed", "completed"]);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain("upstream refused");
    expect(failed.percent).toBe(40);
    flakyFixed = true;
    expect((await admin.request("POST", `/api/jobs/${jobId}/retry`)).status).toBe(200);
    const again = await waitForJob(jobId, ["completed"]);
    expect(again.percent).toBe(100);
    const audit = await admin.request("GET", `/api/audit-events?entityId=${jobId}&action=job.retry`);
    expect(audit.json.total).toBe(1);
    const { jobId: ok } = (await admin.request("POST", "/api/recycle-bin/purge")).json;
    await waitForJob(ok, ["completed"]);
    expect((await admin.request("POST", `/api/jobs/${ok}/retry`)).status).toBe(409);
  });

  it("queue summary counts by state for the caller's tenant", async () => {
    const r = await admin.request("GET", "/api/jobs/queues");
    const purge = r.json.queues.find((q: { queue: string }) => q.queue === PURGE_QUEUE);
    expect(purge.counts.completed).toBe(2);
    const flaky = r.json.queues.find((q: { queue: string }) => q.queue === "test.flaky");
    expect(flaky.counts).toMatchObject({ completed: 1, failed: 0 });
  });
});
