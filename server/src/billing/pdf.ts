import type { Db } from "../platform/db/client.js";
import { formatMinorUnits, formatMoney, minorUnitDigits, parseMoney } from "../platform/money.js";
import { renderDocumentPdf, type DocumentPdfModel } from "../documents/pdf.js";
import { getCreditNoteDocument, getInvoiceDocument, type DocumentData, type DocumentParty } from "./document.js";
import { computeStatement } from "./statements.js";
import type { StatementDto } from "./model.js";

/**
 * Billing documents → the PDF renderer's model. Presentation only: every figure comes from
 * DocumentData / the statement; what is decided here is how it prints. Invoice rule: each
 * destination line prints at the currency's minor unit, and a "Rounding" line (printed
 * subtotal − Σ printed lines) makes the printed column add up exactly; a note states the
 * exact Σ of the per-call amounts and the rounding the ledger holds.
 */

export interface PdfFile {
  fileName: string;
  pdf: Buffer;
}

const partyLines = (p: DocumentParty) => [p.address, p.accountNumber && `Account ${p.accountNumber}`, p.taxCode && `Tax code ${p.taxCode}`].filter((l): l is string => !!l);
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "Not issued");

/** The file name a document downloads and attaches as: INV-12.pdf, CN-3.pdf; a draft by its id. */
export const documentFileName = (d: Pick<DocumentData, "kind" | "number" | "id">) => `${d.number ?? `${d.kind === "invoice" ? "INV" : "CN"}-draft-${d.id.slice(0, 8)}`}.pdf`;

function common(d: DocumentData): Pick<DocumentPdfModel, "kind" | "number" | "status" | "issuedOn" | "currency" | "branding" | "from" | "to" | "footer"> {
  return {
    kind: d.kind,
    number: d.number,
    status: d.status,
    issuedOn: day(d.issuedAt),
    currency: d.currency,
    branding: { tenantName: d.seller.branding.brandName, logoDataUrl: d.seller.branding.logoDataUrl, accentColor: d.seller.branding.accentColor },
    from: { name: d.seller.name, lines: partyLines(d.seller) },
    to: { name: d.buyer.name, lines: partyLines(d.buyer) },
    footer: `${d.seller.branding.brandName} · ${d.buyer.name}`,
  };
}

export function invoicePdfModel(d: DocumentData): DocumentPdfModel {
  const usage = d.lines.filter((l) => l.kind === "usage");
  const printedSum = usage.reduce((s, l) => s + parseMoney(l.amount), 0n);
  const exactSum = usage.reduce((s, l) => s + parseMoney(l.amountExact), 0n);
  const printedRounding = parseMoney(d.totals.subtotal) - printedSum;
  const ledgerRounding = d.lines.filter((l) => l.kind === "rounding").reduce((s, l) => s + parseMoney(l.amountExact), 0n);
  const m = (v: bigint) => formatMinorUnits(v, d.currency);
  const rows = usage.map((l) => [l.description, String(l.calls ?? ""), l.minutes ?? "", l.rate ?? "", l.fxRate ?? "", l.amount]);
  if (printedRounding !== 0n) rows.push(["Rounding", "", "", "", "", m(printedRounding)]);
  const money = (label: string, v: string) => ({ label, value: `${d.currency} ${v}` });
  const issued = d.status !== "draft" && d.status !== "void";
  return {
    ...common(d),
    title: "Invoice",
    dueOn: d.dueOn ?? undefined,
    meta: d.period ? [["Period", `${d.period.firstDay} – ${d.period.lastDay}`], ["Time zone", d.period.timeZone]] : [],
    columns: [
      { label: "Destination", align: "left" },
      { label: "Calls", align: "right", width: 50 },
      { label: "Minutes", align: "right", width: 65 },
      { label: "Rate / min", align: "right", width: 65 },
      { label: "FX rate", align: "right", width: 60 },
      { label: "Amount", align: "right", width: 80 },
    ],
    rows,
    totals: [
      money("Subtotal", d.totals.subtotal),
      money(d.totals.taxLabel ? `Tax ${d.totals.taxLabel}` : "Tax", d.totals.tax),
      { ...money("Total", d.totals.total), strong: true },
      ...(issued && d.totals.credited !== m(0n) ? [money("Credited", d.totals.credited)] : []),
      ...(issued && d.totals.paid !== m(0n) ? [money("Paid", d.totals.paid)] : []),
      ...(issued ? [{ ...money("Outstanding", d.totals.outstanding), strong: true }] : []),
    ],
    notes: [
      `Amounts print rounded to ${minorUnitDigits(d.currency)} decimals. The ${usage.reduce((s, l) => s + (l.calls ?? 0), 0)} calls' exact amounts sum to ${d.currency} ${formatMoney(exactSum)}; ` +
        `the rounding to the subtotal posted to the account is ${d.currency} ${formatMoney(ledgerRounding)}.` +
        (printedRounding !== 0n ? " The Rounding line makes the printed lines add up to the subtotal." : ""),
      ...(d.status === "void" && d.reason ? [`Void: ${d.reason}`] : []),
    ],
  };
}

export function creditNotePdfModel(d: DocumentData): DocumentPdfModel {
  const money = (label: string, v: string) => ({ label, value: `${d.currency} ${v}` });
  return {
    ...common(d),
    title: "Credit note",
    meta: d.relatesTo ? [["Invoice", d.relatesTo.number ?? "draft"]] : [],
    columns: [
      { label: "Description", align: "left" },
      { label: "Amount", align: "right", width: 100 },
    ],
    rows: d.lines.map((l) => [l.description, l.amount]),
    totals: [money("Net", d.totals.subtotal), money(d.totals.taxLabel ?? "Tax", d.totals.tax), { ...money("Total credited", d.totals.total), strong: true }],
    notes: d.reason ? [`Reason: ${d.reason}`] : [],
  };
}

export async function invoicePdf(db: Db, params: { tenantId: string; id: string }): Promise<PdfFile> {
  const d = await getInvoiceDocument(db, params);
  return { fileName: documentFileName(d), pdf: await renderDocumentPdf(invoicePdfModel(d)) };
}

export async function creditNotePdf(db: Db, params: { tenantId: string; id: string }): Promise<PdfFile> {
  const d = await getCreditNoteDocument(db, params);
  return { fileName: documentFileName(d), pdf: await renderDocumentPdf(creditNotePdfModel(d)) };
}

/** Exact statement amounts (sub-cent usage is exact on the ledger), never fewer decimals than the currency's. */
const exact = (v: bigint, currency: string) => {
  const digits = minorUnitDigits(currency);
  let s = formatMoney(v);
  while (s.endsWith("0") && s.length - s.indexOf(".") - 1 > digits) s = s.slice(0, -1);
  return s.endsWith(".") ? s.slice(0, -1) : s;
};

const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
const KIND_LABEL: Record<string, string> = { invoice: "Invoice", usage_not_invoiced: "Usage", payment: "Payment", refund: "Refund", credit_note: "Credit note", netting: "Netting", adjustment: "Adjustment", other: "Other" };

export function statementPdfModel(s: StatementDto, seller: { tenantName: string; logoDataUrl: string | null; accentColor: string }, today: string): DocumentPdfModel {
  const x = (v: bigint) => exact(v, s.currency);
  const side = (a: "customer" | "supplier") => (a === "customer" ? "Customer account" : "Supplier account");
  const rows: string[][] = [];
  for (const sd of s.sides) {
    rows.push(["", "", `${side(sd.account)}: opening balance`, "", x(sd.opening)]);
    for (const l of sd.lines) rows.push([localDay(l.at, s.timeZone), KIND_LABEL[l.kind] ?? l.kind, l.description, x(l.amount), x(l.balance)]);
    rows.push(["", "", `${side(sd.account)}: closing balance`, "", x(sd.closing)]);
  }
  return {
    kind: "statement",
    title: "Statement",
    number: `${s.from} – ${s.to}`,
    issuedOn: today,
    currency: s.currency,
    branding: seller,
    from: { name: seller.tenantName, lines: [] },
    to: { name: s.carrierName, lines: [] },
    meta: [["Time zone", s.timeZone]],
    columns: [
      { label: "Date", align: "left", width: 62 },
      { label: "Type", align: "left", width: 65 },
      { label: "Description", align: "left" },
      { label: "Amount", align: "right", width: 80 },
      { label: "Balance", align: "right", width: 80 },
    ],
    rows,
    totals: s.sides.map((sd) => ({ label: `Closing, ${side(sd.account).toLowerCase()}`, value: `${s.currency} ${x(sd.closing)}`, strong: true })),
    notes: ["Amounts are signed on the account's natural side: + raises the balance, − lowers it. Usage not yet invoiced shows at its exact amount."],
  };
}

export async function statementPdf(db: Db, params: { tenantId: string; carrierId: string; from: string; to: string; currency?: string }, now = new Date()): Promise<PdfFile> {
  const s = await computeStatement(db, params);
  const t = await db.$client.query<{ brand_name: string; logo_data_url: string | null; accent_color: string }>("SELECT brand_name, logo_data_url, accent_color FROM tenants WHERE id = $1", [params.tenantId]);
  const b = t.rows[0]!;
  const model = statementPdfModel(s, { tenantName: b.brand_name, logoDataUrl: b.logo_data_url, accentColor: b.accent_color }, localDay(now, s.timeZone));
  return { fileName: `statement-${s.carrierName.replace(/[^A-Za-z0-9]+/g, "-")}-${s.from}-${s.to}.pdf`, pdf: await renderDocumentPdf(model) };
}
