import { and, count, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { interconnects, services } from "../carriers/schema.js";
import { compilePlan } from "./engine/index.js";
import { ratingPlans, rates } from "./schema.js";
import type { PlanCreate, PlanPatch } from "./model.js";

export type PlanRow = typeof ratingPlans.$inferSelect;

export function planToDto(row: PlanRow, rateCount: number) {
  const { tenantId: _t, deletedAt: _d, connectionFeeMicros, precisionMicros, kind, ...rest } = row;
  return { ...rest, kind: kind as PlanCreate["kind"], connectionFee: connectionFeeMicros, precision: precisionMicros, rateCount };
}
export type PlanDto = ReturnType<typeof planToDto>;

const livePlan = (tenantId: string) => and(eq(ratingPlans.tenantId, tenantId), isNull(ratingPlans.deletedAt));

function toColumns(input: PlanPatch) {
  const { connectionFee, precision, ...rest } = input;
  return {
    ...rest,
    ...(connectionFee !== undefined ? { connectionFeeMicros: connectionFee } : {}),
    ...(precision !== undefined ? { precisionMicros: precision } : {}),
  };
}

/**
 * Rate counts of the tenant's plans (rows read under its tenant filter). By plan id alone:
 * ids are unique across tenants, and then the count is an index-only scan of rates.
 */
async function withCounts(db: Db, rows: PlanRow[]): Promise<PlanDto[]> {
  if (!rows.length) return [];
  const counts = await db
    .select({ planId: rates.planId, n: count() })
    .from(rates)
    .where(inArray(rates.planId, rows.map((r) => r.id)))
    .groupBy(rates.planId);
  const n = new Map(counts.map((c) => [c.planId, c.n]));
  return rows.map((r) => planToDto(r, n.get(r.id) ?? 0));
}

export async function listPlans(db: Db, params: { tenantId: string; query: ListQuery & { kind?: PlanCreate["kind"]; currency?: string } }): Promise<Page<PlanDto>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [livePlan(tenantId)];
  if (query.q) f.push(or(ilike(ratingPlans.name, likePattern(query.q))));
  if (query.kind) f.push(eq(ratingPlans.kind, query.kind));
  if (query.currency) f.push(eq(ratingPlans.currency, query.currency));
  const where = and(...f);
  const rows = await db
    .select()
    .from(ratingPlans)
    .where(where)
    .orderBy(orderBy(query.sort, { name: ratingPlans.name, kind: ratingPlans.kind, currency: ratingPlans.currency, createdAt: ratingPlans.createdAt }, sql`lower(${ratingPlans.name})`), ratingPlans.id)
    .limit(query.pageSize)
    .offset(offsetOf(query));
  const [total] = await db.select({ n: count() }).from(ratingPlans).where(where);
  return { rows: await withCounts(db, rows), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

/** The live plan of the tenant; another tenant's or a deleted plan is "not found". `lock` takes a row lock (writes). */
export async function getPlanRow(db: Db, params: { tenantId: string; id: string; lock?: boolean }): Promise<PlanRow> {
  const q = db.select().from(ratingPlans).where(and(livePlan(params.tenantId), eq(ratingPlans.id, params.id)));
  const [row] = params.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Rating plan");
  return row;
}

export async function getPlan(db: Db, params: { tenantId: string; id: string }): Promise<PlanDto> {
  const [dto] = await withCounts(db, [await getPlanRow(db, params)]);
  return dto!;
}

/** The plan's settings must compile (time classes are checked by the engine itself). */
function assertCompiles(next: PlanCreate) {
  try {
    compilePlan({
      id: "check",
      currency: next.currency,
      timeZone: next.timeZone,
      defaults: {
        increments: { firstS: next.incrementFirstS, nextS: next.incrementNextS },
        minimumDurationS: next.minimumDurationS,
        gracePeriodS: next.gracePeriodS,
        connectionFeeMicros: next.connectionFee,
        precisionMicros: next.precision,
      },
      timeClasses: next.timeClasses,
      rates: [],
    });
  } catch (err) {
    throw badRequest(`The plan's settings are invalid: ${(err as Error).message}`, { timeClasses: [(err as Error).message] });
  }
}

async function assertUniqueName(tx: TxDb, tenantId: string, name: string, id: string | null) {
  const [dup] = await tx
    .select({ id: ratingPlans.id })
    .from(ratingPlans)
    .where(and(livePlan(tenantId), sql`lower(${ratingPlans.name}) = lower(${name})`));
  if (dup && dup.id !== id) throw conflict(`A rating plan named "${name}" already exists`, { name: ["already in use"] });
}

export async function createPlan(tx: TxDb, actor: Actor, input: PlanCreate): Promise<PlanDto> {
  assertCompiles(input);
  await assertUniqueName(tx, actor.tenantId, input.name, null);
  const [row] = await tx
    .insert(ratingPlans)
    .values({ id: newId(), tenantId: actor.tenantId, ...(toColumns(input) as Omit<typeof ratingPlans.$inferInsert, "id" | "tenantId">) })
    .returning();
  const dto = planToDto(row!, 0);
  await recordAudit(tx, actor, { action: "rating_plan.create", entityType: "rating_plan", entityId: row!.id, after: dto });
  return dto;
}

const rowToCreate = (row: PlanRow): PlanCreate => {
  const { connectionFee, precision, name, kind, currency, timeZone, incrementFirstS, incrementNextS, minimumDurationS, gracePeriodS, noticeDays, timeClasses } = planToDto(row, 0);
  return { name, kind, currency, timeZone, incrementFirstS, incrementNextS, minimumDurationS, gracePeriodS, noticeDays, timeClasses, connectionFee, precision };
};

export async function updatePlan(tx: TxDb, actor: Actor, id: string, patch: PlanPatch): Promise<PlanDto> {
  const beforeRow = await getPlanRow(tx, { tenantId: actor.tenantId, id, lock: true });
  const before = await getPlan(tx, { tenantId: actor.tenantId, id });
  const next = { ...rowToCreate(beforeRow), ...patch } as PlanCreate;
  assertCompiles(next);
  await assertUniqueName(tx, actor.tenantId, next.name, id);
  if (patch.timeClasses) {
    // A rate naming a time class that disappears would no longer compile.
    const names = new Set(patch.timeClasses.map((c) => c.name));
    const used = await tx
      .selectDistinct({ timeClass: rates.timeClass })
      .from(rates)
      .where(and(eq(rates.tenantId, actor.tenantId), eq(rates.planId, id), sql`${rates.timeClass} IS NOT NULL`));
    const missing = used.map((u) => u.timeClass!).filter((n) => !names.has(n));
    if (missing.length) throw conflict(`Rates use the time class${missing.length > 1 ? "es" : ""} ${missing.join(", ")}`, { timeClasses: ["in use by rates"] });
  }
  if (patch.currency && patch.currency !== beforeRow.currency && before.rateCount > 0) {
    throw conflict("The plan has rates in its currency; create a new plan for another currency", { currency: ["the plan has rates"] });
  }
  await tx
    .update(ratingPlans)
    .set({ ...toColumns(patch), updatedAt: new Date() })
    .where(and(livePlan(actor.tenantId), eq(ratingPlans.id, id)));
  const after = await getPlan(tx, { tenantId: actor.tenantId, id });
  await recordAudit(tx, actor, { action: "rating_plan.update", entityType: "rating_plan", entityId: id, before, after });
  return after;
}

/** Soft delete, refused while a live service or interconnect names the plan. */
export async function deletePlan(tx: TxDb, actor: Actor, id: string): Promise<void> {
  await getPlanRow(tx, { tenantId: actor.tenantId, id, lock: true });
  const before = await getPlan(tx, { tenantId: actor.tenantId, id });
  const svc = await tx
    .select({ name: services.name })
    .from(services)
    .where(and(eq(services.tenantId, actor.tenantId), eq(services.ratingPlanId, id), isNull(services.deletedAt)));
  const ics = await tx
    .select({ name: interconnects.name })
    .from(interconnects)
    .where(and(eq(interconnects.tenantId, actor.tenantId), eq(interconnects.supplierRatingPlanId, id), isNull(interconnects.deletedAt)));
  const users = [...svc.map((s) => `service ${s.name}`), ...ics.map((i) => `interconnect ${i.name}`)];
  if (users.length) throw conflict(`${before.name} is in use (${users.join(", ")}); point them at another plan first`);
  await tx.update(ratingPlans).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(livePlan(actor.tenantId), eq(ratingPlans.id, id)));
  await recordAudit(tx, actor, { action: "rating_plan.delete", entityType: "rating_plan", entityId: id, before });
}

/** For references from carriers/: true when the plan is live in the tenant. */
/** A live plan's kind and currency, or null: what a service or interconnect checks before naming it. */
export async function findRatingPlanRef(db: Db, params: { tenantId: string; id: string }): Promise<{ kind: string; currency: string; name: string } | null> {
  const [row] = await db
    .select({ kind: ratingPlans.kind, currency: ratingPlans.currency, name: ratingPlans.name })
    .from(ratingPlans)
    .where(and(livePlan(params.tenantId), eq(ratingPlans.id, params.id)));
  return row ?? null;
}

export type RateState = "live" | "future" | "expired";

/** A plan's rate versions, by prefix (digits: prefix starts with) or destination (text), and state at `at`. */
export async function listRates(db: Db, params: { tenantId: string; planId: string; page: number; pageSize: number; q?: string; state?: RateState; at: Date }) {
  await getPlanRow(db, { tenantId: params.tenantId, id: params.planId });
  const f: (SQL | undefined)[] = [eq(rates.tenantId, params.tenantId), eq(rates.planId, params.planId)];
  if (params.q) f.push(/^[0-9]+$/.test(params.q) ? sql`${rates.prefix} LIKE ${`${params.q}%`}` : ilike(rates.destination, likePattern(params.q)));
  const at = params.at;
  if (params.state === "live") f.push(sql`${rates.effectiveFrom} <= ${at} AND (${rates.effectiveTo} IS NULL OR ${rates.effectiveTo} > ${at})`);
  if (params.state === "future") f.push(sql`${rates.effectiveFrom} > ${at}`);
  if (params.state === "expired") f.push(sql`${rates.effectiveTo} <= ${at}`);
  const where = and(...f);
  const rows = await db
    .select()
    .from(rates)
    .where(where)
    .orderBy(rates.prefix, sql`${rates.timeClass} NULLS FIRST`, rates.effectiveFrom)
    .limit(params.pageSize)
    .offset(offsetOf(params));
  const [total] = await db.select({ n: count() }).from(rates).where(where);
  return {
    rows: rows.map(({ tenantId: _t, planId: _p, rateMicrosPerMinute, connectionFeeMicros, ...r }) => ({ ...r, rate: rateMicrosPerMinute, connectionFee: connectionFeeMicros })),
    total: total?.n ?? 0,
    page: params.page,
    pageSize: params.pageSize,
  };
}
