import { sql } from "drizzle-orm";
import type { Db } from "../platform/db/client.js";
import { AppError, badRequest } from "../platform/http/errors.js";
import { parseIsoDate, startOfLocalDay } from "./engine/cycle.js";
import { carrierBillingInfo } from "./settings.js";
import type { StatementDto } from "./model.js";
import { STATEMENT_KINDS } from "./model.js";

type Kind = (typeof STATEMENT_KINDS)[number];

/**
 * A Statement of Account, derived from the ledger: the carrier's customer account (and
 * supplier account for a bilateral carrier) in one currency, between local midnight of
 * `from` and local midnight after `to`. Every posted transfer of the period lands in
 * exactly one line, so opening + Σ lines = closing = the account's balance at the end:
 * - a call's charge (and its re-rating corrections, even when a later invoice bills
 *   their difference) goes to the invoice that bills the call, or to the one line
 *   "usage not yet invoiced";
 * - an invoice's own transfers (tax, rounding, FX) to that invoice; its void's
 *   reversals to a "voided" line of it;
 * - payments, refunds, credit notes, netting: a line each; adjustments and anything
 *   else: a line each.
 */
export async function computeStatement(db: Db, params: { tenantId: string; carrierId: string; from: string; to: string; currency?: string }): Promise<StatementDto> {
  const { tenantId } = params;
  const info = await carrierBillingInfo(db, { tenantId, carrierId: params.carrierId }).catch((err: unknown) => {
    if (err instanceof AppError && err.statusCode === 404) throw badRequest("No such carrier", { carrierId: ["no such carrier"] });
    throw err;
  });
  if (params.to < params.from) throw badRequest("The period ends before it starts", { to: ["must not be before from"] });
  const currency = params.currency ?? info.currency;
  const start = startOfLocalDay(parseIsoDate(params.from), info.timeZone);
  const end = startOfLocalDay(parseIsoDate(params.to) + 1, info.timeZone);
  const kinds = info.type === "bilateral" ? (["customer", "supplier"] as const) : info.type === "supplier" ? (["supplier"] as const) : (["customer"] as const);
  const sides = [];
  for (const account of kinds) {
    // customer: credits − debits; supplier: debits − credits (natural sides).
    const sign = account === "customer" ? sql`CASE WHEN t.credit_account_id = a.id THEN t.amount_micros ELSE -t.amount_micros END` : sql`CASE WHEN t.debit_account_id = a.id THEN t.amount_micros ELSE -t.amount_micros END`;
    const opening = await db.execute<{ bal: string }>(sql`
      SELECT coalesce(sum(${sign}), 0)::text AS bal FROM ledger_accounts a
      JOIN ledger_transfers t ON (t.debit_account_id = a.id OR t.credit_account_id = a.id) AND t.flags IN (0, 4) AND t.created_at < ${start}
      WHERE a.tenant_id = ${tenantId} AND a.kind = ${account} AND a.carrier_id = ${params.carrierId} AND a.currency = ${currency}`);
    const groups = await db.execute<{ kind: Kind; doc: string | null; reversal: boolean; at: Date; amount: string; label: string | null }>(sql`
      WITH moved AS (
        SELECT t.created_at, ${sign} AS amount, t.code = 'reversal' AS reversal, coalesce(o.code, t.code) AS base_code, t.reference_type, t.reference_id
        FROM ledger_accounts a
        JOIN ledger_transfers t ON (t.debit_account_id = a.id OR t.credit_account_id = a.id) AND t.flags IN (0, 4) AND t.created_at >= ${start} AND t.created_at < ${end}
        LEFT JOIN ledger_transfers o ON o.id = t.reverses_id
        WHERE a.tenant_id = ${tenantId} AND a.kind = ${account} AND a.carrier_id = ${params.carrierId} AND a.currency = ${currency}
      ), classified AS (
        SELECT m.created_at, m.amount,
          CASE
            WHEN m.base_code IN ('call_charge', 'supplier_cost') THEN CASE WHEN i.id IS NOT NULL THEN 'invoice' ELSE 'usage_not_invoiced' END
            WHEN m.base_code = 'invoice' THEN 'invoice'
            WHEN m.base_code IN ('payment', 'supplier_payment') THEN 'payment'
            WHEN m.base_code IN ('refund', 'supplier_refund') THEN 'refund'
            WHEN m.base_code IN ('credit_note', 'netting', 'adjustment') THEN m.base_code
            ELSE 'other' END AS kind,
          CASE WHEN m.base_code IN ('call_charge', 'supplier_cost') THEN i.id::text ELSE m.reference_id END AS doc,
          -- Re-rating corrections belong with the usage they correct; a void or a reversed payment is a line of its own.
          m.reversal AND m.base_code NOT IN ('call_charge', 'supplier_cost') AS reversal
        FROM moved m
        LEFT JOIN invoice_cdrs ic ON m.base_code = 'call_charge' AND ic.tenant_id = ${tenantId} AND ic.released_at IS NULL AND ic.kind = 'call'
          AND ic.cdr_id = CASE WHEN m.reference_type = 'cdr' THEN m.reference_id::uuid END
        LEFT JOIN invoices i ON i.id = ic.invoice_id AND i.status NOT IN ('draft', 'void')
      )
      SELECT g.kind, g.doc, g.reversal, g.at, g.amount::text AS amount,
        CASE g.kind
          WHEN 'invoice' THEN (SELECT 'Invoice ' || coalesce(number::text, '(draft)') || ' · ' || first_day || ' – ' || last_day || ' · total ' || (total_micros / 1000000.0)::numeric(30, 6)::text FROM invoices WHERE id::text = g.doc)
          WHEN 'credit_note' THEN (SELECT 'Credit note ' || number || ' · ' || reason FROM credit_notes WHERE id::text = g.doc)
          WHEN 'payment' THEN (SELECT method || coalesce(' ' || reference, '') || ' · ' || paid_on FROM payments WHERE id::text = g.doc)
          WHEN 'refund' THEN (SELECT method || coalesce(' ' || reference, '') || ' · ' || paid_on FROM payments WHERE id::text = g.doc)
          WHEN 'netting' THEN (SELECT 'Netting ' || first_day || ' – ' || last_day FROM netting_requests WHERE id::text = g.doc)
        END AS label
      FROM (
        SELECT kind, CASE WHEN kind IN ('adjustment', 'other') THEN NULL ELSE doc END AS doc, reversal, min(created_at) AS at, sum(amount) AS amount,
          CASE WHEN kind IN ('adjustment', 'other') THEN created_at END AS each_at
        FROM classified
        GROUP BY kind, CASE WHEN kind IN ('adjustment', 'other') THEN NULL ELSE doc END, reversal, CASE WHEN kind IN ('adjustment', 'other') THEN created_at END
      ) g
      ORDER BY (g.kind = 'usage_not_invoiced'), g.at, g.kind, g.doc`);
    let balance = BigInt(opening.rows[0]!.bal);
    const openingBalance = balance;
    const lines = groups.rows.map((g) => {
      const amount = BigInt(g.amount);
      balance += amount;
      const base = g.label ?? { invoice: "Invoice", usage_not_invoiced: account === "customer" ? "Usage not yet invoiced" : "Supplier costs (calls)", payment: "Payment", refund: "Refund", credit_note: "Credit note", netting: "Netting", adjustment: "Adjustment", other: "Other" }[g.kind];
      const description = g.reversal ? `${base} · ${g.kind === "invoice" ? "voided" : "reversed"}` : base;
      return { at: new Date(g.at), kind: g.kind, description, documentId: g.doc, amount, balance };
    });
    sides.push({ account, opening: openingBalance, lines, closing: balance });
  }
  return { carrierId: info.carrierId, carrierName: info.carrierName, currency, timeZone: info.timeZone, from: params.from, to: params.to, periodStart: start, periodEnd: end, sides };
}
