import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { cdrOf, createTraffic, type Traffic } from "./cdrs-fixture.js";
import { EXPORT_CHUNK, EXPORT_HEADER } from "../src/cdrs/export.js";

/** CDR CSV export as a job: file content, keyset paging across chunks, progress, tenant isolation, bad input. */
let t: TestContext;
let admin: Session;
let acme: Session;
let tr: Traffic;
const DAY = "2026-10-14";

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${what} did not happen in time`);
}

async function runExport(who: Session, body: Record<string, unknown>) {
  const r = await who.request("POST", "/api/cdrs/exports", body);
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  const jobId: string = r.json.jobId;
  let job: { state: string; percent: number; export: { fileName: string; rows: number; bytes: number } | null } = { state: "created", percent: 0, export: null };
  await waitFor(async () => {
    job = (await who.request("GET", `/api/cdrs/jobs/${jobId}`)).json;
    return job.state === "completed" || job.state === "failed";
  }, `export ${jobId}`);
  return { jobId, job };
}

async function download(who: Session, jobId: string) {
  return t.app.inject({ method: "GET", url: `/api/cdrs/exports/${jobId}/download`, headers: { cookie: who.cookie } });
}

const rowsOf = (csv: string): Record<string, string>[] => parse(csv, { columns: true, skip_empty_lines: true });

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tr = await createTraffic(admin.request, "Export");
  const calls = [
    cdrOf(tr, { callId: "x-1", startAt: `${DAY}T10:00:00Z`, answerAt: `${DAY}T10:00:03Z`, endAt: `${DAY}T10:00:40Z`, durationS: 37 }),
    cdrOf(tr, { callId: "x-2, \"quoted\"", startAt: `${DAY}T09:00:00Z`, answerAt: null, endAt: `${DAY}T09:00:05Z`, durationS: 0, sipStatus: 486, q850Cause: 17, disposition: "busy" }),
    cdrOf(tr, { callId: "x-3", calledNumber: "7777#33123456789", startAt: `${DAY}T11:00:00Z`, answerAt: `${DAY}T11:00:01Z`, endAt: `${DAY}T11:01:01Z`, durationS: 60 }),
    // Outside the exported window.
    cdrOf(tr, { callId: "x-4", startAt: "2026-10-16T10:00:00Z", answerAt: "2026-10-16T10:00:03Z", endAt: "2026-10-16T10:00:40Z" }),
  ];
  expect((await admin.request("POST", "/api/cdrs/batch", { cdrs: calls })).json.inserted).toBe(4);
  await waitFor(async () => (await countRows(t.pool, "cdrs", "rating_status = 'pending'")) === 0, "rating");
});

afterAll(async () => {
  // The job outputs name the files this test wrote under the data dir.
  const files = await t.pool.query<{ file: string }>(
    "SELECT output->>'file' AS file FROM pgboss.job WHERE name = 'cdrs.export' AND output ? 'file' UNION SELECT output->>'file' FROM pgboss.archive WHERE name = 'cdrs.export' AND output ? 'file'",
  );
  for (const f of files.rows) {
    fs.rmSync(f.file, { force: true });
    const dir = path.dirname(f.file);
    if (fs.existsSync(dir) && !fs.readdirSync(dir).length) fs.rmdirSync(dir);
  }
  await t?.close();
});

describe("CDR export", () => {
  it("writes every matching CDR, oldest first, with rated money as decimals", async () => {
    const { jobId, job } = await runExport(admin, { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z` });
    expect(job).toMatchObject({ state: "completed", percent: 100, export: { rows: 3, fileName: "cdrs-20261014-0000-20261014-2359.csv" } });
    const res = await download(admin, jobId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toBe('attachment; filename="cdrs-20261014-0000-20261014-2359.csv"');
    expect(res.body.split("\r\n")[0]).toBe(EXPORT_HEADER);
    expect(Number(res.headers["content-length"])).toBe(job.export!.bytes);
    const rows = rowsOf(res.body);
    expect(rows.map((r) => r.call_id)).toEqual(['x-2, "quoted"', "x-1", "x-3"]);
    expect(rows[1]).toMatchObject({
      start_at: `${DAY}T10:00:00.000Z`,
      duration_s: "37",
      calling_number: "12125550100",
      called_raw: "9001#442071234567",
      called_number: "442071234567",
      customer_carrier: "Export Customer",
      service: "Export svc",
      supplier_carrier: "Export Supplier",
      sip_status: "200",
      q850_cause: "16",
      disposition: "answered",
      rating_status: "rated",
      customer_prefix: "4420",
      customer_rate_per_minute: "0.010000",
      customer_billable_s: "42",
      customer_cost: "0.007000",
      supplier_prefix: "44",
      supplier_billable_s: "60",
      supplier_cost: "0.006000",
      margin: "0.001000",
      rating_error: "",
    });
    expect(rows[0]).toMatchObject({ disposition: "busy", answer_at: "", customer_cost: "0.000000" });
    expect(rows[2]!.rating_status).toBe("error");
    expect(rows[2]!.rating_error).toMatch(/unknown service/);
  });

  it("applies the filters", async () => {
    const window = { from: `${DAY}T00:00:00Z`, to: "2026-10-17T00:00:00Z" };
    const cases: [Record<string, string>, string[]][] = [
      [{}, ['x-2, "quoted"', "x-1", "x-3", "x-4"]],
      [{ ratingStatus: "error" }, ["x-3"]],
      [{ disposition: "busy" }, ['x-2, "quoted"']],
      [{ number: "+4420" }, ['x-2, "quoted"', "x-1", "x-4"]],
      [{ carrierId: tr.supplierCarrierId }, ['x-2, "quoted"', "x-1", "x-3", "x-4"]],
      [{ carrierId: "00000000-0000-7000-8000-000000000000" }, []],
    ];
    for (const [filter, calls] of cases) {
      const { jobId, job } = await runExport(admin, { ...window, ...filter });
      expect(job.export?.rows, JSON.stringify(filter)).toBe(calls.length);
      expect(rowsOf((await download(admin, jobId)).body).map((r) => r.call_id), JSON.stringify(filter)).toEqual(calls);
    }
  });

  it("pages by (start_at, id) across chunks: every CDR exactly once, in order, and progress reaches 100", async () => {
    // More than one chunk, with many CDRs sharing a start instant so the id breaks ties at the chunk edge.
    const n = EXPORT_CHUNK + 37;
    const many = Array.from({ length: n }, (_, i) => {
      const at = `2026-10-20T10:00:0${i % 7}Z`;
      return cdrOf(tr, { switchId: "bulk", callId: `b-${i}`, startAt: at, answerAt: null, endAt: at, durationS: 0, sipStatus: 503, q850Cause: 41, disposition: "failed" });
    });
    for (let i = 0; i < n; i += 2000) expect((await admin.request("POST", "/api/cdrs/batch", { cdrs: many.slice(i, i + 2000) })).status).toBe(200);
    const { jobId, job } = await runExport(admin, { from: "2026-10-20T00:00:00Z", to: "2026-10-21T00:00:00Z" });
    expect(job).toMatchObject({ state: "completed", percent: 100, export: { rows: n } });
    const rows = rowsOf((await download(admin, jobId)).body);
    expect(rows.length).toBe(n);
    expect(new Set(rows.map((r) => r.id)).size).toBe(n);
    const db = await t.pool.query<{ id: string }>("SELECT id FROM cdrs WHERE switch_id = 'bulk' ORDER BY start_at, id");
    expect(rows.map((r) => r.id)).toEqual(db.rows.map((r) => r.id));
    const progress = await t.pool.query("SELECT percent FROM job_progress WHERE job_id = $1", [jobId]);
    expect(progress.rows[0].percent).toBe(100);
  });

  it("audits the export request", async () => {
    const { jobId } = await runExport(admin, { from: `${DAY}T00:00:00Z`, to: `${DAY}T12:00:00Z`, disposition: "answered" });
    const audit = await t.pool.query("SELECT action, entity_id, after FROM audit_events WHERE action = 'cdrs.export' AND entity_id = $1", [jobId]);
    expect(audit.rows[0].after).toMatchObject({ from: `${DAY}T00:00:00.000Z`, disposition: "answered" });
  });

  it("answers 410 once the file is gone", async () => {
    const { jobId } = await runExport(admin, { from: `${DAY}T00:00:00Z`, to: `${DAY}T01:00:00Z` });
    const out = await t.pool.query<{ file: string }>("SELECT output->>'file' AS file FROM pgboss.job WHERE id = $1", [jobId]);
    fs.rmSync(out.rows[0]!.file);
    const res = await download(admin, jobId);
    expect(res.statusCode).toBe(410);
  });
});

describe("CDR export boundaries", () => {
  it("another tenant cannot see or download the export, and its own export has none of these CDRs", async () => {
    const { jobId } = await runExport(admin, { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z` });
    expect((await acme.request("GET", `/api/cdrs/jobs/${jobId}`)).status).toBe(404);
    const theirs = await download(acme, jobId);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe("not_found");
    const own = await runExport(acme, { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z` });
    expect(own.job.export?.rows).toBe(0);
    expect((await download(acme, own.jobId)).body).toBe(`${EXPORT_HEADER}\r\n`);
  });

  it("a job of another queue is not an export", async () => {
    const rating = await t.pool.query<{ id: string }>("SELECT id FROM pgboss.job WHERE name = 'rating.apply-revision' LIMIT 1");
    expect((await download(admin, rating.rows[0]!.id)).statusCode).toBe(404);
    expect((await admin.request("GET", `/api/cdrs/jobs/${rating.rows[0]!.id}`)).status).toBe(404);
    expect((await download(admin, "not-a-uuid")).statusCode).toBe(400);
  });

  it("refuses bad filters with 400 and enqueues nothing", async () => {
    const jobs = await countRows(t.pool, "job_progress", "queue = 'cdrs.export'");
    const audits = await countRows(t.pool, "audit_events", "action = 'cdrs.export'");
    const bad = [
      {},
      { from: `${DAY}T00:00:00Z` },
      { from: `${DAY}T10:00:00Z`, to: `${DAY}T09:00:00Z` },
      { from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
      { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z`, number: "44x" },
      { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z`, disposition: "maybe" },
      { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z`, carrierId: "nope" },
      { from: "yesterday", to: `${DAY}T23:00:00Z` },
    ];
    for (const body of bad) expect((await admin.request("POST", "/api/cdrs/exports", body)).status, JSON.stringify(body)).toBe(400);
    expect(await countRows(t.pool, "job_progress", "queue = 'cdrs.export'")).toBe(jobs);
    expect(await countRows(t.pool, "audit_events", "action = 'cdrs.export'")).toBe(audits);
  });

  it("portal users and anonymous callers are refused", async () => {
    const portal = await login(t.app, "customer@demo.didtron.local");
    expect((await portal.request("POST", "/api/cdrs/exports", { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z` })).status).toBe(403);
    const anyJob = await t.pool.query<{ id: string }>("SELECT id FROM pgboss.job WHERE name = 'cdrs.export' LIMIT 1");
    expect((await t.app.inject({ method: "GET", url: `/api/cdrs/exports/${anyJob.rows[0]!.id}/download` })).statusCode).toBe(401);
    expect((await portal.request("GET", `/api/cdrs/exports/${anyJob.rows[0]!.id}/download`)).status).toBe(403);
  });

  it("a download before the file is ready is 409 (last: stops the workers)", async () => {
    await t.jobs.stop();
    const r = await admin.request("POST", "/api/cdrs/exports", { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z` });
    expect(r.status).toBe(202);
    const res = await download(admin, r.json.jobId);
    expect(res.statusCode).toBe(409);
    expect((await admin.request("GET", `/api/cdrs/jobs/${r.json.jobId}`)).json).toMatchObject({ state: "created", percent: 0, export: null });
  });
});
