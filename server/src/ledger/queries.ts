import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../platform/db/client.js";
import { likePattern, offsetOf, type Page } from "../platform/http/list.js";
import { notFound } from "../platform/http/errors.js";
import { flagsOfState, naturalBalanceMicros, stateOfFlags, type AccountKind, type TransferCode } from "./engine/index.js";
import type { AccountDto, TransferDto, TransferQuery } from "./model.js";
import type { z } from "zod";
import type { accountQuery } from "./model.js";

/** Read side of the ledger: accounts with their balances, and transfers, for the Ledger page and the API. */

type RawAccountRow = {
  id: string;
  kind: AccountKind;
  carrier_id: string | null;
  carrier_name: string | null;
  currency: string;
  dp: string;
  cp: string;
  dq: string;
  cq: string;
  created_at: Date;
};
const toAccountDto = (r: RawAccountRow): AccountDto => {
  const totals = { debitsPostedMicros: BigInt(r.dp), creditsPostedMicros: BigInt(r.cp), debitsPendingMicros: BigInt(r.dq), creditsPendingMicros: BigInt(r.cq) };
  return {
    id: r.id,
    kind: r.kind,
    carrierId: r.carrier_id,
    carrierName: r.carrier_name,
    currency: r.currency,
    debitsPosted: totals.debitsPostedMicros,
    creditsPosted: totals.creditsPostedMicros,
    debitsPending: totals.debitsPendingMicros,
    creditsPending: totals.creditsPendingMicros,
    balance: naturalBalanceMicros(r.kind, totals),
    createdAt: new Date(r.created_at),
  };
};

const ACCOUNT_SELECT = sql`SELECT a.id, a.kind, a.carrier_id, c.name AS carrier_name, a.currency, a.debits_posted_micros::text AS dp, a.credits_posted_micros::text AS cp,
    a.debits_pending_micros::text AS dq, a.credits_pending_micros::text AS cq, a.created_at
  FROM ledger_accounts a LEFT JOIN carriers c ON c.id = a.carrier_id AND c.tenant_id = a.tenant_id`;
const BALANCE = sql`CASE WHEN a.kind IN ('customer', 'revenue', 'tax') THEN a.credits_posted_micros - a.debits_posted_micros ELSE a.debits_posted_micros - a.credits_posted_micros END`;
const ACCOUNT_SORT: Record<string, SQL> = {
  carrierName: sql`lower(c.name)`,
  kind: sql`a.kind`,
  currency: sql`a.currency`,
  balance: BALANCE,
  createdAt: sql`a.created_at`,
};

export async function listAccounts(db: Db, params: { tenantId: string; query: z.output<typeof accountQuery> }): Promise<Page<AccountDto>> {
  const { tenantId, query } = params;
  const where: SQL[] = [sql`a.tenant_id = ${tenantId}`];
  if (query.kind) where.push(sql`a.kind = ${query.kind}`);
  if (query.carrierId) where.push(sql`a.carrier_id = ${query.carrierId}`);
  if (query.currency) where.push(sql`a.currency = ${query.currency}`);
  if (query.q) where.push(sql`(c.name ILIKE ${likePattern(query.q)} OR a.kind ILIKE ${likePattern(query.q)})`);
  const w = sql.join(where, sql` AND `);
  const [field, dir] = (query.sort ?? "carrierName:asc").split(":") as [string, string];
  const order = sql`${ACCOUNT_SORT[field] ?? ACCOUNT_SORT.carrierName} ${sql.raw(dir === "desc" ? "DESC" : "ASC")} NULLS FIRST, a.kind, a.currency, a.id`;
  const [rows, total] = await Promise.all([
    db.execute<RawAccountRow>(sql`${ACCOUNT_SELECT} WHERE ${w} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_accounts a LEFT JOIN carriers c ON c.id = a.carrier_id AND c.tenant_id = a.tenant_id WHERE ${w}`),
  ]);
  return { rows: rows.rows.map(toAccountDto), total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

export async function getAccount(db: Db, params: { tenantId: string; id: string }): Promise<AccountDto> {
  const r = await db.execute<RawAccountRow>(sql`${ACCOUNT_SELECT} WHERE a.tenant_id = ${params.tenantId} AND a.id = ${params.id}`);
  if (!r.rows[0]) throw notFound("Account");
  return toAccountDto(r.rows[0]);
}

type RawTransferRow = {
  id: string;
  idempotency_key: string;
  created_at: Date;
  code: TransferCode;
  flags: number;
  amount: string;
  currency: string;
  pending_id: string | null;
  reverses_id: string | null;
  reference_type: string | null;
  reference_id: string | null;
  d_id: string;
  d_kind: AccountKind;
  d_carrier_id: string | null;
  d_carrier_name: string | null;
  c_id: string;
  c_kind: AccountKind;
  c_carrier_id: string | null;
  c_carrier_name: string | null;
  resolved_by_id: string | null;
  reversed_by_id: string | null;
};
const toTransferDto = (r: RawTransferRow): TransferDto => ({
  id: r.id,
  key: r.idempotency_key,
  createdAt: new Date(r.created_at),
  code: r.code,
  state: stateOfFlags(r.flags),
  amount: BigInt(r.amount),
  currency: r.currency,
  debitAccount: { id: r.d_id, kind: r.d_kind, carrierId: r.d_carrier_id, carrierName: r.d_carrier_name },
  creditAccount: { id: r.c_id, kind: r.c_kind, carrierId: r.c_carrier_id, carrierName: r.c_carrier_name },
  pendingId: r.pending_id,
  resolvedById: r.resolved_by_id,
  reversesId: r.reverses_id,
  reversedById: r.reversed_by_id,
  referenceType: r.reference_type,
  referenceId: r.reference_id,
});

const TRANSFER_SELECT = sql`SELECT t.id, t.idempotency_key, t.created_at, t.code, t.flags, t.amount_micros::text AS amount, t.currency, t.pending_id, t.reverses_id,
    t.reference_type, t.reference_id,
    d.id AS d_id, d.kind AS d_kind, d.carrier_id AS d_carrier_id, dc.name AS d_carrier_name,
    c.id AS c_id, c.kind AS c_kind, c.carrier_id AS c_carrier_id, cc.name AS c_carrier_name,
    rs.id AS resolved_by_id, rv.id AS reversed_by_id
  FROM ledger_transfers t
  JOIN ledger_accounts d ON d.id = t.debit_account_id
  JOIN ledger_accounts c ON c.id = t.credit_account_id
  LEFT JOIN carriers dc ON dc.id = d.carrier_id AND dc.tenant_id = t.tenant_id
  LEFT JOIN carriers cc ON cc.id = c.carrier_id AND cc.tenant_id = t.tenant_id
  LEFT JOIN ledger_transfers rs ON rs.pending_id = t.id
  LEFT JOIN ledger_transfers rv ON rv.reverses_id = t.id`;

export async function listTransfers(db: Db, params: { tenantId: string; query: TransferQuery }): Promise<Page<TransferDto>> {
  const { tenantId, query } = params;
  const where: SQL[] = [sql`t.tenant_id = ${tenantId}`];
  if (query.accountId) where.push(sql`(t.debit_account_id = ${query.accountId} OR t.credit_account_id = ${query.accountId})`);
  if (query.carrierId) {
    // Through the carrier's accounts, so the debit and credit indexes serve the filter.
    const accounts = sql`(SELECT id FROM ledger_accounts WHERE tenant_id = ${tenantId} AND carrier_id = ${query.carrierId})`;
    where.push(sql`(t.debit_account_id IN ${accounts} OR t.credit_account_id IN ${accounts})`);
  }
  if (query.code) where.push(sql`t.code = ${query.code}`);
  if (query.state) where.push(sql`t.flags = ${flagsOfState(query.state)}`);
  if (query.currency) where.push(sql`t.currency = ${query.currency}`);
  if (query.from) where.push(sql`t.created_at >= ${query.from}`);
  if (query.to) where.push(sql`t.created_at < ${query.to}`);
  if (query.q) where.push(sql`(t.reference_id = ${query.q} OR t.idempotency_key = ${query.q} OR t.id::text = ${query.q})`);
  const w = sql.join(where, sql` AND `);
  const [field, dir] = query.sort.split(":") as ["createdAt" | "amount", "asc" | "desc"];
  const d = sql.raw(dir === "desc" ? "DESC" : "ASC");
  const order = field === "amount" ? sql`t.amount_micros ${d}, t.id ${d}` : sql`t.created_at ${d}, t.id ${d}`;
  const [rows, total] = await Promise.all([
    db.execute<RawTransferRow>(sql`${TRANSFER_SELECT} WHERE ${w} ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_transfers t WHERE ${w}`),
  ]);
  return { rows: rows.rows.map(toTransferDto), total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

export async function getTransfer(db: Db, params: { tenantId: string; id: string }): Promise<TransferDto> {
  const r = await db.execute<RawTransferRow>(sql`${TRANSFER_SELECT} WHERE t.tenant_id = ${params.tenantId} AND t.id = ${params.id}`);
  if (!r.rows[0]) throw notFound("Transfer");
  return toTransferDto(r.rows[0]);
}

/** Transfer ids by idempotency key (keys not posted are absent): how a caller finds what to reverse. */
export async function transferIdsByKey(db: Db, params: { tenantId: string; keys: readonly string[] }): Promise<Map<string, string>> {
  if (!params.keys.length) return new Map();
  const r = await db.$client.query<{ key: string; id: string }>("SELECT idempotency_key AS key, id FROM ledger_transfers WHERE tenant_id = $1 AND idempotency_key = ANY($2::text[])", [
    params.tenantId,
    params.keys,
  ]);
  return new Map(r.rows.map((x) => [x.key, x.id]));
}
