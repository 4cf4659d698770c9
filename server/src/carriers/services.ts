import { and, count, eq, ilike, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import type { Actor } from "../audit/audit.js";
import { recordHierarchyChange } from "./change.js";
import { carriers, interconnects, services } from "./schema.js";
import { ratingPlans } from "../rating/schema.js";
import type { ServiceCreate, ServicePatch } from "./model.js";
import type { SignallingAddress } from "./addresses.js";
import { describeAmbiguity, findAmbiguity, type ServiceKey } from "./ambiguity.js";
import { assertPlanReference } from "./plans.js";

type Row = typeof services.$inferSelect;
export type ServiceDto = Omit<Row, "tenantId" | "deletedAt"> & { carrierName: string; interconnectName: string; routeToInterconnectName: string | null; ratingPlanName: string | null };

const live = (tenantId: string) => and(eq(services.tenantId, tenantId), isNull(services.deletedAt));
const routeTo = alias(interconnects, "route_to");

function select(db: Db) {
  return db
    .select({ s: services, carrierName: carriers.name, interconnectName: interconnects.name, routeToInterconnectName: routeTo.name, ratingPlanName: ratingPlans.name })
    .from(services)
    .innerJoin(carriers, eq(carriers.id, services.carrierId))
    .innerJoin(interconnects, eq(interconnects.id, services.interconnectId))
    .leftJoin(routeTo, eq(routeTo.id, services.routeToInterconnectId))
    .leftJoin(ratingPlans, eq(ratingPlans.id, services.ratingPlanId));
}
const toDto = ({ s, ...names }: { s: Row; carrierName: string; interconnectName: string; routeToInterconnectName: string | null; ratingPlanName: string | null }): ServiceDto => {
  const { tenantId: _t, deletedAt: _d, ...rest } = s;
  return { ...rest, ...names };
};

export async function listServices(
  db: Db,
  params: { tenantId: string; query: ListQuery & { carrierId?: string; interconnectId?: string; status?: string } },
): Promise<Page<ServiceDto>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [live(tenantId)];
  if (query.q) f.push(or(ilike(services.name, likePattern(query.q)), ilike(carriers.name, likePattern(query.q)), ilike(interconnects.name, likePattern(query.q)), eq(services.techPrefix, query.q)));
  if (query.carrierId) f.push(eq(services.carrierId, query.carrierId));
  if (query.interconnectId) f.push(eq(services.interconnectId, query.interconnectId));
  if (query.status) f.push(eq(services.status, query.status));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    select(db)
      .where(where)
      .orderBy(
        orderBy(query.sort, { name: services.name, carrierName: carriers.name, interconnectName: interconnects.name, techPrefix: services.techPrefix, priority: services.priority, status: services.status }, sql`lower(${services.name})`),
        services.id,
      )
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(services).innerJoin(carriers, eq(carriers.id, services.carrierId)).innerJoin(interconnects, eq(interconnects.id, services.interconnectId)).where(where),
  ]);
  return { rows: rows.map(toDto), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function getService(db: Db, params: { tenantId: string; id: string }): Promise<ServiceDto> {
  const [row] = await select(db).where(and(live(params.tenantId), eq(services.id, params.id)));
  if (!row) throw notFound("Service");
  return toDto(row);
}

/** Every live service of the tenant as the ambiguity rule sees it. */
async function serviceKeys(tx: Db, tenantId: string): Promise<ServiceKey[]> {
  const rows = await tx
    .select({
      id: services.id,
      name: services.name,
      interconnectName: interconnects.name,
      addresses: interconnects.addresses,
      techPrefix: services.techPrefix,
      interconnectTechPrefix: sql<string | null>`${interconnects.ingressValidation}->>'techPrefix'`,
      destinationMatch: services.destinationMatch,
      originationMatch: services.originationMatch,
    })
    .from(services)
    .innerJoin(interconnects, eq(interconnects.id, services.interconnectId))
    .where(and(live(tenantId), isNull(interconnects.deletedAt)));
  return rows.map((r) => ({ ...r, addresses: r.addresses as SignallingAddress[], techPrefix: r.techPrefix || r.interconnectTechPrefix || "" }));
}

/**
 * An incoming call must map to exactly one service. Called after a write, inside its
 * transaction: an ambiguity throws 409 naming the other service, and the write rolls back.
 */
export async function assertNoAmbiguity(tx: TxDb, tenantId: string, serviceId: string): Promise<void> {
  // Serialize hierarchy checks per tenant so two concurrent writes cannot both pass.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('service-ambiguity'), hashtext(${tenantId}))`);
  const keys = await serviceKeys(tx, tenantId);
  const me = keys.find((k) => k.id === serviceId);
  if (!me) return;
  const hit = findAmbiguity(me, keys);
  if (hit) {
    throw conflict(describeAmbiguity(hit), { techPrefix: [`ambiguous with service "${hit.conflictsWith.name}"`], destinationMatch: [`overlaps "${hit.conflictsWith.name}"`] });
  }
}

async function validate(tx: TxDb, tenantId: string, interconnectId: string, next: ServiceCreate, id: string | null) {
  const [ic] = await tx
    .select({ i: interconnects, carrier: carriers })
    .from(interconnects)
    .innerJoin(carriers, eq(carriers.id, interconnects.carrierId))
    .where(and(eq(interconnects.tenantId, tenantId), eq(interconnects.id, interconnectId), isNull(interconnects.deletedAt)));
  if (!ic) throw notFound("Interconnect");
  if (ic.i.direction !== "ingress") throw badRequest("Services belong to ingress (customer) interconnects", { interconnectId: ["must be an ingress interconnect"] });
  if (next.currency && next.currency !== ic.i.currency) {
    throw badRequest(`A service inherits its interconnect's currency (${ic.i.currency})`, { currency: [`must be ${ic.i.currency}`] });
  }
  await assertPlanReference(tx, tenantId, { field: "ratingPlanId", kind: "rating", id: next.ratingPlanId, planKind: "customer", currency: ic.i.currency });
  await assertPlanReference(tx, tenantId, { field: "routingPlanId", kind: "routing", id: next.routingPlanId });
  if (next.routingMethod === "interconnect") {
    if (!next.routeToInterconnectId) throw badRequest("Pick the interconnect to route to", { routeToInterconnectId: ["required when routing to an interconnect"] });
    const [target] = await tx
      .select({ i: interconnects, carrierName: carriers.name })
      .from(interconnects)
      .innerJoin(carriers, eq(carriers.id, interconnects.carrierId))
      .where(and(eq(interconnects.tenantId, tenantId), eq(interconnects.id, next.routeToInterconnectId), isNull(interconnects.deletedAt)));
    if (!target || target.i.direction !== "egress") throw badRequest("Route to an egress interconnect", { routeToInterconnectId: ["must be a live egress interconnect"] });
    if (target.i.carrierId === ic.carrier.id && !ic.carrier.circularRouting) {
      throw badRequest(`${ic.carrier.name} has circular routing disabled`, { routeToInterconnectId: ["would route calls back to the carrier they came from"] });
    }
  } else if (next.routeToInterconnectId) {
    throw badRequest("Only for routing method 'interconnect'", { routeToInterconnectId: ["only when routing to an interconnect"] });
  }
  const [dup] = await tx
    .select({ id: services.id })
    .from(services)
    .where(and(live(tenantId), eq(services.interconnectId, interconnectId), sql`lower(${services.name}) = lower(${next.name})`, id ? ne(services.id, id) : sql`true`));
  if (dup) throw conflict(`${ic.i.name} already has a service named "${next.name}"`, { name: ["already in use"] });
  return ic;
}

export async function createService(tx: TxDb, actor: Actor, jobs: JobQueue, interconnectId: string, input: ServiceCreate): Promise<ServiceDto> {
  const ic = await validate(tx, actor.tenantId, interconnectId, input, null);
  const id = newId();
  await tx.insert(services).values({ ...input, id, tenantId: actor.tenantId, carrierId: ic.carrier.id, interconnectId, currency: ic.i.currency });
  await assertNoAmbiguity(tx, actor.tenantId, id);
  const after = await getService(tx, { tenantId: actor.tenantId, id });
  await recordHierarchyChange(tx, actor, jobs, { entityType: "service", entityId: id, action: "create", after });
  return after;
}

export async function updateService(tx: TxDb, actor: Actor, jobs: JobQueue, id: string, patch: ServicePatch): Promise<ServiceDto> {
  const before = await getService(tx, { tenantId: actor.tenantId, id });
  const { carrierName: _c, interconnectName: _i, routeToInterconnectName: _r, ratingPlanName: _p, ...current } = before;
  const next = { ...current, ...patch } as ServiceCreate;
  if (patch.routingMethod === "routing_plan" && patch.routeToInterconnectId === undefined) next.routeToInterconnectId = null;
  await validate(tx, actor.tenantId, before.interconnectId, next, id);
  const { currency: _cur, ...fields } = patch;
  await tx
    .update(services)
    .set({ ...fields, routeToInterconnectId: next.routeToInterconnectId, updatedAt: new Date() })
    .where(and(live(actor.tenantId), eq(services.id, id)));
  await assertNoAmbiguity(tx, actor.tenantId, id);
  const after = await getService(tx, { tenantId: actor.tenantId, id });
  await recordHierarchyChange(tx, actor, jobs, { entityType: "service", entityId: id, action: "update", before, after });
  return after;
}

export async function deleteService(tx: TxDb, actor: Actor, jobs: JobQueue, id: string): Promise<void> {
  const before = await getService(tx, { tenantId: actor.tenantId, id });
  await tx.update(services).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(live(actor.tenantId), eq(services.id, id)));
  await recordHierarchyChange(tx, actor, jobs, { entityType: "service", entityId: id, action: "delete", before });
}
