import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateBatch } from "../src/cdrs/rate.js";
import { renderDocumentPdf } from "../src/documents/pdf.js";
import { invoicePdfModel } from "../src/billing/pdf.js";
import type { DocumentData } from "../src/billing/document.js";
import { formatMoney, parseMoney } from "../src/platform/money.js";
import { cdrOf, createTraffic, type Traffic } from "./cdrs-fixture.js";
import { countRows, createTestApp, login, type Session, type TestContext } from "./harness.js";
import { extractPdfText } from "./support/pdf-text.js";

let t: TestContext;
let admin: Session;
let billing: Session;
let acme: Session;
let tr: Traffic;
let tenantId: string;
let draftId: string;
let issuedId: string;
const m = (s: string) => parseMoney(s);

/** A GET as `s` returning the raw bytes (PDF, CSV). */
async function raw(s: Session, url: string) {
  const r = await t.app.inject({ method: "GET", url, headers: { cookie: s.cookie } });
  return { status: r.statusCode, headers: r.headers, body: r.rawPayload };
}

/** Calls on 2026-11-`day` with durations giving sub-cent costs, on two destinations. */
const callsOn = (day: number, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const d = String(day).padStart(2, "0");
    const s = 7 + i * 13;
    return cdrOf(tr, {
      callId: `doc-${day}-${i}`,
      calledNumber: i % 2 ? "9001#442071234567" : "9001#441632960000",
      startAt: `2026-11-${d}T10:00:00Z`,
      answerAt: `2026-11-${d}T10:00:01Z`,
      endAt: `2026-11-${d}T10:${String(Math.floor((s + 1) / 60)).padStart(2, "0")}:${String((s + 1) % 60).padStart(2, "0")}Z`,
      durationS: s,
    });
  });

/** The printed amount of each destination row: "<destination> <calls> <minutes> <rate> <amount>" (no FX column text in USD). */
function printedAmounts(text: string, destinations: string[]): bigint[] {
  return destinations.map((d) => {
    const match = text.match(new RegExp(`${d} \\d+ [\\d.]+ [\\d.]+ (-?\\d+\\.\\d{2}) `));
    expect(match, `${d} in ${text}`).not.toBeNull();
    return m(match![1]!);
  });
}

beforeAll(async () => {
  t = await createTestApp({ work: true });
  admin = await login(t.app, "admin@demo.didtron.local");
  billing = await login(t.app, "billing@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tenantId = admin.me.tenant.id;
  tr = await createTraffic(admin.request, "Docs");
  expect((await billing.request("POST", "/api/billing/tax-rates", { code: "VAT20", name: "VAT 20 %", rate: "20" })).status).toBe(201);
  expect((await admin.request("PATCH", `/api/carriers/${tr.customerCarrierId}`, { taxCode: "VAT20", billTo: "1 Test Street" })).status).toBe(200);
  expect((await billing.request("PUT", `/api/billing/settings/${tr.customerCarrierId}`, { billingModel: "wholesaler", cycle: "daily", paymentTermsDays: 15 })).status).toBe(200);
  for (const c of [
    { name: "Accounts", roles: ["billing"], email: "ap@docs.example" },
    { name: "Billing no mail", roles: ["billing"], email: null },
    { name: "NOC", roles: ["noc"], email: "noc@docs.example" },
  ])
    expect((await admin.request("POST", `/api/carriers/${tr.customerCarrierId}/contacts`, c)).status).toBe(201);
  const r = await admin.request("POST", "/api/cdrs/batch", { cdrs: [...callsOn(1, 7), ...callsOn(2, 5)] });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  while ((await rateBatch(t.pool, { tenantId })).taken);
  draftId = (await billing.request("POST", "/api/invoices/generate", { carrierId: tr.customerCarrierId, periodDate: "2026-11-01" })).json.id;
  const issued = await billing.request("POST", "/api/invoices/generate", { carrierId: tr.customerCarrierId, periodDate: "2026-11-02", issue: true });
  expect(issued.json.status, JSON.stringify(issued.json)).toBe("issued");
  issuedId = issued.json.id;
}, 120_000);
afterAll(async () => t?.close());

describe("invoice PDF", () => {
  it("prints lines at the cent with an explicit Rounding line: printed lines + rounding + tax = total, exact sum in a note", async () => {
    const inv = (await billing.request("GET", `/api/invoices/${issuedId}`)).json;
    const r = await raw(billing, `/api/invoices/${issuedId}/pdf`);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/pdf");
    expect(r.headers["content-disposition"]).toBe(`inline; filename="INV-${inv.number}.pdf"`);
    const [text, ...more] = await extractPdfText(r.body);
    expect(more).toHaveLength(0);
    for (const s of [`INV-${inv.number}`, "Docs Customer", "1 Test Street", "Page 1 of 1", "INVOICE"]) expect(text).toContain(s);
    const brand = (await t.pool.query<{ b: string }>("SELECT brand_name AS b FROM tenants WHERE id = $1", [tenantId])).rows[0]!.b;
    expect(text).toContain(brand);
    expect(text).not.toContain("DRAFT");

    const usage = inv.lines.filter((l: { kind: string }) => l.kind === "usage");
    const lines = printedAmounts(text!, usage.map((l: { destination: string }) => l.destination));
    const printedSum = lines.reduce((a, b) => a + b, 0n);
    const [subtotal, tax, total] = [m(inv.subtotal), m(inv.tax), m(inv.total)];
    // The per-line printed amounts do not add up to the subtotal on their own here (sub-cent calls on two lines)…
    const rounding = subtotal - printedSum;
    if (rounding !== 0n) expect(text).toContain(`Rounding ${formatMoney(rounding, 2)} `);
    else expect(text).not.toMatch(/Rounding -?\d/);
    // …and with the Rounding line and the tax they add up to the printed total.
    expect(printedSum + rounding + tax).toBe(total);
    expect(text).toContain(`Total USD ${inv.total.replace(/(\.\d{2})\d*$/, "$1")}`);
    expect(text).toContain(`sum to USD ${formatMoney(m(inv.usage))}`);
    expect(text).toContain(`posted to the account is USD ${formatMoney(m(inv.rounding))}`);
  });

  it("a draft is watermarked, credit note and statement PDFs read back, another tenant's id is 404", async () => {
    const d = await raw(billing, `/api/invoices/${draftId}/pdf`);
    expect(d.status).toBe(200);
    expect(d.headers["content-disposition"]).toBe(`inline; filename="INV-draft-${draftId.slice(0, 8)}.pdf"`);
    expect((await extractPdfText(d.body))[0]).toContain("DRAFT");

    const cn = await billing.request("POST", "/api/credit-notes", { invoiceId: issuedId, amount: "0.01", reason: "Goodwill" });
    expect(cn.status, JSON.stringify(cn.json)).toBe(201);
    const c = await raw(billing, `/api/credit-notes/${cn.json.id}/pdf`);
    expect(c.headers["content-disposition"]).toBe(`inline; filename="CN-${cn.json.number}.pdf"`);
    const ct = (await extractPdfText(c.body))[0]!;
    for (const s of ["CREDIT NOTE", `CN-${cn.json.number}`, "Goodwill", "Total credited USD 0.01"]) expect(ct).toContain(s);

    const q = `carrierId=${tr.customerCarrierId}&from=2026-11-01&to=2026-11-30`;
    const s = await raw(billing, `/api/statements/pdf?${q}`);
    expect(s.status).toBe(200);
    const st = (await extractPdfText(s.body)).join("\n");
    const json = (await billing.request("GET", `/api/statements?${q}`)).json;
    expect(st).toContain("Customer account: opening balance");
    expect(st).toContain(`Credit note`);
    const closing = json.sides[0].closing.replace(/(\.\d\d\d*?)0+$/, "$1");
    expect(st).toContain(`Closing, customer account USD ${closing}`);

    expect((await raw(acme, `/api/invoices/${issuedId}/pdf`)).status).toBe(404);
    expect((await raw(acme, `/api/credit-notes/${cn.json.id}/pdf`)).status).toBe(404);
    expect((await raw(acme, `/api/statements/pdf?${q}`)).status).toBe(400);
    expect((await raw(billing, "/api/invoices/not-a-uuid/pdf")).status).toBe(400);
    expect((await raw(billing, `/api/statements/pdf?carrierId=${tr.customerCarrierId}&from=2026-11-31&to=2026-11-30`)).status).toBe(400);
  });

  it("a 300-destination invoice paginates, every line and the rounding on it, totals once", async () => {
    // Each line 0.001235 → prints 0.00; the subtotal rounds the exact 0.370500 to 0.37, so a Rounding line of 0.37.
    const lines = Array.from({ length: 300 }, (_, i) => ({ description: `Destination ${i + 1}`, calls: 1, minutes: "0.12", rate: "0.01", fxRate: null, amount: "0.00", amountExact: "0.001235", kind: "usage" as const }));
    const doc: DocumentData = {
      kind: "invoice",
      id: "00000000-0000-4000-8000-000000000001",
      number: "INV-300",
      status: "issued",
      currency: "USD",
      minorUnitDigits: 2,
      issuedAt: "2026-12-01T00:00:00.000Z",
      dueOn: "2026-12-31",
      period: { firstDay: "2026-11-01", lastDay: "2026-11-30", timeZone: "UTC" },
      seller: { name: "Seller", address: null, accountNumber: null, taxCode: null, branding: { brandName: "Brand X", accentColor: "#0F766E", logoDataUrl: null } },
      buyer: { name: "Buyer", address: null, accountNumber: null, taxCode: null },
      lines: [...lines, { description: "Rounding", calls: null, minutes: null, rate: null, fxRate: null, amount: "-0.000500", amountExact: "-0.000500", kind: "rounding" }],
      totals: { subtotal: "0.37", taxLabel: "VAT20 20 %", tax: "0.07", total: "0.44", credited: "0.00", paid: "0.00", outstanding: "0.44" },
      reason: null,
      relatesTo: null,
    };
    const pages = await extractPdfText(await renderDocumentPdf(invoicePdfModel(doc)));
    expect(pages.length).toBeGreaterThan(5);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`));
    const all = pages.join("\n");
    for (let i = 1; i <= 300; i++) expect(all).toContain(`Destination ${i} `);
    expect(all).toContain("Rounding 0.37");
    expect(pages.filter((p) => p.includes("Subtotal"))).toHaveLength(1);
    expect(all).toContain("sum to USD 0.370500");
    expect(all).toContain("posted to the account is USD -0.000500");
  });
});

describe("invoice CDR CSV", () => {
  it("has one row per billed call, the export's columns, and its costs sum to the invoice usage (= subtotal − rounding)", async () => {
    const inv = (await billing.request("GET", `/api/invoices/${issuedId}`)).json;
    const r = await raw(billing, `/api/invoices/${issuedId}/cdrs.csv`);
    expect(r.status).toBe(200);
    expect(r.headers["content-disposition"]).toBe(`attachment; filename="INV-${inv.number}-cdrs.csv"`);
    const [header, ...rows] = r.body.toString("utf8").trimEnd().split("\r\n");
    const cols = header!.split(",");
    expect(cols[0]).toBe("id");
    const costAt = cols.indexOf("customer_cost");
    expect(rows).toHaveLength(inv.cdrCount);
    const linked = (await t.pool.query<{ id: string }>("SELECT cdr_id AS id FROM invoice_cdrs WHERE invoice_id = $1 ORDER BY cdr_id", [issuedId])).rows.map((x) => x.id);
    expect(rows.map((row) => row.split(",")[0]).sort()).toEqual(linked);
    const sum = rows.reduce((a, row) => a + m(row.split(",")[costAt]!), 0n);
    expect(sum).toBe(m(inv.usage));
    expect(sum + m(inv.rounding)).toBe(m(inv.subtotal));
    // What the invoice bills per row (here every row is a call billed at its cost).
    expect(rows.map((row) => row.split(",")[cols.indexOf("invoice_line")])).toEqual(rows.map(() => "call"));
    expect(rows.reduce((a, row) => a + m(row.split(",")[cols.indexOf("invoice_amount")]!), 0n)).toBe(m(inv.usage));
    expect((await raw(acme, `/api/invoices/${issuedId}/cdrs.csv`)).status).toBe(404);
  });
});

describe("sending", () => {
  it("writes one outbox mail to the billing contacts with the PDF and CSV bytes, audited", async () => {
    const before = await countRows(t.pool, "mail_outbox");
    const r = await billing.request("POST", `/api/invoices/${issuedId}/send`, { attachCdrs: true });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.to).toEqual(["ap@docs.example"]);
    expect(await countRows(t.pool, "mail_outbox")).toBe(before + 1);
    const mail = (await t.pool.query("SELECT * FROM mail_outbox WHERE id = $1", [r.json.mailId])).rows[0];
    expect(mail).toMatchObject({ tenant_id: tenantId, related_type: "invoice", related_id: issuedId, to_addresses: ["ap@docs.example"] });
    const files = (await t.pool.query<{ filename: string; content_type: string; content: Buffer }>("SELECT filename, content_type, content FROM mail_attachments WHERE mail_id = $1 ORDER BY filename", [r.json.mailId])).rows;
    const inv = (await billing.request("GET", `/api/invoices/${issuedId}`)).json;
    expect(files.map((f) => [f.filename, f.content_type])).toEqual([
      [`INV-${inv.number}-cdrs.csv`, "text/csv"],
      [`INV-${inv.number}.pdf`, "application/pdf"],
    ]);
    expect(files[0]!.content.equals((await raw(billing, `/api/invoices/${issuedId}/cdrs.csv`)).body)).toBe(true);
    expect((await extractPdfText(files[1]!.content))[0]).toContain(`INV-${inv.number}`);
    expect(await countRows(t.pool, "audit_events", `action = 'invoice.send' AND entity_id = '${issuedId}'`)).toBe(1);
    // The invoice page reads its deliveries from the mail list.
    const list = (await billing.request("GET", `/api/mail?relatedType=invoice&relatedId=${issuedId}`)).json;
    expect(list.rows.map((x: { id: string }) => x.id)).toEqual([r.json.mailId]);

    const explicit = await billing.request("POST", `/api/invoices/${issuedId}/send`, { to: ["Boss@Docs.example"], attachCdrs: false });
    expect(explicit.json).toMatchObject({ to: ["boss@docs.example"], attachments: [`INV-${inv.number}.pdf`] });
  });

  it("a draft is 409, another tenant's id 404, bad input 400, no recipient 422 — and nothing is written", async () => {
    const readonly = await login(t.app, "readonly@demo.didtron.local");
    const before = await countRows(t.pool, "mail_outbox");
    const audits = await countRows(t.pool, "audit_events");
    expect((await billing.request("POST", `/api/invoices/${draftId}/send`, { attachCdrs: false })).status).toBe(409);
    expect((await acme.request("POST", `/api/invoices/${issuedId}/send`, { attachCdrs: false })).status).toBe(404);
    for (const body of [{ to: ["not-an-address"] }, { to: [] }, { attachCdrs: "yes" }]) expect((await billing.request("POST", `/api/invoices/${issuedId}/send`, body)).status).toBe(400);
    expect((await billing.request("POST", "/api/invoices/nope/send", {})).status).toBe(400);
    expect((await readonly.request("POST", `/api/invoices/${issuedId}/send`, {})).status).toBe(403);
    // No billing contact with an e-mail address: nobody to send to.
    await t.pool.query("UPDATE carrier_contacts SET roles = ARRAY['noc'] WHERE carrier_id = $1", [tr.customerCarrierId]);
    const none = await billing.request("POST", `/api/invoices/${issuedId}/send`, {});
    expect(none.status).toBe(422);
    expect(none.json.error.code).toBe("no_recipients");
    expect(await countRows(t.pool, "mail_outbox")).toBe(before);
    expect(await countRows(t.pool, "audit_events")).toBe(audits);
  });

  it("a credit note is sent as its PDF", async () => {
    const cn = (await billing.request("GET", `/api/credit-notes?invoiceId=${issuedId}`)).json.rows[0];
    const r = await billing.request("POST", `/api/credit-notes/${cn.id}/send`, { to: ["ap@docs.example"] });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.attachments).toEqual([`CN-${cn.number}.pdf`]);
    const inv = (await billing.request("GET", `/api/invoices/${issuedId}`)).json;
    expect((await billing.request("GET", "/api/billing/numbering")).json).toEqual({ nextInvoice: inv.number + 1, nextCreditNote: cn.number + 1 });
    expect((await acme.request("GET", "/api/billing/numbering")).json).toEqual({ nextInvoice: 1, nextCreditNote: 1 });
    expect((await acme.request("POST", `/api/credit-notes/${cn.id}/send`, { to: ["ap@docs.example"] })).status).toBe(404);
  });
});
