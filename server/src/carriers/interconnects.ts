import { and, count, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import type { Actor } from "../audit/audit.js";
import { recordHierarchyChange } from "./change.js";
import { carriers, interconnects, services, trunkGroups } from "./schema.js";
import { carrierCurrencies, getCarrierRow } from "./carriers.js";
import { egressTranslation, ingressTranslation, ingressValidation, media, monitoring, signalling, type InterconnectCreate, type InterconnectPatch } from "./model.js";
import { assertNoAmbiguity } from "./services.js";
import { assertPlanReference } from "./plans.js";
import { joinTrunkGroup } from "./trunk-groups.js";

type Row = typeof interconnects.$inferSelect;
export type InterconnectDto = Omit<Row, "tenantId" | "deletedAt"> & { carrierName: string; carrierType: string; serviceCount: number };

const live = (tenantId: string) => and(eq(interconnects.tenantId, tenantId), isNull(interconnects.deletedAt));

/** Tabs that exist only for one direction, as in Digitalk's ingress (5 tabs) and egress (6 tabs) views. */
const INGRESS_ONLY = ["ingressValidation", "ingressTranslation"] as const;
const EGRESS_ONLY = ["egressRouting", "egressTranslation", "monitoring", "supplierRatingPlanId"] as const;

export async function listInterconnects(
  db: Db,
  params: { tenantId: string; query: ListQuery & { direction?: Row["direction"]; carrierId?: string; status?: Row["status"] } },
): Promise<Page<InterconnectDto>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [live(tenantId)];
  if (query.q) f.push(or(ilike(interconnects.name, likePattern(query.q)), ilike(carriers.name, likePattern(query.q))));
  if (query.direction) f.push(eq(interconnects.direction, query.direction));
  if (query.carrierId) f.push(eq(interconnects.carrierId, query.carrierId));
  if (query.status) f.push(eq(interconnects.status, query.status));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    db
      .select({ i: interconnects, carrierName: carriers.name, carrierType: carriers.type })
      .from(interconnects)
      .innerJoin(carriers, eq(carriers.id, interconnects.carrierId))
      .where(where)
      .orderBy(
        orderBy(query.sort, { name: interconnects.name, direction: interconnects.direction, currency: interconnects.currency, status: interconnects.status, carrierName: carriers.name, capacity: interconnects.capacity }, sql`lower(${interconnects.name})`),
        interconnects.id,
      )
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(interconnects).innerJoin(carriers, eq(carriers.id, interconnects.carrierId)).where(where),
  ]);
  return { rows: await decorate(db, tenantId, rows), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

async function decorate(db: Db, tenantId: string, rows: { i: Row; carrierName: string; carrierType: string }[]): Promise<InterconnectDto[]> {
  if (!rows.length) return [];
  const counts = await db
    .select({ id: services.interconnectId, n: count() })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), isNull(services.deletedAt), inArray(services.interconnectId, rows.map((r) => r.i.id))))
    .groupBy(services.interconnectId);
  const n = new Map(counts.map((c) => [c.id, c.n]));
  return rows.map(({ i, carrierName, carrierType }) => {
    const { tenantId: _t, deletedAt: _d, ...rest } = i;
    return { ...rest, carrierName, carrierType, serviceCount: n.get(i.id) ?? 0 };
  });
}

export async function getInterconnect(db: Db, params: { tenantId: string; id: string }): Promise<InterconnectDto> {
  const rows = await db
    .select({ i: interconnects, carrierName: carriers.name, carrierType: carriers.type })
    .from(interconnects)
    .innerJoin(carriers, eq(carriers.id, interconnects.carrierId))
    .where(and(live(params.tenantId), eq(interconnects.id, params.id)));
  if (!rows.length) throw notFound("Interconnect");
  return (await decorate(db, params.tenantId, rows))[0]!;
}

const trunkGroupOf = (tabs: ReturnType<typeof normalizeTabs>) => tabs.ingressValidation?.trunkGroupId ?? tabs.egressRouting?.trunkGroupId ?? null;

/** Fills every tab of the direction with defaults, and refuses tabs of the other direction. */
function normalizeTabs(direction: Row["direction"], input: Partial<InterconnectCreate>, current?: Row) {
  const fields: Record<string, string[]> = {};
  for (const k of direction === "ingress" ? EGRESS_ONLY : INGRESS_ONLY) {
    if (input[k] !== undefined && input[k] !== null) (fields[k] ??= []).push(`not available on ${direction} interconnects`);
  }
  if (Object.keys(fields).length) throw badRequest("Settings for the other direction", fields);
  const pick = <T>(given: T | undefined, stored: unknown, schema: { parse(v: unknown): T }) => given ?? (stored ? (stored as T) : schema.parse({}));
  if (direction === "ingress") {
    return {
      ingressValidation: pick(input.ingressValidation, current?.ingressValidation, ingressValidation),
      ingressTranslation: pick(input.ingressTranslation, current?.ingressTranslation, ingressTranslation),
      egressRouting: null,
      egressTranslation: null,
      monitoring: null,
      supplierRatingPlanId: null,
      media: pick(input.media, current?.media, media),
      signalling: pick(input.signalling, current?.signalling, signalling),
    };
  }
  const routing = input.egressRouting ?? (current?.egressRouting as InterconnectCreate["egressRouting"]);
  if (!routing) throw badRequest("An egress interconnect needs somewhere to send calls", { "egressRouting.sendTo": ["at least one address to send calls to"] });
  return {
    ingressValidation: null,
    ingressTranslation: null,
    egressRouting: routing,
    egressTranslation: pick(input.egressTranslation, current?.egressTranslation, egressTranslation),
    monitoring: pick(input.monitoring, current?.monitoring, monitoring),
    supplierRatingPlanId: input.supplierRatingPlanId !== undefined ? input.supplierRatingPlanId : (current?.supplierRatingPlanId ?? null),
    media: pick(input.media, current?.media, media),
    signalling: pick(input.signalling, current?.signalling, signalling),
  };
}

async function assertTrunkGroup(tx: TxDb, tenantId: string, id: string | null | undefined, direction: Row["direction"], field: string) {
  if (!id) return;
  const [g] = await tx.select().from(trunkGroups).where(and(eq(trunkGroups.tenantId, tenantId), eq(trunkGroups.id, id), isNull(trunkGroups.deletedAt)));
  if (!g) throw badRequest("Unknown trunk group", { [field]: ["no such trunk group"] });
  if (g.direction !== direction) throw badRequest("Trunk group direction differs", { [field]: [`trunk group "${g.name}" is ${g.direction}`] });
}

async function validate(tx: TxDb, tenantId: string, carrierId: string, next: { name: string; direction: Row["direction"]; currency: string }, tabs: ReturnType<typeof normalizeTabs>, id: string | null) {
  const carrier = await getCarrierRow(tx, { tenantId, id: carrierId });
  if (next.direction === "ingress" && carrier.type === "supplier") throw badRequest("A supplier carrier has only egress interconnects", { direction: ["ingress needs a customer or bilateral carrier"] });
  if (next.direction === "egress" && carrier.type === "customer") throw badRequest("A customer carrier has only ingress interconnects", { direction: ["egress needs a supplier or bilateral carrier"] });
  if (!carrierCurrencies(carrier).includes(next.currency)) {
    throw badRequest(`Currency must be one of ${carrier.name}'s currencies`, { currency: [`one of ${carrierCurrencies(carrier).join(", ")}`] });
  }
  await assertPlanReference(tx, tenantId, { field: "supplierRatingPlanId", kind: "rating", id: tabs.supplierRatingPlanId, planKind: "supplier", currency: next.currency });
  await assertTrunkGroup(tx, tenantId, tabs.ingressValidation?.trunkGroupId, next.direction, "ingressValidation.trunkGroupId");
  await assertTrunkGroup(tx, tenantId, tabs.egressRouting?.trunkGroupId, next.direction, "egressRouting.trunkGroupId");
  const [dup] = await tx
    .select({ id: interconnects.id })
    .from(interconnects)
    .where(and(live(tenantId), eq(interconnects.carrierId, carrierId), sql`lower(${interconnects.name}) = lower(${next.name})`, id ? ne(interconnects.id, id) : sql`true`));
  if (dup) throw conflict(`${carrier.name} already has an interconnect named "${next.name}"`, { name: ["already in use"] });
}

export async function createInterconnect(tx: TxDb, actor: Actor, jobs: JobQueue, carrierId: string, input: InterconnectCreate): Promise<InterconnectDto> {
  const tabs = normalizeTabs(input.direction, input);
  await validate(tx, actor.tenantId, carrierId, input, tabs, null);
  const id = newId();
  await tx.insert(interconnects).values({
    id,
    tenantId: actor.tenantId,
    carrierId,
    name: input.name,
    direction: input.direction,
    currency: input.currency,
    status: input.status,
    capacity: input.capacity,
    addresses: input.addresses,
    ...tabs,
  });
  await joinTrunkGroup(tx, actor.tenantId, id, trunkGroupOf(tabs));
  const after = await getInterconnect(tx, { tenantId: actor.tenantId, id });
  await recordHierarchyChange(tx, actor, jobs, { entityType: "interconnect", entityId: id, action: "create", after });
  return after;
}

export async function updateInterconnect(tx: TxDb, actor: Actor, jobs: JobQueue, id: string, patch: InterconnectPatch): Promise<InterconnectDto> {
  const before = await getInterconnect(tx, { tenantId: actor.tenantId, id });
  if (patch.direction && patch.direction !== before.direction) {
    throw badRequest("The direction of an interconnect cannot change; create a new one", { direction: ["cannot change"] });
  }
  const [row] = await tx.select().from(interconnects).where(and(live(actor.tenantId), eq(interconnects.id, id)));
  const tabs = normalizeTabs(before.direction, patch, row);
  const next = { name: patch.name ?? before.name, direction: before.direction, currency: patch.currency ?? before.currency };
  await validate(tx, actor.tenantId, before.carrierId, next, tabs, id);
  if (next.currency !== before.currency && before.serviceCount > 0) {
    throw conflict("Services inherit this interconnect's currency; move or delete them first", { currency: ["in use by services"] });
  }
  await tx
    .update(interconnects)
    .set({
      name: next.name,
      currency: next.currency,
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
      ...(patch.addresses !== undefined ? { addresses: patch.addresses } : {}),
      ...tabs,
      updatedAt: new Date(),
    })
    .where(and(live(actor.tenantId), eq(interconnects.id, id)));
  await joinTrunkGroup(tx, actor.tenantId, id, trunkGroupOf(tabs));
  // New addresses or tech prefix can make this interconnect's services collide with others.
  if (before.direction === "ingress" && (patch.addresses || patch.ingressValidation)) {
    const mine = await tx.select({ id: services.id }).from(services).where(and(eq(services.tenantId, actor.tenantId), eq(services.interconnectId, id), isNull(services.deletedAt)));
    for (const s of mine) await assertNoAmbiguity(tx, actor.tenantId, s.id);
  }
  const after = await getInterconnect(tx, { tenantId: actor.tenantId, id });
  await recordHierarchyChange(tx, actor, jobs, { entityType: "interconnect", entityId: id, action: "update", before, after });
  return after;
}

/** Soft delete, refused while services hang off it or a service routes straight to it. */
export async function deleteInterconnect(tx: TxDb, actor: Actor, jobs: JobQueue, id: string): Promise<void> {
  const before = await getInterconnect(tx, { tenantId: actor.tenantId, id });
  const dependants = await tx
    .select({ name: services.name })
    .from(services)
    .where(and(eq(services.tenantId, actor.tenantId), isNull(services.deletedAt), or(eq(services.interconnectId, id), eq(services.routeToInterconnectId, id))));
  if (dependants.length) {
    throw conflict(`${before.name} is used by ${dependants.length} service${dependants.length > 1 ? "s" : ""} (${dependants.map((s) => s.name).join(", ")}); delete or re-route them first`);
  }
  await tx.update(interconnects).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(live(actor.tenantId), eq(interconnects.id, id)));
  await recordHierarchyChange(tx, actor, jobs, { entityType: "interconnect", entityId: id, action: "delete", before });
}
