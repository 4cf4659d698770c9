import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../platform/db/client.js";
import { likePattern } from "../platform/http/list.js";
import type { BALANCE_SORT_FIELDS } from "./model.js";

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

/** One row of the Balance & Spend page: a carrier in one of its currencies. Limits apply in the primary currency only. */
export interface CarrierBalanceRow {
  carrierId: string;
  carrierName: string;
  carrierType: "customer" | "supplier" | "bilateral";
  status: string;
  currency: string;
  primary: boolean;
  customerCreditType: string;
  customerBalance: bigint | null;
  customerPending: bigint | null;
  /** As a negative floor, as the carrier page shows it: remaining = balance − limit floor. */
  creditLimit: bigint | null;
  customerRemaining: bigint | null;
  supplierBalance: bigint | null;
  netExposure: bigint | null;
  bilateralLimit: bigint | null;
  bilateralRemaining: bigint | null;
  bilateralLimitBreach: string;
  customerSpend: bigint | null;
  customerSpendLimit: bigint | null;
  customerSpendRemaining: bigint | null;
  customerSpendBreach: string;
  customerSpendResetAt: Date | null;
  supplierSpend: bigint | null;
  supplierSpendLimit: bigint | null;
  supplierSpendRemaining: bigint | null;
  supplierSpendBreach: string;
  supplierSpendResetAt: Date | null;
}

const SORT_SQL: Record<(typeof BALANCE_SORT_FIELDS)[number], SQL> = {
  // Qualified: the output columns of the same names are text.
  name: sql`lower(rows.name)`,
  currency: sql`rows.currency`,
  customerBalance: sql`rows.customer_balance`,
  customerRemaining: sql`rows.customer_remaining`,
  supplierBalance: sql`rows.supplier_balance`,
  netExposure: sql`rows.net_exposure`,
  customerSpend: sql`rows.customer_spend`,
  customerSpendRemaining: sql`rows.customer_spend_remaining`,
  supplierSpend: sql`rows.supplier_spend`,
  supplierSpendRemaining: sql`rows.supplier_spend_remaining`,
};

/**
 * Every live carrier in each of its currencies with its ledger balances, limits and
 * 24-hour spend — the figures of the carrier detail's Credit Control tables, for all
 * carriers at once, sortable and paginated in SQL. Customer figures are null for a
 * supplier carrier and supplier figures for a customer carrier.
 */
export async function listCarrierBalances(
  db: Db,
  params: { tenantId: string; query: { page: number; pageSize: number; sort: string; q?: string; type?: string; currency?: string } },
): Promise<{ rows: CarrierBalanceRow[]; total: number }> {
  const { tenantId, query } = params;
  const f: SQL[] = [sql`c.tenant_id = ${tenantId}`, sql`c.deleted_at IS NULL`];
  if (query.q) f.push(sql`c.name ILIKE ${likePattern(query.q)}`);
  if (query.type) f.push(sql`c.type = ${query.type}`);
  if (query.currency) f.push(sql`cur.currency = ${query.currency}`);
  const [field, dir] = query.sort.split(":") as [keyof typeof SORT_SQL, string];
  const d = sql.raw(dir === "desc" ? "DESC NULLS LAST" : "ASC NULLS LAST");
  const r = await db.execute<Record<string, string | boolean | Date | null>>(sql`
    WITH spend_accounts AS (
      SELECT id, kind FROM ledger_accounts WHERE tenant_id = ${tenantId} AND kind IN ('customer', 'supplier')
    ), spend AS (
      SELECT s.account_id, sum(s.micros) AS micros
      FROM (${spendRows(sql`now() - interval '24 hours'`)}) s
      JOIN ledger_accounts a ON a.id = s.account_id JOIN carriers c ON c.id = a.carrier_id
      WHERE s.created_at > greatest(now() - interval '24 hours', CASE s.kind WHEN 'customer' THEN c.customer_spend_reset_at ELSE c.supplier_spend_reset_at END)
      GROUP BY s.account_id
    ), base AS (
      SELECT c.id, c.name, c.type, c.status, cur.currency, cur.currency = c.primary_currency AS is_primary, c.customer_credit_type,
        c.bilateral_limit_breach, c.customer_spend_breach, c.supplier_spend_breach, c.customer_spend_reset_at, c.supplier_spend_reset_at,
        CASE WHEN c.type <> 'supplier' THEN coalesce(ca.credits_posted_micros - ca.debits_posted_micros, 0) END AS customer_balance,
        CASE WHEN c.type <> 'supplier' THEN coalesce(ca.debits_pending_micros, 0) END AS customer_pending,
        CASE WHEN c.type <> 'customer' THEN coalesce(sa.debits_posted_micros - sa.credits_posted_micros, 0) END AS supplier_balance,
        CASE WHEN c.type <> 'supplier' AND cur.currency = c.primary_currency AND (c.customer_credit_type = 'postpaid' OR c.customer_credit_limit_micros > 0)
          THEN c.customer_credit_limit_micros END AS credit_limit,
        CASE WHEN c.type = 'bilateral' AND cur.currency = c.primary_currency THEN c.bilateral_limit_micros END AS bilateral_limit,
        CASE WHEN c.type <> 'supplier' THEN coalesce(cs.micros, 0) END AS customer_spend,
        CASE WHEN c.type <> 'supplier' AND cur.currency = c.primary_currency THEN c.customer_spend_limit_24h_micros END AS customer_spend_limit,
        CASE WHEN c.type <> 'customer' THEN coalesce(ss.micros, 0) END AS supplier_spend,
        CASE WHEN c.type <> 'customer' AND cur.currency = c.primary_currency THEN c.supplier_spend_limit_24h_micros END AS supplier_spend_limit
      FROM carriers c
      CROSS JOIN LATERAL unnest(array_remove(ARRAY[c.primary_currency, c.currency_2, c.currency_3], NULL)) AS cur(currency)
      LEFT JOIN ledger_accounts ca ON ca.tenant_id = c.tenant_id AND ca.carrier_id = c.id AND ca.kind = 'customer' AND ca.currency = cur.currency
      LEFT JOIN ledger_accounts sa ON sa.tenant_id = c.tenant_id AND sa.carrier_id = c.id AND sa.kind = 'supplier' AND sa.currency = cur.currency
      LEFT JOIN spend cs ON cs.account_id = ca.id
      LEFT JOIN spend ss ON ss.account_id = sa.id
      WHERE ${sql.join(f, sql` AND `)}
    ), rows AS (
      SELECT *, customer_balance + credit_limit AS customer_remaining,
        CASE WHEN type = 'bilateral' THEN customer_balance - supplier_balance END AS net_exposure,
        customer_balance - supplier_balance + bilateral_limit AS bilateral_remaining,
        customer_spend_limit - customer_spend AS customer_spend_remaining,
        supplier_spend_limit - supplier_spend AS supplier_spend_remaining
      FROM base
    )
    SELECT id, name, type, status, currency, is_primary, customer_credit_type, bilateral_limit_breach, customer_spend_breach, supplier_spend_breach,
      customer_spend_reset_at, supplier_spend_reset_at, n.total,
      customer_balance::text, customer_pending::text, supplier_balance::text, (-credit_limit)::text AS credit_limit, (-bilateral_limit)::text AS bilateral_limit, customer_spend::text,
      customer_spend_limit::text, supplier_spend::text, supplier_spend_limit::text, customer_remaining::text, net_exposure::text, bilateral_remaining::text,
      customer_spend_remaining::text, supplier_spend_remaining::text
    FROM (SELECT count(*) AS total FROM rows) n
    LEFT JOIN LATERAL (
      SELECT * FROM rows ORDER BY ${SORT_SQL[field] ?? SORT_SQL.name} ${d}, lower(rows.name), rows.is_primary DESC, rows.currency, rows.id
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}
    ) rows ON true`);
  const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as string));
  // A page past the end still carries the total (one row without a carrier).
  const rows = r.rows.filter((x) => x.id !== null).map(
    (x): CarrierBalanceRow => ({
      carrierId: x.id as string,
      carrierName: x.name as string,
      carrierType: x.type as CarrierBalanceRow["carrierType"],
      status: x.status as string,
      currency: x.currency as string,
      primary: x.is_primary as boolean,
      customerCreditType: x.customer_credit_type as string,
      customerBalance: big(x.customer_balance),
      customerPending: big(x.customer_pending),
      creditLimit: big(x.credit_limit),
      customerRemaining: big(x.customer_remaining),
      supplierBalance: big(x.supplier_balance),
      netExposure: big(x.net_exposure),
      bilateralLimit: big(x.bilateral_limit),
      bilateralRemaining: big(x.bilateral_remaining),
      bilateralLimitBreach: x.bilateral_limit_breach as string,
      customerSpend: big(x.customer_spend),
      customerSpendLimit: big(x.customer_spend_limit),
      customerSpendRemaining: big(x.customer_spend_remaining),
      customerSpendBreach: x.customer_spend_breach as string,
      customerSpendResetAt: x.customer_spend_reset_at ? new Date(x.customer_spend_reset_at as string) : null,
      supplierSpend: big(x.supplier_spend),
      supplierSpendLimit: big(x.supplier_spend_limit),
      supplierSpendRemaining: big(x.supplier_spend_remaining),
      supplierSpendBreach: x.supplier_spend_breach as string,
      supplierSpendResetAt: x.supplier_spend_reset_at ? new Date(x.supplier_spend_reset_at as string) : null,
    }),
  );
  return { rows, total: Number(r.rows[0]?.total ?? 0) };
}

/** Per currency, the tenant's books at a glance (Balance And Totals). */
export interface CurrencyTotals {
  currency: string;
  /** Customers in credit (prepaid money we hold) and customers in debit (what they owe us). */
  customerCredit: bigint;
  receivables: bigint;
  /** What we owe suppliers, and what suppliers owe us (prepaid to them). */
  payables: bigint;
  supplierPrepaid: bigint;
  reservations: bigint;
  cash: bigint;
  revenue: bigint;
  costOfSales: bigint;
  margin: bigint;
}

export async function currencyTotals(db: Db, params: { tenantId: string }): Promise<CurrencyTotals[]> {
  const r = await db.execute<Record<string, string>>(sql`
    WITH a AS (
      SELECT currency, kind, credits_posted_micros - debits_posted_micros AS cr, debits_posted_micros - credits_posted_micros AS dr, debits_pending_micros AS pending
      FROM ledger_accounts WHERE tenant_id = ${params.tenantId}
    )
    SELECT currency,
      coalesce(sum(cr) FILTER (WHERE kind = 'customer' AND cr > 0), 0)::text AS customer_credit,
      coalesce(sum(dr) FILTER (WHERE kind = 'customer' AND dr > 0), 0)::text AS receivables,
      coalesce(sum(cr) FILTER (WHERE kind = 'supplier' AND cr > 0), 0)::text AS payables,
      coalesce(sum(dr) FILTER (WHERE kind = 'supplier' AND dr > 0), 0)::text AS supplier_prepaid,
      coalesce(sum(pending) FILTER (WHERE kind = 'customer'), 0)::text AS reservations,
      coalesce(sum(dr) FILTER (WHERE kind = 'cash'), 0)::text AS cash,
      coalesce(sum(cr) FILTER (WHERE kind = 'revenue'), 0)::text AS revenue,
      coalesce(sum(dr) FILTER (WHERE kind = 'cost_of_sales'), 0)::text AS cost_of_sales
    FROM a GROUP BY currency ORDER BY currency`);
  return r.rows.map((x) => {
    const revenue = BigInt(x.revenue!);
    const costOfSales = BigInt(x.cost_of_sales!);
    return {
      currency: x.currency!,
      customerCredit: BigInt(x.customer_credit!),
      receivables: BigInt(x.receivables!),
      payables: BigInt(x.payables!),
      supplierPrepaid: BigInt(x.supplier_prepaid!),
      reservations: BigInt(x.reservations!),
      cash: BigInt(x.cash!),
      revenue,
      costOfSales,
      margin: revenue - costOfSales,
    };
  });
}
