import type { Db } from "../platform/db/client.js";
import { AppError } from "../platform/http/errors.js";
import { compilePlan, lookup, memoryStats, rateCall, type CompiledPlan, type Rate, type RateMatch } from "./engine/index.js";
import { getPlanRow, type PlanRow } from "./plans.js";

/**
 * The server's cache of compiled rating plans, one per tenant + plan. An entry is keyed
 * by the plan's `updated_at`, which every plan edit and every applied revision bumps, so
 * any process sees a change at its next lookup. A rebuild compiles off to the side while
 * readers keep the previous plan; the new one replaces it in one Map assignment (the swap
 * is atomic: a reader holds either the old or the new compiled plan, never a mix).
 * Concurrent readers of a stale entry share one rebuild.
 */
interface Entry {
  stamp: number;
  plan: CompiledPlan;
}
const cache = new Map<string, Entry>();
const building = new Map<string, { stamp: number; promise: Promise<CompiledPlan> }>();
const keyOf = (tenantId: string, planId: string) => `${tenantId}:${planId}`;
/** When each compiled plan was built, and how long loading and compiling took. */
const builds = new WeakMap<CompiledPlan, { at: Date; ms: number }>();

interface RateRecord {
  prefix: string;
  destination: string;
  rate: string;
  fee: string | null;
  first: number | null;
  next: number | null;
  time_class: string | null;
  from_ms: string;
  to_ms: string | null;
}

/** Loads every rate version of the plan (one query, plain columns) and compiles it. */
async function build(db: Db, tenantId: string, plan: PlanRow): Promise<CompiledPlan> {
  const { rows } = await db.$client.query<RateRecord>(
    `SELECT prefix, destination, rate_micros_per_minute::text AS rate, connection_fee_micros::text AS fee,
            increment_first_s AS first, increment_next_s AS next, time_class,
            (extract(epoch FROM effective_from) * 1000)::bigint::text AS from_ms,
            (extract(epoch FROM effective_to) * 1000)::bigint::text AS to_ms
     FROM rates WHERE tenant_id = $1 AND plan_id = $2 AND (effective_to IS NULL OR effective_to > effective_from)`,
    [tenantId, plan.id],
  );
  const list: Rate[] = rows.map((r) => ({
    prefix: r.prefix,
    destination: r.destination,
    rateMicrosPerMinute: BigInt(r.rate),
    connectionFeeMicros: r.fee === null ? null : BigInt(r.fee),
    increments: r.first === null || r.next === null ? null : { firstS: r.first, nextS: r.next },
    timeClass: r.time_class,
    effectiveFrom: Number(r.from_ms),
    effectiveTo: r.to_ms === null ? null : Number(r.to_ms),
  }));
  return compilePlan({
    id: plan.id,
    currency: plan.currency,
    timeZone: plan.timeZone,
    defaults: {
      increments: { firstS: plan.incrementFirstS, nextS: plan.incrementNextS },
      minimumDurationS: plan.minimumDurationS,
      gracePeriodS: plan.gracePeriodS,
      connectionFeeMicros: plan.connectionFeeMicros,
      precisionMicros: plan.precisionMicros,
    },
    timeClasses: plan.timeClasses,
    rates: list,
  });
}

function rebuild(db: Db, tenantId: string, plan: PlanRow): Promise<CompiledPlan> {
  const key = keyOf(tenantId, plan.id);
  const stamp = plan.updatedAt.getTime();
  const pending = building.get(key);
  if (pending && pending.stamp === stamp) return pending.promise;
  const started = performance.now();
  const promise = build(db, tenantId, plan).then(
    (compiled) => {
      builds.set(compiled, { at: new Date(), ms: Math.round(performance.now() - started) });
      const current = cache.get(key);
      if (!current || current.stamp <= stamp) cache.set(key, { stamp, plan: compiled });
      if (building.get(key)?.promise === promise) building.delete(key);
      return compiled;
    },
    (err: unknown) => {
      if (building.get(key)?.promise === promise) building.delete(key);
      throw err;
    },
  );
  building.set(key, { stamp, promise });
  return promise;
}

/** The compiled plan (404 for another tenant's or a deleted plan), rebuilt when the plan changed. */
export async function getCompiledPlan(db: Db, params: { tenantId: string; planId: string }): Promise<{ row: PlanRow; compiled: CompiledPlan }> {
  const row = await getPlanRow(db, { tenantId: params.tenantId, id: params.planId });
  const hit = cache.get(keyOf(params.tenantId, row.id));
  if (hit && hit.stamp === row.updatedAt.getTime()) return { row, compiled: hit.plan };
  return { row, compiled: await rebuild(db, params.tenantId, row) };
}

/**
 * After a revision is applied: rebuild now (in the background) so the next lookup finds
 * the new plan ready. Readers keep the old plan until the swap.
 */
export function refreshCompiledPlan(db: Db, params: { tenantId: string; planId: string }): void {
  getCompiledPlan(db, params).catch(() => {
    cache.delete(keyOf(params.tenantId, params.planId));
  });
}

/** What the server holds in memory for a plan: its size per prefix, and when and how fast it was built. */
export async function compiledPlanStats(db: Db, params: { tenantId: string; planId: string }) {
  const { compiled } = await getCompiledPlan(db, params);
  const m = memoryStats(compiled);
  const built = builds.get(compiled);
  return {
    prefixCount: m.prefixCount,
    versionCount: m.versionCount,
    nodeCount: m.nodeCount,
    destinationCount: m.destinationCount,
    typedArrayBytes: m.typedArrayBytes,
    bytesPerPrefix: Math.round(m.bytesPerPrefix * 10) / 10,
    builtAt: built?.at ?? null,
    buildMs: built?.ms ?? null,
  };
}

/** Drops a plan's entry (deleted plans). */
export function dropCompiledPlan(params: { tenantId: string; planId: string }): void {
  cache.delete(keyOf(params.tenantId, params.planId));
}

const toMatch = (m: RateMatch) => ({
  prefix: m.prefix,
  destination: m.destination,
  rate: m.rateMicrosPerMinute,
  connectionFee: m.connectionFeeMicros,
  incrementFirstS: m.increments.firstS,
  incrementNextS: m.increments.nextS,
  timeClass: m.timeClass,
  effectiveFrom: new Date(m.effectiveFrom),
  effectiveTo: m.effectiveTo === null ? null : new Date(m.effectiveTo),
});

/** The rate a number gets at `at` (null: none), from the compiled plan. */
export async function lookupRate(db: Db, params: { tenantId: string; planId: string; number: string; at: Date }) {
  const { compiled } = await getCompiledPlan(db, params);
  const m = lookup(compiled, params.number, params.at.getTime());
  return { number: params.number, at: params.at, match: m ? toMatch(m) : null };
}

/** micro-units as a decimal string of currency units ("1234567.5…" → "1.2345675…"). */
function microsToUnits(micros: string): string {
  const neg = micros.startsWith("-");
  const [whole = "0", frac = ""] = (neg ? micros.slice(1) : micros).split(".");
  const padded = whole.padStart(7, "0");
  const units = `${padded.slice(0, -6).replace(/^0+(?=\d)/, "")}.${padded.slice(-6)}${frac}`;
  return `${neg ? "-" : ""}${units}`;
}

/** The cost of a call of `durationS` to `number` at `at`, with every figure of the breakdown. */
export async function quoteCall(db: Db, params: { tenantId: string; planId: string; number: string; durationS: number; at: Date }) {
  const { row, compiled } = await getCompiledPlan(db, params);
  const rated = rateCall(compiled, { number: params.number, atMs: params.at.getTime(), durationS: params.durationS });
  if (!rated) throw new AppError(422, "no_rate", `No rate in ${row.name} for ${params.number} at ${params.at.toISOString()}`, { number: ["no rate applies"] });
  const { match: m, cost: c } = rated;
  return {
    number: params.number,
    at: params.at,
    currency: row.currency,
    prefix: m.prefix,
    destination: m.destination,
    rate: m.rateMicrosPerMinute,
    timeClass: m.timeClass,
    durationS: c.durationS,
    billableS: c.billableS,
    incrementFirstS: c.increments.firstS,
    incrementNextS: c.increments.nextS,
    minimumDurationS: c.minimumDurationS,
    gracePeriodS: c.gracePeriodS,
    free: c.free,
    connectionFee: c.free ? 0n : c.connectionFeeMicros,
    exactCost: microsToUnits(c.exactCostMicros),
    precision: c.precisionMicros,
    cost: c.costMicros,
  };
}
