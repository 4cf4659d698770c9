import type pg from "pg";
import { inTransaction } from "../platform/db/client.js";
import type { JobContext, JobData } from "../platform/jobs/boss.js";
import { systemActor } from "../audit/audit.js";
import { AppError } from "../platform/http/errors.js";
import { generateInvoice } from "./invoices.js";

export const INVOICE_CYCLES_QUEUE = "billing.invoice-cycles";

/**
 * Scheduled (every 15 minutes): for every tenant (or the one named), every live customer
 * or bilateral carrier whose last cycle period has closed in its time zone and has
 * uninvoiced rated usage gets that period's invoice — issued for Automatic customer
 * billing, left as a draft awaiting approval for Manual. Idempotent: a period already
 * invoiced is skipped (the unique index on tenant, carrier, currency and period holds
 * even against a clerk generating the same invoice at the same moment). One carrier per
 * transaction; a carrier that cannot be invoiced (missing FX rate or tax rate) is
 * counted and reported, and the others go on.
 */
export async function invoiceCyclesJob(pool: pg.Pool, data: JobData, ctx: JobContext, now = new Date()) {
  const tenants = data.tenantId ? [data.tenantId] : (await pool.query<{ id: string }>("SELECT id FROM tenants ORDER BY id")).rows.map((r) => r.id);
  const out = { carriers: 0, issued: 0, drafts: 0, skipped: 0, failed: [] as { carrierId: string; error: string }[] };
  for (const tenantId of tenants) {
    const carriers = await pool.query<{ id: string; customer_billing: string }>(
      "SELECT id, customer_billing FROM carriers WHERE tenant_id = $1 AND type IN ('customer', 'bilateral') AND deleted_at IS NULL ORDER BY id",
      [tenantId],
    );
    const actor = systemActor(tenantId, "billing cycle job");
    for (const c of carriers.rows) {
      out.carriers++;
      try {
        const inv = await inTransaction(pool, (tx) => generateInvoice(tx, actor, { carrierId: c.id, issue: c.customer_billing === "automatic" }, now));
        if (inv.status === "draft") out.drafts++;
        else out.issued++;
      } catch (err) {
        if (err instanceof AppError && (err.code === "nothing_to_invoice" || err.statusCode === 409)) out.skipped++;
        else out.failed.push({ carrierId: c.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    await ctx.progress(((tenants.indexOf(tenantId) + 1) * 100) / tenants.length, `${out.issued} issued, ${out.drafts} drafts, ${out.failed.length} failed`);
  }
  return out;
}
