import { and, count, eq, isNull, like, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type ListQuery, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { blacklistEntries, interconnects, services } from "./schema.js";
import type { blacklistEntryInput } from "./model.js";

type Input = z.infer<typeof blacklistEntryInput>;
type Row = typeof blacklistEntries.$inferSelect;

export async function listBlacklist(
  db: Db,
  params: { tenantId: string; query: ListQuery & { list?: "origination" | "destination"; scope?: "global" | "service" | "interconnect"; serviceId?: string; interconnectId?: string } },
): Promise<Page<Omit<Row, "tenantId"> & { scopeName: string | null }>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [eq(blacklistEntries.tenantId, tenantId)];
  if (query.q) f.push(like(blacklistEntries.value, `${query.q.replace(/[^0-9]/g, "")}%`));
  if (query.list) f.push(eq(blacklistEntries.list, query.list));
  if (query.scope) f.push(eq(blacklistEntries.scope, query.scope));
  if (query.serviceId) f.push(eq(blacklistEntries.serviceId, query.serviceId));
  if (query.interconnectId) f.push(eq(blacklistEntries.interconnectId, query.interconnectId));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    db
      .select({ b: blacklistEntries, serviceName: services.name, interconnectName: interconnects.name })
      .from(blacklistEntries)
      .leftJoin(services, eq(services.id, blacklistEntries.serviceId))
      .leftJoin(interconnects, eq(interconnects.id, blacklistEntries.interconnectId))
      .where(where)
      .orderBy(blacklistEntries.list, blacklistEntries.value, blacklistEntries.id)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(blacklistEntries).where(where),
  ]);
  return {
    rows: rows.map(({ b: { tenantId: _t, ...b }, serviceName, interconnectName }) => ({ ...b, scopeName: serviceName ?? interconnectName ?? null })),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function createBlacklistEntry(tx: TxDb, actor: Actor, input: Input) {
  if (input.serviceId) {
    const [s] = await tx.select({ id: services.id }).from(services).where(and(eq(services.tenantId, actor.tenantId), eq(services.id, input.serviceId), isNull(services.deletedAt)));
    if (!s) throw badRequest("Unknown service", { serviceId: ["no such service"] });
  }
  if (input.interconnectId) {
    const [i] = await tx.select({ id: interconnects.id }).from(interconnects).where(and(eq(interconnects.tenantId, actor.tenantId), eq(interconnects.id, input.interconnectId), isNull(interconnects.deletedAt)));
    if (!i) throw badRequest("Unknown interconnect", { interconnectId: ["no such interconnect"] });
  }
  const [dup] = await tx
    .select({ id: blacklistEntries.id })
    .from(blacklistEntries)
    .where(
      and(
        eq(blacklistEntries.tenantId, actor.tenantId),
        eq(blacklistEntries.list, input.list),
        eq(blacklistEntries.matchType, input.matchType),
        eq(blacklistEntries.value, input.value),
        eq(blacklistEntries.scope, input.scope),
        sql`${blacklistEntries.serviceId} IS NOT DISTINCT FROM ${input.serviceId}::uuid`,
        sql`${blacklistEntries.interconnectId} IS NOT DISTINCT FROM ${input.interconnectId}::uuid`,
      ),
    );
  if (dup) throw conflict(`${input.value} is already on this ${input.list} blacklist`, { value: ["already listed"] });
  const [row] = await tx.insert(blacklistEntries).values({ id: newId(), tenantId: actor.tenantId, ...input }).returning();
  await recordAudit(tx, actor, { action: "blacklist.add", entityType: "blacklist_entry", entityId: row!.id, after: row });
  return row!;
}

/** Blacklist entries are configuration lines: removal is a hard delete, audited with the row. */
export async function deleteBlacklistEntry(tx: TxDb, actor: Actor, id: string) {
  const [row] = await tx.delete(blacklistEntries).where(and(eq(blacklistEntries.tenantId, actor.tenantId), eq(blacklistEntries.id, id))).returning();
  if (!row) throw notFound("Blacklist entry");
  await recordAudit(tx, actor, { action: "blacklist.remove", entityType: "blacklist_entry", entityId: id, before: row, after: null });
}
