import type { Db } from "../platform/db/client.js";
import { notFound } from "../platform/http/errors.js";
import type { z } from "zod";
import type { CdrListQuery, cdrDto } from "./model.js";

/**
 * Reading CDRs. Every query names its tenant and a time range (default: the last 24
 * hours), so PostgreSQL prunes to the partitions of that range. Totals are counted up to
 * COUNT_CAP rows: past that the page says "more than".
 */
export const COUNT_CAP = 100_000;
const DAY_MS = 86_400_000;

const COLUMNS = `c.id, c.switch_id AS "switchId", c.call_id AS "callId", c.attempt, c.ingress_interconnect_id AS "ingressInterconnectId",
         c.service_id AS "serviceId", c.customer_carrier_id AS "customerCarrierId", c.egress_interconnect_id AS "egressInterconnectId",
         c.supplier_carrier_id AS "supplierCarrierId", c.calling_raw AS "callingRaw", c.called_raw AS "calledRaw",
         c.calling_number AS "callingNumber", c.called_number AS "calledNumber", c.start_at AS "startAt", c.answer_at AS "answerAt",
         c.end_at AS "endAt", c.duration_s AS "durationS", c.pdd_ms AS "pddMs", c.sip_status AS "sipStatus", c.q850_cause AS "q850Cause",
         c.disposition, c.codec, c.rating_status AS "ratingStatus", c.rating_error AS "ratingError", c.rating_version AS "ratingVersion",
         c.rated_at AS "ratedAt", c.customer_currency AS "customerCurrency", c.customer_prefix AS "customerPrefix",
         c.customer_destination AS "customerDestination", c.customer_rate_micros_per_minute::text AS "customerRate",
         c.customer_billable_s AS "customerBillableS", c.customer_cost_micros::text AS "customerCost",
         c.supplier_currency AS "supplierCurrency", c.supplier_prefix AS "supplierPrefix", c.supplier_destination AS "supplierDestination",
         c.supplier_rate_micros_per_minute::text AS "supplierRate", c.supplier_billable_s AS "supplierBillableS",
         c.supplier_cost_micros::text AS "supplierCost", c.fx_rate_micros::text AS "fxRate", c.margin_micros::text AS "margin",
         cc.name AS "customerCarrierName", sc.name AS "supplierCarrierName", s.name AS "serviceName"`;
const FROM = `
  FROM cdrs c
  LEFT JOIN carriers cc ON cc.tenant_id = c.tenant_id AND cc.id = c.customer_carrier_id
  LEFT JOIN carriers sc ON sc.tenant_id = c.tenant_id AND sc.id = c.supplier_carrier_id
  LEFT JOIN services s ON s.tenant_id = c.tenant_id AND s.id = c.service_id`;
/** A CDR row with its carriers' and service's names; `extra` adds columns of tables joined after it. */
export const selectCdrs = (extra = "") => `SELECT ${COLUMNS}${extra ? `, ${extra}` : ""}${FROM}`;
export const SELECT = selectCdrs();

export type CdrDto = z.output<typeof cdrDto>;
type MoneyField = "customerRate" | "customerCost" | "supplierRate" | "supplierCost" | "fxRate" | "margin";
export type Raw = Omit<CdrDto, MoneyField> & Record<MoneyField, string | null>;
const big = (v: string | null) => (v === null ? null : BigInt(v));
export function toDto(r: Raw): CdrDto {
  return {
    ...r,
    customerRate: big(r.customerRate),
    customerCost: big(r.customerCost),
    supplierRate: big(r.supplierRate),
    supplierCost: big(r.supplierCost),
    fxRate: big(r.fxRate),
    margin: big(r.margin),
  };
}

export function where(params: { tenantId: string; query: Omit<CdrListQuery, "page" | "pageSize" | "sort"> }) {
  const q = params.query;
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - DAY_MS);
  const args: unknown[] = [params.tenantId, from, to];
  const f = ["c.tenant_id = $1", "c.start_at >= $2", "c.start_at < $3"];
  if (q.carrierId) {
    args.push(q.carrierId);
    f.push(`(c.customer_carrier_id = $${args.length} OR c.supplier_carrier_id = $${args.length})`);
  }
  if (q.number) {
    args.push(`${q.number.replace(/^\+/, "")}%`);
    f.push(`(c.called_number LIKE $${args.length} OR c.calling_number LIKE $${args.length})`);
  }
  if (q.disposition) {
    args.push(q.disposition);
    f.push(`c.disposition = $${args.length}`);
  }
  if (q.ratingStatus) {
    args.push(q.ratingStatus);
    f.push(`c.rating_status = $${args.length}`);
  }
  return { sql: f.join(" AND "), args, from, to };
}

export async function listCdrs(db: Db, params: { tenantId: string; query: CdrListQuery }) {
  const w = where(params);
  const dir = params.query.sort === "startAt:asc" ? "ASC" : "DESC";
  const offset = (params.query.page - 1) * params.query.pageSize;
  const rows = await db.$client.query<Raw>(`${SELECT} WHERE ${w.sql} ORDER BY c.start_at ${dir}, c.id ${dir} LIMIT ${params.query.pageSize} OFFSET ${offset}`, w.args);
  const count = await db.$client.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM cdrs c WHERE ${w.sql} LIMIT ${COUNT_CAP + 1}) x`, w.args);
  const n = count.rows[0]?.n ?? 0;
  return {
    rows: rows.rows.map(toDto),
    total: Math.min(n, COUNT_CAP),
    totalCapped: n > COUNT_CAP,
    page: params.query.page,
    pageSize: params.query.pageSize,
    from: w.from,
    to: w.to,
  };
}

export async function getCdr(db: Db, params: { tenantId: string; id: string }) {
  const key = await db.$client.query<{ start_at: Date }>("SELECT start_at FROM cdr_keys WHERE tenant_id = $1 AND cdr_id = $2", [params.tenantId, params.id]);
  const at = key.rows[0]?.start_at;
  if (!at) throw notFound("CDR");
  const r = await db.$client.query<Raw>(`${SELECT} WHERE c.tenant_id = $1 AND c.start_at = $2 AND c.id = $3`, [params.tenantId, at, params.id]);
  if (!r.rows[0]) throw notFound("CDR");
  return toDto(r.rows[0]);
}

/** Rating errors grouped by reason (numbers and ids folded), newest first. */
export async function ratingErrorSummary(db: Db, params: { tenantId: string }) {
  const r = await db.$client.query<{ reason: string; n: number; first: Date; last: Date }>(
    `SELECT regexp_replace(regexp_replace(rating_error, '[0-9a-f]{8}-[0-9a-f-]{27}', '…', 'g'), '\\d{4,}[^ ]*', '…', 'g') AS reason,
            count(*)::int AS n, min(start_at) AS first, max(start_at) AS last
     FROM cdrs WHERE tenant_id = $1 AND rating_status = 'error' GROUP BY 1 ORDER BY max(start_at) DESC LIMIT 100`,
    [params.tenantId],
  );
  return r.rows.map((x) => ({ reason: x.reason, count: x.n, firstStartAt: x.first, lastStartAt: x.last }));
}
