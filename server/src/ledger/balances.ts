import { sql } from "drizzle-orm";
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
 * Spend in the 24 hours before `at`, or since the last Reset if later: call charges
 * posted to the customer account, and supplier costs posted to the supplier account.
 */
export async function carrierSpend24h(
  db: Db,
  params: { tenantId: string; carrierId: string; customerSince: Date | null; supplierSince: Date | null; at?: Date },
): Promise<{ currency: string; customerMicros: bigint; supplierMicros: bigint }[]> {
  const at = params.at ?? new Date();
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const later = (d: Date | null) => (d && d > dayAgo ? d : dayAgo);
  const r = await db.execute<{ currency: string; customer: string; supplier: string }>(sql`
    SELECT a.currency,
      coalesce(sum(t.amount_micros) FILTER (WHERE a.kind = 'customer' AND t.debit_account_id = a.id AND t.code = 'call_charge' AND t.created_at > ${later(params.customerSince)}), 0)::text AS customer,
      coalesce(sum(t.amount_micros) FILTER (WHERE a.kind = 'supplier' AND t.credit_account_id = a.id AND t.code = 'supplier_cost' AND t.created_at > ${later(params.supplierSince)}), 0)::text AS supplier
    FROM ledger_accounts a
    LEFT JOIN ledger_transfers t ON t.tenant_id = a.tenant_id AND (t.debit_account_id = a.id OR t.credit_account_id = a.id) AND t.created_at > ${dayAgo} AND t.created_at <= ${at}
    WHERE a.tenant_id = ${params.tenantId} AND a.carrier_id = ${params.carrierId} AND a.kind IN ('customer', 'supplier')
    GROUP BY a.currency`);
  return r.rows.map((x) => ({ currency: x.currency, customerMicros: BigInt(x.customer), supplierMicros: BigInt(x.supplier) }));
}
