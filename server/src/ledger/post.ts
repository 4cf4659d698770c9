import type pg from "pg";
import type { TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { lockAccounts, resolveAccounts, toAccountRow, type AccountRow, type RawAccount } from "./accounts.js";
import { notifyAccounts } from "./notify.js";
import {
  LedgerRuleError,
  accountRefKey,
  accountRefsOf,
  availableMicros,
  keysOf,
  planBatch,
  referencedTransferIdOf,
  sameRequest,
  type AccountInfo,
  type KnownTransfer,
  type PlannedTransfer,
  type TransferCode,
  type TransferRequest,
} from "./engine/index.js";

/** A transfer as stored: what the planner wrote, without its bookkeeping, plus when. */
export type TransferRow = Omit<PlannedTransfer, "requestIndex" | "postedDeltaMicros" | "pendingDeltaMicros" | "spend" | "flags"> & { flags: number; createdAt: Date };

export interface PostResult {
  /** One entry per request, in request order. */
  results: { index: number; replayed: boolean; transfers: TransferRow[] }[];
  /** Transfers written now, and requests that were replays of earlier postings (nothing written). */
  inserted: number;
  replayed: number;
  /** The accounts this posting changed, with their new totals and versions. */
  accounts: AccountRow[];
}

const TRANSFER_COLUMNS = `id, idempotency_key, debit_account_id, credit_account_id, amount_micros::text AS amount, currency, code, flags,
  pending_id, reverses_id, reference_type, reference_id, created_at`;
interface RawTransfer {
  id: string;
  idempotency_key: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  currency: string;
  code: string;
  flags: number;
  pending_id: string | null;
  reverses_id: string | null;
  reference_type: string | null;
  reference_id: string | null;
  created_at: Date;
}
const toTransferRow = (r: RawTransfer): TransferRow => ({
  id: r.id,
  key: r.idempotency_key,
  debitAccountId: r.debit_account_id,
  creditAccountId: r.credit_account_id,
  amountMicros: BigInt(r.amount),
  currency: r.currency,
  code: r.code as TransferCode,
  flags: r.flags,
  pendingId: r.pending_id,
  reversesId: r.reverses_id,
  referenceType: r.reference_type,
  referenceId: r.reference_id,
  createdAt: r.created_at,
});

async function transfersWhere(client: pg.PoolClient, tenantId: string, column: "idempotency_key" | "id", values: string[]): Promise<TransferRow[]> {
  if (!values.length) return [];
  const type = column === "id" ? "uuid" : "text";
  const r = await client.query<RawTransfer>(`SELECT ${TRANSFER_COLUMNS} FROM ledger_transfers WHERE tenant_id = $1 AND ${column} = ANY($2::${type}[])`, [tenantId, values]);
  return r.rows.map(toTransferRow);
}

/**
 * Posts a batch of transfers, all or nothing, in the caller's transaction — the batch
 * API a rating job calls with thousands of charges at once.
 *
 * - Idempotent: a request whose key was posted before writes nothing and returns the
 *   stored transfers with `replayed: true`; a key reused for something else is refused.
 * - No read-compute-write race: the touched accounts are locked in id order, the
 *   transfers are inserted with `ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
 *   RETURNING`, and one `UPDATE … FROM` adds the returned rows' aggregated amounts to
 *   both sides' totals, in a single statement.
 * - Refusals are `LedgerRuleError`s (see engine/types.ts); the caller's transaction
 *   must then be rolled back.
 */
export async function postTransfers(tx: TxDb, params: { tenantId: string; transfers: readonly TransferRequest[] }): Promise<PostResult> {
  const { tenantId, transfers: requests } = params;
  if (!requests.length) return { results: [], inserted: 0, replayed: 0, accounts: [] };
  const client = tx.$client;

  const stored = new Map((await transfersWhere(client, tenantId, "idempotency_key", requests.flatMap(keysOf))).map((t) => [t.key, t]));
  const accounts = await resolveAccounts(tx, { tenantId, refs: requests.flatMap(accountRefsOf) });
  const accountIdOf = (ref: Parameters<typeof accountRefKey>[0]) => accounts.get(accountRefKey(ref))?.id;
  const assertSame = (r: TransferRequest, index: number) => {
    if (!sameRequest(r, stored.get(r.key)!, accountIdOf)) throw new LedgerRuleError("idempotency_conflict", `key "${r.key}" was already used for a different transfer`, index);
  };
  requests.forEach((r, i) => stored.has(r.key) && assertSame(r, i));

  const fresh = requests.map((r, index) => ({ r, index })).filter(({ r }) => !stored.has(r.key));
  const referenced = new Map(
    (await transfersWhere(client, tenantId, "id", [...new Set(fresh.flatMap(({ r }) => referencedTransferIdOf(r) ?? []))])).map((t) => [t.id, t]),
  );
  const touched = [...[...accounts.values()].map((a) => a.id), ...[...referenced.values()].flatMap((t) => [t.debitAccountId, t.creditAccountId])];
  const locked = fresh.length ? await lockAccounts(client, { tenantId, ids: touched }) : new Map<string, AccountRow>();

  // Read after the locks: a concurrent posting that resolved or reversed one of these
  // held the same account locks until it committed, so it is visible now.
  const refIds = [...referenced.keys()];
  const settled = refIds.length
    ? await client.query<{ pending_id: string | null; reverses_id: string | null }>(
        "SELECT pending_id, reverses_id FROM ledger_transfers WHERE tenant_id = $1 AND (pending_id = ANY($2::uuid[]) OR reverses_id = ANY($2::uuid[]))",
        [tenantId, refIds],
      )
    : { rows: [] };
  const resolved = new Set(settled.rows.flatMap((r) => r.pending_id ?? []));
  const reversed = new Set(settled.rows.flatMap((r) => r.reverses_id ?? []));

  let plan;
  try {
    plan = planBatch(
      fresh.map(({ r }) => r),
      {
        accountIdOf,
        account: (id): AccountInfo | undefined => locked.get(id),
        transfer: (id): KnownTransfer | undefined => {
          const t = referenced.get(id);
          return t && { ...t, resolved: resolved.has(id), reversed: reversed.has(id) };
        },
        newId,
      },
    );
  } catch (err) {
    // Positions in the error are positions in the caller's batch.
    if (err instanceof LedgerRuleError && err.index !== null) throw new LedgerRuleError(err.code, err.message.replace(/^transfer #\d+: /, ""), fresh[err.index]!.index);
    throw err;
  }
  const planned = plan.transfers.map((t) => ({ ...t, requestIndex: fresh[t.requestIndex]!.index }));

  const written = await writeTransfers(client, tenantId, planned);
  for (const limit of plan.limits) {
    const a = written.accounts.get(limit.accountId);
    if (a && availableMicros(a, limit.creditLimitMicros) < 0n)
      throw new LedgerRuleError("credit_limit_exceeded", "the customer's balance and credit limit do not cover this amount", fresh[limit.index]!.index);
  }

  // A concurrent transaction may have posted one of our keys between our read and our insert.
  const raced = planned.filter((t) => !written.inserted.has(t.id));
  for (const t of await transfersWhere(client, tenantId, "idempotency_key", raced.map((t) => t.key))) stored.set(t.key, t);
  raced.forEach((t) => assertSame(requests[t.requestIndex]!, t.requestIndex));

  const spend = new Map<string, bigint>();
  for (const t of planned) if (t.spend && written.inserted.has(t.id)) spend.set(t.spend.accountId, (spend.get(t.spend.accountId) ?? 0n) + t.spend.micros);
  await notifyAccounts(client, { tenantId, at: written.at.getTime(), accounts: [...written.accounts.values()], spend });

  const byIndex = new Map<number, TransferRow[]>();
  for (const t of planned) {
    if (!written.inserted.has(t.id)) continue;
    const { requestIndex, postedDeltaMicros: _p, pendingDeltaMicros: _q, spend: _s, ...row } = t;
    byIndex.set(requestIndex, [...(byIndex.get(requestIndex) ?? []), { ...row, createdAt: written.at }]);
  }
  const results = requests.map((r, index) => {
    const mine = byIndex.get(index);
    if (mine) return { index, replayed: false, transfers: mine };
    return { index, replayed: true, transfers: keysOf(r).flatMap((k) => stored.get(k) ?? []) };
  });
  return { results, inserted: written.inserted.size, replayed: results.filter((r) => r.replayed).length, accounts: [...written.accounts.values()] };
}

/**
 * Inserts the planned transfers and, in the same statement, adds the amounts of the
 * rows actually inserted to both accounts of each. Returns the inserted ids, the
 * accounts' new totals and the transaction time (the transfers' created_at).
 */
async function writeTransfers(client: pg.PoolClient, tenantId: string, rows: PlannedTransfer[]) {
  if (!rows.length) return { inserted: new Set<string>(), accounts: new Map<string, AccountRow>(), at: new Date() };
  const col = <T>(f: (t: PlannedTransfer) => T) => rows.map(f);
  const r = await client.query<{ inserted: string[]; accounts: RawAccount[]; at: Date }>(
    `WITH input AS (
       SELECT * FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::bigint[], $7::text[], $8::text[], $9::int[], $10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::int[])
         WITH ORDINALITY AS i(id, key, debit, credit, amount, currency, code, flags, pending_id, reverses_id, ref_type, ref_id, posted, pending, timeout_s, ord)
     ), ins AS (
       INSERT INTO ledger_transfers (id, tenant_id, idempotency_key, debit_account_id, credit_account_id, amount_micros, currency, code, flags, pending_id, reverses_id, reference_type, reference_id, timeout_at)
       SELECT id, $1, key, debit, credit, amount, currency, code, flags, pending_id, reverses_id, ref_type, ref_id, now() + make_interval(secs => timeout_s) FROM input ORDER BY ord
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
       RETURNING id
     ), legs AS (
       SELECT i.debit AS account_id, i.posted AS dp, 0::bigint AS cp, i.pending AS dq, 0::bigint AS cq FROM input i JOIN ins ON ins.id = i.id
       UNION ALL
       SELECT i.credit, 0::bigint, i.posted, 0::bigint, i.pending FROM input i JOIN ins ON ins.id = i.id
     ), delta AS (
       SELECT account_id, sum(dp)::bigint AS dp, sum(cp)::bigint AS cp, sum(dq)::bigint AS dq, sum(cq)::bigint AS cq FROM legs GROUP BY account_id
     ), upd AS (
       UPDATE ledger_accounts a SET
         debits_posted_micros = a.debits_posted_micros + d.dp,
         credits_posted_micros = a.credits_posted_micros + d.cp,
         debits_pending_micros = a.debits_pending_micros + d.dq,
         credits_pending_micros = a.credits_pending_micros + d.cq,
         version = a.version + 1
       FROM delta d WHERE a.id = d.account_id AND a.tenant_id = $1
       RETURNING a.id, a.tenant_id, a.kind, a.carrier_id, a.currency, a.debits_posted_micros::text AS dp, a.credits_posted_micros::text AS cp,
         a.debits_pending_micros::text AS dq, a.credits_pending_micros::text AS cq, a.version::text AS version, a.created_at
     )
     SELECT (SELECT coalesce(json_agg(id), '[]') FROM ins) AS inserted, (SELECT coalesce(json_agg(upd), '[]') FROM upd) AS accounts, now() AS at`,
    [
      tenantId,
      col((t) => t.id),
      col((t) => t.key),
      col((t) => t.debitAccountId),
      col((t) => t.creditAccountId),
      col((t) => String(t.amountMicros)),
      col((t) => t.currency),
      col((t) => t.code),
      col((t) => t.flags),
      col((t) => t.pendingId),
      col((t) => t.reversesId),
      col((t) => t.referenceType),
      col((t) => t.referenceId),
      col((t) => String(t.postedDeltaMicros)),
      col((t) => String(t.pendingDeltaMicros)),
      col((t) => t.timeoutS ?? null),
    ],
  );
  const row = r.rows[0]!;
  return {
    inserted: new Set(row.inserted),
    // json_agg turns created_at into a string; only the totals matter here.
    accounts: new Map(row.accounts.map((a) => [a.id, toAccountRow({ ...a, created_at: new Date(a.created_at) })])),
    at: row.at,
  };
}

