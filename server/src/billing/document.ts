import { sql } from "drizzle-orm";
import type { Db } from "../platform/db/client.js";
import { formatMinorUnits, formatMoney, minorUnitDigits } from "../platform/money.js";
import { percent } from "./model.js";
import { getInvoice } from "./invoices.js";
import { getCreditNote } from "./credit-notes.js";

/**
 * The plain data of a customer document, everything a renderer (PDF, e-mail) needs and
 * nothing it must compute: parties, branding, header, lines and totals, with amounts as
 * printed (rounded to the currency's minor unit) and, for lines, the exact micro amount.
 */
export interface DocumentParty {
  name: string;
  address: string | null;
  accountNumber: string | null;
  taxCode: string | null;
}
export interface DocumentBranding {
  brandName: string;
  accentColor: string;
  logoDataUrl: string | null;
}
export interface DocumentLine {
  description: string;
  calls: number | null;
  minutes: string | null;
  rate: string | null;
  fxRate: string | null;
  /** As printed (minor units). */
  amount: string;
  /** Exact, 6 decimals. */
  amountExact: string;
  kind: "usage" | "rounding" | "credit";
}
export interface DocumentData {
  kind: "invoice" | "credit_note";
  id: string;
  /** "INV-42", "CN-7"; null for a draft. */
  number: string | null;
  status: string;
  currency: string;
  minorUnitDigits: number;
  issuedAt: string | null;
  dueOn: string | null;
  period: { firstDay: string; lastDay: string; timeZone: string } | null;
  seller: DocumentParty & { branding: DocumentBranding };
  buyer: DocumentParty;
  lines: DocumentLine[];
  totals: { subtotal: string; taxLabel: string | null; tax: string; total: string; credited: string; paid: string; outstanding: string };
  reason: string | null;
  /** For a credit note: the invoice it credits. */
  relatesTo: { id: string; number: string | null } | null;
}

async function parties(db: Db, tenantId: string, carrierId: string): Promise<{ seller: DocumentData["seller"]; buyer: DocumentParty }> {
  const r = await db.execute<{ t_name: string; brand_name: string; accent_color: string; logo_data_url: string | null; c_name: string; bill_to: string | null; acct: string | null; tax_code: string | null }>(sql`
    SELECT t.name AS t_name, t.brand_name, t.accent_color, t.logo_data_url, c.name AS c_name, c.bill_to, c.customer_account_number AS acct, c.tax_code
    FROM tenants t JOIN carriers c ON c.tenant_id = t.id WHERE t.id = ${tenantId} AND c.id = ${carrierId}`);
  const x = r.rows[0]!;
  return {
    seller: { name: x.t_name, address: null, accountNumber: null, taxCode: null, branding: { brandName: x.brand_name, accentColor: x.accent_color, logoDataUrl: x.logo_data_url } },
    buyer: { name: x.c_name, address: x.bill_to, accountNumber: x.acct, taxCode: x.tax_code },
  };
}

const invoiceNumber = (n: number | null) => (n === null ? null : `INV-${n}`);

/** An invoice's document data (404 for another tenant's id). */
export async function getInvoiceDocument(db: Db, params: { tenantId: string; id: string }): Promise<DocumentData> {
  const inv = await getInvoice(db, params);
  const m = (v: bigint) => formatMinorUnits(v, inv.currency);
  return {
    kind: "invoice",
    id: inv.id,
    number: invoiceNumber(inv.number),
    status: inv.status,
    currency: inv.currency,
    minorUnitDigits: minorUnitDigits(inv.currency),
    issuedAt: inv.issuedAt?.toISOString() ?? null,
    dueOn: inv.dueOn,
    period: { firstDay: inv.firstDay, lastDay: inv.lastDay, timeZone: inv.timeZone },
    ...(await parties(db, params.tenantId, inv.carrierId)),
    lines: inv.lines.map((l) => ({
      description: l.kind === "rounding" ? "Rounding" : l.ratedCurrency === inv.currency ? l.destination : `${l.destination} (${l.ratedCurrency})`,
      calls: l.kind === "rounding" ? null : l.calls,
      minutes: l.kind === "rounding" ? null : l.minutes,
      rate: l.rate === null ? null : formatMoney(l.rate).replace(/0+$/, "").replace(/\.$/, ".0"),
      fxRate: l.fxRate,
      amount: l.kind === "rounding" ? formatMoney(l.amount) : m(l.amount),
      amountExact: formatMoney(l.amount),
      kind: l.kind,
    })),
    totals: {
      subtotal: m(inv.subtotal),
      taxLabel: inv.taxCode ? `${inv.taxCode} ${percent.encode(inv.taxRate)} %` : null,
      tax: m(inv.tax),
      total: m(inv.total),
      credited: m(inv.credited),
      paid: m(inv.paid),
      outstanding: m(inv.outstanding),
    },
    reason: inv.voidReason,
    relatesTo: null,
  };
}

/** A credit note's document data. */
export async function getCreditNoteDocument(db: Db, params: { tenantId: string; id: string }): Promise<DocumentData> {
  const note = await getCreditNote(db, params);
  const m = (v: bigint) => formatMinorUnits(v, note.currency);
  return {
    kind: "credit_note",
    id: note.id,
    number: `CN-${note.number}`,
    status: "issued",
    currency: note.currency,
    minorUnitDigits: minorUnitDigits(note.currency),
    issuedAt: note.createdAt.toISOString(),
    dueOn: null,
    period: null,
    ...(await parties(db, params.tenantId, note.carrierId)),
    lines: [{ description: `Credit against ${invoiceNumber(note.invoiceNumber)}: ${note.reason}`, calls: null, minutes: null, rate: null, fxRate: null, amount: m(note.net), amountExact: formatMoney(note.net), kind: "credit" }],
    totals: { subtotal: m(note.net), taxLabel: note.tax > 0n ? "Tax" : null, tax: m(note.tax), total: m(note.total), credited: m(0n), paid: m(0n), outstanding: m(0n) },
    reason: note.reason,
    relatesTo: { id: note.invoiceId, number: invoiceNumber(note.invoiceNumber) },
  };
}
