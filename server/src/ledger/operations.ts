import { sql } from "drizzle-orm";
import type { Actor } from "../audit/audit.js";
import { recordAudit } from "../audit/audit.js";
import type { Db, TxDb } from "../platform/db/client.js";
import { AppError, badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { LedgerRuleError, type LedgerErrorCode, type TransferRequest } from "./engine/index.js";
import type { PaymentCreate, PaymentDto, PaymentQuery, TransferDto } from "./model.js";
import { postTransfers, type PostResult } from "./post.js";
import { getTransfer } from "./queries.js";

/** The ledger's own writes made through the API: payments and reversals, each audited. */

const STATUS: Record<LedgerErrorCode, number> = {
  invalid_amount: 422,
  invalid_currency: 422,
  invalid_key: 422,
  currency_mismatch: 422,
  same_account: 422,
  amount_exceeds_pending: 422,
  unknown_account: 404,
  unknown_transfer: 404,
  not_pending: 409,
  pending_resolved: 409,
  not_reversible: 409,
  already_reversed: 409,
  idempotency_conflict: 409,
  credit_limit_exceeded: 409,
};

/** postTransfers for a request handler: a refused posting becomes the API error of the same code. */
async function post(tx: TxDb, params: { tenantId: string; transfers: TransferRequest[] }): Promise<PostResult> {
  try {
    return await postTransfers(tx, params);
  } catch (err) {
    if (err instanceof LedgerRuleError) throw new AppError(STATUS[err.code], err.code, err.message);
    throw err;
  }
}

/** Reverses a posted transfer (a correction: never an edit), recording why. */
export async function reverseTransfer(tx: TxDb, actor: Actor, id: string, reason: string): Promise<TransferDto> {
  const original = await getTransfer(tx, { tenantId: actor.tenantId, id });
  if (original.reversedById) throw new AppError(409, "already_reversed", "This transfer is already reversed");
  const result = await post(tx, { tenantId: actor.tenantId, transfers: [{ op: "reverse", key: `reversal:${id}`, transferId: id }] });
  const reversal = result.results[0]!.transfers[0]!;
  await recordAudit(tx, actor, {
    action: "ledger.reverse",
    entityType: "ledger_transfer",
    entityId: id,
    before: { code: original.code, amount: original.amount, currency: original.currency, referenceType: original.referenceType, referenceId: original.referenceId },
    after: { reversalId: reversal.id, reason },
  });
  return getTransfer(tx, { tenantId: actor.tenantId, id: reversal.id });
}

/**
 * A credit a supplier agreed to give us (e.g. a settled billing dispute) reduces what we
 * owe them: debits their supplier account against cost of sales. Keyed by the business
 * record, so posting it again for the same record changes nothing. The caller audits it.
 */
export async function postSupplierCredit(
  tx: TxDb,
  params: { tenantId: string; carrierId: string; currency: string; amountMicros: bigint; reference: { type: string; id: string } },
): Promise<{ transferId: string; replayed: boolean }> {
  const { tenantId, carrierId, currency, amountMicros, reference } = params;
  const result = await post(tx, {
    tenantId,
    transfers: [{ op: "adjustment", side: "supplier", direction: "debit", key: `${reference.type}:${reference.id}`, carrierId, currency, amountMicros, reference }],
  });
  const r = result.results[0]!;
  return { transferId: r.transfers[0]!.id, replayed: r.replayed };
}

const OP = {
  customer: { payment: "payment", refund: "refund" },
  supplier: { payment: "supplier_payment", refund: "supplier_refund" },
} as const;

/** Who can be paid in which direction: customer money needs a customer role, supplier money a supplier role. */
const ROLE_OF: Record<string, readonly string[]> = { customer: ["customer", "bilateral"], supplier: ["supplier", "bilateral"] };

/**
 * Records a payment or refund against a carrier and posts it to the ledger: a
 * customer's payment debits cash and credits their account; our payment to a supplier
 * debits their account and credits cash; refunds go the other way. With an
 * idempotency key, recording it again returns the first one (`replayed`).
 */
export async function recordPayment(tx: TxDb, actor: Actor, input: PaymentCreate): Promise<{ payment: PaymentDto; replayed: boolean }> {
  const tenantId = actor.tenantId;
  if (input.idempotencyKey) {
    // Two identical requests at once queue here, so the second finds the first.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`payment:${tenantId}:${input.idempotencyKey}`}))`);
    const [earlier] = await selectPayments(tx, sql`p.tenant_id = ${tenantId} AND p.idempotency_key = ${input.idempotencyKey}`);
    if (earlier) {
      const same =
        earlier.carrierId === input.carrierId && earlier.direction === input.direction && earlier.kind === input.kind && earlier.amount === input.amount && earlier.currency === input.currency;
      if (!same) throw conflict("This idempotency key was used for a different payment", { idempotencyKey: ["already used for another payment"] });
      return { payment: earlier, replayed: true };
    }
  }
  const found = await tx.execute<{ type: string; currencies: string[] }>(sql`
    SELECT type, array_remove(ARRAY[primary_currency, currency_2, currency_3], NULL) AS currencies
    FROM carriers WHERE tenant_id = ${tenantId} AND id = ${input.carrierId} AND deleted_at IS NULL`);
  const carrier = found.rows[0];
  if (!carrier) throw badRequest("No such carrier", { carrierId: ["no such carrier"] });
  const fields: Record<string, string[]> = {};
  if (!ROLE_OF[input.direction]!.includes(carrier.type)) fields.direction = [`a ${carrier.type} carrier has no ${input.direction} account`];
  if (!carrier.currencies.includes(input.currency)) fields.currency = [`the carrier's currencies are ${carrier.currencies.join(", ")}`];
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (input.paidOn > tomorrow) fields.paidOn = ["must not be in the future"];
  if (input.paidOn < "2000-01-01") fields.paidOn = ["must be after 2000"];
  if (Object.keys(fields).length) throw badRequest("The payment does not fit the carrier", fields);

  const id = newId();
  const result = await post(tx, {
    tenantId,
    transfers: [{ op: OP[input.direction][input.kind], key: `payment:${id}`, carrierId: input.carrierId, currency: input.currency, amountMicros: input.amount, reference: { type: "payment", id } }],
  });
  const transferId = result.results[0]!.transfers[0]!.id;
  await tx.execute(sql`
    INSERT INTO payments (id, tenant_id, carrier_id, direction, kind, method, reference, paid_on, amount_micros, currency, note, transfer_id, idempotency_key, recorded_by)
    VALUES (${id}, ${tenantId}, ${input.carrierId}, ${input.direction}, ${input.kind}, ${input.method}, ${input.reference}, ${input.paidOn}, ${input.amount}, ${input.currency},
      ${input.note}, ${transferId}, ${input.idempotencyKey ?? null}, ${actor.label})`);
  const payment = (await selectPayments(tx, sql`p.tenant_id = ${tenantId} AND p.id = ${id}`))[0]!;
  const { carrierName: _n, reversedById: _r, createdAt: _c, ...after } = payment;
  await recordAudit(tx, actor, { action: `payment.record`, entityType: "payment", entityId: id, after });
  return { payment, replayed: false };
}

type RawPayment = {
  id: string;
  carrier_id: string;
  carrier_name: string | null;
  direction: PaymentDto["direction"];
  kind: PaymentDto["kind"];
  method: PaymentDto["method"];
  reference: string | null;
  paid_on: string;
  amount: string;
  currency: string;
  note: string | null;
  transfer_id: string;
  reversed_by_id: string | null;
  recorded_by: string;
  created_at: Date;
};

async function selectPayments(db: Db, where: ReturnType<typeof sql>, tail = sql``): Promise<PaymentDto[]> {
  const r = await db.execute<RawPayment>(sql`
    SELECT p.id, p.carrier_id, c.name AS carrier_name, p.direction, p.kind, p.method, p.reference, p.paid_on::text AS paid_on, p.amount_micros::text AS amount,
      p.currency, p.note, p.transfer_id, rv.id AS reversed_by_id, p.recorded_by, p.created_at
    FROM payments p
    LEFT JOIN carriers c ON c.id = p.carrier_id AND c.tenant_id = p.tenant_id
    LEFT JOIN ledger_transfers rv ON rv.reverses_id = p.transfer_id
    WHERE ${where} ${tail}`);
  return r.rows.map((x) => ({
    id: x.id,
    carrierId: x.carrier_id,
    carrierName: x.carrier_name,
    direction: x.direction,
    kind: x.kind,
    method: x.method,
    reference: x.reference,
    paidOn: x.paid_on,
    amount: BigInt(x.amount),
    currency: x.currency,
    note: x.note,
    transferId: x.transfer_id,
    reversedById: x.reversed_by_id,
    recordedBy: x.recorded_by,
    createdAt: new Date(x.created_at),
  }));
}

export async function getPayment(db: Db, params: { tenantId: string; id: string }): Promise<PaymentDto> {
  const [p] = await selectPayments(db, sql`p.tenant_id = ${params.tenantId} AND p.id = ${params.id}`);
  if (!p) throw notFound("Payment");
  return p;
}

const PAYMENT_SORT = { paidOn: sql`p.paid_on`, amount: sql`p.amount_micros`, createdAt: sql`p.created_at` };

export async function listPayments(db: Db, params: { tenantId: string; query: PaymentQuery }): Promise<Page<PaymentDto>> {
  const { tenantId, query } = params;
  const f = [sql`p.tenant_id = ${tenantId}`];
  if (query.carrierId) f.push(sql`p.carrier_id = ${query.carrierId}`);
  if (query.direction) f.push(sql`p.direction = ${query.direction}`);
  if (query.kind) f.push(sql`p.kind = ${query.kind}`);
  if (query.method) f.push(sql`p.method = ${query.method}`);
  if (query.currency) f.push(sql`p.currency = ${query.currency}`);
  if (query.from) f.push(sql`p.paid_on >= ${query.from}`);
  if (query.to) f.push(sql`p.paid_on <= ${query.to}`);
  if (query.q) f.push(sql`(p.reference ILIKE ${likePattern(query.q)} OR c.name ILIKE ${likePattern(query.q)} OR p.note ILIKE ${likePattern(query.q)})`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [keyof typeof PAYMENT_SORT, "asc" | "desc"];
  const d = sql.raw(dir === "desc" ? "DESC" : "ASC");
  const [rows, total] = await Promise.all([
    selectPayments(db, where, sql`ORDER BY ${PAYMENT_SORT[field]} ${d}, p.created_at ${d}, p.id ${d} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM payments p LEFT JOIN carriers c ON c.id = p.carrier_id AND c.tenant_id = p.tenant_id WHERE ${where}`),
  ]);
  return { rows, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

/**
 * Posts a business document's money (billing: invoices, credit notes, netting) in the
 * caller's transaction, through the one posting path; refusals become API errors.
 * Only invoice, credit_note and netting requests are accepted here.
 */
export async function postDocumentTransfers(tx: TxDb, params: { tenantId: string; transfers: TransferRequest[] }): Promise<PostResult> {
  const bad = params.transfers.find((t) => t.op !== "invoice" && t.op !== "credit_note" && t.op !== "netting");
  if (bad) throw new Error(`postDocumentTransfers: ${bad.op} is not a document posting`);
  return post(tx, params);
}

/**
 * Reverses every live transfer a document posted (those referring to it that are not
 * reversals and not yet reversed), keyed `reversal:<transfer id>`; returns how many.
 */
export async function reverseDocumentTransfers(tx: TxDb, params: { tenantId: string; reference: { type: string; id: string } }): Promise<number> {
  const live = await tx.execute<{ id: string }>(sql`
    SELECT t.id FROM ledger_transfers t
    WHERE t.tenant_id = ${params.tenantId} AND t.reference_type = ${params.reference.type} AND t.reference_id = ${params.reference.id} AND t.code <> 'reversal'
      AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.reverses_id = t.id)
    ORDER BY t.created_at, t.id`);
  if (!live.rows.length) return 0;
  await post(tx, { tenantId: params.tenantId, transfers: live.rows.map((r) => ({ op: "reverse" as const, key: `reversal:${r.id}`, transferId: r.id, reference: params.reference })) });
  return live.rows.length;
}
