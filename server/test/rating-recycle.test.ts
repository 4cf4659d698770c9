import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";

let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

async function waitForJob(id: string) {
  for (let i = 0; i < 75; i++) {
    const job = (await admin.request("GET", "/api/jobs?pageSize=100")).json.rows.find((j: { id: string }) => j.id === id);
    if (job && ["completed", "failed"].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  const rows = (await admin.request("GET", "/api/jobs?pageSize=5")).json.rows;
  throw new Error(`job ${id} did not finish: ${JSON.stringify(rows.map((j: { queue: string; state: string; id: string; error: string | null }) => [j.queue, j.state, j.id, j.error]))}`);
}

describe("rating plans in the recycle bin", () => {
  it("a deleted plan can be restored, and once past retention is purged with its rates and revisions", async () => {
    const plan = (await admin.request("POST", "/api/rating-plans", { name: "Bin Plan", kind: "customer", currency: "USD", noticeDays: 0 })).json;
    const rev = await admin.request("POST", `/api/rating-plans/${plan.id}/imports`, { fileName: "d.csv", mode: "full", noticePolicy: "reject", csv: "prefix,destination,rate,effective_date\n44,UK,0.01,2026-01-01\n" });
    expect(rev.status).toBe(201);
    const applied = await admin.request("POST", `/api/rating-revisions/${rev.json.revision.id}/apply`);
    expect(applied.status, JSON.stringify(applied.json)).toBe(202);
    expect((await waitForJob(applied.json.jobId)).state).toBe("completed");
    expect(await countRows(t.pool, "rates", `plan_id = '${plan.id}'`)).toBe(1);

    expect((await admin.request("DELETE", `/api/rating-plans/${plan.id}`)).status).toBe(200);
    expect((await admin.request("GET", `/api/rating-plans/${plan.id}`)).status).toBe(404);
    expect((await admin.request("GET", "/api/recycle-bin?entityType=rating_plan")).json.rows.map((r: { id: string }) => r.id)).toEqual([plan.id]);
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "rating_plan", id: plan.id })).status).toBe(200);
    expect((await admin.request("GET", `/api/rating-plans/${plan.id}`)).status).toBe(200);

    await admin.request("DELETE", `/api/rating-plans/${plan.id}`);
    await t.pool.query("UPDATE rating_plans SET deleted_at = now() - interval '40 days' WHERE id = $1", [plan.id]);
    const purge = await admin.request("POST", "/api/recycle-bin/purge");
    expect((await waitForJob(purge.json.jobId)).state).toBe("completed");
    expect(await countRows(t.pool, "rating_plans", `id = '${plan.id}'`)).toBe(0);
    expect(await countRows(t.pool, "rates", `plan_id = '${plan.id}'`)).toBe(0);
    expect(await countRows(t.pool, "rate_revisions", `plan_id = '${plan.id}'`)).toBe(0);
    // rate_revision_rows has no foreign key to cascade along (bulk speed): the purge deletes them itself.
    expect(await countRows(t.pool, "rate_revision_rows", `revision_id = '${rev.json.revision.id}'`)).toBe(0);
  });
});
