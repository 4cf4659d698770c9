import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { and, count, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { likePattern, listQuery, listResponse, offsetOf, orderBy } from "../platform/http/list.js";
import { timestamp } from "../platform/http/schemas.js";
import { requireStaff, tenantOf } from "../platform/http/context.js";
import type { Db } from "../platform/db/client.js";
import { auditEvents } from "./schema.js";

const auditDto = z.object({
  id: z.uuid(),
  actorType: z.enum(["user", "api_key", "system"]),
  actorId: z.uuid().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.uuid().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  changes: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: timestamp,
});

const auditFilters = listQuery.extend({
  entityType: z.string().max(60).optional(),
  entityId: z.uuid().optional(),
  action: z.string().max(80).optional(),
  actorType: z.enum(["user", "api_key", "system"]).optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
});

export async function listAuditEvents(db: Db, params: { tenantId: string; query: z.infer<typeof auditFilters> }) {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [eq(auditEvents.tenantId, tenantId)];
  if (query.entityType) f.push(eq(auditEvents.entityType, query.entityType));
  if (query.entityId) f.push(eq(auditEvents.entityId, query.entityId));
  if (query.action) f.push(eq(auditEvents.action, query.action));
  if (query.actorType) f.push(eq(auditEvents.actorType, query.actorType));
  if (query.from) f.push(gte(auditEvents.createdAt, query.from));
  if (query.to) f.push(lt(auditEvents.createdAt, query.to));
  if (query.q) f.push(or(ilike(auditEvents.actorLabel, likePattern(query.q)), ilike(auditEvents.action, likePattern(query.q))));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(orderBy(query.sort, { createdAt: auditEvents.createdAt, action: auditEvents.action, actorLabel: auditEvents.actorLabel, entityType: auditEvents.entityType }, sql`${auditEvents.createdAt} desc`), sql`${auditEvents.id} desc`)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(auditEvents).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function auditFacets(db: Db, params: { tenantId: string }) {
  const rows = await db
    .selectDistinct({ action: auditEvents.action, entityType: auditEvents.entityType })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, params.tenantId));
  return { actions: [...new Set(rows.map((r) => r.action))].sort(), entityTypes: [...new Set(rows.map((r) => r.entityType))].sort() };
}

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get("/audit-events", { onRequest: [requireStaff("audit:read")], schema: { tags: ["audit"], querystring: auditFilters, response: { 200: listResponse(auditDto) } } }, async (req) =>
    listAuditEvents(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get(
    "/audit-events/facets",
    { onRequest: [requireStaff("audit:read")], schema: { tags: ["audit"], response: { 200: z.object({ actions: z.array(z.string()), entityTypes: z.array(z.string()) }) } } },
    async (req) => auditFacets(db, { tenantId: tenantOf(req) }),
  );
};
