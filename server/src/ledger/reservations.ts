import type pg from "pg";
import { inTransaction, type TxDb } from "../platform/db/client.js";
import type { JobContext, JobData } from "../platform/jobs/boss.js";
import { lockAccounts } from "./accounts.js";
import { postTransfers } from "./post.js";

/**
 * Releasing call reservations (pending `call_charge` transfers) without racing each
 * other: the rating job releases a call's reservation as it posts the call's charge, and
 * the expiry job releases reservations whose call never reported. Either may come first;
 * the loser must do nothing rather than fail its whole batch.
 */

export const releaseKey = (reservationId: string) => `release:${reservationId}`;

/**
 * Voids those of `pendingIds` that are still open, in the caller's transaction; returns
 * how many. The pending transfers' accounts are locked first (the same locks any other
 * post or void of them takes), so a concurrent resolution either committed before — and
 * is seen here — or waits for this transaction.
 */
export async function voidOpenPendings(tx: TxDb, params: { tenantId: string; pendingIds: readonly string[] }): Promise<number> {
  const ids = [...new Set(params.pendingIds)];
  if (!ids.length) return 0;
  const client = tx.$client;
  const { rows: legs } = await client.query<{ debit_account_id: string; credit_account_id: string }>(
    "SELECT debit_account_id, credit_account_id FROM ledger_transfers WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND flags = 2",
    [params.tenantId, ids],
  );
  if (!legs.length) return 0;
  await lockAccounts(client, { tenantId: params.tenantId, ids: legs.flatMap((l) => [l.debit_account_id, l.credit_account_id]) });
  const { rows: open } = await client.query<{ id: string }>(
    `SELECT t.id FROM ledger_transfers t
     WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[]) AND t.flags = 2
       AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = t.id)`,
    [params.tenantId, ids],
  );
  if (!open.length) return 0;
  await postTransfers(tx, {
    tenantId: params.tenantId,
    transfers: open.map((r) => ({ op: "void_pending" as const, key: releaseKey(r.id), pendingId: r.id, reference: { type: "reservation", id: r.id } })),
  });
  return open.length;
}

export const EXPIRE_RESERVATIONS_QUEUE = "ledger.expire-reservations";

/**
 * Job (every minute): voids the open pending transfers whose timeout has passed, per
 * tenant, in batches. A reservation times out when its call can no longer be running
 * (max call duration + a grace period) and no CDR released it: a switch that died
 * mid-call, a lost CDR. Without this, the held credit would block the customer forever.
 */
export async function expireReservations(pool: pg.Pool, data: JobData, ctx: JobContext, opts: { batch?: number } = {}): Promise<{ expired: number }> {
  const batch = opts.batch ?? 1000;
  const tenantIds = data.tenantId ? [data.tenantId] : (await pool.query<{ id: string }>("SELECT id FROM tenants ORDER BY id")).rows.map((r) => r.id);
  let expired = 0;
  for (const [i, tenantId] of tenantIds.entries()) {
    for (;;) {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT t.id FROM ledger_transfers t
         WHERE t.tenant_id = $1 AND t.flags = 2 AND t.timeout_at IS NOT NULL AND t.timeout_at < now()
           AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = t.id)
         ORDER BY t.timeout_at LIMIT $2`,
        [tenantId, batch],
      );
      if (!rows.length) break;
      const n = await inTransaction(pool, (tx) => voidOpenPendings(tx, { tenantId, pendingIds: rows.map((r) => r.id) }));
      expired += n;
      if (rows.length < batch) break;
    }
    await ctx.progress(Math.round(((i + 1) / tenantIds.length) * 100), `${expired} reservation(s) expired`);
  }
  return { expired };
}
