import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../platform/db/client.js";

/**
 * Balances per carrier and currency, read from ledger accounts (zero until the first
 * posting). Sign convention, as the carrier's Credit Control table shows them:
 *  - customer balance = credits − debits of the customer account: payments credit it,
 *    call charges debit it, so negative means the customer owes us;
 *  - supplier balance = debits − credits of the supplier account: supplier costs credit
 *    it, our payments debit it, so negative means we owe the supplier;
 *  - net exposure = customer balance − supplier balance.
 */
export interface CarrierBalance {
  carrierId: string;
  currency: string;
  customerBalanceMicros: bigint;
  customerPendingMicros: bigint;
  supplierBalanceMicros: bigint;
}

export async function carrierBalances(db: Db, params: { tenantId: string; carrierIds: string[] }): Promise<CarrierBalance[]> {
  if (!params.carrierIds.length) return [];
  const r = await db.execute<{ carrier_id: string; currency: string; customer: string; customer_pending: string; supplier: string }>(sql`
    SELECT carrier_id, currency,
      coalesce(sum(credits_posted_micros - debits_posted_micros) FILTER (WHERE kind = 'customer'), 0)::text AS customer,
      coalesce(sum(debits_pending_micros - credits_pending_micros) FILTER (WHERE kind = 'customer'), 0)::text AS customer_pending,
      coalesce(sum(debits_posted_micros - credits_posted_micros) FILTER (WHERE kind = 'supplier'), 0)::text AS supplier
    FROM ledger_accounts
    WHERE tenant_id = ${params.tenantId} AND carrier_id IN ${params.carrierIds} AND kind IN ('customer', 'supplier')
    GROUP BY carrier_id, currency`);
  return r.rows.map((x) => ({
    carrierId: x.carrier_id,
    currency: x.currency,
    customerBalanceMicros: BigInt(x.customer),
    customerPendingMicros: BigInt(x.customer_pending),
    supplierBalanceMicros: BigInt(x.supplier),
  }));
}

/**
 * Signed spend rows of the carrier accounts in a CTE named `spend_accounts (id, kind)`:
 * posted call charges on a customer account and supplier costs on a supplier account
 * (a reservation counts once it is posted), less the reversals of either, made after
 * `since`. engine/rules.ts `spendOf` is the same rule for one transfer.
 */
export const spendRows = (since: SQL) => sql`
  SELECT a.id AS account_id, a.kind, t.created_at,
    CASE WHEN (a.kind = 'customer') = (t.debit_account_id = a.id) THEN t.amount_micros ELSE -t.amount_micros END AS micros
  FROM spend_accounts a
  JOIN ledger_transfers t ON t.debit_account_id = a.id OR t.credit_account_id = a.id
  LEFT JOIN ledger_transfers o ON o.id = t.reverses_id
  WHERE t.created_at > ${since} AND t.flags IN (0, 4)
    AND coalesce(o.code, t.code) = CASE a.kind WHEN 'customer' THEN 'call_charge' ELSE 'supplier_cost' END`;

/**
 * Spend in the 24 hours before `at`, or since the last Reset if later: call charges
 * posted to the customer account, and supplier costs posted to the supplier account,
 * net of their reversals.
 */
export async function carrierSpend24h(
  db: Db,
  params: { tenantId: string; carrierId: string; customerSince: Date | null; supplierSince: Date | null; at?: Date },
): Promise<{ currency: string; customerMicros: bigint; supplierMicros: bigint }[]> {
  const at = params.at ?? new Date();
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const later = (d: Date | null) => (d && d > dayAgo ? d : dayAgo);
  const r = await db.execute<{ currency: string; customer: string; supplier: string }>(sql`
    WITH spend_accounts AS (
      SELECT id, kind, currency FROM ledger_accounts
      WHERE tenant_id = ${params.tenantId} AND carrier_id = ${params.carrierId} AND kind IN ('customer', 'supplier')
    ), spend AS (
      SELECT account_id, sum(micros) AS micros FROM (${spendRows(sql`${dayAgo}::timestamptz`)}) s
      WHERE s.created_at > CASE s.kind WHEN 'customer' THEN ${later(params.customerSince)}::timestamptz ELSE ${later(params.supplierSince)}::timestamptz END
        AND s.created_at <= ${at}
      GROUP BY account_id
    )
    SELECT a.currency,
      coalesce(sum(s.micros) FILTER (WHERE a.kind = 'customer'), 0)::text AS customer,
      coalesce(sum(s.micros) FILTER (WHERE a.kind = 'supplier'), 0)::text AS supplier
    FROM spend_accounts a LEFT JOIN spend s ON s.account_id = a.id
    GROUP BY a.currency`);
  return r.rows.map((x) => ({ currency: x.currency, customerMicros: BigInt(x.customer), supplierMicros: BigInt(x.supplier) }));
}
