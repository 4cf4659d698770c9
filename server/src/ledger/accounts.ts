import type pg from "pg";
import type { TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { LedgerRuleError, accountRefKey, type AccountInfo, type AccountRef, type AccountTotals } from "./engine/index.js";

export interface AccountRow extends AccountInfo, AccountTotals {
  tenantId: string;
  version: bigint;
  createdAt: Date;
}

/** Selected as text so that no bigint passes through a JS number. */
export const ACCOUNT_COLUMNS = `id, tenant_id, kind, carrier_id, currency, debits_posted_micros::text AS dp, credits_posted_micros::text AS cp,
  debits_pending_micros::text AS dq, credits_pending_micros::text AS cq, version::text AS version, created_at`;
export interface RawAccount {
  id: string;
  tenant_id: string;
  kind: string;
  carrier_id: string | null;
  currency: string;
  dp: string;
  cp: string;
  dq: string;
  cq: string;
  version: string;
  created_at: Date;
}
export const toAccountRow = (r: RawAccount): AccountRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  kind: r.kind as AccountRow["kind"],
  carrierId: r.carrier_id,
  currency: r.currency,
  debitsPostedMicros: BigInt(r.dp),
  creditsPostedMicros: BigInt(r.cp),
  debitsPendingMicros: BigInt(r.dq),
  creditsPendingMicros: BigInt(r.cq),
  version: BigInt(r.version),
  createdAt: r.created_at,
});

const NO_CARRIER = "00000000-0000-0000-0000-000000000000";

/**
 * The accounts named by `refs`, created on first use (get-or-create per tenant, kind,
 * carrier and currency). Carrier accounts need a carrier of the tenant (deleted ones
 * too: their late CDRs and payments still post). New accounts are inserted in key order
 * so concurrent first postings queue rather than deadlock.
 */
export async function resolveAccounts(tx: TxDb, params: { tenantId: string; refs: readonly AccountRef[] }): Promise<Map<string, AccountRow>> {
  const client = tx.$client;
  const wanted = new Map(params.refs.map((r) => [accountRefKey(r), r]));
  const out = new Map<string, AccountRow>();
  if (!wanted.size) return out;

  const carrierIds = [...new Set([...wanted.values()].flatMap((r) => (r.carrierId ? [r.carrierId] : [])))];
  if (carrierIds.length) {
    const found = await client.query<{ id: string }>("SELECT id FROM carriers WHERE tenant_id = $1 AND id = ANY($2::uuid[])", [params.tenantId, carrierIds]);
    const known = new Set(found.rows.map((r) => r.id));
    const missing = carrierIds.find((id) => !known.has(id));
    if (missing) throw new LedgerRuleError("unknown_account", `carrier ${missing} not found`);
  }

  const select = async (refs: AccountRef[]) => {
    const r = await client.query<RawAccount>(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts a
       JOIN unnest($2::text[], $3::uuid[], $4::text[]) AS w(w_kind, w_carrier_id, w_currency)
         ON a.kind = w_kind AND coalesce(a.carrier_id, '${NO_CARRIER}'::uuid) = coalesce(w_carrier_id, '${NO_CARRIER}'::uuid) AND a.currency = w_currency
       WHERE a.tenant_id = $1`,
      [params.tenantId, refs.map((x) => x.kind), refs.map((x) => x.carrierId), refs.map((x) => x.currency)],
    );
    for (const row of r.rows.map(toAccountRow)) out.set(accountRefKey(row), row);
  };
  const missing = () => [...wanted.entries()].filter(([k]) => !out.has(k)).map(([, r]) => r);

  await select([...wanted.values()]);
  const absent = missing().sort((a, b) => (accountRefKey(a) < accountRefKey(b) ? -1 : 1));
  if (absent.length) {
    await client.query(
      `INSERT INTO ledger_accounts (id, tenant_id, kind, carrier_id, currency)
       SELECT id, $1, kind, carrier_id, currency FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[]) WITH ORDINALITY AS w(id, kind, carrier_id, currency, ord)
       ORDER BY ord
       ON CONFLICT (tenant_id, kind, coalesce(carrier_id, '${NO_CARRIER}'::uuid), currency) DO NOTHING`,
      [params.tenantId, absent.map(() => newId()), absent.map((x) => x.kind), absent.map((x) => x.carrierId), absent.map((x) => x.currency)],
    );
    // Ours, or another transaction's that committed first: read them back either way.
    await select(absent);
  }
  return out;
}

/** Locks accounts for a posting, always in id order so that concurrent postings cannot deadlock. */
export async function lockAccounts(client: pg.PoolClient, params: { tenantId: string; ids: readonly string[] }): Promise<Map<string, AccountRow>> {
  const r = await client.query<RawAccount>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
    [params.tenantId, [...new Set(params.ids)]],
  );
  return new Map(r.rows.map((row) => [row.id, toAccountRow(row)]));
}
