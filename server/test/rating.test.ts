import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { importTuning } from "../src/rating/import.js";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";

/** Rating plans, deck import (preview → apply job), lookups, quotes and export, against real PostgreSQL. */
let t: TestContext;
let admin: Session;
let acme: Session;
beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
});
afterAll(async () => t?.close());
// Some tests diff decks the way a big plan is diffed (one join once the deck is in) by lowering the threshold.
const ONE_JOIN_ABOVE = importTuning.oneJoinAbove;
afterEach(() => void (importTuning.oneJoinAbove = ONE_JOIN_ABOVE));
const STAGINGS = [
  ["batch by batch (a small plan)", ONE_JOIN_ABOVE],
  ["in one join (a big plan)", 0],
] as const;

let seq = 0;
const uniq = (s: string) => `${s} ${++seq}`;
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function mkPlan(body: Record<string, unknown> = {}, as = admin) {
  const r = await as.request("POST", "/api/rating-plans", { kind: "customer", currency: "USD", noticeDays: 0, ...body, name: uniq(String(body.name ?? "Plan")) });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; name: string };
}
async function preview(planId: string, csv: string, opts: Record<string, unknown> = {}, as = admin) {
  return as.request("POST", `/api/rating-plans/${planId}/imports`, { fileName: "deck.csv", csv, ...opts });
}
async function waitForRevision(id: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await admin.request("GET", `/api/rating-revisions/${id}`);
    if (["applied", "failed"].includes(r.json.revision.status)) return r.json.revision;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`revision ${id} was not applied in time`);
}
async function importAndApply(planId: string, csv: string, opts: Record<string, unknown> = {}) {
  const p = await preview(planId, csv, opts);
  expect(p.status, JSON.stringify(p.json)).toBe(201);
  await apply(p.json.revision.id);
  return p.json;
}
/** Uploads a deck as the raw body (the streamed route); `pieces` splits it into that many-byte chunks. */
async function upload(planId: string, csv: string, query: Record<string, string> = {}, opts: { as?: Session; type?: string; pieces?: number } = {}) {
  const as = opts.as ?? admin;
  const bytes = Buffer.from(csv);
  const size = opts.pieces ?? 64 * 1024;
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  const r = await t.app.inject({
    method: "POST",
    url: `/api/rating-plans/${planId}/imports/upload?${new URLSearchParams({ fileName: "up.csv", ...query })}`,
    payload: Readable.from(chunks),
    headers: { cookie: as.cookie, "x-csrf-token": as.csrf, "content-type": opts.type ?? "text/csv" },
  });
  return { status: r.statusCode, json: r.json() };
}
async function apply(revisionId: string) {
  const a = await admin.request("POST", `/api/rating-revisions/${revisionId}/apply`);
  expect(a.status, JSON.stringify(a.json)).toBe(202);
  const done = await waitForRevision(revisionId);
  expect(done.status, done.failureMessage).toBe("applied");
  return done;
}
/** Invariant: a plan's versions of one prefix and time class never overlap. */
async function expectNoOverlaps(planId: string) {
  const { rows } = await t.pool.query(
    `SELECT a.prefix, a.time_class, a.effective_from, b.effective_from AS other FROM rates a JOIN rates b
       ON b.plan_id = a.plan_id AND b.prefix = a.prefix AND b.time_class IS NOT DISTINCT FROM a.time_class AND b.id <> a.id
      AND b.effective_from >= a.effective_from AND (a.effective_to IS NULL OR b.effective_from < a.effective_to)
     WHERE a.plan_id = $1`,
    [planId],
  );
  expect(rows).toEqual([]);
}
const lookup = async (planId: string, number: string, at?: string) =>
  (await admin.request("GET", `/api/rating-plans/${planId}/lookup?number=${encodeURIComponent(number)}${at ? `&at=${encodeURIComponent(at)}` : ""}`)).json;

const TABLES = ["rating_plans", "rates", "rate_revisions", "rate_revision_rows", "audit_events", "pgboss.job"];
const counts = () => Promise.all(TABLES.map((x) => countRows(t.pool, x)));

describe("rating plans", () => {
  it("creates, edits and soft-deletes a plan, with money as decimal strings and audit rows", async () => {
    const p = await mkPlan({ name: "Retail", connectionFee: "0.015", precision: "0.0001", incrementFirstS: 30, incrementNextS: 6, timeClasses: [{ name: "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" }] });
    const got = (await admin.request("GET", `/api/rating-plans/${p.id}`)).json;
    expect(got).toMatchObject({ connectionFee: "0.015000", precision: "0.000100", incrementFirstS: 30, incrementNextS: 6, rateCount: 0, noticeDays: 0 });
    const e = await admin.request("PATCH", `/api/rating-plans/${p.id}`, { noticeDays: 14 });
    // Omitted fields keep their values (no defaults on PATCH).
    expect(e.json).toMatchObject({ noticeDays: 14, connectionFee: "0.015000", incrementFirstS: 30, timeClasses: [{ name: "peak" }] });
    const dup = await admin.request("POST", "/api/rating-plans", { name: p.name.toUpperCase(), kind: "customer", currency: "USD" });
    expect(dup.status).toBe(409);
    expect((await admin.request("DELETE", `/api/rating-plans/${p.id}`)).status).toBe(200);
    expect((await admin.request("GET", `/api/rating-plans/${p.id}`)).status).toBe(404);
    expect(await countRows(t.pool, "audit_events", `entity_id = '${p.id}' AND action LIKE 'rating_plan.%'`)).toBe(3);
  });

  it("a rating plan can be referenced by an interconnect, which then blocks its deletion", async () => {
    const p = await mkPlan({ kind: "supplier" });
    const c = await admin.request("POST", "/api/carriers", { name: uniq("Supp"), type: "supplier", primaryCurrency: "USD" });
    const i = await admin.request("POST", `/api/carriers/${c.json.id}/interconnects`, {
      name: "E",
      direction: "egress",
      currency: "USD",
      egressRouting: { sendTo: [{ address: "192.0.2.1" }] },
      supplierRatingPlanId: p.id,
    });
    expect(i.status, JSON.stringify(i.json)).toBe(201);
    const d = await admin.request("DELETE", `/api/rating-plans/${p.id}`);
    expect(d.status).toBe(409);
    expect(d.json.error.message).toContain("interconnect E");
    // Another tenant's plan is "no such rating plan".
    const other = await mkPlan({ kind: "supplier" }, acme);
    const bad = await admin.request("PATCH", `/api/interconnects/${i.json.id}`, { supplierRatingPlanId: other.id });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/no such rating plan/i);
  });
});

describe("deck import", () => {
  it("rejects a deck listing every bad row with its line; nothing is staged or applied", async () => {
    const p = await mkPlan({ timeClasses: [{ name: "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" }] });
    const csv = [
      "prefix,destination,rate,effective_date,increments,time_class",
      "44,UK,0.0100,2024-01-01,,", // 2 good
      "4a,Bad prefix,0.01,2024-01-01,,", // 3
      "45,Negative,-0.01,2024-01-01,,", // 4
      "46,Not a number,abc,2024-01-01,,", // 5
      "47,Too precise,0.1234567,2024-01-01,,", // 6
      "48,Impossible date,0.01,2024-02-30,,", // 7
      "49,Unknown class,0.01,2024-01-01,,weekend", // 8
      "44,Duplicate,0.02,2024-01-01,,", // 9
      "50,Bad increments,0.01,2024-01-01,0/6,", // 10
      "51,Garbage date,0.01,01/02/2024,,", // 11
      "52,Empty rate,,2024-01-01,,", // 12
      "53,Good,0.02,2024-01-01,60/60,peak", // 13 good
    ].join("\n");
    const before = await countRows(t.pool, "rates");
    const r = await preview(p.id, csv);
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(r.json.error.code).toBe("deck_rejected");
    const lines = Object.keys(r.json.error.fields).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    expect(lines).toEqual(["line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9", "line 10", "line 11", "line 12"]);
    expect(r.json.error.fields["line 3"][0]).toMatch(/prefix/);
    expect(r.json.error.fields["line 4"][0]).toMatch(/negative/);
    expect(r.json.error.fields["line 6"][0]).toMatch(/6 decimals/);
    expect(r.json.error.fields["line 7"][0]).toMatch(/does not exist/);
    expect(r.json.error.fields["line 8"][0]).toMatch(/unknown time class "weekend"/);
    expect(r.json.error.fields["line 9"][0]).toMatch(/duplicate of line 2/);
    expect(await countRows(t.pool, "rates")).toBe(before);
    const revs = (await admin.request("GET", `/api/rating-plans/${p.id}/revisions`)).json.rows;
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ status: "rejected", errorCount: 10 });
    expect(revs[0].errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await countRows(t.pool, "rate_revision_rows", `revision_id = '${revs[0].id}'`)).toBe(0);
    // A rejected revision cannot be applied.
    expect((await admin.request("POST", `/api/rating-revisions/${revs[0].id}/apply`)).status).toBe(409);
  });

  it("reads a BOM, ';' delimiter, decimal commas and a header mapping", async () => {
    const p = await mkPlan({ timeZone: "Europe/Berlin" });
    const csv = "\uFEFFDial Code;Country;Price per min;Valid From;Setup\r\n49;Germany;0,0150;2024-01-01;\r\n4930;Germany Berlin;0,0125;2024-01-01;0,05\r\n";
    const r = await importAndApply(p.id, csv, { mapping: { prefix: "Dial Code", destination: "Country", rate: "Price per min", effective_date: "Valid From", connection_fee: "Setup" } });
    expect(r.revision).toMatchObject({ rowCount: 2, newCount: 2 });
    // A bare date is midnight in the plan's zone (Berlin: 23:00 UTC the day before).
    expect(r.revision.effectiveFrom).toBe("2023-12-31T23:00:00.000Z");
    expect((await lookup(p.id, "+4930123456")).match).toMatchObject({ prefix: "4930", rate: "0.012500", connectionFee: "0.050000" });
    expect((await lookup(p.id, "0049891234")).match).toMatchObject({ prefix: "49", destination: "Germany", rate: "0.015000", connectionFee: "0.000000" });
    // A mapping naming a column the file lacks is a 400, not a half import.
    const bad = await preview(p.id, csv, { mapping: { prefix: "Nope" } });
    expect(bad.status).toBe(400);
  });

  it("imports 50 000 rows through the job in a few seconds; lookups hit the right rates", async () => {
    const p = await mkPlan();
    const rows = ["prefix,destination,rate,effective_date"];
    // Rates in micro-units, written as exact decimals (no floats).
    const micros = (i: number) => (i % 1000) * 100 + 1000;
    const decimal = (m: number) => `${Math.floor(m / 1e6)}.${String(m % 1e6).padStart(6, "0")}`;
    for (let i = 0; i < 50_000; i++) rows.push(`${1_000_000 + i * 7},Dest ${i},${decimal(micros(i))},2024-01-01`);
    const csv = rows.join("\n");
    const t0 = performance.now();
    const r = await t.app.inject({
      method: "POST",
      url: `/api/rating-plans/${p.id}/imports/upload?fileName=big.csv&mode=full`,
      payload: csv,
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "text/csv" },
    });
    const previewMs = performance.now() - t0;
    expect(r.statusCode, r.body.slice(0, 500)).toBe(201);
    const body = r.json();
    expect(body.revision).toMatchObject({ rowCount: 50_000, newCount: 50_000, fileName: "big.csv", status: "previewed" });
    expect(body.diff.rows).toHaveLength(100);
    const t1 = performance.now();
    const a = await admin.request("POST", `/api/rating-revisions/${body.revision.id}/apply`);
    expect(a.status).toBe(202);
    const done = await waitForRevision(body.revision.id);
    const applyMs = performance.now() - t1;
    expect(done.status, done.failureMessage).toBe("applied");
    expect(await countRows(t.pool, "rates", `plan_id = '${p.id}'`)).toBe(50_000);
    const t2 = performance.now();
    for (const i of [0, 1, 999, 12_345, 49_999]) {
      const m = (await lookup(p.id, `${1_000_000 + i * 7}5551234`)).match;
      expect(m).toMatchObject({ prefix: String(1_000_000 + i * 7), destination: `Dest ${i}` });
      expect(m.rate).toBe(decimal(micros(i)));
    }
    const lookupMs = performance.now() - t2;
    // The server reports the compiled plan it answers from.
    const compiled = (await admin.request("GET", `/api/rating-plans/${p.id}/compiled`)).json;
    expect(compiled).toMatchObject({ prefixCount: 50_000, versionCount: 50_000, destinationCount: 50_000 });
    expect(compiled.bytesPerPrefix).toBeGreaterThan(20);
    expect(compiled.bytesPerPrefix).toBeLessThan(400);
    expect(compiled.buildMs).toBeGreaterThanOrEqual(0);
    expect((await lookup(p.id, "1000001")).match).toBeNull();
    console.log(`50k deck: preview ${previewMs.toFixed(0)} ms, apply (job) ${applyMs.toFixed(0)} ms, 5 lookups incl. first compile ${lookupMs.toFixed(0)} ms`);
    expect(previewMs).toBeLessThan(15_000);
    expect(applyMs).toBeLessThan(20_000);
    const job = await admin.request("GET", `/api/jobs?pageSize=100`);
    expect(job.json.rows.find((j: { id: string }) => j.id === a.json.jobId)).toMatchObject({ queue: "rating.apply-revision", percent: 100 });
  }, 120_000);

  it.each(STAGINGS)("classifies the diff (new, increase, decrease, unchanged, closed) and applies it at the deck's date; diffed %s", async (_how, oneJoinAbove) => {
    importTuning.oneJoinAbove = oneJoinAbove;
    const p = await mkPlan();
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n1,A,0.1,2024-01-01\n2,B,0.2,2024-01-01\n3,C,0.3,2024-01-01\n4,D,0.4,2024-01-01\n");
    const deck2 = "prefix,destination,rate,effective_date\n1,A,0.15,2030-01-01\n2,B,0.1,2030-01-01\n3,C,0.3,2030-01-01\n5,E,0.5,2030-01-01\n";
    const r = await preview(p.id, deck2, { mode: "full" });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.revision).toMatchObject({ newCount: 1, increaseCount: 1, decreaseCount: 1, unchangedCount: 1, closedCount: 1, mode: "full" });
    const byPrefix = Object.fromEntries(r.json.diff.rows.map((d: { prefix: string }) => [d.prefix, d]));
    expect(byPrefix["1"]).toMatchObject({ change: "increase", previousRate: "0.100000", rate: "0.150000", line: 2 });
    expect(byPrefix["2"]).toMatchObject({ change: "decrease", previousRate: "0.200000" });
    expect(byPrefix["3"]).toMatchObject({ change: "unchanged" });
    expect(byPrefix["5"]).toMatchObject({ change: "new", previousRate: null });
    expect(byPrefix["4"]).toMatchObject({ change: "closed", line: null, rate: null, previousRate: "0.400000" });
    const closedOnly = await admin.request("GET", `/api/rating-revisions/${r.json.revision.id}?change=closed`);
    expect(closedOnly.json.diff.total).toBe(1);
    // Nothing changes before apply.
    expect((await lookup(p.id, "5", "2030-06-01T00:00:00Z")).match).toBeNull();
    await admin.request("POST", `/api/rating-revisions/${r.json.revision.id}/apply`);
    await waitForRevision(r.json.revision.id);
    const before = "2029-12-31T23:59:59Z";
    const after = "2030-06-01T00:00:00Z";
    expect((await lookup(p.id, "1", before)).match.rate).toBe("0.100000");
    expect((await lookup(p.id, "1", after)).match.rate).toBe("0.150000");
    expect((await lookup(p.id, "2", after)).match.rate).toBe("0.100000");
    expect((await lookup(p.id, "4", before)).match.rate).toBe("0.400000");
    expect((await lookup(p.id, "4", after)).match).toBeNull();
    expect((await lookup(p.id, "5", after)).match.rate).toBe("0.500000");
    const closed = await t.pool.query(`SELECT effective_to FROM rates WHERE plan_id = $1 AND prefix IN ('1', '4') AND effective_from < '2030-01-01'`, [p.id]);
    expect(closed.rows.map((x) => x.effective_to.toISOString())).toEqual(["2030-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z"]);
    // The rates list filters by state at an instant.
    const live = await admin.request("GET", `/api/rating-plans/${p.id}/rates?state=live&at=${after}`);
    expect(live.json.rows.map((x: { prefix: string }) => x.prefix)).toEqual(["1", "2", "3", "5"]);
    const expired = await admin.request("GET", `/api/rating-plans/${p.id}/rates?state=expired&at=${after}`);
    expect(expired.json.total).toBe(4);
    const future = await admin.request("GET", `/api/rating-plans/${p.id}/rates?state=future&at=2025-01-01T00:00:00Z&q=E`);
    expect(future.json.rows.map((x: { prefix: string }) => x.prefix)).toEqual(["5"]);
    // Applying twice is refused.
    expect((await admin.request("POST", `/api/rating-revisions/${r.json.revision.id}/apply`)).status).toBe(409);
  });

  it.each(STAGINGS)("the notice rule: an increase with too little notice is rejected, or deferred to the earliest allowed date; diffed %s", async (_how, oneJoinAbove) => {
    importTuning.oneJoinAbove = oneJoinAbove;
    const p = await mkPlan({ noticeDays: 7 });
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n7,RU,0.1,2024-01-01\n8,KZ,0.2,2024-01-01\n");
    const soon = isoDay(Date.now() + 2 * DAY);
    const deck = `prefix,destination,rate,effective_date\n7,RU,0.12,${soon}\n8,KZ,0.15,${soon}\n`;
    const rejected = await preview(p.id, deck, { noticePolicy: "reject" });
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(422);
    expect(Object.keys(rejected.json.error.fields)).toEqual(["line 2"]);
    expect(rejected.json.error.fields["line 2"][0]).toMatch(/7 days' notice/);
    expect(await countRows(t.pool, "rate_revision_rows", `revision_id IN (SELECT id FROM rate_revisions WHERE plan_id = '${p.id}' AND status = 'rejected')`)).toBe(0);

    const deferred = await preview(p.id, deck, { noticePolicy: "defer" });
    expect(deferred.status, JSON.stringify(deferred.json)).toBe(201);
    expect(deferred.json.revision).toMatchObject({ noticeViolationCount: 1, increaseCount: 1, decreaseCount: 1 });
    const row = deferred.json.diff.rows.find((d: { prefix: string }) => d.prefix === "7");
    expect(row.noticeViolation).toBe(true);
    const adjusted = Date.parse(row.effectiveFromAdjusted);
    expect(adjusted).toBeGreaterThanOrEqual(Date.now() + 7 * DAY - 60_000);
    expect(adjusted).toBeLessThanOrEqual(Date.now() + 8 * DAY);
    expect(deferred.json.diff.rows.find((d: { prefix: string }) => d.prefix === "8").effectiveFromAdjusted).toBeNull();
    await admin.request("POST", `/api/rating-revisions/${deferred.json.revision.id}/apply`);
    await waitForRevision(deferred.json.revision.id);
    const in3days = new Date(Date.now() + 3 * DAY).toISOString();
    expect((await lookup(p.id, "7", in3days)).match.rate).toBe("0.100000");
    expect((await lookup(p.id, "8", in3days)).match.rate).toBe("0.150000"); // decreases need no notice
    expect((await lookup(p.id, "7", new Date(adjusted).toISOString())).match.rate).toBe("0.120000");
  });
});

describe("streamed upload", () => {
  it("reads the file as it streams in, in chunks of any size: BOM, ';', decimal commas, a quoted newline, a mapping in the query", async () => {
    const p = await mkPlan();
    const csv = '\uFEFFCode;Name;Price;From\r\n49;Germany;0,0150;2024-01-01\r\n4930;"Berlin\r\nCity";0,0125;2024-01-01\r\n4989;München;0,0130;2024-01-01\r\n';
    const mapping = JSON.stringify({ prefix: "Code", destination: "Name", rate: "Price", effective_date: "From" });
    // 3-byte chunks split the BOM, the ü and every line.
    const r = await upload(p.id, csv, { mapping, mode: "full" }, { type: "application/octet-stream", pieces: 3 });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.revision).toMatchObject({ fileName: "up.csv", mode: "full", rowCount: 3, newCount: 3, status: "previewed" });
    expect(r.json.diff.rows.map((d: { line: number; destination: string }) => [d.line, d.destination])).toEqual([
      [2, "Germany"],
      // A row is numbered by the line it starts on.
      [3, "Berlin\r\nCity"],
      [5, "München"],
    ]);
    await apply(r.json.revision.id);
    expect((await lookup(p.id, "498912345")).match).toMatchObject({ prefix: "4989", destination: "München", rate: "0.013000" });
  });

  it("a deck with bad rows is 422 listing every bad line; nothing is staged or applied", async () => {
    const p = await mkPlan();
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n44,UK,0.01,2024-01-01\n");
    const before = await counts();
    const rows = ["prefix,destination,rate,effective_date"];
    for (let i = 0; i < 30_000; i++) rows.push(`${100_000 + i},D${i},0.0${i % 10}1,2024-06-01`);
    rows[10_001] = "12x,Bad,0.01,2024-06-01";
    rows[29_000] = "44,Negative,-1,2024-06-01";
    const r = await upload(p.id, rows.join("\n"), {}, { pieces: 1000 });
    expect(r.status, JSON.stringify(r.json).slice(0, 500)).toBe(422);
    expect(r.json.error.code).toBe("deck_rejected");
    expect(Object.keys(r.json.error.fields)).toEqual(["line 10002", "line 29001"]);
    expect(r.json.error.fields["line 29001"][0]).toMatch(/negative/);
    // Only the rejected revision is recorded (and audited); no rate, no staged row.
    const after = await counts();
    expect(after[1]).toBe(before[1]);
    expect(after[3]).toBe(before[3]);
    expect(after[2]).toBe(before[2]! + 1);
    expect((await lookup(p.id, "100005")).match).toBeNull();
  });

  it("bad options and other content types are refused before anything is read or written", async () => {
    const p = await mkPlan();
    const before = await counts();
    const deck = "prefix,rate,effective_date\n1,0.1,2024-01-01\n";
    for (const [query, status] of [
      [{ mapping: "{not json" }, 400],
      [{ mapping: JSON.stringify({ bogus: "x" }) }, 400],
      [{ mapping: JSON.stringify({ prefix: "Nope" }) }, 400],
      [{ mode: "sometimes" }, 400],
      [{ delimiter: "|" }, 400],
    ] as const) {
      const r = await upload(p.id, deck, query as Record<string, string>);
      expect(r.status, JSON.stringify(query)).toBe(status);
    }
    expect((await upload(p.id, deck, {}, { type: "application/json" })).status).toBe(415);
    expect((await upload(p.id, "", {})).status).toBe(400);
    expect((await upload(p.id, "prefix;rate\n1;0.1\n")).status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe("full decks and future versions", () => {
  it("a full deck ends the live version of every absent code at its date and cancels the absent codes' later versions", async () => {
    const p = await mkPlan();
    // 6 lives 2020 → 2022 (ended by a full deck without it).
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n6,Expired,0.6,2020-01-01\n");
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n1,Kept,0.1,2022-01-01\n", { mode: "full" });
    await importAndApply(
      p.id,
      ["prefix,destination,rate,effective_date", "2,Ends,0.2,2024-01-01", "2,Ends later,0.25,2031-01-01", "3,Only future,0.3,2031-06-01", "5,Starts on the deck date,0.5,2030-01-01"].join("\n"),
    );

    const r = await preview(p.id, "prefix,destination,rate,effective_date\n1,Kept,0.1,2030-01-01\n", { mode: "full" });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.revision).toMatchObject({ unchangedCount: 1, closedCount: 4 });
    const closed = r.json.diff.rows
      .filter((d: { change: string }) => d.change === "closed")
      .map((d: { prefix: string; previousRate: string; effectiveFrom: string }) => [d.prefix, d.previousRate, d.effectiveFrom]);
    expect(closed).toEqual([
      ["2", "0.200000", "2030-01-01T00:00:00.000Z"],
      ["2", "0.250000", "2031-01-01T00:00:00.000Z"],
      ["3", "0.300000", "2031-06-01T00:00:00.000Z"],
      ["5", "0.500000", "2030-01-01T00:00:00.000Z"],
    ]);
    await apply(r.json.revision.id);
    expect((await lookup(p.id, "2", "2029-12-31T23:59:59Z")).match).toMatchObject({ rate: "0.200000" });
    for (const [n, at] of [
      ["2", "2030-06-01T00:00:00Z"],
      ["2", "2031-02-01T00:00:00Z"],
      ["3", "2031-07-01T00:00:00Z"],
      ["5", "2030-01-02T00:00:00Z"],
    ]) expect((await lookup(p.id, n!, at)).match, `${n} at ${at}`).toBeNull();
    expect((await lookup(p.id, "1", "2031-07-01T00:00:00Z")).match).toMatchObject({ rate: "0.100000" });
    // The cancelled versions are gone; the ended one keeps its history; the expired one is untouched.
    const left = await t.pool.query<{ prefix: string; from: Date; to: Date | null }>(
      "SELECT prefix, effective_from AS from, effective_to AS to FROM rates WHERE plan_id = $1 AND prefix <> '1' ORDER BY prefix, effective_from",
      [p.id],
    );
    expect(left.rows.map((x) => [x.prefix, x.from.toISOString().slice(0, 10), x.to?.toISOString().slice(0, 10) ?? null])).toEqual([
      ["2", "2024-01-01", "2030-01-01"],
      ["6", "2020-01-01", "2022-01-01"],
    ]);
    await expectNoOverlaps(p.id);
  });
});

describe("notice deferral", () => {
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

  it("a deferred increase is compared again with what is live at its new date", async () => {
    const p = await mkPlan();
    await importAndApply(
      p.id,
      [
        "prefix,destination,rate,effective_date",
        "7,A,0.10,2024-01-01",
        `7,A,0.20,${at(5)}`,
        "8,B,0.10,2024-01-01",
        `8,B,0.12,${at(4)}`,
        "9,C,0.10,2024-01-01",
        `9,C,0.15,${at(3)}`,
      ].join("\n"),
    );
    expect((await admin.request("PATCH", `/api/rating-plans/${p.id}`, { noticeDays: 7 })).status).toBe(200);
    // Each is an increase at its own date (vs 0.10); deferred past the 7 days, each meets the later version.
    const r = await preview(p.id, ["prefix,destination,rate,effective_date", `7,A,0.15,${at(2)}`, `8,B,0.15,${at(2)}`, `9,C,0.15,${at(2)}`].join("\n"), { noticePolicy: "defer" });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.revision).toMatchObject({ noticeViolationCount: 3, increaseCount: 1, decreaseCount: 1, unchangedCount: 1 });
    const rows = Object.fromEntries(r.json.diff.rows.map((d: { prefix: string }) => [d.prefix, d]));
    const adjusted = Date.parse(rows["7"].effectiveFromAdjusted);
    expect(adjusted).toBeGreaterThanOrEqual(Date.now() + 7 * DAY - 60_000);
    expect(rows["7"]).toMatchObject({ change: "decrease", previousRate: "0.200000", noticeViolation: true });
    expect(rows["8"]).toMatchObject({ change: "increase", previousRate: "0.120000", noticeViolation: true });
    expect(rows["9"]).toMatchObject({ change: "unchanged", previousRate: "0.150000", noticeViolation: true });
    for (const d of Object.values(rows) as { effectiveFromAdjusted: string }[]) expect(Date.parse(d.effectiveFromAdjusted)).toBe(adjusted);
    // The preview lists every flagged row, whatever its change became.
    const flagged = await admin.request("GET", `/api/rating-revisions/${r.json.revision.id}?notice=true`);
    expect(flagged.json.diff.rows.map((d: { prefix: string }) => d.prefix)).toEqual(["7", "8", "9"]);
    expect((await admin.request("GET", `/api/rating-revisions/${r.json.revision.id}?notice=false`)).json.diff.total).toBe(0);
    await apply(r.json.revision.id);
    const late = new Date(adjusted + 3_600_000).toISOString();
    expect((await lookup(p.id, "7", at(1))).match.rate).toBe("0.100000");
    expect((await lookup(p.id, "7", at(6))).match.rate).toBe("0.200000");
    expect((await lookup(p.id, "7", late)).match.rate).toBe("0.150000");
    expect((await lookup(p.id, "8", at(4.5))).match.rate).toBe("0.120000");
    expect((await lookup(p.id, "8", late)).match.rate).toBe("0.150000");
    await expectNoOverlaps(p.id);
  });

  it("a deferred increase may not start after a later row of the same deck for its code", async () => {
    const p = await mkPlan({ noticeDays: 7 });
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n10,X,0.10,2024-01-01\n");
    const before = await counts();
    const r = await preview(p.id, ["prefix,destination,rate,effective_date", `10,X,0.20,${at(2)}`, `10,X,0.05,${at(4)}`].join("\n"), { noticePolicy: "defer" });
    expect(r.status, JSON.stringify(r.json)).toBe(422);
    expect(Object.keys(r.json.error.fields)).toEqual(["line 2"]);
    expect(r.json.error.fields["line 2"][0]).toMatch(/would start after line 3's rate/);
    const after = await counts();
    expect([after[1], after[3]]).toEqual([before[1], before[3]]);
  });
});

describe("stale previews", () => {
  it("a preview cannot be applied once the plan changed after it: another revision applied, or an edit", async () => {
    const p = await mkPlan();
    const a = await preview(p.id, "prefix,destination,rate,effective_date\n1,A,0.1,2024-01-01\n");
    const b = await preview(p.id, "prefix,destination,rate,effective_date\n1,A,0.2,2024-01-01\n");
    await apply(b.json.revision.id);
    const stale = await admin.request("POST", `/api/rating-revisions/${a.json.revision.id}/apply`);
    expect(stale.status).toBe(409);
    expect(stale.json.error.message).toMatch(/changed after this deck was previewed/);
    const c = await preview(p.id, "prefix,destination,rate,effective_date\n1,A,0.3,2030-01-01\n");
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    expect(c.json.revision).toMatchObject({ decreaseCount: 0, increaseCount: 1 });
    await admin.request("PATCH", `/api/rating-plans/${p.id}`, { name: uniq("Renamed") });
    expect((await admin.request("POST", `/api/rating-revisions/${c.json.revision.id}/apply`)).status).toBe(409);
    expect((await lookup(p.id, "1")).match.rate).toBe("0.200000");
  });
});

describe("quotes and export", () => {
  it("quotes a 30/6 plan call with the full breakdown", async () => {
    const p = await mkPlan({ incrementFirstS: 30, incrementNextS: 6, connectionFee: "0.01", gracePeriodS: 3, precision: "0.0001" });
    await importAndApply(p.id, "prefix,destination,rate,effective_date\n33,France,0.0123,2024-01-01\n336,France Mobile,0.05,2024-01-01,\n".replace(",\n", "\n"));
    const q = await admin.request("POST", `/api/rating-plans/${p.id}/quote`, { number: "+33 1 23 45 67 89", durationS: 37, at: "2025-05-05T10:00:00Z" });
    expect(q.status, JSON.stringify(q.json)).toBe(200);
    // 37 s → 30 + ⌈7/6⌉·6 = 42 s; 0.0123 × 42/60 = 0.00861 + fee 0.01 = 0.01861 → 0.0186 at 0.0001 precision.
    expect(q.json).toMatchObject({
      prefix: "33",
      destination: "France",
      rate: "0.012300",
      timeClass: null,
      durationS: 37,
      billableS: 42,
      incrementFirstS: 30,
      incrementNextS: 6,
      connectionFee: "0.010000",
      exactCost: "0.018610",
      precision: "0.000100",
      cost: "0.018600",
      currency: "USD",
      free: false,
    });
    const short = await admin.request("POST", `/api/rating-plans/${p.id}/quote`, { number: "3361234", durationS: 10, at: "2025-05-05T10:00:00Z" });
    expect(short.json).toMatchObject({ prefix: "336", billableS: 30, cost: "0.035000" }); // 0.05 × 30/60 + 0.01
    const free = await admin.request("POST", `/api/rating-plans/${p.id}/quote`, { number: "3361234", durationS: 3 });
    expect(free.json).toMatchObject({ free: true, billableS: 0, cost: "0.000000", connectionFee: "0.000000" });
    const none = await admin.request("POST", `/api/rating-plans/${p.id}/quote`, { number: "999", durationS: 60 });
    expect(none.status).toBe(422);
  });

  it("export round-trips: exported, imported into a new plan and exported again, the decks are equal", async () => {
    const classes = [{ name: "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" }];
    const p = await mkPlan({ timeClasses: classes });
    await importAndApply(
      p.id,
      'prefix,destination,rate,effective_date,increments,connection_fee,time_class\n44,"UK, London",0.01,2024-01-01,1/1,0.02,\n44,"UK, London",0.015,2024-01-01,,,peak\n4420,"Quote ""Inner""",0.3,2024-03-01T12:30:00Z,,,\n',
    );
    const at = "2025-01-01T00:00:00Z";
    const e1 = await t.app.inject({ method: "GET", url: `/api/rating-plans/${p.id}/export?at=${at}`, headers: { cookie: admin.cookie } });
    expect(e1.statusCode).toBe(200);
    expect(e1.headers["content-type"]).toMatch(/^text\/csv/);
    expect(e1.body.split("\r\n").filter(Boolean)).toHaveLength(4);
    const q = await mkPlan({ timeClasses: classes });
    await importAndApply(q.id, e1.body);
    const e2 = await t.app.inject({ method: "GET", url: `/api/rating-plans/${q.id}/export?at=${at}`, headers: { cookie: admin.cookie } });
    expect(e2.body).toBe(e1.body);
    expect((await lookup(q.id, "4420555", "2025-01-04T10:00:00Z")).match).toMatchObject({ destination: 'Quote "Inner"', rate: "0.300000" });
    // Peak (Monday 10:00 UTC) vs off-peak (Sunday).
    expect((await lookup(q.id, "44555", "2025-01-06T10:00:00Z")).match).toMatchObject({ timeClass: "peak", rate: "0.015000" });
    expect((await lookup(q.id, "44555", "2025-01-05T10:00:00Z")).match).toMatchObject({ timeClass: null, rate: "0.010000", connectionFee: "0.020000", incrementFirstS: 1 });
  });
});

describe("boundaries", () => {
  it("another tenant's plan and revision are 404 on every route, and nothing is written", async () => {
    const p = await mkPlan();
    const r = await importAndApply(p.id, "prefix,destination,rate,effective_date\n1,A,0.1,2024-01-01\n");
    const pending = await preview(p.id, "prefix,destination,rate,effective_date\n2,B,0.1,2024-01-01\n");
    const before = await counts();
    const calls: [string, string, unknown?][] = [
      ["GET", `/api/rating-plans/${p.id}`],
      ["PATCH", `/api/rating-plans/${p.id}`, { name: "Stolen" }],
      ["DELETE", `/api/rating-plans/${p.id}`],
      ["GET", `/api/rating-plans/${p.id}/rates`],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: "prefix,rate,effective_date\n9,0.1,2024-01-01\n" }],
      ["GET", `/api/rating-plans/${p.id}/revisions`],
      ["GET", `/api/rating-revisions/${r.revision.id}`],
      ["POST", `/api/rating-revisions/${pending.json.revision.id}/apply`],
      ["GET", `/api/rating-plans/${p.id}/lookup?number=1`],
      ["POST", `/api/rating-plans/${p.id}/quote`, { number: "1", durationS: 60 }],
      ["GET", `/api/rating-plans/${p.id}/export`],
      ["GET", `/api/rating-plans/${p.id}/compiled`],
    ];
    for (const [method, url, body] of calls) {
      const res = await acme.request(method as "GET", url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect((await upload(p.id, "prefix,rate,effective_date\n9,0.1,2024-01-01\n", {}, { as: acme })).status).toBe(404);
    expect(await counts()).toEqual(before);
    const list = await acme.request("GET", "/api/rating-plans?pageSize=500");
    expect(list.json.rows.map((x: { id: string }) => x.id)).not.toContain(p.id);
    // The demo plan still has its name and its revision is still waiting.
    expect((await admin.request("GET", `/api/rating-plans/${p.id}`)).json.name).toBe(p.name);
    expect((await admin.request("GET", `/api/rating-revisions/${pending.json.revision.id}`)).json.revision.status).toBe("previewed");
  });

  it("permissions: all staff read, readonly and noc cannot write", async () => {
    const p = await mkPlan();
    const ro = await login(t.app, "readonly@demo.didtron.local");
    const noc = await login(t.app, "noc@demo.didtron.local");
    const billing = await login(t.app, "billing@demo.didtron.local");
    expect((await ro.request("GET", `/api/rating-plans/${p.id}`)).status).toBe(200);
    expect((await ro.request("POST", "/api/rating-plans", { name: "x", kind: "customer", currency: "USD" })).status).toBe(403);
    expect((await noc.request("POST", `/api/rating-plans/${p.id}/imports`, { csv: "prefix,rate,effective_date\n1,0.1,2024-01-01\n" })).status).toBe(403);
    expect((await billing.request("PATCH", `/api/rating-plans/${p.id}`, { noticeDays: 3 })).status).toBe(200);
  });

  it("bad input is a 4xx with nothing written, never a 500", async () => {
    const p = await mkPlan();
    const before = await counts();
    const cases: [string, string, unknown?][] = [
      ["GET", "/api/rating-plans/not-a-uuid"],
      ["GET", `/api/rating-plans/${p.id}/rates?state=bogus`],
      ["GET", `/api/rating-plans/${p.id}/rates?pageSize=0`],
      ["GET", `/api/rating-plans/${p.id}/rates?at=yesterday`],
      ["GET", `/api/rating-plans/${p.id}/lookup`],
      ["GET", `/api/rating-plans/${p.id}/lookup?number=abc`],
      ["POST", "/api/rating-plans", { name: "x", kind: "wholesale", currency: "usd", connectionFee: "-1", timeZone: "Mars/Base" }],
      ["POST", "/api/rating-plans", { name: "x", kind: "customer", currency: "USD", timeClasses: [{ name: "p", days: [7], start: "25:00", end: "08:00" }] }],
      ["POST", "/api/rating-plans", { name: "x", kind: "customer", currency: "USD", incrementFirstS: 0, precision: "0" }],
      ["PATCH", `/api/rating-plans/${p.id}`, {}],
      ["POST", `/api/rating-plans/${p.id}/imports`, {}],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: "" }],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: "prefix,rate,effective_date\n1,0.1,2024-01-01\n", mode: "sometimes" }],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: "prefix,destination\n1,A\n" }],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: "prefix,rate,effective_date\n" }],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: 'prefix,rate,effective_date\n"1,0.1,2024-01-01\n' }],
      ["POST", `/api/rating-plans/${p.id}/imports`, { csv: "prefix,rate,effective_date\n1,0.1,2024-01-01\n", mapping: { bogus: "x" } }],
      ["POST", `/api/rating-plans/${p.id}/quote`, { number: "1", durationS: -1 }],
      ["POST", `/api/rating-plans/${p.id}/quote`, { number: "1", durationS: 1.5, at: "now" }],
      ["POST", "/api/rating-revisions/0190aaaa-0000-7000-8000-000000000000/apply"],
      ["GET", "/api/rating-revisions/0190aaaa-0000-7000-8000-000000000000?change=moved"],
      ["GET", "/api/rating-revisions/0190aaaa-0000-7000-8000-000000000000?notice=maybe"],
    ];
    for (const [method, url, body] of cases) {
      const res = await admin.request(method as "GET", url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)} → ${JSON.stringify(res.json)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${url}`).toBeLessThan(500);
    }
    expect(await counts()).toEqual(before);
    // text/csv is accepted by the import route only.
    const csvElsewhere = await t.app.inject({ method: "POST", url: "/api/rating-plans", payload: "a,b", headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "text/csv" } });
    expect(csvElsewhere.statusCode).toBe(415);
    const form = await t.app.inject({ method: "POST", url: `/api/rating-plans/${p.id}/imports`, payload: "a=b", headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "application/x-www-form-urlencoded" } });
    expect(form.statusCode).toBe(415);
    expect(await counts()).toEqual(before);
  });
});
