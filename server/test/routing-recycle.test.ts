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
  throw new Error(`job ${id} did not finish`);
}

describe("routing plans in the recycle bin", () => {
  it("once past retention a deleted plan is purged with its entries and candidates; a live name blocks restoring", async () => {
    const tac = ((await admin.request("GET", "/api/interconnects?q=TAC")).json.rows as { id: string; name: string }[]).find((i) => i.name === "TAC Primary")!.id;
    const plan = (await admin.request("POST", "/api/routing-plans", { name: "Purged plan", currency: "USD" })).json;
    await admin.request("POST", `/api/routing-plans/${plan.id}/entries`, { prefix: "44", candidates: [{ interconnectId: tac }] });
    await admin.request("POST", `/api/routing-plans/${plan.id}/entries`, { prefix: "", candidates: [{ interconnectId: tac }] });
    expect(await countRows(t.pool, "routing_entries", `plan_id = '${plan.id}'`)).toBe(2);
    const ofPlan = `entry_id IN (SELECT id FROM routing_entries WHERE plan_id = '${plan.id}')`;
    expect(await countRows(t.pool, "routing_candidates", ofPlan)).toBe(2);
    const candidates = await countRows(t.pool, "routing_candidates");

    expect((await admin.request("DELETE", `/api/routing-plans/${plan.id}`)).status).toBe(200);
    const twin = (await admin.request("POST", "/api/routing-plans", { name: "Purged plan", currency: "EUR" })).json;
    const blocked = await admin.request("POST", "/api/recycle-bin/restore", { entityType: "routing_plan", id: plan.id });
    expect(blocked.status).toBe(409);
    await admin.request("DELETE", `/api/routing-plans/${twin.id}`);

    await t.pool.query("UPDATE routing_plans SET deleted_at = now() - interval '40 days' WHERE id = $1", [plan.id]);
    const purge = await admin.request("POST", "/api/recycle-bin/purge");
    expect((await waitForJob(purge.json.jobId)).state).toBe("completed");
    expect(await countRows(t.pool, "routing_plans", `id = '${plan.id}'`)).toBe(0);
    expect(await countRows(t.pool, "routing_entries", `plan_id = '${plan.id}'`)).toBe(0);
    expect(await countRows(t.pool, "routing_candidates")).toBe(candidates - 2);
  });
});
