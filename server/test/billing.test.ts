import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateBatch } from "../src/cdrs/rate.js";
import { checkLedgerInvariants } from "../src/ledger/check.js";
import { inTransaction } from "../src/platform/db/client.js";
import { systemActor } from "../src/audit/audit.js";
import { generateInvoice, issueInvoice } from "../src/billing/invoices.js";
import { invoiceCyclesJob } from "../src/billing/job.js";
import { getInvoiceDocument } from "../src/billing/document.js";
import { formatMoney, parseMoney } from "../src/platform/money.js";
import { cdrOf, createTraffic, importAndApply, type Traffic } from "./cdrs-fixture.js";
import { countRows, createTestApp, login, type Session, type TestContext } from "./harness.js";

let t: TestContext;
let admin: Session;
let billing: Session;
let acme: Session;
let tr: Traffic;
let tenantId: string;
const carrier = () => tr.customerCarrierId;

const m = (s: string) => parseMoney(s);
/** The customer account's balance (credits − debits) in micros, from the ledger. */
async function customerBalance(carrierId: string, currency = "USD"): Promise<bigint> {
  const r = await t.pool.query<{ b: string }>(
    "SELECT coalesce(sum(credits_posted_micros - debits_posted_micros), 0)::text AS b FROM ledger_accounts WHERE tenant_id = $1 AND kind = 'customer' AND carrier_id = $2 AND currency = $3",
    [tenantId, carrierId, currency],
  );
  return BigInt(r.rows[0]!.b);
}
async function ingest(cdrs: object[]) {
  const r = await admin.request("POST", "/api/cdrs/batch", { cdrs });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  while ((await rateBatch(t.pool, { tenantId })).taken);
}
/** Calls of the day `day` (2026-11-DD): London and UK numbers with durations giving sub-cent costs. */
const callsOn = (day: number, n: number, over: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => {
    const d = String(day).padStart(2, "0");
    const s = 7 + i * 13;
    return cdrOf(tr, {
      callId: `d${day}-${i}-${JSON.stringify(over).length}`,
      calledNumber: i % 2 ? "9001#442071234567" : "9001#441632960000",
      startAt: `2026-11-${d}T10:00:00Z`,
      answerAt: `2026-11-${d}T10:00:01Z`,
      endAt: `2026-11-${d}T10:${String(Math.floor((s + 1) / 60)).padStart(2, "0")}:${String((s + 1) % 60).padStart(2, "0")}Z`,
      durationS: s,
      ...over,
    });
  });
const cdrCostSum = async (invoiceId: string) =>
  BigInt(
    (
      await t.pool.query<{ s: string }>(
        "SELECT coalesce(sum(c.customer_cost_micros), 0)::text AS s FROM invoice_cdrs ic JOIN cdrs c ON c.id = ic.cdr_id AND c.start_at = ic.start_at WHERE ic.invoice_id = $1",
        [invoiceId],
      )
    ).rows[0]!.s,
  );

/** A customer carrier (primary currency `primary`) with an ingress trunk and a service on the USD sell plan. */
async function customerOn(name: string, primary: string, trunkCurrency: string, address: string, techPrefix: string) {
  const carrierId = (await admin.request("POST", "/api/carriers", { name, type: "customer", primaryCurrency: primary, ...(primary !== trunkCurrency && { currency2: trunkCurrency }) })).json.id;
  const ingress = await admin.request("POST", `/api/carriers/${carrierId}/interconnects`, { name: `${name} in`, direction: "ingress", currency: trunkCurrency, addresses: [{ address, port: null }] });
  expect(ingress.status, JSON.stringify(ingress.json)).toBe(201);
  const svc = await admin.request("POST", `/api/interconnects/${ingress.json.id}/services`, { name: `${name} svc`, techPrefix, ratingPlanId: tr.customerPlanId });
  expect(svc.status, JSON.stringify(svc.json)).toBe(201);
  return { carrierId, ingressId: ingress.json.id as string };
}

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  billing = await login(t.app, "billing@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tenantId = admin.me.tenant.id;
  tr = await createTraffic(admin.request, "Bill");
  expect((await billing.request("POST", "/api/billing/tax-rates", { code: "VAT20", name: "VAT 20 %", rate: "20" })).status).toBe(201);
  expect((await admin.request("PATCH", `/api/carriers/${carrier()}`, { taxCode: "VAT20", billTo: "1 Test Street" })).status).toBe(200);
  const put = await billing.request("PUT", `/api/billing/settings/${carrier()}`, { billingModel: "wholesaler", cycle: "daily", paymentTermsDays: 15 });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const days = [];
  for (let day = 1; day <= 22; day++) days.push(...callsOn(day, 3));
  await ingest(days);
}, 120_000);
afterAll(async () => t?.close());

describe("tax rates and settings", () => {
  it("CRUD is audited, codes are unique, bad input writes nothing", async () => {
    const r = await billing.request("POST", "/api/billing/tax-rates", { code: "GST", name: "GST", rate: "7.5" });
    expect(r.json).toMatchObject({ code: "GST", rate: "7.5" });
    expect((await billing.request("PATCH", `/api/billing/tax-rates/${r.json.id}`, { rate: "8" })).json.rate).toBe("8");
    expect((await billing.request("POST", "/api/billing/tax-rates", { code: "gst", name: "again", rate: "1" })).status).toBe(409);
    const before = await countRows(t.pool, "tax_rates");
    for (const body of [{ code: "X", name: "X", rate: "101" }, { code: "X", name: "X", rate: "1.23456" }, { code: "", name: "X", rate: "1" }, { code: "X y", name: "X", rate: "1" }]) {
      expect((await billing.request("POST", "/api/billing/tax-rates", body)).status).toBe(400);
    }
    expect(await countRows(t.pool, "tax_rates")).toBe(before);
    expect((await billing.request("DELETE", `/api/billing/tax-rates/${r.json.id}`)).status).toBe(200);
    expect((await billing.request("GET", `/api/billing/tax-rates/${r.json.id}`)).status).toBe(404);
    expect(await countRows(t.pool, "audit_events", `entity_id = '${r.json.id}'`)).toBe(3);
    // The deleted rate waits in the Recycle Bin; its code taken meanwhile blocks the restore.
    expect((await admin.request("GET", "/api/recycle-bin?entityType=tax_rate")).json.rows.map((x: { id: string; title: string }) => [x.id, x.title])).toEqual([[r.json.id, "GST"]]);
    const taken = await billing.request("POST", "/api/billing/tax-rates", { code: "GST", name: "GST new", rate: "9" });
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "tax_rate", id: r.json.id })).status).toBe(409);
    expect((await billing.request("DELETE", `/api/billing/tax-rates/${taken.json.id}`)).status).toBe(200);
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "tax_rate", id: r.json.id })).status).toBe(200);
    expect((await billing.request("GET", `/api/billing/tax-rates/${r.json.id}`)).json).toMatchObject({ code: "GST", rate: "8" });
    expect((await acme.request("POST", "/api/recycle-bin/restore", { entityType: "tax_rate", id: taken.json.id })).status).toBe(404);
  });

  it("settings: defaults until saved, validated, and another tenant's carrier is 404", async () => {
    const s = (await billing.request("GET", `/api/billing/settings/${carrier()}`)).json;
    expect(s).toMatchObject({ billingModel: "wholesaler", prepaid: false, cycle: "daily", paymentTermsDays: 15, taxCode: "VAT20", taxRate: "20", saved: true });
    expect((await billing.request("GET", `/api/billing/settings/${tr.supplierCarrierId}`)).json.saved).toBe(false);
    expect((await billing.request("PUT", `/api/billing/settings/${carrier()}`, { billingModel: "x", cycle: "daily", paymentTermsDays: 1 })).status).toBe(400);
    expect((await billing.request("PUT", `/api/billing/settings/${carrier()}`, { billingModel: "enterprise", cycle: "weekly", cycleStartDay: 9, paymentTermsDays: 1 })).status).toBe(400);
    expect((await billing.request("PUT", `/api/billing/settings/${carrier()}`, { billingModel: "enterprise", cycle: "custom", paymentTermsDays: 1 })).status).toBe(400);
    expect((await billing.request("PUT", `/api/billing/settings/${tr.supplierCarrierId}`, { billingModel: "enterprise", cycle: "daily", paymentTermsDays: 1 })).status).toBe(400);
    expect((await acme.request("GET", `/api/billing/settings/${carrier()}`)).status).toBe(404);
    expect((await acme.request("PUT", `/api/billing/settings/${carrier()}`, { billingModel: "enterprise", cycle: "daily", paymentTermsDays: 1 })).status).toBe(404);
    expect((await billing.request("GET", `/api/billing/settings/${carrier()}`)).json.cycle).toBe("daily");
  });
});

describe("invoices", () => {
  let first: { id: string; total: string };

  it("a generated draft bills the period's calls: total = Σ call costs + rounding + tax, with the rounding as a line", async () => {
    const before = await customerBalance(carrier());
    const r = await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-21" });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toMatchObject({ status: "draft", number: null, firstDay: "2026-11-21", lastDay: "2026-11-21", taxCode: "VAT20", currency: "USD" });
    const d = (await billing.request("GET", `/api/invoices/${r.json.id}`)).json;
    expect(d.cdrCount).toBe(3);
    const sum = await cdrCostSum(r.json.id);
    expect(m(d.usage)).toBe(sum);
    expect(m(d.usage) + m(d.rounding)).toBe(m(d.subtotal));
    expect(m(d.subtotal) % 10_000n).toBe(0n);
    expect(m(d.tax)).toBe(((m(d.subtotal) * 2n + 10n * 10_000n / 2n) / (10n * 10_000n)) * 10_000n); // 20 %, half up, to the cent
    expect(m(d.total)).toBe(m(d.subtotal) + m(d.tax));
    const usage = d.lines.filter((l: { kind: string }) => l.kind === "usage");
    expect(usage.map((l: { destination: string }) => l.destination)).toEqual(["UK London", "United Kingdom"]);
    expect(usage.reduce((a: bigint, l: { amount: string }) => a + m(l.amount), 0n)).toBe(sum);
    if (m(d.rounding) !== 0n) expect(d.lines.at(-1)).toMatchObject({ kind: "rounding", destination: "Rounding", amount: d.rounding });
    // A draft posts nothing.
    expect(await customerBalance(carrier())).toBe(before);

    const issued = await billing.request("POST", `/api/invoices/${r.json.id}/issue`);
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    expect(issued.json).toMatchObject({ status: "issued", number: 1, dueOn: expect.any(String) });
    // The customer account moves by exactly total − usage already posted (tax + rounding).
    expect(await customerBalance(carrier())).toBe(before - m(d.rounding) - m(d.tax));
    const transfers = (await billing.request("GET", `/api/ledger/transfers?q=${r.json.id}`)).json.rows;
    expect(transfers.every((x: { code: string }) => x.code === "invoice")).toBe(true);
    expect(transfers.length).toBe(Number(m(d.rounding) !== 0n) + Number(m(d.tax) !== 0n));
    expect((await billing.request("POST", `/api/invoices/${r.json.id}/issue`)).status).toBe(409);
    expect(await countRows(t.pool, "audit_events", `entity_id = '${r.json.id}'`)).toBe(2);
    first = issued.json;

    const doc = await getInvoiceDocument(t.db, { tenantId, id: r.json.id });
    expect(doc).toMatchObject({ kind: "invoice", number: "INV-1", currency: "USD", minorUnitDigits: 2, buyer: { name: "Bill Customer", address: "1 Test Street" }, seller: { branding: { brandName: "DIDTron" } } });
    expect(doc.totals.total).toBe(d.total.replace(/0000$/, ""));
  });

  it("a period is invoiced once and nothing billable is 422; bad input is 400 and writes nothing", async () => {
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-21" })).status).toBe(409);
    const before = await countRows(t.pool, "invoices");
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-10-02" })).status).toBe(422);
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2099-01-01" })).status).toBe(400);
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "21/11/2026" })).status).toBe(400);
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: "nope" })).status).toBe(400);
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: tr.supplierCarrierId })).status).toBe(400);
    expect((await acme.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-20" })).status).toBe(400);
    expect(await countRows(t.pool, "invoices")).toBe(before);
  });

  it("a failed issue does not burn a number; 20 parallel issues take the next 20 numbers without gaps or duplicates", async () => {
    const actor = systemActor(tenantId, "test");
    const drafts: string[] = [];
    for (let day = 1; day <= 20; day++) drafts.push((await inTransaction(t.pool, (tx) => generateInvoice(tx, actor, { carrierId: carrier(), periodDate: `2026-11-${String(day).padStart(2, "0")}`, issue: false }))).id);
    // Issued, then the transaction fails: its number goes back.
    await expect(
      inTransaction(t.pool, async (tx) => {
        const inv = await issueInvoice(tx, actor, drafts[0]!);
        expect(inv.number).toBe(2);
        throw new Error("boom after numbering");
      }),
    ).rejects.toThrow("boom");
    const results = await Promise.all(drafts.map((id) => billing.request("POST", `/api/invoices/${id}/issue`)));
    expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const numbers = results.map((r) => r.json.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });

  it("lists with filters, sort and pagination", async () => {
    const all = (await billing.request("GET", `/api/invoices?carrierId=${carrier()}&sort=number:asc&pageSize=5`)).json;
    expect(all.total).toBe(21);
    expect(all.rows.map((r: { number: number }) => r.number)).toEqual([1, 2, 3, 4, 5]);
    expect((await billing.request("GET", "/api/invoices?number=1")).json.rows[0].firstDay).toBe("2026-11-21");
    expect((await billing.request("GET", "/api/invoices?from=2026-11-10&to=2026-11-12")).json.total).toBe(3);
    expect((await billing.request("GET", "/api/invoices?status=draft")).json.total).toBe(0);
    expect((await billing.request("GET", "/api/invoices?status=bogus")).status).toBe(400);
    expect((await acme.request("GET", "/api/invoices")).json.total).toBe(0);
    expect((await acme.request("GET", `/api/invoices/${first.id}`)).status).toBe(404);
    expect((await acme.request("GET", `/api/invoices/${first.id}/allocations`)).status).toBe(404);
    expect((await acme.request("POST", `/api/invoices/${first.id}/issue`)).status).toBe(404);
    expect((await acme.request("POST", `/api/invoices/${first.id}/void`, { reason: "x" })).status).toBe(404);
  });

  it("a recorded payment pays open invoices oldest due first (partially, then fully); a reversed payment un-pays them", async () => {
    const inv = (await billing.request("GET", `/api/invoices?number=1`)).json.rows[0];
    const pay = async (amount: string) => {
      const r = await billing.request("POST", "/api/payments", { carrierId: carrier(), direction: "customer", method: "bank_transfer", paidOn: "2026-11-24", amount, currency: "USD" });
      expect(r.status).toBe(201);
      return r.json.transferId as string;
    };
    await pay("0.01");
    const after = (await billing.request("GET", `/api/invoices/${inv.id}`)).json;
    expect(after).toMatchObject({ status: "partially_paid", paid: "0.010000" });
    const bounced = await pay(inv.total);
    expect((await billing.request("GET", `/api/invoices/${inv.id}`)).json).toMatchObject({ status: "paid", outstanding: "0.000000" });
    const allocs = (await billing.request("GET", `/api/invoices/${inv.id}/allocations`)).json.rows;
    expect(allocs.reduce((a: bigint, x: { amount: string }) => a + m(x.amount), 0n)).toBe(m(inv.total));
    // The second payment bounces: its reversal takes back what it paid, the first 0.01 still counts.
    expect((await billing.request("POST", `/api/ledger/transfers/${bounced}/reverse`, { reason: "cheque bounced" })).status).toBe(201);
    expect((await billing.request("GET", `/api/invoices/${inv.id}`)).json).toMatchObject({ status: "partially_paid", paid: "0.010000" });
    await pay(inv.total);
    expect((await billing.request("GET", `/api/invoices/${inv.id}`)).json).toMatchObject({ status: "paid", outstanding: "0.000000" });
    // The explicit allocate finds nothing left to do.
    expect((await billing.request("POST", "/api/invoices/allocate", { carrierId: carrier(), currency: "USD" })).json.allocations).toBe(0);
  });

  it("voiding reverses its postings and releases its calls for a new invoice", async () => {
    const inv = (await billing.request("GET", `/api/invoices?number=5`)).json.rows[0];
    const before = await customerBalance(carrier());
    const v = await billing.request("POST", `/api/invoices/${inv.id}/void`, { reason: "wrong period" });
    expect(v.json).toMatchObject({ status: "void", number: 5, voidReason: "wrong period" });
    expect(await customerBalance(carrier())).toBe(before + m(inv.rounding) + m(inv.tax));
    expect((await billing.request("POST", `/api/invoices/${inv.id}/void`, { reason: "again" })).status).toBe(409);
    expect((await billing.request("POST", `/api/invoices/${inv.id}/void`, {})).status).toBe(400);
    const again = await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: inv.firstDay, issue: true });
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ number: 22, total: inv.total });
    expect(await customerBalance(carrier())).toBe(before);
  });

  it("credit notes: partial then the rest, never more; revenue and tax back to the customer", async () => {
    const inv = (await billing.request("GET", `/api/invoices?number=3`)).json.rows[0];
    const before = await customerBalance(carrier());
    const part = await billing.request("POST", "/api/credit-notes", { invoiceId: inv.id, amount: "0.01", reason: "quality" });
    expect(part.status, JSON.stringify(part.json)).toBe(201);
    expect(part.json).toMatchObject({ number: 1, total: "0.010000", invoiceNumber: 3 });
    expect(m(part.json.net) + m(part.json.tax)).toBe(10_000n);
    const written = await countRows(t.pool, "credit_notes");
    for (const body of [{ invoiceId: inv.id, amount: "0.001", reason: "x" }, { invoiceId: inv.id, amount: "999", reason: "x" }, { invoiceId: inv.id, amount: "-1", reason: "x" }]) {
      expect([400, 422]).toContain((await billing.request("POST", "/api/credit-notes", body)).status);
    }
    expect((await billing.request("POST", "/api/credit-notes", { invoiceId: inv.id, reason: "" })).status).toBe(400);
    expect((await acme.request("POST", "/api/credit-notes", { invoiceId: inv.id, reason: "x" })).status).toBe(400);
    expect(await countRows(t.pool, "credit_notes")).toBe(written);
    const rest = await billing.request("POST", "/api/credit-notes", { invoiceId: inv.id, reason: "full credit" });
    expect(rest.json.number).toBe(2);
    expect(m(part.json.total) + m(rest.json.total)).toBe(m(inv.total));
    expect(m(part.json.tax) + m(rest.json.tax)).toBe(m(inv.tax));
    expect(await customerBalance(carrier())).toBe(before + m(inv.total));
    expect((await billing.request("POST", "/api/credit-notes", { invoiceId: inv.id, reason: "more" })).status).toBe(422);
    expect((await billing.request("POST", `/api/invoices/${inv.id}/void`, { reason: "x" })).status).toBe(409);
    expect((await billing.request("GET", `/api/credit-notes?invoiceId=${inv.id}&sort=number:asc`)).json.rows.map((n: { number: number }) => n.number)).toEqual([1, 2]);
    expect((await acme.request("GET", `/api/credit-notes/${rest.json.id}`)).status).toBe(404);
    expect((await acme.request("GET", "/api/credit-notes")).json.total).toBe(0);
    expect((await billing.request("GET", `/api/ledger/transfers?q=${rest.json.id}`)).json.rows.every((x: { code: string }) => x.code === "credit_note")).toBe(true);
  });

  it("the statement closes at the ledger balance: opening + lines = closing", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const s = await billing.request("GET", `/api/statements?carrierId=${carrier()}&from=${today}&to=${today}`);
    expect(s.status, JSON.stringify(s.json)).toBe(200);
    const side = s.json.sides[0];
    expect(side.account).toBe("customer");
    expect(m(side.opening)).toBe(0n);
    expect(m(side.closing)).toBe(await customerBalance(carrier()));
    expect(side.lines.reduce((a: bigint, l: { amount: string }) => a + m(l.amount), m(side.opening))).toBe(m(side.closing));
    const kinds = new Set(side.lines.map((l: { kind: string }) => l.kind));
    for (const k of ["invoice", "usage_not_invoiced", "payment", "credit_note"]) expect(kinds).toContain(k);
    expect(side.lines.some((l: { description: string }) => l.description.endsWith("voided"))).toBe(true);
    // Day 22 was never invoiced: it is the usage line.
    const day22 = (await t.pool.query<{ s: string }>("SELECT sum(customer_cost_micros)::text AS s FROM cdrs WHERE customer_carrier_id = $1 AND start_at >= '2026-11-22' ", [carrier()])).rows[0]!.s;
    expect(m(side.lines.find((l: { kind: string }) => l.kind === "usage_not_invoiced").amount)).toBe(-BigInt(day22));
    // A period before anything happened is empty and closes at zero.
    expect((await billing.request("GET", `/api/statements?carrierId=${carrier()}&from=2020-01-01&to=2020-01-31`)).json.sides[0]).toMatchObject({ opening: "0.000000", closing: "0.000000", lines: [] });
    expect((await billing.request("GET", `/api/statements?carrierId=${carrier()}&from=2026-02-01&to=2026-01-01`)).status).toBe(400);
    expect((await billing.request("GET", `/api/statements?carrierId=${carrier()}`)).status).toBe(400);
    expect((await acme.request("GET", `/api/statements?carrierId=${carrier()}&from=${today}&to=${today}`)).status).toBe(400);
  });

  it("late calls of an invoiced period go on the next invoice, on lines of their own; calls of a never-invoiced period do not", async () => {
    // Two calls of 4 November (invoiced already) and one of 15 October (never invoiced) arrive late.
    await ingest([...callsOn(4, 2, { switchId: "late" }), ...callsOn(4, 1, { switchId: "late", startAt: "2026-10-15T10:00:00Z", answerAt: "2026-10-15T10:00:01Z", endAt: "2026-10-15T10:00:08Z", durationS: 7 })]);
    const late = await t.pool.query<{ s: string }>("SELECT sum(customer_cost_micros)::text AS s FROM cdrs WHERE switch_id = 'late' AND start_at >= '2026-11-01'");
    const r = await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-22" });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const d = (await billing.request("GET", `/api/invoices/${r.json.id}`)).json;
    expect(d.cdrCount).toBe(3 + 2);
    const lateLines = d.lines.filter((l: { destination: string }) => l.destination.endsWith(" (earlier period)"));
    expect(lateLines.map((l: { destination: string }) => l.destination)).toEqual(["UK London (earlier period)", "United Kingdom (earlier period)"]);
    expect(lateLines.reduce((a: bigint, l: { amount: string }) => a + m(l.amount), 0n)).toBe(BigInt(late.rows[0]!.s));
    expect(m(d.usage)).toBe(await cdrCostSum(r.json.id));
    // The October call waits for its own period's invoice.
    const oct = await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-10-15" });
    expect(oct.status, JSON.stringify(oct.json)).toBe(201);
    expect((await billing.request("GET", `/api/invoices/${oct.json.id}`)).json.cdrCount).toBe(1);
  });
});

describe("FX: a carrier billed in EUR for usage rated in USD", () => {
  it("converts each call at the rate in force at its start, records it per line, and moves the amount through fx", async () => {
    const { carrierId: fxCarrier, ingressId } = await customerOn("Euro Customer", "EUR", "USD", "100.64.88.1", "7007#");
    const ingress = { json: { id: ingressId } };
    for (const [rate, from] of [["0.9", "2026-11-01T00:00:00Z"], ["0.8", "2026-11-15T12:00:00Z"]]) {
      const r = await admin.request("POST", "/api/fx-rates", { base: "USD", quote: "EUR", rate, effectiveFrom: from });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    }
    await billing.request("PUT", `/api/billing/settings/${fxCarrier}`, { billingModel: "enterprise", cycle: "monthly", cycleStartDay: 1, paymentTermsDays: 30 });
    const calls = [
      { startAt: "2026-10-10T10:00:00Z", answerAt: "2026-10-10T10:00:01Z", endAt: "2026-10-10T10:01:02Z", durationS: 61 },
      { startAt: "2026-11-14T10:00:00Z", answerAt: "2026-11-14T10:00:01Z", endAt: "2026-11-14T10:01:02Z", durationS: 61 },
      { startAt: "2026-11-16T10:00:00Z", answerAt: "2026-11-16T10:00:01Z", endAt: "2026-11-16T10:01:02Z", durationS: 61 },
    ].map((c, i) => cdrOf(tr, { ...c, ingressInterconnectId: ingress.json.id, calledNumber: "7007#441632960000", callId: `fx-${i}` }));
    await ingest(calls);
    // Every call costs 66 s × 0.015/min = 0.0165 USD.
    // Posted by the rating job: polled, not read once.
    await expect.poll(() => customerBalance(fxCarrier, "USD")).toBe(-49_500n);
    const usdBefore = await customerBalance(fxCarrier, "USD");
    // November is not over in this carrier's calendar at "now" (25 Nov): bill October... which has one call before any rate.
    expect((await billing.request("POST", "/api/invoices/generate", { carrierId: fxCarrier, periodDate: "2026-10-01" })).json.error.code).toBe("fx_rate_missing");
    const nov = await inTransaction(t.pool, (tx) => generateInvoice(tx, systemActor(tenantId, "test"), { carrierId: fxCarrier, periodDate: "2026-11-01", issue: true }, new Date("2026-12-01T00:00:00Z")));
    const d = (await billing.request("GET", `/api/invoices/${nov.id}`)).json;
    expect(d.currency).toBe("EUR");
    // 0.0165 × 0.9 = 0.01485; × 0.8 = 0.0132 → usage 0.02805, subtotal 0.03.
    expect(d.lines.filter((l: { kind: string }) => l.kind === "usage").map((l: { fxRate: string; ratedAmount: string; amount: string; ratedCurrency: string }) => [l.ratedCurrency, l.fxRate, l.ratedAmount, l.amount])).toEqual([
      ["USD", "0.8", "0.016500", "0.013200"],
      ["USD", "0.9", "0.016500", "0.014850"],
    ]);
    expect(d).toMatchObject({ usage: "0.028050", rounding: "0.001950", subtotal: "0.030000", total: "0.030000" });
    // USD usage taken off the USD account through fx; EUR account owes the invoice total.
    expect(await customerBalance(fxCarrier, "USD")).toBe(usdBefore + 33_000n);
    expect(await customerBalance(fxCarrier, "EUR")).toBe(-30_000n);
    const fx = await t.pool.query<{ currency: string; bal: string }>("SELECT currency, (debits_posted_micros - credits_posted_micros)::text AS bal FROM ledger_accounts WHERE tenant_id = $1 AND kind = 'fx' ORDER BY currency", [tenantId]);
    expect(fx.rows).toEqual([{ currency: "EUR", bal: "-28050" }, { currency: "USD", bal: "33000" }]);
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });
});

describe("the scheduled job", () => {
  it("invoices closed periods once: automatic customers issued, manual ones left as drafts", async () => {
    const manual = await customerOn("Manual Customer", "USD", "USD", "100.64.99.1", "8008#");
    expect((await admin.request("PATCH", `/api/carriers/${manual.carrierId}`, { customerBilling: "manual" })).status).toBe(200);
    await ingest([cdrOf(tr, { ingressInterconnectId: manual.ingressId, calledNumber: "8008#441632960000", callId: "manual-1", startAt: "2026-10-20T10:00:00Z", answerAt: "2026-10-20T10:00:01Z", endAt: "2026-10-20T10:00:40Z" })]);
    const ctx = { jobId: "test", progress: async () => {} };
    const now = new Date("2026-11-02T00:00:00Z");
    const first = await invoiceCyclesJob(t.pool, { tenantId }, ctx, now);
    // The Euro customer's October call has no FX rate: reported, the others go on.
    expect(first.failed.map((f) => f.error)).toEqual([expect.stringContaining("No USD→EUR rate")]);
    const drafts = (await billing.request("GET", `/api/invoices?carrierId=${manual.carrierId}`)).json.rows;
    expect(drafts).toMatchObject([{ status: "draft", firstDay: "2026-10-01", lastDay: "2026-10-31" }]);
    const again = await invoiceCyclesJob(t.pool, { tenantId: null }, ctx, now);
    expect(again.issued + again.drafts).toBe(0);
    expect((await billing.request("GET", `/api/invoices?carrierId=${manual.carrierId}`)).json.total).toBe(1);
  });
});

describe("netting (bilateral)", () => {
  it("drafts both sides from the ledger; acceptance posts one netting transfer", async () => {
    const bi = (await admin.request("POST", "/api/carriers", { name: "Both Ways", type: "bilateral", primaryCurrency: "USD" })).json.id;
    const today = new Date().toISOString().slice(0, 10);
    expect((await billing.request("POST", "/api/netting", { carrierId: bi, from: today, to: today })).status).toBe(422);
    // They owe us 30 (refund of a payment we never got is the simplest debit), we owe them 12.
    const pay = (direction: string, kind: string, amount: string) =>
      billing.request("POST", "/api/payments", { carrierId: bi, direction, kind, method: "bank_transfer", paidOn: today, amount, currency: "USD" });
    expect((await pay("customer", "refund", "30")).status).toBe(201);
    expect((await pay("supplier", "refund", "12")).status).toBe(201);
    const n = await billing.request("POST", "/api/netting", { carrierId: bi, from: today, to: today, note: "Nov" });
    expect(n.status, JSON.stringify(n.json)).toBe(201);
    expect(n.json).toMatchObject({ status: "draft", theyOwe: "30.000000", weOwe: "12.000000", amount: "12.000000" });
    const rej = await billing.request("POST", "/api/netting", { carrierId: bi, from: today, to: today });
    expect((await billing.request("POST", `/api/netting/${rej.json.id}/reject`, { reason: "disputed" })).json).toMatchObject({ status: "rejected", rejectReason: "disputed" });
    expect((await billing.request("POST", `/api/netting/${n.json.id}/accept`, {})).status).toBe(409);
    expect((await billing.request("POST", `/api/netting/${n.json.id}/send`)).json.status).toBe("sent");
    expect((await billing.request("POST", `/api/netting/${n.json.id}/accept`, { amount: "13" })).status).toBe(422);
    expect((await acme.request("POST", `/api/netting/${n.json.id}/accept`, {})).status).toBe(404);
    const a = await billing.request("POST", `/api/netting/${n.json.id}/accept`, {});
    expect(a.json).toMatchObject({ status: "accepted", acceptedAmount: "12.000000" });
    const tr2 = (await billing.request("GET", `/api/ledger/transfers/${a.json.transferId}`)).json;
    expect(tr2).toMatchObject({ code: "netting", amount: "12.000000", debitAccount: { kind: "supplier" }, creditAccount: { kind: "customer" } });
    expect(await customerBalance(bi)).toBe(-18_000_000n);
    expect((await billing.request("POST", `/api/netting/${n.json.id}/reject`, { reason: "x" })).status).toBe(409);
    const st = (await billing.request("GET", `/api/statements?carrierId=${bi}&from=${today}&to=${today}`)).json;
    expect(st.sides.map((s: { account: string; closing: string }) => [s.account, s.closing])).toEqual([["customer", "-18.000000"], ["supplier", "0.000000"]]);
    expect(st.sides[0].lines.map((l: { kind: string }) => l.kind)).toEqual(["refund", "netting"]);
    expect((await billing.request("POST", "/api/netting", { carrierId: carrier(), from: today, to: today })).status).toBe(400);
    expect((await billing.request("POST", "/api/netting", { carrierId: bi, from: "x", to: today })).status).toBe(400);
    expect((await acme.request("GET", `/api/netting/${n.json.id}`)).status).toBe(404);
    expect((await acme.request("GET", "/api/netting")).json.total).toBe(0);
  });

  it("readonly users read but cannot write", async () => {
    const ro = await login(t.app, "readonly@demo.didtron.local");
    expect((await ro.request("GET", "/api/invoices")).status).toBe(200);
    expect((await ro.request("POST", "/api/billing/tax-rates", { code: "RO", name: "x", rate: "1" })).status).toBe(403);
  });
});

describe("re-rating after invoicing", () => {
  it("a call re-rated after its invoice was issued: the difference is billed on the next invoice, once; the original cannot be voided under it", async () => {
    const original = (await billing.request("GET", `/api/invoices?carrierId=${carrier()}&from=2026-11-07&to=2026-11-07&status=issued`)).json.rows[0];
    expect(original).toBeTruthy();
    const costs = async () =>
      (await t.pool.query<{ id: string; c: string }>("SELECT cdr_id AS id, rated_cost_micros::text AS c FROM invoice_cdrs WHERE invoice_id = $1 ORDER BY cdr_id", [original.id])).rows;
    const billedBefore = await costs();
    const balanceBefore = await customerBalance(carrier());
    // A deck correction (London 0.0100 → 0.0080 from the start), then the 7th is re-rated.
    await importAndApply(admin.request, tr.customerPlanId, "prefix,destination,rate,effective_date\n4420,UK London,0.0080,2024-01-01\n");
    expect((await admin.request("POST", "/api/cdrs/rerate", { from: "2026-11-07T00:00:00Z", to: "2026-11-08T00:00:00Z", carrierId: carrier(), onlyErrors: false })).status).toBe(202);
    while ((await rateBatch(t.pool, { tenantId })).taken);
    const now = await t.pool.query<{ id: string; c: string }>("SELECT id, customer_cost_micros::text AS c FROM cdrs WHERE id = ANY($1::uuid[])", [billedBefore.map((b) => b.id)]);
    const delta = now.rows.reduce((a, r) => a + BigInt(r.c), 0n) - billedBefore.reduce((a, b) => a + BigInt(b.c), 0n);
    expect(delta < 0n).toBe(true); // one London call got cheaper
    // The ledger already moved by the difference; the issued invoice did not change.
    expect(await customerBalance(carrier())).toBe(balanceBefore - delta);
    expect(await costs()).toEqual(billedBefore);

    await ingest(callsOn(23, 2, { switchId: "after-rerate" }));
    const next = await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-23" });
    expect(next.status, JSON.stringify(next.json)).toBe(201);
    const d = (await billing.request("GET", `/api/invoices/${next.json.id}`)).json;
    const rerate = d.lines.filter((l: { destination: string }) => l.destination.includes("(re-rated, invoice"));
    expect(rerate).toMatchObject([{ destination: `UK London (re-rated, invoice ${original.number})`, calls: 1, amount: formatMoney(delta) }]);
    expect(d.cdrCount).toBe(2 + 1);
    // Voiding the original under its correction is refused; the correction's draft is issued.
    expect((await billing.request("POST", `/api/invoices/${original.id}/void`, { reason: "x" })).status).toBe(409);
    const issued = await billing.request("POST", `/api/invoices/${next.json.id}/issue`);
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    // Billed once: nothing is left to correct, and the call's live rows add up to its cost.
    const rows = await t.pool.query<{ s: string }>("SELECT sum(rated_cost_micros)::text AS s FROM invoice_cdrs WHERE released_at IS NULL AND cdr_id = ANY($1::uuid[])", [billedBefore.map((b) => b.id)]);
    expect(BigInt(rows.rows[0]!.s)).toBe(now.rows.reduce((a, r) => a + BigInt(r.c), 0n));
    await ingest(callsOn(24, 1, { switchId: "after-rerate" }));
    const after = (await billing.request("GET", `/api/invoices/${(await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-24" })).json.id}`)).json;
    expect(after.lines.some((l: { destination: string }) => l.destination.includes("re-rated"))).toBe(false);
    // The CSV of the correcting invoice says what it bills per row.
    const csv = await billing.request("GET", `/api/invoices/${next.json.id}/cdrs.csv`);
    expect(csv.status).toBe(200);
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
    const today = new Date().toISOString().slice(0, 10);
    const st = (await billing.request("GET", `/api/statements?carrierId=${carrier()}&from=2026-01-01&to=${today}`)).json.sides[0];
    expect(m(st.closing)).toBe(await customerBalance(carrier()));
  });

  it("corrections bigger than the usage make a negative invoice: its rounding and tax go back to the customer", async () => {
    await importAndApply(admin.request, tr.customerPlanId, "prefix,destination,rate,effective_date\n4420,UK London,0.0001,2024-01-01\n");
    expect((await admin.request("POST", "/api/cdrs/rerate", { from: "2026-11-08T00:00:00Z", to: "2026-11-21T00:00:00Z", carrierId: carrier(), onlyErrors: false })).status).toBe(202);
    while ((await rateBatch(t.pool, { tenantId })).taken);
    // The 24th's draft is made again, now with the corrections.
    const draft = (await billing.request("GET", `/api/invoices?carrierId=${carrier()}&from=2026-11-24&to=2026-11-24&status=draft`)).json.rows[0];
    expect((await billing.request("POST", `/api/invoices/${draft.id}/void`, { reason: "re-rated" })).status).toBe(200);
    const g = await billing.request("POST", "/api/invoices/generate", { carrierId: carrier(), periodDate: "2026-11-24" });
    expect(g.status, JSON.stringify(g.json)).toBe(201);
    const d = (await billing.request("GET", `/api/invoices/${g.json.id}`)).json;
    expect(d.cdrCount).toBe(1 + 13); // the 24th's call, and one London call a day of the 8th–20th
    expect(m(d.total) < 0n && m(d.tax) < 0n).toBe(true);
    expect(m(d.total)).toBe(m(d.usage) + m(d.rounding) + m(d.tax));
    const before = await customerBalance(carrier());
    expect((await billing.request("POST", `/api/invoices/${g.json.id}/issue`)).status).toBe(200);
    expect(await customerBalance(carrier())).toBe(before - m(d.rounding) - m(d.tax));
    const legs = (await billing.request("GET", `/api/ledger/transfers?q=${g.json.id}`)).json.rows;
    expect(legs.find((x: { amount: string }) => x.amount === formatMoney(-m(d.tax)))).toMatchObject({ debitAccount: { kind: "tax" }, creditAccount: { kind: "customer" } });
    expect(await checkLedgerInvariants(t.db, { tenantId })).toMatchObject({ ok: true });
  });
});
