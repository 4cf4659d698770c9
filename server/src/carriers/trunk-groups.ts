import { and, asc, count, eq, ilike, inArray, isNull, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, type ListQuery } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { carriers, interconnects, trunkGroupMembers, trunkGroups } from "./schema.js";
import type { trunkGroupInput } from "./model.js";

type Input = z.infer<typeof trunkGroupInput>;
const live = (tenantId: string) => and(eq(trunkGroups.tenantId, tenantId), isNull(trunkGroups.deletedAt));

async function members(db: Db, tenantId: string, groupIds: string[]) {
  if (!groupIds.length) return [];
  return db
    .select({ trunkGroupId: trunkGroupMembers.trunkGroupId, interconnectId: interconnects.id, name: interconnects.name, carrierName: carriers.name, status: interconnects.status, position: trunkGroupMembers.position })
    .from(trunkGroupMembers)
    .innerJoin(interconnects, eq(interconnects.id, trunkGroupMembers.interconnectId))
    .innerJoin(carriers, eq(carriers.id, interconnects.carrierId))
    .where(and(eq(trunkGroupMembers.tenantId, tenantId), inArray(trunkGroupMembers.trunkGroupId, groupIds), isNull(interconnects.deletedAt)))
    .orderBy(asc(trunkGroupMembers.position));
}

export async function listTrunkGroups(db: Db, params: { tenantId: string; query: ListQuery & { direction?: "ingress" | "egress" } }) {
  const { tenantId, query } = params;
  const where = and(live(tenantId), query.q ? ilike(trunkGroups.name, likePattern(query.q)) : undefined, query.direction ? eq(trunkGroups.direction, query.direction) : undefined);
  const [rows, [total]] = await Promise.all([
    db.select().from(trunkGroups).where(where).orderBy(sql`lower(${trunkGroups.name})`).limit(query.pageSize).offset(offsetOf(query)),
    db.select({ n: count() }).from(trunkGroups).where(where),
  ]);
  const m = await members(db, tenantId, rows.map((r) => r.id));
  return {
    rows: rows.map(({ tenantId: _t, deletedAt: _d, ...g }) => ({ ...g, members: m.filter((x) => x.trunkGroupId === g.id).map(({ trunkGroupId: _g, ...x }) => x) })),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getTrunkGroup(db: Db, params: { tenantId: string; id: string }) {
  const [g] = await db.select().from(trunkGroups).where(and(live(params.tenantId), eq(trunkGroups.id, params.id)));
  if (!g) throw notFound("Trunk group");
  const { tenantId: _t, deletedAt: _d, ...rest } = g;
  return { ...rest, members: (await members(db, params.tenantId, [g.id])).map(({ trunkGroupId: _g, ...x }) => x) };
}

/**
 * An interconnect belongs to at most one trunk group, and its Ingress Validation / Egress
 * Routing "Trunk Group" setting names it: the membership rows and that setting are one
 * fact, kept equal here and in `joinTrunkGroup`.
 */
async function setTrunkGroupSetting(tx: TxDb, tenantId: string, interconnectIds: string[], groupId: string | null) {
  if (!interconnectIds.length) return;
  const value = groupId === null ? sql`'null'::jsonb` : sql`to_jsonb(${groupId}::text)`;
  await tx.execute(sql`
    UPDATE interconnects SET
      ingress_validation = CASE WHEN direction = 'ingress' THEN jsonb_set(ingress_validation, '{trunkGroupId}', ${value}) ELSE ingress_validation END,
      egress_routing = CASE WHEN direction = 'egress' THEN jsonb_set(egress_routing, '{trunkGroupId}', ${value}) ELSE egress_routing END,
      updated_at = now()
    WHERE tenant_id = ${tenantId} AND id IN ${interconnectIds}`);
}

/** The interconnect side of the same fact: its setting changed, so its membership follows. */
export async function joinTrunkGroup(tx: TxDb, tenantId: string, interconnectId: string, groupId: string | null) {
  const [current] = await tx
    .select({ trunkGroupId: trunkGroupMembers.trunkGroupId })
    .from(trunkGroupMembers)
    .where(and(eq(trunkGroupMembers.tenantId, tenantId), eq(trunkGroupMembers.interconnectId, interconnectId)));
  if ((current?.trunkGroupId ?? null) === groupId) return;
  await tx.delete(trunkGroupMembers).where(and(eq(trunkGroupMembers.tenantId, tenantId), eq(trunkGroupMembers.interconnectId, interconnectId)));
  if (groupId) {
    const [last] = await tx
      .select({ n: sql<number>`coalesce(max(${trunkGroupMembers.position}) + 1, 0)::int` })
      .from(trunkGroupMembers)
      .where(and(eq(trunkGroupMembers.tenantId, tenantId), eq(trunkGroupMembers.trunkGroupId, groupId)));
    await tx.insert(trunkGroupMembers).values({ tenantId, trunkGroupId: groupId, interconnectId, position: last?.n ?? 0 });
  }
}

async function save(tx: TxDb, actor: Actor, id: string, input: Input, isNew: boolean) {
  const [dup] = await tx.select({ id: trunkGroups.id }).from(trunkGroups).where(and(live(actor.tenantId), sql`lower(${trunkGroups.name}) = lower(${input.name})`, ne(trunkGroups.id, id)));
  if (dup) throw conflict(`A trunk group named "${input.name}" already exists`, { name: ["already in use"] });
  const ics = input.interconnectIds.length
    ? await tx.select({ id: interconnects.id, direction: interconnects.direction, name: interconnects.name }).from(interconnects).where(and(eq(interconnects.tenantId, actor.tenantId), inArray(interconnects.id, input.interconnectIds), isNull(interconnects.deletedAt)))
    : [];
  if (ics.length !== input.interconnectIds.length) throw badRequest("Unknown interconnect", { interconnectIds: ["every member must be a live interconnect of this tenant"] });
  const wrong = ics.filter((i) => i.direction !== input.direction);
  if (wrong.length) throw badRequest("Members must share the group's direction", { interconnectIds: [`${wrong.map((w) => w.name).join(", ")} ${wrong.length > 1 ? "are" : "is"} not ${input.direction}`] });
  const { interconnectIds, ...fields } = input;
  if (isNew) await tx.insert(trunkGroups).values({ id, tenantId: actor.tenantId, ...fields });
  else {
    if (fields.direction) {
      const [g] = await tx.select({ direction: trunkGroups.direction }).from(trunkGroups).where(and(live(actor.tenantId), eq(trunkGroups.id, id)));
      const inUse = await tx
        .select({ n: count() })
        .from(interconnects)
        .where(and(eq(interconnects.tenantId, actor.tenantId), isNull(interconnects.deletedAt), sql`coalesce(${interconnects.ingressValidation}->>'trunkGroupId', ${interconnects.egressRouting}->>'trunkGroupId') = ${id}`));
      if (g && g.direction !== fields.direction && (inUse[0]?.n ?? 0) > 0) throw conflict("Interconnects reference this trunk group; its direction cannot change");
    }
    await tx.update(trunkGroups).set({ ...fields, updatedAt: new Date() }).where(and(live(actor.tenantId), eq(trunkGroups.id, id)));
  }
  // Members leaving the group lose the setting; members joining leave their old group.
  const leaving = await tx
    .delete(trunkGroupMembers)
    .where(and(eq(trunkGroupMembers.tenantId, actor.tenantId), eq(trunkGroupMembers.trunkGroupId, id)))
    .returning({ interconnectId: trunkGroupMembers.interconnectId });
  await setTrunkGroupSetting(tx, actor.tenantId, leaving.map((m) => m.interconnectId).filter((x) => !interconnectIds.includes(x)), null);
  if (interconnectIds.length) {
    await tx.delete(trunkGroupMembers).where(and(eq(trunkGroupMembers.tenantId, actor.tenantId), inArray(trunkGroupMembers.interconnectId, interconnectIds)));
    await tx.insert(trunkGroupMembers).values(interconnectIds.map((interconnectId, position) => ({ tenantId: actor.tenantId, trunkGroupId: id, interconnectId, position })));
    await setTrunkGroupSetting(tx, actor.tenantId, interconnectIds, id);
  }
}

export async function createTrunkGroup(tx: TxDb, actor: Actor, input: Input) {
  const id = newId();
  await save(tx, actor, id, input, true);
  const after = await getTrunkGroup(tx, { tenantId: actor.tenantId, id });
  await recordAudit(tx, actor, { action: "trunk_group.create", entityType: "trunk_group", entityId: id, after });
  return after;
}

export async function updateTrunkGroup(tx: TxDb, actor: Actor, id: string, patch: Partial<Input>) {
  const before = await getTrunkGroup(tx, { tenantId: actor.tenantId, id });
  const next: Input = {
    name: patch.name ?? before.name,
    direction: patch.direction ?? before.direction,
    description: patch.description !== undefined ? patch.description : before.description,
    interconnectIds: patch.interconnectIds ?? before.members.map((m) => m.interconnectId),
  };
  await save(tx, actor, id, next, false);
  const after = await getTrunkGroup(tx, { tenantId: actor.tenantId, id });
  await recordAudit(tx, actor, { action: "trunk_group.update", entityType: "trunk_group", entityId: id, before, after });
  return after;
}

/** Soft delete, refused while an interconnect's settings name the group. */
export async function deleteTrunkGroup(tx: TxDb, actor: Actor, id: string) {
  const before = await getTrunkGroup(tx, { tenantId: actor.tenantId, id });
  const users = await tx
    .select({ name: interconnects.name })
    .from(interconnects)
    .where(and(eq(interconnects.tenantId, actor.tenantId), isNull(interconnects.deletedAt), sql`coalesce(${interconnects.ingressValidation}->>'trunkGroupId', ${interconnects.egressRouting}->>'trunkGroupId') = ${id}`));
  if (users.length) throw conflict(`Trunk group "${before.name}" is set on ${users.map((u) => u.name).join(", ")}; clear it there first`);
  await tx.update(trunkGroups).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(live(actor.tenantId), eq(trunkGroups.id, id)));
  await recordAudit(tx, actor, { action: "trunk_group.delete", entityType: "trunk_group", entityId: id, before, after: null });
}
