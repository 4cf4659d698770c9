import { sql, type SQL } from "drizzle-orm";
import { recordAudit, type Actor } from "../audit/audit.js";
import type { Db, TxDb } from "../platform/db/client.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { postSupplierCredit } from "../ledger/operations.js";
import { advanceInvoice, getInvoice } from "./invoices.js";
import { getRun } from "./runs.js";
import type { z } from "zod";
import type { DisputeCreate, DisputeDto, DisputeQuery, DisputeResolve, disputeEventDto } from "./model.js";

type EventDto = z.output<typeof disputeEventDto>;

type RawDispute = {
  id: string;
  carrier_id: string;
  carrier_name: string | null;
  run_id: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  currency: string;
  disputed: string;
  agreed: string | null;
  result_seqs: number[];
  note: string;
  status: DisputeDto["status"];
  transfer_id: string | null;
  created_by: string;
  created_at: Date;
  resolved_at: Date | null;
};

async function selectDisputes(db: Db, where: SQL, tail: SQL = sql``): Promise<DisputeDto[]> {
  const r = await db.execute<RawDispute>(sql`
    SELECT d.id, d.carrier_id, c.name AS carrier_name, d.run_id, d.invoice_id, i.invoice_number, d.currency, d.disputed_amount_micros::text AS disputed,
      d.agreed_amount_micros::text AS agreed, d.result_seqs, d.note, d.status, d.transfer_id, d.created_by, d.created_at, d.resolved_at
    FROM supplier_disputes d
    LEFT JOIN carriers c ON c.id = d.carrier_id AND c.tenant_id = d.tenant_id
    LEFT JOIN supplier_invoices i ON i.id = d.invoice_id AND i.tenant_id = d.tenant_id
    WHERE ${where} ${tail}`);
  return r.rows.map((x) => ({
    id: x.id,
    carrierId: x.carrier_id,
    carrierName: x.carrier_name,
    runId: x.run_id,
    invoiceId: x.invoice_id,
    invoiceNumber: x.invoice_number,
    currency: x.currency,
    disputedAmount: BigInt(x.disputed),
    agreedAmount: x.agreed === null ? null : BigInt(x.agreed),
    resultSeqs: x.result_seqs,
    note: x.note,
    status: x.status,
    transferId: x.transfer_id,
    createdBy: x.created_by,
    createdAt: new Date(x.created_at),
    resolvedAt: x.resolved_at ? new Date(x.resolved_at) : null,
  }));
}

export async function getDispute(db: Db, params: { tenantId: string; id: string; lock?: boolean }): Promise<DisputeDto> {
  if (params.lock) await db.execute(sql`SELECT 1 FROM supplier_disputes WHERE tenant_id = ${params.tenantId} AND id = ${params.id} FOR UPDATE`);
  const [d] = await selectDisputes(db, sql`d.tenant_id = ${params.tenantId} AND d.id = ${params.id}`);
  if (!d) throw notFound("Dispute");
  return d;
}

export async function getDisputeDetail(db: Db, params: { tenantId: string; id: string }): Promise<DisputeDto & { events: EventDto[] }> {
  const dispute = await getDispute(db, params);
  const r = await db.execute<{ id: string; action: string; from_status: EventDto["fromStatus"]; to_status: EventDto["toStatus"]; amount: string | null; note: string | null; actor: string; created_at: Date }>(sql`
    SELECT id, action, from_status, to_status, amount_micros::text AS amount, note, actor, created_at FROM supplier_dispute_events
    WHERE tenant_id = ${params.tenantId} AND dispute_id = ${params.id} ORDER BY created_at, id`);
  const events = r.rows.map((e) => ({ id: e.id, action: e.action, fromStatus: e.from_status, toStatus: e.to_status, amount: e.amount === null ? null : BigInt(e.amount), note: e.note, actor: e.actor, createdAt: new Date(e.created_at) }));
  return { ...dispute, events };
}

const SORT = { createdAt: sql`d.created_at`, disputedAmount: sql`d.disputed_amount_micros` };

export async function listDisputes(db: Db, params: { tenantId: string; query: DisputeQuery }): Promise<Page<DisputeDto>> {
  const { tenantId, query } = params;
  const f = [sql`d.tenant_id = ${tenantId}`];
  if (query.carrierId) f.push(sql`d.carrier_id = ${query.carrierId}`);
  if (query.runId) f.push(sql`d.run_id = ${query.runId}`);
  if (query.status) f.push(sql`d.status = ${query.status}`);
  if (query.q) f.push(sql`(d.note ILIKE ${likePattern(query.q)} OR c.name ILIKE ${likePattern(query.q)} OR i.invoice_number ILIKE ${likePattern(query.q)})`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [keyof typeof SORT, string];
  const d = sql.raw(dir === "desc" ? "DESC" : "ASC");
  const [rows, total] = await Promise.all([
    selectDisputes(db, where, sql`ORDER BY ${SORT[field]} ${d}, d.id ${d} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM supplier_disputes d LEFT JOIN carriers c ON c.id = d.carrier_id AND c.tenant_id = d.tenant_id
      LEFT JOIN supplier_invoices i ON i.id = d.invoice_id AND i.tenant_id = d.tenant_id WHERE ${where}`),
  ]);
  return { rows, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

async function addEvent(tx: TxDb, actor: Actor, e: { disputeId: string; action: string; from: string | null; to: string; amountMicros?: bigint | null; note: string | null }) {
  await tx.execute(sql`
    INSERT INTO supplier_dispute_events (id, tenant_id, dispute_id, action, from_status, to_status, amount_micros, note, actor)
    VALUES (${newId()}, ${actor.tenantId}, ${e.disputeId}, ${e.action}, ${e.from}, ${e.to}, ${e.amountMicros ?? null}, ${e.note}, ${actor.label})`);
}

const audited = ({ carrierName: _c, invoiceNumber: _i, createdAt: _a, createdBy: _b, ...rest }: DisputeDto) => rest;

/** Opens a dispute from a run (carrier, currency and invoice follow it) or against a supplier invoice. */
export async function openDispute(tx: TxDb, actor: Actor, input: DisputeCreate): Promise<DisputeDto> {
  const tenantId = actor.tenantId;
  const run = input.runId ? await getRun(tx, { tenantId, id: input.runId }).catch(() => null) : null;
  if (input.runId && !run) throw badRequest("No such reconciliation run", { runId: ["no such run"] });
  const invoiceId = input.invoiceId ?? run?.invoiceId ?? null;
  const invoice = invoiceId ? await getInvoice(tx, { tenantId, id: invoiceId }).catch(() => null) : null;
  if (invoiceId && !invoice) throw badRequest("No such supplier invoice", { invoiceId: ["no such invoice"] });
  if (run && invoice && run.invoiceId !== invoice.id) throw badRequest("The run reconciles another invoice", { invoiceId: ["not the run's invoice"] });
  if (input.resultSeqs.length) {
    if (!run) throw badRequest("Result rows belong to a run", { resultSeqs: ["name the run"] });
    const found = await tx.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM reconciliation_results WHERE tenant_id = ${tenantId} AND run_id = ${run.id} AND seq = ANY(${sql.param(input.resultSeqs)}::int[])`);
    if (found.rows[0]!.n !== new Set(input.resultSeqs).size) throw badRequest("Some result rows are not in the run", { resultSeqs: ["not in the run"] });
  }
  const source = (run ?? invoice)!;
  const id = newId();
  await tx.execute(sql`
    INSERT INTO supplier_disputes (id, tenant_id, carrier_id, run_id, invoice_id, currency, disputed_amount_micros, result_seqs, note, created_by)
    VALUES (${id}, ${tenantId}, ${source.carrierId}, ${run?.id ?? null}, ${invoiceId}, ${source.currency}, ${input.disputedAmount},
      ${sql.param([...new Set(input.resultSeqs)].sort((a, b) => a - b))}::int[], ${input.note}, ${actor.label})`);
  await addEvent(tx, actor, { disputeId: id, action: "open", from: null, to: "open", amountMicros: input.disputedAmount, note: input.note });
  if (invoiceId) await advanceInvoice(tx, actor, { id: invoiceId, from: ["received", "reconciling", "reconciled"], to: "disputed" });
  const dispute = await getDispute(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "supplier_dispute.open", entityType: "supplier_dispute", entityId: id, after: audited(dispute) });
  return dispute;
}

export async function addDisputeNote(tx: TxDb, actor: Actor, id: string, note: string): Promise<void> {
  const d = await getDispute(tx, { tenantId: actor.tenantId, id, lock: true });
  await addEvent(tx, actor, { disputeId: id, action: "note", from: d.status, to: d.status, note });
  await recordAudit(tx, actor, { action: "supplier_dispute.note", entityType: "supplier_dispute", entityId: id, after: { note } });
}

/**
 * Resolves an open dispute. Agreed: the supplier credits us the agreed amount (at most
 * what was disputed), posted once to their payable through the ledger, keyed by the
 * dispute. Rejected (they stand by their bill) and written off (we accept it) post nothing.
 */
export async function resolveDispute(tx: TxDb, actor: Actor, id: string, input: DisputeResolve): Promise<DisputeDto> {
  const tenantId = actor.tenantId;
  const before = await getDispute(tx, { tenantId, id, lock: true });
  if (before.status !== "open") throw conflict(`The dispute is already ${before.status.replace("_", " ")}`);
  let transferId: string | null = null;
  let agreed: bigint | null = null;
  if (input.outcome === "agreed") {
    if (input.agreedAmount > before.disputedAmount) throw badRequest("More than was disputed", { agreedAmount: ["must not exceed the disputed amount"] });
    agreed = input.agreedAmount;
    ({ transferId } = await postSupplierCredit(tx, { tenantId, carrierId: before.carrierId, currency: before.currency, amountMicros: agreed, reference: { type: "supplier_dispute", id } }));
  }
  await tx.execute(sql`
    UPDATE supplier_disputes SET status = ${input.outcome}, agreed_amount_micros = ${agreed}, transfer_id = ${transferId}, resolved_at = clock_timestamp()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
  await addEvent(tx, actor, { disputeId: id, action: input.outcome, from: "open", to: input.outcome, amountMicros: agreed, note: input.note });
  const after = await getDispute(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: `supplier_dispute.${input.outcome}`, entityType: "supplier_dispute", entityId: id, before: audited(before), after: { ...audited(after), note: input.note } });
  return after;
}
