import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { cdrOf, createTraffic, type Traffic } from "./cdrs-fixture.js";

/**
 * Supplier reconciliation on a crafted pair of files: ours as ingested (and rated) CDRs,
 * theirs as an uploaded CSV in a different column order, delimiter, date format and zone.
 * Supplier plan: 0.006/min in 60/60 increments, so each started minute costs 0.006.
 */
let t: TestContext;
let admin: Session;
let billing: Session;
let acme: Session;
let tr: Traffic;
let acmeSupplier: string;

async function waitRated() {
  for (let i = 0; i < 300; i++) {
    if ((await countRows(t.pool, "cdrs", "rating_status = 'pending'")) === 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("CDRs were not rated in time");
}

async function waitRun(s: Session, id: string) {
  for (let i = 0; i < 600; i++) {
    const r = await s.request("GET", `/api/reconciliation/runs/${id}`);
    if (r.json.status === "done" || r.json.status === "failed") return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("run did not finish");
}

function upload(s: Session, runId: string, csv: string, contentType = "text/csv") {
  return t.app
    .inject({ method: "POST", url: `/api/reconciliation/runs/${runId}/upload?fileName=theirs.csv`, headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": contentType }, payload: csv })
    .then((r) => ({ status: r.statusCode, json: r.json() }));
}

// Ours: (call id, called number, start, seconds). The London number is dialled through the service's tech prefix.
const OURS: [string, string, string, number][] = [
  ["call-A", "442071230001", "10:00:00", 37], // matched by call id
  ["call-B", "442071230002", "10:05:00", 100], // matched by number + time, 2 s off (just inside)
  ["call-C", "442071230003", "10:10:00", 50], // theirs 3 s off (just outside): only ours + only theirs
  ["call-D", "442071230004", "10:15:00", 30], // they bill 2 minutes: duration mismatch
  ["call-E", "442071230005", "10:20:00", 45], // they charge 0.009: amount mismatch
  ["call-F1", "442071230006", "10:30:00", 20], // two calls to one number a second apart …
  ["call-F2", "442071230006", "10:30:01", 20], // … against two of theirs at :01 and :02: paired nearest, one-to-one
];
// Theirs: semicolon-separated, columns in their own order, day/month/year in Paris time (UTC+1 in November).
const THEIRS = [
  "Dest;Billed Sec;CLD;Start;Charge;Ref",
  "UK;60;+44 20 7123 0001;20/11/2026 11:00:00;0.006;call-A",
  "UK;120;00442071230002;20/11/2026 11:05:02;0.012;X-77",
  "UK;60;442071230003;20/11/2026 11:10:03;0.006;",
  "UK;120;442071230004;20/11/2026 11:15:00;0.012;call-D",
  "UK;60;442071230005;20/11/2026 11:20:00;0.009;call-E",
  "UK;60;442071230006;20/11/2026 11:30:01;0.006;",
  "UK;60;442071230006;20/11/2026 11:30:02;0.006;",
  "UK;60;+44 20 7123 0001;20/11/2026 11:00:00;0.006;call-A", // a duplicate of the first line: only theirs
  "UK;60;442071230009;31/11/2026 11:00:00;0.006;bad-1", // no 31 November: a row error
].join("\n");
const MAPPING = { callId: "Ref", calledNumber: "CLD", startAt: "Start", startFormat: "dmy_hms", timeZone: "Europe/Paris", durationS: "Billed Sec", amount: "Charge", destination: "Dest" };

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  billing = await login(t.app, "billing@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tr = await createTraffic(admin.request, "Recon");
  const cdrs = OURS.map(([callId, called, time, durationS]) => {
    const start = new Date(`2026-11-20T${time}Z`);
    return cdrOf(tr, { callId, calledNumber: `9001#${called}`, startAt: start.toISOString(), answerAt: start.toISOString(), endAt: new Date(start.getTime() + durationS * 1000).toISOString(), durationS });
  });
  // A call of the supplier outside the period (not ours to reconcile) and a failed one (not billed).
  cdrs.push(cdrOf(tr, { callId: "call-late", startAt: "2026-11-22T10:00:00Z", answerAt: "2026-11-22T10:00:00Z", endAt: "2026-11-22T10:01:00Z", durationS: 60 }));
  cdrs.push(cdrOf(tr, { callId: "call-busy", startAt: "2026-11-20T12:00:00Z", answerAt: null, endAt: "2026-11-20T12:00:00Z", durationS: 0, sipStatus: 486, q850Cause: 17, disposition: "busy" }));
  const r = await admin.request("POST", "/api/cdrs/batch", { cdrs });
  expect(r.status).toBe(200);
  await waitRated();
  acmeSupplier = (await acme.request("POST", "/api/carriers", { name: "Acme Supplier", type: "supplier", primaryCurrency: "USD" })).json.id;
});
afterAll(async () => t?.close());

const invoice = (over: Record<string, unknown> = {}) => ({
  carrierId: tr.supplierCarrierId,
  invoiceNumber: "INV-2026-11",
  periodFrom: "2026-11-20",
  periodTo: "2026-11-21",
  currency: "USD",
  billedAmount: "0.063",
  billedCalls: 8,
  lines: [{ destination: "UK", calls: 8, amount: "0.063" }],
  ...over,
});
const supplierBalance = async () => (await admin.request("GET", `/api/carriers/${tr.supplierCarrierId}/credit-control`)).json.currencies[0].supplier.balance as string;

let invoiceId: string;
let runId: string;

describe("supplier invoices", () => {
  it("records, lists, edits and soft-deletes an invoice with per-destination totals", async () => {
    const r = await billing.request("POST", "/api/supplier-invoices", invoice());
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toMatchObject({ carrierName: "Recon Supplier", status: "received", billedAmount: "0.063000", lines: [{ destination: "UK", calls: 8, durationS: null, amount: "0.063000" }] });
    invoiceId = r.json.id;
    expect((await billing.request("POST", "/api/supplier-invoices", invoice({ invoiceNumber: "inv-2026-11" }))).status).toBe(409);
    const patched = await billing.request("PATCH", `/api/supplier-invoices/${invoiceId}`, { note: "received by e-mail", billedDurationS: 720 });
    expect(patched.json).toMatchObject({ note: "received by e-mail", billedDurationS: 720, lines: [{ destination: "UK" }] });
    expect((await billing.request("GET", `/api/supplier-invoices?carrierId=${tr.supplierCarrierId}`)).json.total).toBe(1);
    expect((await billing.request("GET", "/api/supplier-invoices?q=2026-11")).json.rows[0].id).toBe(invoiceId);
    const other = (await billing.request("POST", "/api/supplier-invoices", invoice({ invoiceNumber: "TO-DELETE" }))).json.id;
    expect((await billing.request("DELETE", `/api/supplier-invoices/${other}`)).status).toBe(200);
    expect((await billing.request("GET", `/api/supplier-invoices/${other}`)).status).toBe(404);
    const bin = (await admin.request("GET", "/api/recycle-bin?entityType=supplier_invoice")).json;
    expect(bin.rows.map((x: { id: string }) => x.id)).toContain(other);
    expect(await countRows(t.pool, "audit_events", `entity_id = '${invoiceId}'`)).toBe(2);
  });

  it("refuses bad invoices and writes nothing", async () => {
    const before = await countRows(t.pool, "supplier_invoices");
    for (const body of [
      invoice({ invoiceNumber: "X1", periodTo: "2026-11-01" }),
      invoice({ invoiceNumber: "X2", billedAmount: "-1" }),
      invoice({ invoiceNumber: "X3", billedAmount: "1.1234567" }),
      invoice({ invoiceNumber: "X4", currency: "EUR" }),
      invoice({ invoiceNumber: "X5", carrierId: tr.customerCarrierId }),
      invoice({ invoiceNumber: "X6", carrierId: acmeSupplier }),
      invoice({ invoiceNumber: "X7", lines: [{ destination: "", amount: "1" }] }),
    ]) {
      const r = await billing.request("POST", "/api/supplier-invoices", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.fields).toBeDefined();
    }
    expect((await billing.request("PATCH", `/api/supplier-invoices/${invoiceId}`, { periodFrom: "2026-12-01" })).status).toBe(400);
    expect((await billing.request("PATCH", `/api/supplier-invoices/${invoiceId}`, {})).status).toBe(400);
    expect(await countRows(t.pool, "supplier_invoices")).toBe(before);
  });
});

describe("a reconciliation run", () => {
  it("takes the invoice's supplier, currency and period, and moves the invoice to reconciling", async () => {
    const r = await billing.request("POST", "/api/reconciliation/runs", { invoiceId });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-21", status: "awaiting_file", startToleranceS: 2, invoiceNumber: "INV-2026-11" });
    runId = r.json.id;
    expect((await billing.request("GET", `/api/supplier-invoices/${invoiceId}`)).json.status).toBe("reconciling");
  });

  it("an upload stages the file and shows its header and first rows", async () => {
    const r = await upload(billing, runId, THEIRS);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "awaiting_mapping", fileName: "theirs.csv", fileRows: 9, header: ["Dest", "Billed Sec", "CLD", "Start", "Charge", "Ref"], savedMapping: null });
    expect(r.json.sample[0]).toEqual(["UK", "60", "+44 20 7123 0001", "20/11/2026 11:00:00", "0.006", "call-A"]);
    expect(await countRows(t.pool, "reconciliation_upload_rows", `run_id = '${runId}'`)).toBe(9);
  });

  it("a mapping naming a missing column is refused, nothing queued", async () => {
    const jobs = await countRows(t.pool, "job_progress");
    const r = await billing.request("POST", `/api/reconciliation/runs/${runId}/mapping`, { ...MAPPING, amount: "Cost" });
    expect(r.status).toBe(400);
    expect(r.json.error.fields.amount[0]).toContain('no column "Cost"');
    const twice = await billing.request("POST", `/api/reconciliation/runs/${runId}/mapping`, { ...MAPPING, destination: "CLD" });
    expect(twice.json.error.fields.destination[0]).toContain("already mapped");
    expect((await billing.request("POST", `/api/reconciliation/runs/${runId}/mapping`, { ...MAPPING, startFormat: "julian" })).status).toBe(400);
    expect((await billing.request("POST", `/api/reconciliation/runs/${runId}/mapping`, { ...MAPPING, timeZone: "Mars/Olympus" })).status).toBe(400);
    expect(await countRows(t.pool, "job_progress")).toBe(jobs);
    expect(await countRows(t.pool, "reconciliation_mappings")).toBe(0);
    expect((await billing.request("GET", `/api/reconciliation/runs/${runId}`)).json.status).toBe("awaiting_mapping");
  });

  it("classifies every row: call id, number + time within tolerance (nearest, one-to-one), mismatches, only theirs / ours", async () => {
    const r = await billing.request("POST", `/api/reconciliation/runs/${runId}/mapping`, MAPPING);
    expect(r.status).toBe(202);
    const run = await waitRun(billing, runId);
    expect(run.failureMessage).toBeNull();
    expect(run.status).toBe("done");
    expect(run.progress).toEqual({ percent: 100, message: "done" });
    const progress = await t.pool.query("SELECT percent, tenant_id FROM job_progress WHERE job_id = $1", [r.json.jobId]);
    expect(progress.rows[0]).toEqual({ percent: 100, tenant_id: admin.me.tenant.id });
    // Bad rows are listed with their line, not a failure.
    expect(run.errorCount).toBe(1);
    expect(run.errors).toEqual([{ line: 10, reason: 'start time "31/11/2026 11:00:00" does not exist' }]);
    expect(run.summary).toEqual({
      matched: { rows: 4, theirAmount: "0.030000", ourAmount: "0.030000" },
      duration_mismatch: { rows: 1, theirAmount: "0.012000", ourAmount: "0.006000" },
      amount_mismatch: { rows: 1, theirAmount: "0.009000", ourAmount: "0.006000" },
      only_theirs: { rows: 2, theirAmount: "0.012000", ourAmount: "0.000000" },
      only_ours: { rows: 1, theirAmount: "0.000000", ourAmount: "0.006000" },
    });
    const rows = (await billing.request("GET", `/api/reconciliation/runs/${runId}/results?pageSize=50`)).json.rows as Record<string, unknown>[];
    const brief = rows.map((x) => `${x.class} ${x.matchedBy ?? "-"} ${x.theirLine ?? "-"} ${x.ourCallId ?? "-"} ${x.difference}`);
    expect(brief).toEqual([
      "matched call_id 2 call-A 0.000000",
      "only_theirs - 9 - 0.006000",
      "matched number_time 3 call-B 0.000000",
      "only_ours - - call-C -0.006000",
      "only_theirs - 4 - 0.006000",
      "duration_mismatch call_id 5 call-D 0.006000",
      "amount_mismatch call_id 6 call-E 0.003000",
      "matched number_time 8 call-F1 0.000000",
      "matched number_time 7 call-F2 0.000000",
    ]);
    expect(rows[2]).toMatchObject({ theirStartAt: "2026-11-20T10:05:02.000Z", ourStartAt: "2026-11-20T10:05:00.000Z", theirDurationS: 120, ourDurationS: 120, destination: "United Kingdom" });
    const onlyTheirs = (await billing.request("GET", `/api/reconciliation/runs/${runId}/results?class=only_theirs`)).json;
    expect(onlyTheirs.total).toBe(2);
    expect((await billing.request("GET", `/api/reconciliation/runs/${runId}/results?q=call-E`)).json.rows[0].class).toBe("amount_mismatch");
    expect((await billing.request("GET", `/api/reconciliation/runs/${runId}/results?pageSize=4&page=3`)).json).toMatchObject({ total: 9, rows: [{ ourCallId: "call-F2" }] });
    // The invoice follows, and the mapping is kept for the supplier's next file.
    expect((await billing.request("GET", `/api/supplier-invoices/${invoiceId}`)).json.status).toBe("reconciled");
    expect(run.savedMapping).toMatchObject(MAPPING);
  });

  it("totals by destination with the difference in money", async () => {
    const d = (await billing.request("GET", `/api/reconciliation/runs/${runId}/destinations`)).json;
    expect(d.rows).toEqual([
      { destination: "UK", theirCalls: 2, theirDurationS: 120, theirAmount: "0.012000", ourCalls: 0, ourDurationS: 0, ourAmount: "0.000000", difference: "0.012000" },
      { destination: "United Kingdom", theirCalls: 6, theirDurationS: 480, theirAmount: "0.051000", ourCalls: 7, ourDurationS: 480, ourAmount: "0.048000", difference: "0.003000" },
    ]);
    expect(d.totals).toEqual({ theirCalls: 8, theirDurationS: 600, theirAmount: "0.063000", ourCalls: 7, ourDurationS: 480, ourAmount: "0.048000", difference: "0.015000" });
  });

  it("a wider tolerance and a duration tolerance change the classes on a re-run", async () => {
    const run2 = (await billing.request("POST", "/api/reconciliation/runs", { carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-20", startToleranceS: 3, durationToleranceS: 60, amountTolerance: "0.006" })).json;
    expect((await upload(billing, run2.id, THEIRS)).json.savedMapping).toMatchObject(MAPPING);
    expect((await billing.request("POST", `/api/reconciliation/runs/${run2.id}/mapping`, MAPPING)).status).toBe(202);
    const done = await waitRun(billing, run2.id);
    expect(Object.fromEntries(Object.entries(done.summary).map(([k, v]) => [k, (v as { rows: number }).rows]))).toEqual({ matched: 7, duration_mismatch: 0, amount_mismatch: 0, only_theirs: 1, only_ours: 0 });
  });

  it("refuses unusable files with a 4xx and keeps the earlier upload", async () => {
    const run2 = (await billing.request("POST", "/api/reconciliation/runs", { carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-20" })).json;
    expect((await upload(billing, run2.id, "a,b\n1,2\n")).status).toBe(200);
    for (const [csv, status] of [
      ["", 400],
      ["Ref,CLD\n", 400],
      ['Ref,CLD\n"unclosed,1\n', 422],
    ] as const) {
      const r = await upload(billing, run2.id, csv);
      expect(r.status, csv).toBe(status);
    }
    expect((await upload(billing, run2.id, "x", "application/json")).status).toBe(415);
    expect(await countRows(t.pool, "reconciliation_upload_rows", `run_id = '${run2.id}'`)).toBe(1);
    expect((await billing.request("GET", `/api/reconciliation/runs/${run2.id}`)).json.header).toEqual(["a", "b"]);
  });

  it("refuses bad runs", async () => {
    const before = await countRows(t.pool, "reconciliation_runs");
    for (const body of [
      {},
      { carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20" },
      { carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-19" },
      { carrierId: tr.supplierCarrierId, currency: "EUR", periodFrom: "2026-11-20", periodTo: "2026-11-20" },
      { carrierId: tr.customerCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-20" },
      { carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-20", startToleranceS: -1 },
      { invoiceId: "00000000-0000-7000-8000-000000000000" },
    ]) {
      expect((await billing.request("POST", "/api/reconciliation/runs", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await countRows(t.pool, "reconciliation_runs")).toBe(before);
  });
});

describe("disputes", () => {
  let disputeId: string;
  it("opens from a run with the disputed amount and rows; the invoice is disputed", async () => {
    const results = (await billing.request("GET", `/api/reconciliation/runs/${runId}/results?class=duration_mismatch`)).json.rows;
    const r = await billing.request("POST", "/api/supplier-disputes", { runId, disputedAmount: "0.006", note: "call-D billed 2 minutes; our CDR is 30 s", resultSeqs: [results[0].seq] });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: "open", carrierId: tr.supplierCarrierId, invoiceId, invoiceNumber: "INV-2026-11", currency: "USD", disputedAmount: "0.006000", resultSeqs: [results[0].seq] });
    disputeId = r.json.id;
    expect((await billing.request("GET", `/api/supplier-invoices/${invoiceId}`)).json.status).toBe("disputed");
    expect((await billing.request("GET", `/api/supplier-disputes?runId=${runId}`)).json.total).toBe(1);
  });

  it("refuses bad disputes and resolutions", async () => {
    const before = await countRows(t.pool, "supplier_disputes");
    for (const body of [
      { runId, disputedAmount: "0", note: "x" },
      { runId, disputedAmount: "1", note: "" },
      { disputedAmount: "1", note: "x" },
      { runId, disputedAmount: "1", note: "x", resultSeqs: [9999] },
      { runId: "00000000-0000-7000-8000-000000000000", disputedAmount: "1", note: "x" },
    ]) {
      expect((await billing.request("POST", "/api/supplier-disputes", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await countRows(t.pool, "supplier_disputes")).toBe(before);
    expect((await billing.request("POST", `/api/supplier-disputes/${disputeId}/resolve`, { outcome: "agreed", agreedAmount: "0.007", note: "more" })).status).toBe(400);
    expect((await billing.request("POST", `/api/supplier-disputes/${disputeId}/resolve`, { outcome: "agreed", note: "no amount" })).status).toBe(400);
    expect((await billing.request("POST", `/api/supplier-disputes/${disputeId}/resolve`, { outcome: "settled", note: "x" })).status).toBe(400);
    expect((await billing.request("GET", `/api/supplier-disputes/${disputeId}`)).json.status).toBe("open");
  });

  it("agreeing posts the agreed credit to the supplier's payable once, with history", async () => {
    const before = await supplierBalance();
    // Our supplier costs: the period's 0.048 and the late call's 0.006.
    expect(before).toBe("-0.054000");
    expect((await billing.request("POST", `/api/supplier-disputes/${disputeId}/notes`, { note: "sent to their NOC" })).status).toBe(200);
    const r = await billing.request("POST", `/api/supplier-disputes/${disputeId}/resolve`, { outcome: "agreed", agreedAmount: "0.005", note: "they credit 0.005" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "agreed", agreedAmount: "0.005000" });
    expect(r.json.events.map((e: { action: string; toStatus: string }) => `${e.action}→${e.toStatus}`)).toEqual(["open→open", "note→open", "agreed→agreed"]);
    expect(await supplierBalance()).toBe("-0.049000");
    const transfer = (await billing.request("GET", `/api/ledger/transfers/${r.json.transferId}`)).json;
    expect(transfer).toMatchObject({ code: "adjustment", amount: "0.005000", debitAccount: { kind: "supplier" }, creditAccount: { kind: "cost_of_sales" }, referenceType: "supplier_dispute", referenceId: disputeId });
    // Resolving again is refused and posts nothing.
    const transfers = await countRows(t.pool, "ledger_transfers");
    expect((await billing.request("POST", `/api/supplier-disputes/${disputeId}/resolve`, { outcome: "agreed", agreedAmount: "0.005", note: "again" })).status).toBe(409);
    expect((await billing.request("POST", `/api/supplier-disputes/${disputeId}/resolve`, { outcome: "rejected", note: "again" })).status).toBe(409);
    expect(await countRows(t.pool, "ledger_transfers")).toBe(transfers);
    expect(await supplierBalance()).toBe("-0.049000");
    expect(await countRows(t.pool, "audit_events", `entity_id = '${disputeId}'`)).toBe(3);
    expect(await checkLedgerInvariants(t.db, { tenantId: admin.me.tenant.id })).toMatchObject({ ok: true });
  });

  it("rejecting or writing off posts nothing", async () => {
    const balance = await supplierBalance();
    for (const outcome of ["rejected", "written_off"]) {
      const d = (await billing.request("POST", "/api/supplier-disputes", { invoiceId, disputedAmount: "0.003", note: `call-E ${outcome}` })).json;
      const r = await billing.request("POST", `/api/supplier-disputes/${d.id}/resolve`, { outcome, note: "closing" });
      expect(r.json).toMatchObject({ status: outcome, agreedAmount: null, transferId: null });
    }
    expect(await supplierBalance()).toBe(balance);
  });
});

describe("tenant isolation and permissions", () => {
  it("another tenant's invoices, runs, results and disputes are 404 on every route", async () => {
    const dispute = (await billing.request("GET", "/api/supplier-disputes")).json.rows[0].id;
    const gets = [
      `/api/supplier-invoices/${invoiceId}`,
      `/api/reconciliation/runs/${runId}`,
      `/api/reconciliation/runs/${runId}/results`,
      `/api/reconciliation/runs/${runId}/destinations`,
      `/api/supplier-disputes/${dispute}`,
    ];
    for (const url of gets) expect((await acme.request("GET", url)).status, url).toBe(404);
    expect((await acme.request("PATCH", `/api/supplier-invoices/${invoiceId}`, { note: "x" })).status).toBe(404);
    expect((await acme.request("DELETE", `/api/supplier-invoices/${invoiceId}`)).status).toBe(404);
    expect((await upload(acme, runId, THEIRS)).status).toBe(404);
    expect((await acme.request("POST", `/api/reconciliation/runs/${runId}/mapping`, MAPPING)).status).toBe(404);
    expect((await acme.request("POST", `/api/supplier-disputes/${dispute}/notes`, { note: "x" })).status).toBe(404);
    expect((await acme.request("POST", `/api/supplier-disputes/${dispute}/resolve`, { outcome: "rejected", note: "x" })).status).toBe(404);
    // Naming another tenant's records in a body is a field error, never a link.
    expect((await acme.request("POST", "/api/reconciliation/runs", { invoiceId })).status).toBe(400);
    expect((await acme.request("POST", "/api/reconciliation/runs", { carrierId: tr.supplierCarrierId, currency: "USD", periodFrom: "2026-11-20", periodTo: "2026-11-20" })).status).toBe(400);
    expect((await acme.request("POST", "/api/supplier-disputes", { runId, disputedAmount: "1", note: "x" })).status).toBe(400);
    expect((await acme.request("POST", "/api/supplier-disputes", { invoiceId, disputedAmount: "1", note: "x" })).status).toBe(400);
    for (const url of ["/api/supplier-invoices", "/api/reconciliation/runs", "/api/supplier-disputes"]) expect((await acme.request("GET", url)).json.total, url).toBe(0);
  });

  it("read-only staff can look but not change", async () => {
    const ro = await login(t.app, "readonly@demo.didtron.local");
    expect((await ro.request("GET", `/api/reconciliation/runs/${runId}/results`)).status).toBe(200);
    expect((await ro.request("POST", "/api/supplier-invoices", invoice({ invoiceNumber: "RO" }))).status).toBe(403);
    expect((await upload(ro, runId, THEIRS)).status).toBe(403);
  });
});
