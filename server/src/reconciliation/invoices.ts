import { sql, type SQL } from "drizzle-orm";
import { recordAudit, type Actor } from "../audit/audit.js";
import type { Db, TxDb } from "../platform/db/client.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { formatMoney } from "../platform/money.js";
import { refuseTakenOnRestore, type SoftDeletable } from "../recycle-bin/registry.js";
import type { InvoiceCreate, InvoiceDto, InvoicePatch, InvoiceQuery } from "./model.js";

/**
 * A supplier carrier of the tenant (supplier or bilateral, not deleted) billing in
 * `currency`; anything else is a field error on `field`.
 */
export async function checkSupplier(db: Db, params: { tenantId: string; carrierId: string; currency: string | null }): Promise<void> {
  const r = await db.execute<{ type: string; currencies: string[] }>(sql`
    SELECT type, array_remove(ARRAY[primary_currency, currency_2, currency_3], NULL) AS currencies
    FROM carriers WHERE tenant_id = ${params.tenantId} AND id = ${params.carrierId} AND deleted_at IS NULL`);
  const c = r.rows[0];
  if (!c) throw badRequest("No such carrier", { carrierId: ["no such carrier"] });
  if (c.type === "customer") throw badRequest("A customer carrier sends us no supplier invoices", { carrierId: ["not a supplier"] });
  if (params.currency && !c.currencies.includes(params.currency)) throw badRequest("The carrier does not bill in this currency", { currency: [`the carrier's currencies are ${c.currencies.join(", ")}`] });
}

type RawInvoice = {
  id: string;
  carrier_id: string;
  carrier_name: string | null;
  invoice_number: string;
  period_from: string;
  period_to: string;
  currency: string;
  billed: string;
  billed_calls: number | null;
  billed_duration_s: string | null;
  status: InvoiceDto["status"];
  note: string | null;
  lines: { destination: string; calls: number | null; durationS: number | null; amount: string }[] | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
};

async function selectInvoices(db: Db, where: SQL, tail: SQL = sql``): Promise<InvoiceDto[]> {
  const r = await db.execute<RawInvoice>(sql`
    SELECT i.id, i.carrier_id, c.name AS carrier_name, i.invoice_number, i.period_from::text AS period_from, i.period_to::text AS period_to, i.currency,
      i.billed_amount_micros::text AS billed, i.billed_calls, i.billed_duration_s::text AS billed_duration_s, i.status, i.note, i.created_by, i.created_at, i.updated_at,
      (SELECT json_agg(json_build_object('destination', l.destination, 'calls', l.calls, 'durationS', l.duration_s, 'amount', l.amount_micros::text) ORDER BY l.seq)
       FROM supplier_invoice_lines l WHERE l.invoice_id = i.id AND l.tenant_id = i.tenant_id) AS lines
    FROM supplier_invoices i LEFT JOIN carriers c ON c.id = i.carrier_id AND c.tenant_id = i.tenant_id
    WHERE i.deleted_at IS NULL AND ${where} ${tail}`);
  return r.rows.map((x) => ({
    id: x.id,
    carrierId: x.carrier_id,
    carrierName: x.carrier_name,
    invoiceNumber: x.invoice_number,
    periodFrom: x.period_from,
    periodTo: x.period_to,
    currency: x.currency,
    billedAmount: BigInt(x.billed),
    billedCalls: x.billed_calls,
    billedDurationS: x.billed_duration_s === null ? null : Number(x.billed_duration_s),
    status: x.status,
    note: x.note,
    lines: (x.lines ?? []).map((l) => ({ ...l, amount: BigInt(l.amount) })),
    createdBy: x.created_by,
    createdAt: new Date(x.created_at),
    updatedAt: new Date(x.updated_at),
  }));
}

export async function getInvoice(db: Db, params: { tenantId: string; id: string; lock?: boolean }): Promise<InvoiceDto> {
  if (params.lock) await db.execute(sql`SELECT 1 FROM supplier_invoices WHERE tenant_id = ${params.tenantId} AND id = ${params.id} FOR UPDATE`);
  const [row] = await selectInvoices(db, sql`i.tenant_id = ${params.tenantId} AND i.id = ${params.id}`);
  if (!row) throw notFound("Supplier invoice");
  return row;
}

const SORT = { periodFrom: sql`i.period_from`, billedAmount: sql`i.billed_amount_micros`, createdAt: sql`i.created_at` };

export async function listInvoices(db: Db, params: { tenantId: string; query: InvoiceQuery }): Promise<Page<InvoiceDto>> {
  const { tenantId, query } = params;
  const f = [sql`i.tenant_id = ${tenantId}`];
  if (query.carrierId) f.push(sql`i.carrier_id = ${query.carrierId}`);
  if (query.status) f.push(sql`i.status = ${query.status}`);
  if (query.q) f.push(sql`(i.invoice_number ILIKE ${likePattern(query.q)} OR c.name ILIKE ${likePattern(query.q)})`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [keyof typeof SORT, string];
  const d = sql.raw(dir === "desc" ? "DESC" : "ASC");
  const [rows, total] = await Promise.all([
    selectInvoices(db, where, sql`ORDER BY ${SORT[field]} ${d}, i.id ${d} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM supplier_invoices i LEFT JOIN carriers c ON c.id = i.carrier_id AND c.tenant_id = i.tenant_id WHERE i.deleted_at IS NULL AND ${where}`),
  ]);
  return { rows, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

async function replaceLines(tx: TxDb, tenantId: string, invoiceId: string, lines: InvoiceCreate["lines"]) {
  await tx.execute(sql`DELETE FROM supplier_invoice_lines WHERE tenant_id = ${tenantId} AND invoice_id = ${invoiceId}`);
  if (!lines.length) return;
  await tx.execute(sql`
    INSERT INTO supplier_invoice_lines (tenant_id, invoice_id, seq, destination, calls, duration_s, amount_micros)
    SELECT ${tenantId}, ${invoiceId}, l.seq, l.destination, l.calls, l.duration_s, l.amount
    FROM unnest(${sql.param(lines.map((_, i) => i + 1))}::int[], ${sql.param(lines.map((l) => l.destination))}::text[], ${sql.param(lines.map((l) => l.calls))}::int[],
                ${sql.param(lines.map((l) => l.durationS))}::bigint[], ${sql.param(lines.map((l) => l.amount.toString()))}::bigint[]) AS l(seq, destination, calls, duration_s, amount)`);
}

const duplicateNumber = () => conflict("This supplier already has an invoice with this number", { invoiceNumber: ["already recorded"] });

async function numberTaken(tx: TxDb, tenantId: string, carrierId: string, invoiceNumber: string, exceptId: string | null): Promise<boolean> {
  const r = await tx.execute(sql`
    SELECT 1 FROM supplier_invoices WHERE tenant_id = ${tenantId} AND carrier_id = ${carrierId} AND lower(invoice_number) = lower(${invoiceNumber})
      AND deleted_at IS NULL AND id IS DISTINCT FROM ${exceptId}::uuid`);
  return r.rows.length > 0;
}

// The audit log formats top-level money only: the lines' amounts go in as the API shows them.
const audited = ({ carrierName: _n, createdAt: _c, updatedAt: _u, createdBy: _b, lines, ...rest }: InvoiceDto) => ({ ...rest, lines: lines.map((l) => ({ ...l, amount: formatMoney(l.amount) })) });

export async function createInvoice(tx: TxDb, actor: Actor, input: InvoiceCreate): Promise<InvoiceDto> {
  const tenantId = actor.tenantId;
  await checkSupplier(tx, { tenantId, carrierId: input.carrierId, currency: input.currency });
  if (await numberTaken(tx, tenantId, input.carrierId, input.invoiceNumber, null)) throw duplicateNumber();
  const id = newId();
  await tx.execute(sql`
    INSERT INTO supplier_invoices (id, tenant_id, carrier_id, invoice_number, period_from, period_to, currency, billed_amount_micros, billed_calls, billed_duration_s, note, created_by)
    VALUES (${id}, ${tenantId}, ${input.carrierId}, ${input.invoiceNumber}, ${input.periodFrom}, ${input.periodTo}, ${input.currency}, ${input.billedAmount},
      ${input.billedCalls}, ${input.billedDurationS}, ${input.note}, ${actor.label})`);
  await replaceLines(tx, tenantId, id, input.lines);
  const invoice = await getInvoice(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "supplier_invoice.create", entityType: "supplier_invoice", entityId: id, after: audited(invoice) });
  return invoice;
}

export async function updateInvoice(tx: TxDb, actor: Actor, id: string, patch: InvoicePatch): Promise<InvoiceDto> {
  const tenantId = actor.tenantId;
  const before = await getInvoice(tx, { tenantId, id, lock: true });
  const next = { ...before, ...patch };
  if (next.periodFrom > next.periodTo) throw badRequest("The period ends before it starts", { periodTo: ["must not be before the start of the period"] });
  if (patch.invoiceNumber && (await numberTaken(tx, tenantId, before.carrierId, patch.invoiceNumber, id))) throw duplicateNumber();
  await tx.execute(sql`
    UPDATE supplier_invoices SET invoice_number = ${next.invoiceNumber}, period_from = ${next.periodFrom}, period_to = ${next.periodTo},
      billed_amount_micros = ${next.billedAmount}, billed_calls = ${next.billedCalls}, billed_duration_s = ${next.billedDurationS}, note = ${next.note},
      status = ${next.status}, updated_at = clock_timestamp()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
  if (patch.lines) await replaceLines(tx, tenantId, id, patch.lines);
  const after = await getInvoice(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "supplier_invoice.update", entityType: "supplier_invoice", entityId: id, before: audited(before), after: audited(after) });
  return after;
}

export async function deleteInvoice(tx: TxDb, actor: Actor, id: string): Promise<void> {
  const before = await getInvoice(tx, { tenantId: actor.tenantId, id, lock: true });
  await tx.execute(sql`UPDATE supplier_invoices SET deleted_at = clock_timestamp() WHERE tenant_id = ${actor.tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "supplier_invoice.delete", entityType: "supplier_invoice", entityId: id, before: audited(before) });
}

/** Moves an invoice along as its reconciliation and disputes go (only forward from the named states). */
export async function advanceInvoice(tx: TxDb, actor: Actor, params: { id: string; from: readonly InvoiceDto["status"][]; to: InvoiceDto["status"] }): Promise<void> {
  const r = await tx.execute<{ status: string }>(sql`
    UPDATE supplier_invoices i SET status = ${params.to}, updated_at = clock_timestamp()
    FROM (SELECT id, status FROM supplier_invoices WHERE tenant_id = ${actor.tenantId} AND id = ${params.id} FOR UPDATE) old
    WHERE i.id = old.id AND i.tenant_id = ${actor.tenantId} AND old.status = ANY(${sql.param(params.from)}::text[])
    RETURNING old.status`);
  const from = r.rows[0]?.status;
  if (from) await recordAudit(tx, actor, { action: "supplier_invoice.status", entityType: "supplier_invoice", entityId: params.id, before: { status: from }, after: { status: params.to } });
}

/** Invoices are soft-deleted; restoring one refuses a number a live invoice of the supplier now has. */
export const supplierInvoicesSoftDelete: SoftDeletable = {
  entityType: "supplier_invoice",
  label: "Supplier invoice",
  table: "supplier_invoices",
  titleColumn: "invoice_number",
  beforeRestore: refuseTakenOnRestore({ table: "supplier_invoices", column: "invoice_number", scope: ["tenant_id", "carrier_id"], error: duplicateNumber }),
  beforePurge: async (tx, { tenantId, id }) => {
    // Runs and disputes keep their own figures; they only lose the link.
    await tx.execute(sql`UPDATE reconciliation_runs SET invoice_id = NULL WHERE tenant_id = ${tenantId} AND invoice_id = ${id}`);
    await tx.execute(sql`UPDATE supplier_disputes SET invoice_id = NULL WHERE tenant_id = ${tenantId} AND invoice_id = ${id}`);
    await tx.execute(sql`DELETE FROM supplier_invoice_lines WHERE tenant_id = ${tenantId} AND invoice_id = ${id}`);
  },
};
