import { sql } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";

export type CounterKind = "invoice" | "credit_note";

/**
 * The next gapless document number of a tenant: the counter row is locked FOR UPDATE by
 * the issuing transaction, so concurrent issues queue, and a rolled-back issue gives its
 * number back (a sequence would burn it).
 */
export async function nextNumber(tx: TxDb, params: { tenantId: string; kind: CounterKind }): Promise<number> {
  await tx.execute(sql`INSERT INTO billing_counters (tenant_id, kind) VALUES (${params.tenantId}, ${params.kind}) ON CONFLICT DO NOTHING`);
  const r = await tx.execute<{ last_number: number }>(sql`SELECT last_number FROM billing_counters WHERE tenant_id = ${params.tenantId} AND kind = ${params.kind} FOR UPDATE`);
  const next = r.rows[0]!.last_number + 1;
  await tx.execute(sql`UPDATE billing_counters SET last_number = ${next} WHERE tenant_id = ${params.tenantId} AND kind = ${params.kind}`);
  return next;
}

/** The numbers the next invoice and credit note will take (read-only; the issue takes them under the lock). */
export async function nextNumbers(db: Db, params: { tenantId: string }): Promise<{ nextInvoice: number; nextCreditNote: number }> {
  const r = await db.execute<{ kind: string; last_number: number }>(sql`SELECT kind, last_number FROM billing_counters WHERE tenant_id = ${params.tenantId}`);
  const last = (k: CounterKind) => r.rows.find((x) => x.kind === k)?.last_number ?? 0;
  return { nextInvoice: last("invoice") + 1, nextCreditNote: last("credit_note") + 1 };
}
