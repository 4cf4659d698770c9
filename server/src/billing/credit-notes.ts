import { sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { AppError, badRequest, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { formatMoney, microsPerMinorUnit } from "../platform/money.js";
import { postDocumentTransfers } from "../ledger/operations.js";
import type { TransferRequest } from "../ledger/engine/index.js";
import { splitCredit } from "./engine/invoice.js";
import { nextNumber } from "./numbering.js";
import { getInvoiceRow, refreshStatus } from "./invoices.js";
import type { CreditNoteCreate, CreditNoteDto, CreditNoteQuery } from "./model.js";

type RawNote = {
  id: string;
  number: number;
  invoice_id: string;
  invoice_number: number | null;
  carrier_id: string;
  carrier_name: string;
  currency: string;
  reason: string;
  net: string;
  tax: string;
  total: string;
  created_by: string;
  created_at: Date;
};

async function selectNotes(db: Db, where: SQL, tail: SQL = sql``): Promise<CreditNoteDto[]> {
  const r = await db.execute<RawNote>(sql`
    SELECT n.id, n.number, n.invoice_id, i.number AS invoice_number, n.carrier_id, c.name AS carrier_name, n.currency, n.reason,
      n.net_micros::text AS net, n.tax_micros::text AS tax, n.total_micros::text AS total, n.created_by, n.created_at
    FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id JOIN carriers c ON c.id = n.carrier_id AND c.tenant_id = n.tenant_id
    WHERE ${where} ${tail}`);
  return r.rows.map((n) => ({
    id: n.id,
    number: n.number,
    invoiceId: n.invoice_id,
    invoiceNumber: n.invoice_number,
    carrierId: n.carrier_id,
    carrierName: n.carrier_name,
    currency: n.currency,
    reason: n.reason,
    net: BigInt(n.net),
    tax: BigInt(n.tax),
    total: BigInt(n.total),
    createdBy: n.created_by,
    createdAt: new Date(n.created_at),
  }));
}

export async function getCreditNote(db: Db, params: { tenantId: string; id: string }): Promise<CreditNoteDto> {
  const [n] = await selectNotes(db, sql`n.tenant_id = ${params.tenantId} AND n.id = ${params.id}`);
  if (!n) throw notFound("Credit note");
  return n;
}

const SORT: Record<string, SQL> = { createdAt: sql`n.created_at`, number: sql`n.number`, total: sql`n.total_micros` };

export async function listCreditNotes(db: Db, params: { tenantId: string; query: CreditNoteQuery }): Promise<Page<CreditNoteDto>> {
  const { tenantId, query } = params;
  const f: SQL[] = [sql`n.tenant_id = ${tenantId}`];
  if (query.carrierId) f.push(sql`n.carrier_id = ${query.carrierId}`);
  if (query.invoiceId) f.push(sql`n.invoice_id = ${query.invoiceId}`);
  if (query.currency) f.push(sql`n.currency = ${query.currency}`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [string, "asc" | "desc"];
  const [rows, total] = await Promise.all([
    selectNotes(db, where, sql`ORDER BY ${SORT[field]!} ${sql.raw(dir === "desc" ? "DESC" : "ASC")}, n.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM credit_notes n WHERE ${where}`),
  ]);
  return { rows, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

/**
 * Credits an issued invoice, fully or in part (whole minor units, at most what is not
 * credited yet), with a reason: the net share goes back from revenue and the tax share
 * from tax to the customer (code `credit_note`), numbered gaplessly, in one transaction.
 */
export async function createCreditNote(tx: TxDb, actor: Actor, input: CreditNoteCreate): Promise<CreditNoteDto> {
  const tenantId = actor.tenantId;
  const locked = await tx.execute(sql`SELECT id FROM invoices WHERE tenant_id = ${tenantId} AND id = ${input.invoiceId} FOR UPDATE`);
  if (!locked.rows.length) throw badRequest("No such invoice", { invoiceId: ["no such invoice"] });
  const inv = await getInvoiceRow(tx, { tenantId, id: input.invoiceId });
  if (inv.status === "draft" || inv.status === "void") throw conflict(`A ${inv.status} invoice cannot be credited`);
  const remaining = inv.total - inv.credited;
  const amount = input.amount ?? remaining;
  const fields: Record<string, string[]> = {};
  if (amount <= 0n) fields.amount = [remaining <= 0n ? "the invoice is fully credited" : "must be positive"];
  else if (amount > remaining) fields.amount = [`at most ${formatMoney(remaining)} is left to credit`];
  else if (amount % microsPerMinorUnit(inv.currency) !== 0n) fields.amount = [`whole minor units of ${inv.currency}`];
  if (Object.keys(fields).length) throw new AppError(422, "validation_failed", "The amount cannot be credited", fields);
  const split = splitCredit(amount, { totalMicros: inv.total, taxMicros: inv.tax, creditedMicros: inv.credited, creditedTaxMicros: inv.creditedTax, currency: inv.currency });
  const id = newId();
  const base = { carrierId: inv.carrierId, currency: inv.currency, reference: { type: "credit_note", id } };
  const transfers: TransferRequest[] = [];
  if (split.netMicros > 0n) transfers.push({ ...base, op: "credit_note", leg: "revenue", key: `credit_note:${id}:net`, amountMicros: split.netMicros });
  if (split.taxMicros > 0n) transfers.push({ ...base, op: "credit_note", leg: "tax", key: `credit_note:${id}:tax`, amountMicros: split.taxMicros });
  await postDocumentTransfers(tx, { tenantId, transfers });
  const number = await nextNumber(tx, { tenantId, kind: "credit_note" });
  await tx.execute(sql`
    INSERT INTO credit_notes (id, tenant_id, number, invoice_id, carrier_id, currency, reason, net_micros, tax_micros, total_micros, created_by)
    VALUES (${id}, ${tenantId}, ${number}, ${inv.id}, ${inv.carrierId}, ${inv.currency}, ${input.reason}, ${split.netMicros}, ${split.taxMicros}, ${amount}, ${actor.label})`);
  await refreshStatus(tx, { tenantId, id: inv.id });
  const note = await getCreditNote(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "credit_note.create", entityType: "credit_note", entityId: id, after: { ...note, net: formatMoney(note.net), tax: formatMoney(note.tax), total: formatMoney(note.total) } });
  return note;
}
