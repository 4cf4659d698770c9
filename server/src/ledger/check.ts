import type { Db } from "../platform/db/client.js";

export interface LedgerCheckReport {
  ok: boolean;
  accounts: number;
  transfers: number;
  /** Each broken rule with up to 20 examples. */
  problems: { rule: string; examples: string[] }[];
}

const EXAMPLES = 20;

/**
 * The ledger's invariants, checked from scratch against the stored transfers:
 *  1. per tenant and currency, Σ debits = Σ credits (posted, and pending);
 *  2. every account's four totals equal the sums of its transfers (posted and posts of
 *     pending transfers count as posted; pending ones count as pending until resolved);
 *  3. every transfer's two accounts exist and belong to its tenant and currency (there
 *     is no foreign key: see schema.ts);
 *  4. a post or void refers to a pending transfer on the same accounts, a post is at
 *     most the pending amount and a void is exactly it;
 *  5. a reversal mirrors a posted, non-reversal transfer (accounts swapped, same amount).
 * `tenantId: null` checks every tenant (the `npm run ledger:check` command).
 */
export async function checkLedgerInvariants(db: Db, params: { tenantId: string | null }): Promise<LedgerCheckReport> {
  const client = db.$client;
  const q = async (sql: string) => (await client.query<{ example: string }>(`${sql} LIMIT ${EXAMPLES}`, [params.tenantId])).rows.map((r) => r.example);
  const scope = (alias: string) => `($1::uuid IS NULL OR ${alias}.tenant_id = $1::uuid)`;
  const rules: [string, string][] = [
    [
      "per tenant and currency, debits equal credits",
      `SELECT tenant_id || ' ' || currency || ': posted ' || sum(debits_posted_micros) || '/' || sum(credits_posted_micros) || ', pending ' || sum(debits_pending_micros) || '/' || sum(credits_pending_micros) AS example
       FROM ledger_accounts a WHERE ${scope("a")} GROUP BY tenant_id, currency
       HAVING sum(debits_posted_micros) <> sum(credits_posted_micros) OR sum(debits_pending_micros) <> sum(credits_pending_micros)`,
    ],
    [
      "each account's totals equal the sum of its transfers",
      `WITH t AS (
         SELECT t.debit_account_id, t.credit_account_id,
           CASE WHEN t.flags IN (0, 4) THEN t.amount_micros ELSE 0 END AS posted,
           CASE WHEN t.flags = 2 AND r.id IS NULL THEN t.amount_micros ELSE 0 END AS pending
         FROM ledger_transfers t LEFT JOIN ledger_transfers r ON r.pending_id = t.id
         WHERE ${scope("t")}
       ), sums AS (
         SELECT id, sum(dp) AS dp, sum(cp) AS cp, sum(dq) AS dq, sum(cq) AS cq FROM (
           SELECT debit_account_id AS id, posted AS dp, 0 AS cp, pending AS dq, 0 AS cq FROM t
           UNION ALL SELECT credit_account_id, 0, posted, 0, pending FROM t
         ) legs GROUP BY id
       )
       SELECT a.id || ' (' || a.kind || ' ' || a.currency || '): stored ' || a.debits_posted_micros || '/' || a.credits_posted_micros || '/' || a.debits_pending_micros || '/' || a.credits_pending_micros
         || ', from transfers ' || coalesce(s.dp, 0) || '/' || coalesce(s.cp, 0) || '/' || coalesce(s.dq, 0) || '/' || coalesce(s.cq, 0) AS example
       FROM ledger_accounts a LEFT JOIN sums s ON s.id = a.id
       WHERE ${scope("a")} AND (a.debits_posted_micros <> coalesce(s.dp, 0) OR a.credits_posted_micros <> coalesce(s.cp, 0)
         OR a.debits_pending_micros <> coalesce(s.dq, 0) OR a.credits_pending_micros <> coalesce(s.cq, 0))`,
    ],
    [
      "a transfer's accounts exist and belong to its tenant and currency",
      `SELECT t.id::text AS example FROM ledger_transfers t
       LEFT JOIN ledger_accounts d ON d.id = t.debit_account_id LEFT JOIN ledger_accounts c ON c.id = t.credit_account_id
       WHERE ${scope("t")} AND (d.id IS NULL OR c.id IS NULL OR d.tenant_id <> t.tenant_id OR c.tenant_id <> t.tenant_id OR d.currency <> t.currency OR c.currency <> t.currency)`,
    ],
    [
      "a post or void resolves a pending transfer on the same accounts, within its amount",
      `SELECT r.id::text AS example FROM ledger_transfers r LEFT JOIN ledger_transfers p ON p.id = r.pending_id
       WHERE ${scope("r")} AND r.pending_id IS NOT NULL AND (p.id IS NULL OR p.flags <> 2 OR p.tenant_id <> r.tenant_id
         OR p.debit_account_id <> r.debit_account_id OR p.credit_account_id <> r.credit_account_id
         OR r.amount_micros > p.amount_micros OR (r.flags = 8 AND r.amount_micros <> p.amount_micros))`,
    ],
    [
      "a reversal mirrors a posted transfer",
      `SELECT r.id::text AS example FROM ledger_transfers r LEFT JOIN ledger_transfers o ON o.id = r.reverses_id
       WHERE ${scope("r")} AND r.reverses_id IS NOT NULL AND (o.id IS NULL OR r.code <> 'reversal' OR o.code = 'reversal' OR o.flags NOT IN (0, 4)
         OR r.flags <> 0 OR o.tenant_id <> r.tenant_id OR r.debit_account_id <> o.credit_account_id OR r.credit_account_id <> o.debit_account_id
         OR r.amount_micros <> o.amount_micros)`,
    ],
  ];
  const problems: LedgerCheckReport["problems"] = [];
  for (const [rule, sql] of rules) {
    const examples = await q(sql);
    if (examples.length) problems.push({ rule, examples });
  }
  const counts = await client.query<{ accounts: number; transfers: number }>(
    `SELECT (SELECT count(*) FROM ledger_accounts a WHERE ${scope("a")})::int AS accounts, (SELECT count(*) FROM ledger_transfers t WHERE ${scope("t")})::int AS transfers`,
    [params.tenantId],
  );
  return { ok: problems.length === 0, ...counts.rows[0]!, problems };
}
