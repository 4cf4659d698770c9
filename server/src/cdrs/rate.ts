import type pg from "pg";
import { createDb, inTransaction, type TxDb } from "../platform/db/client.js";
import type { JobContext, JobData, JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { AppError } from "../platform/http/errors.js";
import { getCompiledPlan } from "../rating/compiled.js";
import { postTransfers } from "../ledger/post.js";
import { transferIdsByKey } from "../ledger/queries.js";
import { voidOpenPendings } from "../ledger/reservations.js";
import type { TransferRequest } from "../ledger/engine/index.js";
import { rateCdr, type CdrRating, type FxLookup, type PlanSide } from "./engine/rate-cdr.js";
import { buildFxSeries, convertAt, fxIndexAt, type FxRateData, type FxSeries } from "../routing/engine/fx.js";
import { divRoundHalfUp } from "../platform/money.js";

/**
 * The rating job: takes pending CDRs in batches (`FOR UPDATE SKIP LOCKED`, so parallel
 * workers never take the same CDR), rates them with the compiled plans in memory and
 * writes the result, all in one transaction per batch. A worker killed mid-batch leaves
 * its batch pending (the transaction never committed); the next worker rates it.
 */
export const RATE_CDRS_QUEUE = "cdrs.rate";
export const RATE_BATCH = 5000;

interface PendingRow {
  id: string;
  start_at: Date;
  customer_carrier_id: string | null;
  supplier_carrier_id: string | null;
  rating_version: number;
  posted_version: number | null;
  called_number: string;
  duration_s: number;
  disposition: string;
  service_id: string | null;
  egress_interconnect_id: string | null;
  reservation_id: string | null;
}

/** The tenant's FX rates (routing's `fx_rates`) as the CDR engine's lookup: the same series and rounding as routing. */
export async function loadFx(pool: pg.Pool, tenantId: string): Promise<FxLookup> {
  const { rows } = await pool.query<{ base: string; quote: string; nanos: string; from_ms: string }>(
    "SELECT base, quote, rate_nanos::text AS nanos, (extract(epoch FROM effective_from) * 1000)::bigint::text AS from_ms FROM fx_rates WHERE tenant_id = $1",
    [tenantId],
  );
  const rates: FxRateData[] = rows.map((r) => ({ base: r.base, quote: r.quote, rateNanos: BigInt(r.nanos), effectiveFrom: Number(r.from_ms) }));
  const series = new Map<string, FxSeries | null>();
  return (from, to, atMs) => {
    const key = `${from}>${to}`;
    if (!series.has(key)) series.set(key, buildFxSeries(rates, from, to));
    const s = series.get(key);
    const i = s ? fxIndexAt(s, atMs) : -1;
    if (!s || i < 0) return null;
    return { rateMicros: divRoundHalfUp(s.num[i]! * 1_000_000n, s.den[i]!), convert: (amount) => convertAt(amount, s, i) };
  };
}

async function planSides(pool: pg.Pool, tenantId: string, rows: readonly PendingRow[]) {
  const client = pool;
  const serviceIds = [...new Set(rows.map((r) => r.service_id).filter((x): x is string => !!x))];
  const egressIds = [...new Set(rows.map((r) => r.egress_interconnect_id).filter((x): x is string => !!x))];
  const services = await client.query<{ id: string; name: string; plan: string | null }>(
    "SELECT id, name, rating_plan_id AS plan FROM services WHERE tenant_id = $1 AND id = ANY($2::uuid[])",
    [tenantId, serviceIds],
  );
  const egress = await client.query<{ id: string; name: string; plan: string | null }>(
    "SELECT id, name, supplier_rating_plan_id AS plan FROM interconnects WHERE tenant_id = $1 AND id = ANY($2::uuid[])",
    [tenantId, egressIds],
  );
  const db = createDb(pool);
  const plans = new Map<string, PlanSide>();
  const planSide = async (planId: string): Promise<PlanSide> => {
    let side = plans.get(planId);
    if (!side) {
      try {
        const { row, compiled } = await getCompiledPlan(db, { tenantId, planId });
        side = { plan: compiled, name: row.name };
      } catch (err) {
        if (!(err instanceof AppError) || err.statusCode !== 404) throw err;
        side = { error: `rating plan ${planId} no longer exists` };
      }
      plans.set(planId, side);
    }
    return side;
  };
  const customer = new Map<string, PlanSide>();
  for (const s of services.rows) customer.set(s.id, s.plan ? await planSide(s.plan) : { error: `service ${s.name} has no customer rating plan` });
  const supplier = new Map<string, PlanSide>();
  for (const e of egress.rows) supplier.set(e.id, e.plan ? await planSide(e.plan) : { error: `egress interconnect ${e.name} has no supplier rating plan` });
  return { customer, supplier };
}

/** Rates up to `limit` pending CDRs of a tenant; returns how many were taken. */
export async function rateBatch(pool: pg.Pool, params: { tenantId: string; limit?: number; fx?: FxLookup }): Promise<{ taken: number; rated: number; errors: number }> {
  const { tenantId } = params;
  const fx = params.fx ?? (await loadFx(pool, tenantId));
  return inTransaction(pool, async (tx) => {
    const client = tx.$client;
    const { rows } = await client.query<PendingRow>(
      `SELECT id, start_at, called_number, duration_s, disposition, service_id, egress_interconnect_id,
              customer_carrier_id, supplier_carrier_id, rating_version, posted_version, reservation_id
       FROM cdrs WHERE tenant_id = $1 AND rating_status = 'pending'
       ORDER BY start_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [tenantId, params.limit ?? RATE_BATCH],
    );
    if (!rows.length) return { taken: 0, rated: 0, errors: 0 };
    const sides = await planSides(pool, tenantId, rows);
    const results: CdrRating[] = rows.map((r) => {
      const customer = r.service_id ? (sides.customer.get(r.service_id) ?? { error: `service ${r.service_id} not found` }) : { error: "unknown service: no service matched the call" };
      const supplier = r.egress_interconnect_id ? (sides.supplier.get(r.egress_interconnect_id) ?? { error: `egress interconnect ${r.egress_interconnect_id} not found` }) : null;
      return rateCdr({ calledNumber: r.called_number, startMs: r.start_at.getTime(), durationS: r.duration_s, answered: r.disposition === "answered" }, customer, supplier, fx);
    });
    const col = <T>(f: (x: CdrRating, i: number) => T) => results.map(f);
    const ok = (x: CdrRating) => (x.ok ? x : null);
    const str = (v: bigint | null | undefined) => (v === null || v === undefined ? null : v.toString());
    const postings = await cdrPostings(tx, tenantId, rows, results);
    // One write of each CDR: the rating and the version whose transfers are live, together.
    await client.query(
      `UPDATE cdrs c SET
         rating_status = CASE WHEN u.error IS NULL THEN 'rated' ELSE 'error' END, rating_error = u.error, rated_at = now(),
         customer_currency = u.c_cur, customer_prefix = u.c_prefix, customer_destination = u.c_dest, customer_rate_micros_per_minute = u.c_rate,
         customer_billable_s = u.c_bill, customer_cost_micros = u.c_cost,
         supplier_currency = u.s_cur, supplier_prefix = u.s_prefix, supplier_destination = u.s_dest, supplier_rate_micros_per_minute = u.s_rate,
         supplier_billable_s = u.s_bill, supplier_cost_micros = u.s_cost, fx_rate_micros = u.fx, margin_micros = u.margin, posted_version = u.posted
       FROM unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::int[], $10::bigint[],
                   $11::text[], $12::text[], $13::text[], $14::bigint[], $15::int[], $16::bigint[], $17::bigint[], $18::bigint[], $19::int[])
            AS u(id, start_at, error, c_cur, c_prefix, c_dest, c_rate, c_bill, c_cost, s_cur, s_prefix, s_dest, s_rate, s_bill, s_cost, fx, margin, posted)
       WHERE c.tenant_id = $1 AND c.start_at = u.start_at AND c.id = u.id AND c.start_at BETWEEN $20 AND $21`,
      [
        tenantId,
        rows.map((r) => r.id),
        rows.map((r) => r.start_at.toISOString()),
        col((x) => (x.ok ? null : x.error)),
        col((x) => ok(x)?.customer.currency ?? null),
        col((x) => ok(x)?.customer.prefix ?? null),
        col((x) => ok(x)?.customer.destination ?? null),
        col((x) => str(ok(x)?.customer.rateMicrosPerMinute)),
        col((x) => ok(x)?.customer.billableS ?? null),
        col((x) => str(ok(x)?.customer.costMicros)),
        col((x) => ok(x)?.supplier?.currency ?? null),
        col((x) => ok(x)?.supplier?.prefix ?? null),
        col((x) => ok(x)?.supplier?.destination ?? null),
        col((x) => str(ok(x)?.supplier?.rateMicrosPerMinute)),
        col((x) => ok(x)?.supplier?.billableS ?? null),
        col((x) => str(ok(x)?.supplier?.costMicros)),
        col((x) => str(ok(x)?.fxRateMicros)),
        col((x) => str(ok(x)?.marginMicros)),
        postings.postedVersion,
        // The batch's time span (rows come in start_at order): without it PostgreSQL hashes the whole partition to find them.
        rows[0]!.start_at.toISOString(),
        rows[rows.length - 1]!.start_at.toISOString(),
      ],
    );
    if (postings.transfers.length) await postTransfers(tx, { tenantId, transfers: postings.transfers });
    // The calls' reservations end with their CDRs (rated or not): the charge, if any, was just posted.
    await voidOpenPendings(tx, { tenantId, pendingIds: rows.flatMap((r) => r.reservation_id ?? []) });
    const errors = results.filter((x) => !x.ok).length;
    return { taken: rows.length, rated: rows.length - errors, errors };
  });
}

/** Ledger idempotency keys of a CDR's postings at one rating version. */
export const cdrTransferKey = (cdrId: string, version: number, side: "customer" | "supplier") => `cdr:${cdrId}:v${version}:${side}`;

/**
 * The batch's money, posted in the rating transaction: the customer is charged the call
 * (`call_charge`) and the supplier's cost is owed (`supplier_cost`), keyed by CDR and
 * rating version so a replay posts nothing. A CDR rated again first has the transfers of
 * its previous posted version reversed (a correction is a reversing transfer, never an
 * edit); `postedVersion` is what the CDR's `posted_version` becomes: the version whose
 * transfers are live.
 */
async function cdrPostings(tx: TxDb, tenantId: string, rows: readonly PendingRow[], results: readonly CdrRating[]) {
  const previousKeys = rows.flatMap((r) => (r.posted_version === null ? [] : [cdrTransferKey(r.id, r.posted_version, "customer"), cdrTransferKey(r.id, r.posted_version, "supplier")]));
  const previous = await transferIdsByKey(tx, { tenantId, keys: previousKeys });
  const transfers: TransferRequest[] = [];
  const postedVersion: (number | null)[] = [];
  rows.forEach((r, i) => {
    const x = results[i]!;
    const reference = { type: "cdr", id: r.id };
    let posted = false;
    if (r.posted_version !== null) {
      for (const side of ["customer", "supplier"] as const) {
        const id = previous.get(cdrTransferKey(r.id, r.posted_version, side));
        if (id) transfers.push({ op: "reverse", key: `${cdrTransferKey(r.id, r.rating_version, side)}:reverses-v${r.posted_version}`, transferId: id, reference });
      }
    }
    if (x.ok && x.customer.costMicros > 0n && r.customer_carrier_id) {
      transfers.push({ op: "call_charge", key: cdrTransferKey(r.id, r.rating_version, "customer"), carrierId: r.customer_carrier_id, currency: x.customer.currency, amountMicros: x.customer.costMicros, reference });
      posted = true;
    }
    if (x.ok && x.supplier && x.supplier.costMicros > 0n && r.supplier_carrier_id) {
      transfers.push({ op: "supplier_cost", key: cdrTransferKey(r.id, r.rating_version, "supplier"), carrierId: r.supplier_carrier_id, currency: x.supplier.currency, amountMicros: x.supplier.costMicros, reference });
      posted = true;
    }
    postedVersion.push(posted ? r.rating_version : null);
  });
  return { transfers, postedVersion };
}

/** Batches rated at once by one job: each worker holds its own connection and transaction. */
export const RATE_WORKERS = 2;
const DEADLOCK = "40P01";

/**
 * Rates a tenant's pending CDRs until none are left, with `workers` batches in flight at
 * once: `SKIP LOCKED` gives each its own CDRs, so one batch's reads, rating and CDR
 * update overlap another's ledger posting (the ledger's account locks serialize only
 * that step). Two batches posting to different carriers' accounts can still deadlock
 * (each locks its accounts in id order, then a reservation's account); PostgreSQL aborts
 * one, whose batch simply runs again.
 */
export async function ratePending(
  pool: pg.Pool,
  params: { tenantId: string; fx: FxLookup; workers?: number; limit?: number; onBatch?: (r: { rated: number; errors: number }) => Promise<void> | void },
): Promise<{ rated: number; errors: number }> {
  const limit = params.limit ?? RATE_BATCH;
  let rated = 0;
  let errors = 0;
  const worker = async () => {
    for (;;) {
      let r;
      try {
        r = await rateBatch(pool, { tenantId: params.tenantId, fx: params.fx, limit });
      } catch (err) {
        if ((err as { code?: string }).code === DEADLOCK) continue;
        throw err;
      }
      rated += r.rated;
      errors += r.errors;
      if (r.taken) await params.onBatch?.({ rated, errors });
      if (r.taken < limit) return;
    }
  };
  await Promise.all(Array.from({ length: params.workers ?? RATE_WORKERS }, worker));
  return { rated, errors };
}

/** Job: rates a tenant's pending CDRs until none are left, with progress. */
export async function rateCdrsJob(pool: pg.Pool, data: JobData, ctx: JobContext, opts: { fx?: FxLookup } = {}) {
  if (!data.tenantId) throw new Error(`${RATE_CDRS_QUEUE} needs tenantId`);
  const tenantId = data.tenantId;
  const pending = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM cdrs WHERE tenant_id = $1 AND rating_status = 'pending'", [tenantId]);
  const total = Math.max(1, pending.rows[0]?.n ?? 0);
  // FX rates are read once per job, not once per batch.
  const fx = opts.fx ?? (await loadFx(pool, tenantId));
  return ratePending(pool, {
    tenantId,
    fx,
    onBatch: ({ rated, errors }) => ctx.progress(Math.min(99, ((rated + errors) * 100) / total), `${rated} rated, ${errors} rating errors`),
  });
}

/**
 * Re-rating a period (after a deck correction, or to clear rating errors): the CDRs go
 * back to pending with their rating version bumped, and the rating job rates them again.
 * Money already posted for a CDR is corrected by reversing transfers, never edited.
 */
export async function requestRerate(
  tx: TxDb,
  actor: Actor,
  jobs: JobQueue,
  input: { from: Date; to: Date; carrierId?: string; onlyErrors: boolean },
): Promise<{ jobId: string | null; count: number }> {
  const args: unknown[] = [actor.tenantId, input.from, input.to];
  let extra = input.onlyErrors ? " AND rating_status = 'error'" : " AND rating_status <> 'pending'";
  if (input.carrierId) {
    args.push(input.carrierId);
    extra += ` AND (customer_carrier_id = $4 OR supplier_carrier_id = $4)`;
  }
  const r = await tx.$client.query(
    `UPDATE cdrs SET rating_status = 'pending', rating_version = rating_version + 1
     WHERE tenant_id = $1 AND start_at >= $2 AND start_at < $3${extra}`,
    args,
  );
  const count = r.rowCount ?? 0;
  const jobId = count ? await jobs.enqueue(tx, RATE_CDRS_QUEUE, { tenantId: actor.tenantId, rerate: true }) : null;
  await recordAudit(tx, actor, { action: "cdrs.rerate", entityType: "cdrs", entityId: null, after: { ...input, count, jobId } });
  return { jobId, count };
}
