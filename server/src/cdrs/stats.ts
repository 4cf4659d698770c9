import type { Db } from "../platform/db/client.js";
import type { QualityStats } from "../routing/engine/types.js";

/**
 * Traffic statistics from the CDRs of a recent window: what the dashboard shows and what
 * quality routing reads. ASR = answered / attempts; ACD = mean billed duration of answered
 * calls; PDD = mean post-dial delay of attempts that had one. One CDR is one attempt.
 */
export interface TrafficRow {
  id: string;
  name: string;
  attempts: number;
  answered: number;
  asrPercent: number;
  acdS: number;
  pddMs: number;
  minutes: number;
}

const AGGREGATES = `count(*)::int AS attempts,
  count(*) FILTER (WHERE c.disposition = 'answered')::int AS answered,
  coalesce(round(avg(c.duration_s) FILTER (WHERE c.disposition = 'answered')), 0)::int AS acd_s,
  coalesce(round(avg(c.pdd_ms)), 0)::int AS pdd_ms,
  round(coalesce(sum(c.duration_s) FILTER (WHERE c.disposition = 'answered'), 0) / 60.0, 1)::float8 AS minutes`;

interface RawAggregate {
  attempts: number;
  answered: number;
  acd_s: number;
  pdd_ms: number;
  minutes: number;
}
const asr = (r: RawAggregate) => (r.attempts ? Math.round((r.answered * 1000) / r.attempts) / 10 : 0);

/** Per egress interconnect (supplier side) or per customer carrier, busiest first. */
export async function trafficStats(db: Db, params: { tenantId: string; windowMinutes: number; by: "egress" | "customer" }): Promise<TrafficRow[]> {
  const join =
    params.by === "egress"
      ? { key: "c.egress_interconnect_id", table: "interconnects", nameOf: "x.name" }
      : { key: "c.customer_carrier_id", table: "carriers", nameOf: "x.name" };
  const { rows } = await db.$client.query<RawAggregate & { id: string; name: string }>(
    `SELECT ${join.key} AS id, min(${join.nameOf}) AS name, ${AGGREGATES}
     FROM cdrs c JOIN ${join.table} x ON x.tenant_id = c.tenant_id AND x.id = ${join.key}
     WHERE c.tenant_id = $1 AND c.start_at >= now() - make_interval(mins => $2)
     GROUP BY ${join.key} ORDER BY attempts DESC, name LIMIT 200`,
    [params.tenantId, params.windowMinutes],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, attempts: r.attempts, answered: r.answered, asrPercent: asr(r), acdS: r.acd_s, pddMs: r.pdd_ms, minutes: r.minutes }));
}

/** The whole tenant's figures for the window. */
export async function trafficTotals(db: Db, params: { tenantId: string; windowMinutes: number }): Promise<Omit<TrafficRow, "id" | "name">> {
  const { rows } = await db.$client.query<RawAggregate>(
    `SELECT ${AGGREGATES} FROM cdrs c WHERE c.tenant_id = $1 AND c.start_at >= now() - make_interval(mins => $2)`,
    [params.tenantId, params.windowMinutes],
  );
  const r = rows[0]!;
  return { attempts: r.attempts, answered: r.answered, asrPercent: asr(r), acdS: r.acd_s, pddMs: r.pdd_ms, minutes: r.minutes };
}

/**
 * Quality per egress interconnect and routing-entry prefix (calls whose destination starts
 * with the prefix), for the prefixes of the tenant's quality-routed entries.
 */
export async function routeQuality(db: Db, params: { tenantId: string; windowMinutes: number; prefixes: readonly string[] }): Promise<Map<string, Map<string, QualityStats>>> {
  const out = new Map<string, Map<string, QualityStats>>();
  if (!params.prefixes.length) return out;
  const { rows } = await db.$client.query<RawAggregate & { id: string; prefix: string }>(
    `SELECT c.egress_interconnect_id AS id, p.prefix, ${AGGREGATES}
     FROM cdrs c JOIN unnest($3::text[]) AS p(prefix) ON starts_with(c.called_number, p.prefix)
     WHERE c.tenant_id = $1 AND c.start_at >= now() - make_interval(mins => $2) AND c.egress_interconnect_id IS NOT NULL
     GROUP BY 1, 2`,
    [params.tenantId, params.windowMinutes, [...new Set(params.prefixes)]],
  );
  for (const r of rows) {
    const byPrefix = out.get(r.id) ?? new Map<string, QualityStats>();
    byPrefix.set(r.prefix, { asrPercent: asr(r), acdS: r.acd_s, pddMs: r.pdd_ms, attempts: r.attempts });
    out.set(r.id, byPrefix);
  }
  return out;
}
