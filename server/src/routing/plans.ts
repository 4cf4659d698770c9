import { and, count, eq, ilike, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { carriers, interconnects, services } from "../carriers/schema.js";
import { routingEntries, routingPlans } from "./schema.js";
import type { RoutingPlanCreate, RoutingPlanPatch } from "./model.js";

type PlanRow = typeof routingPlans.$inferSelect;

const livePlan = (tenantId: string) => and(eq(routingPlans.tenantId, tenantId), isNull(routingPlans.deletedAt));
const liveServices = (tenantId: string) => and(eq(services.tenantId, tenantId), isNull(services.deletedAt));

function toDto(row: PlanRow, entryCount: number, serviceCount: number) {
  const { tenantId: _t, deletedAt: _d, ...rest } = row;
  return { ...rest, entryCount, serviceCount };
}
export type RoutingPlanDto = ReturnType<typeof toDto>;

async function withCounts(db: Db, tenantId: string, rows: PlanRow[]): Promise<RoutingPlanDto[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [entries, used] = await Promise.all([
    db
      .select({ planId: routingEntries.planId, n: count() })
      .from(routingEntries)
      .where(and(eq(routingEntries.tenantId, tenantId), inArray(routingEntries.planId, ids)))
      .groupBy(routingEntries.planId),
    db
      .select({ planId: services.routingPlanId, n: count() })
      .from(services)
      .where(and(liveServices(tenantId), inArray(services.routingPlanId, ids)))
      .groupBy(services.routingPlanId),
  ]);
  const e = new Map(entries.map((c) => [c.planId, c.n]));
  const u = new Map(used.map((c) => [c.planId, c.n]));
  return rows.map((r) => toDto(r, e.get(r.id) ?? 0, u.get(r.id) ?? 0));
}

export async function listRoutingPlans(db: Db, params: { tenantId: string; query: ListQuery & { currency?: string } }): Promise<Page<RoutingPlanDto>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [livePlan(tenantId)];
  if (query.q) f.push(ilike(routingPlans.name, likePattern(query.q)));
  if (query.currency) f.push(eq(routingPlans.currency, query.currency));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(routingPlans)
      .where(where)
      .orderBy(orderBy(query.sort, { name: routingPlans.name, currency: routingPlans.currency, createdAt: routingPlans.createdAt, updatedAt: routingPlans.updatedAt }, sql`lower(${routingPlans.name})`), routingPlans.id)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(routingPlans).where(where),
  ]);
  return { rows: await withCounts(db, tenantId, rows), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

/** The live plan of the tenant; another tenant's or a deleted plan is "not found". `lock` takes a row lock (writes). */
export async function getRoutingPlanRow(db: Db, params: { tenantId: string; id: string; lock?: boolean }): Promise<PlanRow> {
  const q = db.select().from(routingPlans).where(and(livePlan(params.tenantId), eq(routingPlans.id, params.id)));
  const [row] = params.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Routing plan");
  return row;
}

export async function getRoutingPlan(db: Db, params: { tenantId: string; id: string }): Promise<RoutingPlanDto> {
  const [dto] = await withCounts(db, params.tenantId, [await getRoutingPlanRow(db, params)]);
  return dto!;
}

/** The plan with the live services routing by it. */
export async function getRoutingPlanDetail(db: Db, params: { tenantId: string; id: string }) {
  const plan = await getRoutingPlan(db, params);
  const users = await db
    .select({ id: services.id, name: services.name, interconnectId: services.interconnectId, interconnectName: interconnects.name, carrierName: carriers.name })
    .from(services)
    .innerJoin(interconnects, eq(interconnects.id, services.interconnectId))
    .innerJoin(carriers, eq(carriers.id, services.carrierId))
    .where(and(liveServices(params.tenantId), eq(services.routingPlanId, params.id)))
    .orderBy(sql`lower(${services.name})`, services.id);
  return { ...plan, services: users };
}

async function assertUniqueName(tx: TxDb, tenantId: string, name: string, id: string | null) {
  const [dup] = await tx.select({ id: routingPlans.id }).from(routingPlans).where(and(livePlan(tenantId), sql`lower(${routingPlans.name}) = lower(${name})`));
  if (dup && dup.id !== id) throw conflict(`A routing plan named "${name}" already exists`, { name: ["already in use"] });
}

export async function createRoutingPlan(tx: TxDb, actor: Actor, input: RoutingPlanCreate): Promise<RoutingPlanDto> {
  await assertUniqueName(tx, actor.tenantId, input.name, null);
  const [row] = await tx.insert(routingPlans).values({ id: newId(), tenantId: actor.tenantId, ...input }).returning();
  const dto = toDto(row!, 0, 0);
  await recordAudit(tx, actor, { action: "routing_plan.create", entityType: "routing_plan", entityId: row!.id, after: dto });
  return dto;
}

export async function updateRoutingPlan(tx: TxDb, actor: Actor, id: string, patch: RoutingPlanPatch): Promise<RoutingPlanDto> {
  const row = await getRoutingPlanRow(tx, { tenantId: actor.tenantId, id, lock: true });
  const before = await getRoutingPlan(tx, { tenantId: actor.tenantId, id });
  if (patch.name !== undefined) await assertUniqueName(tx, actor.tenantId, patch.name, id);
  if (patch.currency !== undefined && patch.currency !== row.currency && before.entryCount > 0) {
    throw conflict("The plan's entries hold rates in its currency; create a new plan for another currency", { currency: ["the plan has entries"] });
  }
  await tx
    .update(routingPlans)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(livePlan(actor.tenantId), eq(routingPlans.id, id)));
  const after = await getRoutingPlan(tx, { tenantId: actor.tenantId, id });
  await recordAudit(tx, actor, { action: "routing_plan.update", entityType: "routing_plan", entityId: id, before, after });
  return after;
}

/** Soft delete, refused while a live service routes by the plan. */
export async function deleteRoutingPlan(tx: TxDb, actor: Actor, id: string): Promise<void> {
  await getRoutingPlanRow(tx, { tenantId: actor.tenantId, id, lock: true });
  const before = await getRoutingPlan(tx, { tenantId: actor.tenantId, id });
  const users = await tx.select({ name: services.name }).from(services).where(and(liveServices(actor.tenantId), eq(services.routingPlanId, id)));
  if (users.length) throw conflict(`${before.name} is used by ${users.map((s) => `service ${s.name}`).join(", ")}; point them at another plan first`);
  await tx.update(routingPlans).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(livePlan(actor.tenantId), eq(routingPlans.id, id)));
  await recordAudit(tx, actor, { action: "routing_plan.delete", entityType: "routing_plan", entityId: id, before });
}

/** A live routing plan's name, or null: what a service checks before naming it. */
export async function findRoutingPlanRef(db: Db, params: { tenantId: string; id: string }): Promise<{ name: string; currency: string } | null> {
  const [row] = await db.select({ name: routingPlans.name, currency: routingPlans.currency }).from(routingPlans).where(and(livePlan(params.tenantId), eq(routingPlans.id, params.id)));
  return row ?? null;
}

/** Entry edits count as plan edits: the plan's updated_at moves with them. */
export async function touchRoutingPlan(tx: TxDb, params: { tenantId: string; id: string }): Promise<void> {
  await tx.update(routingPlans).set({ updatedAt: new Date() }).where(and(livePlan(params.tenantId), eq(routingPlans.id, params.id)));
}
