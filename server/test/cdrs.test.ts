import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";
import { rateBatch } from "../src/cdrs/rate.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { cdrOf, createTraffic, importAndApply, type Traffic } from "./cdrs-fixture.js";

/** CDR ingest (batch and CSV), idempotency, all-or-nothing, the rating job, rating errors and re-rating. */
let t: TestContext;
let admin: Session;
let acme: Session;
let tr: Traffic;

async function waitRated(timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await countRows(t.pool, "cdrs", "rating_status = 'pending'")) === 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("CDRs were not rated in time");
}

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tr = await createTraffic(admin.request);
});
afterAll(async () => t?.close());

const cdr = (over: Record<string, unknown> = {}) => cdrOf(tr, over);

/** The ledger transfers posted for CDRs of these call ids: code, amount and the reversed transfer's code. */
async function postingsOf(callIds: string[]) {
  const r = await t.pool.query<{ call_id: string; code: string; amount: string; key: string }>(
    `SELECT c.call_id, t.code, t.amount_micros::text AS amount, t.idempotency_key AS key
     FROM ledger_transfers t JOIN cdr_keys c ON c.tenant_id = t.tenant_id AND c.cdr_id::text = t.reference_id
     WHERE t.reference_type = 'cdr' AND c.call_id = ANY($1) ORDER BY t.created_at, t.idempotency_key`,
    [callIds],
  );
  return r.rows.map((x) => `${x.call_id} ${x.code} ${x.amount} ${x.key.replace(/^cdr:[^:]+:/, "")}`);
}

describe("CDR ingest and rating", () => {
  it("ingests a batch once however often it is sent, and rates it exactly (30/6 at 37 s = 42 s)", async () => {
    const batch = [
      cdr(),
      cdr({ callId: "call-2", answerAt: null, durationS: 0, sipStatus: 486, q850Cause: 17, disposition: "busy", egressInterconnectId: tr.egressId }),
      cdr({ callId: "call-3", calledNumber: "7777#33123456789" }), // no service has tech prefix 7777#
    ];
    const first = await admin.request("POST", "/api/cdrs/batch", { cdrs: batch });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ received: 3, inserted: 3, duplicates: 0 });
    for (let i = 0; i < 2; i++) {
      const again = await admin.request("POST", "/api/cdrs/batch", { cdrs: batch });
      expect(again.json).toMatchObject({ received: 3, inserted: 0, duplicates: 3 });
      expect(again.json.message).toMatch(/nothing changed/);
    }
    expect(await countRows(t.pool, "cdrs", "call_id LIKE 'call-%'")).toBe(3);
    await waitRated();

    const list = await admin.request("GET", "/api/cdrs?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&sort=startAt:asc");
    expect(list.status).toBe(200);
    const byCall = Object.fromEntries(list.json.rows.map((r: { callId: string }) => [r.callId, r]));
    expect(byCall["call-1"]).toMatchObject({
      serviceId: tr.serviceId,
      serviceName: "CDR svc",
      customerCarrierId: tr.customerCarrierId,
      supplierCarrierId: tr.supplierCarrierId,
      calledNumber: "442071234567",
      calledRaw: "9001#442071234567",
      callingNumber: "12125550100",
      ratingStatus: "rated",
      customerPrefix: "4420",
      customerRate: "0.010000",
      customerBillableS: 42,
      customerCost: "0.007000",
      supplierPrefix: "44",
      supplierBillableS: 60,
      supplierCost: "0.006000",
      margin: "0.001000",
    });
    expect(byCall["call-2"]).toMatchObject({ ratingStatus: "rated", customerCost: "0.000000", supplierCost: "0.000000", disposition: "busy" });
    expect(byCall["call-3"]).toMatchObject({ ratingStatus: "error", serviceId: null, customerCarrierId: tr.customerCarrierId });
    expect(byCall["call-3"].ratingError).toMatch(/unknown service/);

    const one = await admin.request("GET", `/api/cdrs/${byCall["call-1"].id}`);
    expect(one.json.customerCost).toBe("0.007000");
    // Posted once, in the rating transaction: the customer charged, the supplier owed. Free attempts and errors post nothing.
    expect(await postingsOf(["call-1", "call-2", "call-3"])).toEqual(["call-1 call_charge 7000 v0:customer", "call-1 supplier_cost 6000 v0:supplier"]);
    const summary = await admin.request("GET", "/api/cdrs/rating-errors/summary");
    expect(summary.json[0]).toMatchObject({ count: 1 });
    expect(summary.json[0].reason).toMatch(/unknown service/);
  });

  it("rejects a batch with any bad row, listing every one, and writes nothing", async () => {
    const before = await countRows(t.pool, "cdrs");
    const batches = await countRows(t.pool, "cdr_batches");
    const r = await admin.request("POST", "/api/cdrs/batch", {
      cdrs: [
        cdr({ callId: "bad-ok" }),
        cdr({ callId: "bad-1", endAt: "2026-11-20T09:00:00Z" }),
        cdr({ callId: "bad-2", durationS: -4 }),
        { nonsense: true },
        cdr({ callId: "bad-3", disposition: "busy" }),
      ],
    });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe("cdrs_rejected");
    expect(Object.keys(r.json.error.fields).sort()).toEqual(["row 2", "row 3", "row 4", "row 5"]);
    expect(r.json.error.fields["row 2"][0]).toMatch(/endAt: is before startAt/);
    expect(await countRows(t.pool, "cdrs")).toBe(before);
    expect(await countRows(t.pool, "cdr_batches")).toBe(batches);
    for (const body of [{}, { cdrs: [] }, { cdrs: "x" }, []]) expect((await admin.request("POST", "/api/cdrs/batch", body)).status).toBe(400);
  });

  it("ingests a streamed CSV file, and rejects a file with a bad line by line number", async () => {
    const header = "switch_id,call_id,attempt,service_id,egress_interconnect_id,calling_number,called_number,start_at,answer_at,end_at,duration_s,sip_status,disposition";
    const line = (id: string, dur: string) => `sw1,${id},1,${tr.serviceId},${tr.egressId},+12125550100,9001#441612345678,2026-11-21T08:00:00Z,2026-11-21T08:00:01Z,2026-11-21T08:02:01Z,${dur},200,answered`;
    const good = `${header}\n${line("csv-1", "120")}\n${line("csv-2", "61")}\n`;
    const send = (csv: string) => t.app.inject({ method: "POST", url: "/api/cdrs/upload?fileName=day.csv", headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "text/csv" }, payload: csv });
    const ok = await send(good);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ received: 2, inserted: 2 });
    expect((await send(good)).json()).toMatchObject({ inserted: 0, duplicates: 2 });
    const before = await countRows(t.pool, "cdrs");
    const bad = await send(`${header}\n${line("csv-3", "5")}\n${line("csv-4", "abc")}\n${line("csv-5", "7")}\nsw1,csv-6\n`);
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(bad.json().error.fields)).toEqual(["line 3", "line 5"]);
    expect(await countRows(t.pool, "cdrs")).toBe(before);
    await waitRated();
    const r = await t.pool.query("SELECT customer_billable_s, customer_cost_micros::text AS cost FROM cdrs WHERE call_id = 'csv-2'");
    // 61 s at 30/6 → 66 s × 0.015/min = 0.0165
    expect(r.rows[0]).toEqual({ customer_billable_s: 66, cost: "16500" });
  });

  it("streams a file of several chunks: a bad line in a later chunk rejects all of it; quoted fields; then it is ingested once", async () => {
    const header = "call_id;switch_id;service_id;egress_interconnect_id;calling_number;called_number;start_at;answer_at;end_at;duration_s;sip_status;disposition;codec";
    const n = 12_000; // three chunks of the upload path (5 000 rows each)
    const line = (i: number, dur = "30") =>
      `big-${i};sw1;${tr.serviceId};${tr.egressId};"+1 212; 555""0100";9001#441612345678;2026-11-21T09:00:00Z;2026-11-21T09:00:01Z;2026-11-21T09:00:31Z;${dur};200;answered;"G.711, A"`;
    const body = (bad: number | null) => `${header}\r\n${Array.from({ length: n }, (_, i) => line(i, i === bad ? "-5" : "30")).join("\r\n")}\r\n`;
    const send = (csv: string) => t.app.inject({ method: "POST", url: "/api/cdrs/upload", headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "text/csv" }, payload: csv });
    const before = await countRows(t.pool, "cdrs");
    const rejected = await send(body(11_000));
    expect(rejected.statusCode).toBe(422);
    expect(Object.keys(rejected.json().error.fields)).toEqual(["line 11002"]); // the header is line 1
    expect(await countRows(t.pool, "cdrs")).toBe(before);
    const ok = await send(body(null));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ received: n, inserted: n });
    expect((await send(body(null))).json()).toMatchObject({ inserted: 0, duplicates: n });
    const r = await t.pool.query("SELECT calling_raw, calling_number, codec FROM cdrs WHERE call_id = 'big-11999'");
    expect(r.rows).toEqual([{ calling_raw: '+1 212; 555"0100', calling_number: "12125550100", codec: "G.711, A" }]);
    await waitRated();
  });

  it("re-rates rating errors after the deck is fixed", async () => {
    const france = cdr({ callId: "fr-1", calledNumber: "9001#33123456789", startAt: "2026-11-19T10:00:00Z", answerAt: "2026-11-19T10:00:02Z", endAt: "2026-11-19T10:01:02Z", durationS: 60 });
    expect((await admin.request("POST", "/api/cdrs/batch", { cdrs: [france] })).json.inserted).toBe(1);
    await waitRated();
    const before = await t.pool.query("SELECT rating_status, rating_error FROM cdrs WHERE call_id = 'fr-1'");
    expect(before.rows[0].rating_status).toBe("error");
    expect(before.rows[0].rating_error).toMatch(/no customer rate for 33123456789 in CDR sell/);
    await importAndApply(admin.request, tr.customerPlanId, "prefix,destination,rate,effective_date\n33,France,0.0200,2024-01-01\n");
    await importAndApply(admin.request, tr.supplierPlanId, "prefix,destination,rate,effective_date\n33,France,0.0120,2024-01-01\n");
    const rr = await admin.request("POST", "/api/cdrs/rerate", { from: "2026-11-19T00:00:00Z", to: "2026-11-22T00:00:00Z", onlyErrors: true });
    expect(rr.status, JSON.stringify(rr.json)).toBe(202);
    expect(rr.json.count).toBe(2); // fr-1 and call-3 (unknown service)
    await waitRated();
    const after = await t.pool.query("SELECT call_id, rating_status, rating_version, customer_cost_micros::text AS c, supplier_cost_micros::text AS s FROM cdrs WHERE call_id IN ('fr-1', 'call-3') ORDER BY call_id");
    expect(after.rows).toEqual([
      { call_id: "call-3", rating_status: "error", rating_version: 1, c: null, s: null },
      // 60 s at 30/6 → 60 s × 0.02 = 0.02; supplier 60/60 × 0.012
      { call_id: "fr-1", rating_status: "rated", rating_version: 1, c: "20000", s: "12000" },
    ]);
    const audit = await t.pool.query("SELECT after FROM audit_events WHERE action = 'cdrs.rerate' ORDER BY created_at DESC LIMIT 1");
    expect(audit.rows[0].after).toMatchObject({ count: 2, onlyErrors: true });
    for (const bad of [{ from: "2026-11-22T00:00:00Z", to: "2026-11-20T00:00:00Z" }, { from: "yesterday", to: "2026-11-20T00:00:00Z" }, { from: "2026-11-22T00:00:00Z" }]) {
      expect((await admin.request("POST", "/api/cdrs/rerate", bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("re-rating after a deck correction reverses the old postings and posts the new ones, never editing", async () => {
    await importAndApply(admin.request, tr.customerPlanId, "prefix,destination,rate,effective_date\n4420,UK London,0.0080,2024-01-01\n");
    const rr = await admin.request("POST", "/api/cdrs/rerate", { from: "2026-11-20T00:00:00Z", to: "2026-11-20T23:59:59Z", carrierId: tr.customerCarrierId, onlyErrors: false });
    expect(rr.status).toBe(202);
    await waitRated();
    const row = await t.pool.query("SELECT rating_version, posted_version, customer_cost_micros::text AS c FROM cdrs WHERE call_id = 'call-1'");
    // A decrease (an increase would need notice): 42 s × 0.008/min = 0.0056
    expect(row.rows[0]).toEqual({ rating_version: 1, posted_version: 1, c: "5600" });
    expect(await postingsOf(["call-1"])).toEqual([
      "call-1 call_charge 7000 v0:customer",
      "call-1 supplier_cost 6000 v0:supplier",
      "call-1 call_charge 5600 v1:customer",
      "call-1 reversal 7000 v1:customer:reverses-v0",
      "call-1 supplier_cost 6000 v1:supplier",
      "call-1 reversal 6000 v1:supplier:reverses-v0",
    ]);
    const check = await checkLedgerInvariants(t.db, { tenantId: admin.me.tenant.id });
    expect(check.problems).toEqual([]);
    // The customer owes exactly the corrected amount for the call.
    const net = await t.pool.query(
      `SELECT coalesce(sum(CASE WHEN t.code = 'call_charge' THEN t.amount_micros ELSE 0 END), 0)::text AS charged,
              coalesce(sum(CASE WHEN t.code = 'reversal' AND t.idempotency_key LIKE '%:customer:%' THEN t.amount_micros ELSE 0 END), 0)::text AS reversed
       FROM ledger_transfers t JOIN cdr_keys c ON c.cdr_id::text = t.reference_id WHERE c.call_id = 'call-1'`,
    );
    expect(BigInt(net.rows[0].charged) - BigInt(net.rows[0].reversed)).toBe(5600n);
  });

  it("two workers in parallel rate each CDR once", async () => {
    const many = Array.from({ length: 3000 }, (_, i) => cdr({ switchId: "sw-par", callId: `par-${i}`, durationS: 30 + (i % 50) }));
    // Ingest without letting the job run first: rate directly with two concurrent workers.
    await t.jobs.stop();
    const r = await admin.request("POST", "/api/cdrs/batch", { cdrs: many });
    expect(r.json.inserted).toBe(3000);
    const [a, b] = await Promise.all([
      (async () => {
        let n = 0;
        for (let x; (x = await rateBatch(t.pool, { tenantId: admin.me.tenant.id, limit: 500 })).taken; ) n += x.taken;
        return n;
      })(),
      (async () => {
        let n = 0;
        for (let x; (x = await rateBatch(t.pool, { tenantId: admin.me.tenant.id, limit: 500 })).taken; ) n += x.taken;
        return n;
      })(),
    ]);
    expect(a + b).toBe(3000);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(await countRows(t.pool, "cdrs", "switch_id = 'sw-par' AND rating_status = 'rated'")).toBe(3000);
    // …and posted each once: a charge and a supplier cost per CDR.
    const posted = await t.pool.query("SELECT count(*)::int AS n, count(DISTINCT reference_id)::int AS cdrs FROM ledger_transfers t JOIN cdr_keys c ON c.cdr_id::text = t.reference_id WHERE c.switch_id = 'sw-par'");
    expect(posted.rows[0]).toEqual({ n: 6000, cdrs: 3000 });
    expect((await checkLedgerInvariants(t.db, { tenantId: admin.me.tenant.id })).problems).toEqual([]);
  });
});

describe("CDR boundaries", () => {
  it("another tenant cannot see, fetch or reference this tenant's CDRs and services", async () => {
    const mine = (await admin.request("GET", "/api/cdrs?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")).json.rows[0];
    expect((await acme.request("GET", `/api/cdrs/${mine.id}`)).status).toBe(404);
    expect((await acme.request("GET", "/api/cdrs?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")).json.total).toBe(0);
    const before = await countRows(t.pool, "cdrs");
    const cross = await acme.request("POST", "/api/cdrs/batch", { cdrs: [cdr({ switchId: "acme", serviceId: tr.serviceId, ingressInterconnectId: null, egressInterconnectId: null })] });
    expect(cross.status).toBe(422);
    expect(cross.json.error.fields["row 1"][0]).toMatch(/no service/);
    expect(await countRows(t.pool, "cdrs")).toBe(before);
  });

  it("portal users and anonymous callers are refused", async () => {
    const portal = await login(t.app, "customer@demo.didtron.local");
    expect((await portal.request("GET", "/api/cdrs")).status).toBe(403);
    expect((await portal.request("POST", "/api/cdrs/batch", { cdrs: [cdr()] })).status).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/cdrs" })).statusCode).toBe(401);
  });
});
