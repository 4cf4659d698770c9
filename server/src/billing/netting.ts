import { sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { AppError, badRequest, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { formatMoney } from "../platform/money.js";
import { postDocumentTransfers } from "../ledger/operations.js";
import { parseIsoDate, startOfLocalDay } from "./engine/cycle.js";
import { carrierBillingInfo } from "./settings.js";
import type { NettingDto } from "./model.js";
import type { z } from "zod";
import type { nettingCreate, nettingQuery } from "./model.js";

type RawNetting = {
  id: string;
  carrier_id: string;
  carrier_name: string;
  currency: string;
  first_day: string;
  last_day: string;
  status: NettingDto["status"];
  they: string;
  we: string;
  amount: string;
  accepted: string | null;
  transfer_id: string | null;
  note: string | null;
  reject_reason: string | null;
  created_by: string;
  created_at: Date;
  sent_at: Date | null;
  decided_at: Date | null;
};

async function selectNetting(db: Db, where: SQL, tail: SQL = sql``): Promise<NettingDto[]> {
  const r = await db.execute<RawNetting>(sql`
    SELECT n.id, n.carrier_id, c.name AS carrier_name, n.currency, n.first_day::text AS first_day, n.last_day::text AS last_day, n.status,
      n.they_owe_micros::text AS they, n.we_owe_micros::text AS we, n.amount_micros::text AS amount, n.accepted_amount_micros::text AS accepted,
      n.transfer_id, n.note, n.reject_reason, n.created_by, n.created_at, n.sent_at, n.decided_at
    FROM netting_requests n JOIN carriers c ON c.id = n.carrier_id AND c.tenant_id = n.tenant_id
    WHERE ${where} ${tail}`);
  return r.rows.map((n) => ({
    id: n.id,
    carrierId: n.carrier_id,
    carrierName: n.carrier_name,
    currency: n.currency,
    firstDay: n.first_day,
    lastDay: n.last_day,
    status: n.status,
    theyOwe: BigInt(n.they),
    weOwe: BigInt(n.we),
    amount: BigInt(n.amount),
    acceptedAmount: n.accepted === null ? null : BigInt(n.accepted),
    transferId: n.transfer_id,
    note: n.note,
    rejectReason: n.reject_reason,
    createdBy: n.created_by,
    createdAt: new Date(n.created_at),
    sentAt: n.sent_at && new Date(n.sent_at),
    decidedAt: n.decided_at && new Date(n.decided_at),
  }));
}

export async function getNetting(db: Db, params: { tenantId: string; id: string }): Promise<NettingDto> {
  const [n] = await selectNetting(db, sql`n.tenant_id = ${params.tenantId} AND n.id = ${params.id}`);
  if (!n) throw notFound("Netting request");
  return n;
}

const SORT: Record<string, SQL> = { createdAt: sql`n.created_at`, amount: sql`n.amount_micros` };

export async function listNetting(db: Db, params: { tenantId: string; query: z.output<typeof nettingQuery> }): Promise<Page<NettingDto>> {
  const { tenantId, query } = params;
  const f: SQL[] = [sql`n.tenant_id = ${tenantId}`];
  if (query.carrierId) f.push(sql`n.carrier_id = ${query.carrierId}`);
  if (query.status) f.push(sql`n.status = ${query.status}`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [string, "asc" | "desc"];
  const [rows, total] = await Promise.all([
    selectNetting(db, where, sql`ORDER BY ${SORT[field]!} ${sql.raw(dir === "desc" ? "DESC" : "ASC")}, n.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM netting_requests n WHERE ${where}`),
  ]);
  return { rows, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

/** What they owe us (customer account below zero) and we owe them (supplier account below zero), at an instant (null: now). */
export async function owedAt(db: Db, params: { tenantId: string; carrierId: string; currency: string; at: Date | null }): Promise<{ theyOwe: bigint; weOwe: bigint }> {
  const r = await db.execute<{ kind: string; bal: string }>(sql`
    SELECT a.kind, coalesce(sum(CASE WHEN t.credit_account_id = a.id THEN t.amount_micros ELSE -t.amount_micros END), 0)::text AS bal
    FROM ledger_accounts a
    LEFT JOIN ledger_transfers t ON (t.debit_account_id = a.id OR t.credit_account_id = a.id) AND t.flags IN (0, 4) ${params.at ? sql`AND t.created_at < ${params.at}` : sql``}
    WHERE a.tenant_id = ${params.tenantId} AND a.carrier_id = ${params.carrierId} AND a.currency = ${params.currency} AND a.kind IN ('customer', 'supplier')
    GROUP BY a.kind`);
  const credits = (kind: string) => BigInt(r.rows.find((x) => x.kind === kind)?.bal ?? "0");
  // customer: credits − debits (negative: they owe); supplier: debits − credits (negative: we owe).
  const customer = credits("customer");
  const supplier = -credits("supplier");
  return { theyOwe: customer < 0n ? -customer : 0n, weOwe: supplier < 0n ? -supplier : 0n };
}

/** A draft netting request for a bilateral carrier and period, both sides computed from the ledger at the period end. */
export async function createNetting(tx: TxDb, actor: Actor, input: z.output<typeof nettingCreate>): Promise<NettingDto> {
  const tenantId = actor.tenantId;
  const info = await carrierBillingInfo(tx, { tenantId, carrierId: input.carrierId }).catch((err: unknown) => {
    if (err instanceof AppError && err.statusCode === 404) throw badRequest("No such carrier", { carrierId: ["no such carrier"] });
    throw err;
  });
  if (info.type !== "bilateral") throw badRequest("Netting is for bilateral carriers", { carrierId: ["not a bilateral carrier"] });
  if (input.to < input.from) throw badRequest("The period ends before it starts", { to: ["must not be before from"] });
  const currency = input.currency ?? info.currency;
  const start = startOfLocalDay(parseIsoDate(input.from), info.timeZone);
  const end = startOfLocalDay(parseIsoDate(input.to) + 1, info.timeZone);
  // A period still running (ending today or later) is taken as it stands now.
  const owed = await owedAt(tx, { tenantId, carrierId: input.carrierId, currency, at: end.getTime() > Date.now() ? null : end });
  const amount = owed.theyOwe < owed.weOwe ? owed.theyOwe : owed.weOwe;
  if (amount <= 0n) throw new AppError(422, "nothing_to_net", `At ${input.to} they owe ${formatMoney(owed.theyOwe, 2)} and we owe ${formatMoney(owed.weOwe, 2)} ${currency}: nothing to set off`);
  const id = newId();
  await tx.execute(sql`
    INSERT INTO netting_requests (id, tenant_id, carrier_id, currency, first_day, last_day, period_start, period_end, status, they_owe_micros, we_owe_micros, amount_micros, note, created_by)
    VALUES (${id}, ${tenantId}, ${input.carrierId}, ${currency}, ${input.from}, ${input.to}, ${start}, ${end}, 'draft', ${owed.theyOwe}, ${owed.weOwe}, ${amount}, ${input.note ?? null}, ${actor.label})`);
  const dto = await getNetting(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "netting.create", entityType: "netting_request", entityId: id, after: { ...dto, theyOwe: formatMoney(dto.theyOwe), weOwe: formatMoney(dto.weOwe), amount: formatMoney(dto.amount) } });
  return dto;
}

async function lockNetting(tx: TxDb, tenantId: string, id: string): Promise<NettingDto> {
  const r = await tx.execute(sql`SELECT id FROM netting_requests WHERE tenant_id = ${tenantId} AND id = ${id} FOR UPDATE`);
  if (!r.rows.length) throw notFound("Netting request");
  return getNetting(tx, { tenantId, id });
}

export async function sendNetting(tx: TxDb, actor: Actor, id: string): Promise<NettingDto> {
  const n = await lockNetting(tx, actor.tenantId, id);
  if (n.status !== "draft") throw conflict(`The request is ${n.status}: only a draft is sent`);
  await tx.execute(sql`UPDATE netting_requests SET status = 'sent', sent_at = now() WHERE tenant_id = ${actor.tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "netting.send", entityType: "netting_request", entityId: id, before: { status: n.status }, after: { status: "sent" } });
  return getNetting(tx, { tenantId: actor.tenantId, id });
}

/**
 * The carrier accepted: one `netting` transfer (debit supplier, credit customer) of the
 * accepted amount (default: the proposed one; never more). Refused when today's
 * balances no longer owe that much both ways (payments since then).
 */
export async function acceptNetting(tx: TxDb, actor: Actor, id: string, input: { amount?: bigint }): Promise<NettingDto> {
  const tenantId = actor.tenantId;
  const n = await lockNetting(tx, tenantId, id);
  if (n.status !== "sent") throw conflict(`The request is ${n.status}: only a sent request is accepted`);
  const amount = input.amount ?? n.amount;
  if (amount <= 0n || amount > n.amount) throw new AppError(422, "validation_failed", "The accepted amount is out of range", { amount: [`more than 0 and at most ${formatMoney(n.amount)}`] });
  const now = await owedAt(tx, { tenantId, carrierId: n.carrierId, currency: n.currency, at: null });
  if (now.theyOwe < amount || now.weOwe < amount) throw conflict(`Balances changed since the request: they owe ${formatMoney(now.theyOwe, 2)}, we owe ${formatMoney(now.weOwe, 2)} now`);
  const posted = await postDocumentTransfers(tx, {
    tenantId,
    transfers: [{ op: "netting", key: `netting:${id}`, carrierId: n.carrierId, currency: n.currency, amountMicros: amount, reference: { type: "netting", id } }],
  });
  const transferId = posted.results[0]!.transfers[0]!.id;
  await tx.execute(sql`UPDATE netting_requests SET status = 'accepted', accepted_amount_micros = ${amount}, transfer_id = ${transferId}, decided_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "netting.accept", entityType: "netting_request", entityId: id, before: { status: n.status }, after: { status: "accepted", amount: formatMoney(amount), transferId } });
  return getNetting(tx, { tenantId, id });
}

export async function rejectNetting(tx: TxDb, actor: Actor, id: string, reason: string): Promise<NettingDto> {
  const n = await lockNetting(tx, actor.tenantId, id);
  if (n.status !== "sent" && n.status !== "draft") throw conflict(`The request is ${n.status} already`);
  await tx.execute(sql`UPDATE netting_requests SET status = 'rejected', reject_reason = ${reason}, decided_at = now() WHERE tenant_id = ${actor.tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "netting.reject", entityType: "netting_request", entityId: id, before: { status: n.status }, after: { status: "rejected", reason } });
  return getNetting(tx, { tenantId: actor.tenantId, id });
}
