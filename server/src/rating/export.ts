import type { Db } from "../platform/db/client.js";
import { formatMoney } from "../platform/money.js";
import { getPlanRow } from "./plans.js";

/**
 * The plan's rates live at `at` as a deck the importer reads back unchanged: the default
 * column names, effective dates as UTC ISO datetimes, blanks for plan defaults.
 */
export const EXPORT_HEADER = "prefix,destination,rate,effective_date,first_increment,next_increment,connection_fee,time_class";

const csvField = (v: string) => (/[",;\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v);

export async function exportRates(db: Db, params: { tenantId: string; planId: string; at: Date }): Promise<{ fileName: string; csv: string }> {
  const plan = await getPlanRow(db, { tenantId: params.tenantId, id: params.planId });
  const { rows } = await db.$client.query<{
    prefix: string;
    destination: string;
    rate: string;
    fee: string | null;
    first: number | null;
    next: number | null;
    time_class: string | null;
    from: Date;
  }>(
    `SELECT DISTINCT ON (prefix, time_class) prefix, destination, rate_micros_per_minute::text AS rate, connection_fee_micros::text AS fee,
            increment_first_s AS first, increment_next_s AS next, time_class, effective_from AS from
     FROM rates
     WHERE tenant_id = $1 AND plan_id = $2 AND effective_from <= $3 AND (effective_to IS NULL OR effective_to > $3)
     ORDER BY prefix, time_class NULLS FIRST, effective_from DESC`,
    [params.tenantId, plan.id, params.at],
  );
  const out = [EXPORT_HEADER];
  for (const r of rows) {
    out.push(
      [
        r.prefix,
        csvField(r.destination),
        formatMoney(BigInt(r.rate)),
        r.from.toISOString(),
        r.first ?? "",
        r.next ?? "",
        r.fee === null ? "" : formatMoney(BigInt(r.fee)),
        r.time_class === null ? "" : csvField(r.time_class),
      ].join(","),
    );
  }
  const day = params.at.toISOString().slice(0, 10);
  return { fileName: `${plan.name.replace(/[^A-Za-z0-9._-]+/g, "_")}-${day}.csv`, csv: `${out.join("\r\n")}\r\n` };
}
