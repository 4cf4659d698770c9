import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { conflict, notFound } from "../platform/http/errors.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { releaseCauseMappings } from "./schema.js";
import type { releaseCauseInput } from "./model.js";

type Input = z.infer<typeof releaseCauseInput>;

/**
 * SIP response → Q.850 cause, from RFC 3398 §8.2.6.1, with the failover choice a
 * wholesale operator usually starts from: try the next route on supplier-side or
 * transient failures (timeouts, 5xx, 480, auth), stop on answers about the number or
 * the callee (404, 484, 486, 6xx).
 */
export const RFC3398_DEFAULTS: readonly Input[] = [
  [400, 41, "Bad Request", true],
  [401, 21, "Unauthorized", true],
  [402, 21, "Payment Required", true],
  [403, 21, "Forbidden", true],
  [404, 1, "Not Found", false],
  [405, 63, "Method Not Allowed", true],
  [406, 79, "Not Acceptable", true],
  [407, 21, "Proxy Authentication Required", true],
  [408, 102, "Request Timeout", true],
  [410, 22, "Gone", false],
  [413, 127, "Request Entity Too Large", true],
  [414, 127, "Request-URI Too Long", true],
  [415, 79, "Unsupported Media Type", true],
  [416, 127, "Unsupported URI Scheme", true],
  [420, 127, "Bad Extension", true],
  [421, 127, "Extension Required", true],
  [423, 127, "Interval Too Brief", true],
  [480, 18, "Temporarily Unavailable", true],
  [481, 41, "Call/Transaction Does Not Exist", true],
  [482, 25, "Loop Detected", true],
  [483, 25, "Too Many Hops", true],
  [484, 28, "Address Incomplete", false],
  [485, 1, "Ambiguous", false],
  [486, 17, "Busy Here", false],
  [488, 127, "Not Acceptable Here", true],
  [500, 41, "Server Internal Error", true],
  [501, 79, "Not Implemented", true],
  [502, 38, "Bad Gateway", true],
  [503, 41, "Service Unavailable", true],
  [504, 102, "Server Time-out", true],
  [505, 127, "Version Not Supported", true],
  [513, 127, "Message Too Large", true],
  [600, 17, "Busy Everywhere", false],
  [603, 21, "Decline", false],
  [604, 1, "Does Not Exist Anywhere", false],
  [606, 58, "Not Acceptable", false],
].map(([sipCode, q850Cause, description, failover]) => ({ sipCode, q850Cause, description, failover }) as Input);

export async function listReleaseCauses(db: Db, params: { tenantId: string }) {
  const rows = await db.select().from(releaseCauseMappings).where(eq(releaseCauseMappings.tenantId, params.tenantId)).orderBy(asc(releaseCauseMappings.sipCode));
  return rows.map(({ tenantId: _t, ...r }) => r);
}

/** Replaces the tenant's table with the RFC 3398 defaults (also used when a tenant is created). */
export async function resetReleaseCauses(tx: TxDb, actor: Actor) {
  const before = await listReleaseCauses(tx, { tenantId: actor.tenantId });
  await tx.delete(releaseCauseMappings).where(eq(releaseCauseMappings.tenantId, actor.tenantId));
  await tx.insert(releaseCauseMappings).values(RFC3398_DEFAULTS.map((d) => ({ id: newId(), tenantId: actor.tenantId, ...d })));
  await recordAudit(tx, actor, { action: "release_causes.reset", entityType: "release_cause_mapping", entityId: null, before: { count: before.length }, after: { count: RFC3398_DEFAULTS.length } });
  return listReleaseCauses(tx, { tenantId: actor.tenantId });
}

export async function createReleaseCause(tx: TxDb, actor: Actor, input: Input) {
  const [dup] = await tx.select({ id: releaseCauseMappings.id }).from(releaseCauseMappings).where(and(eq(releaseCauseMappings.tenantId, actor.tenantId), eq(releaseCauseMappings.sipCode, input.sipCode)));
  if (dup) throw conflict(`SIP ${input.sipCode} is already mapped; edit that row`, { sipCode: ["already mapped"] });
  const [row] = await tx.insert(releaseCauseMappings).values({ id: newId(), tenantId: actor.tenantId, ...input }).returning();
  await recordAudit(tx, actor, { action: "release_cause.create", entityType: "release_cause_mapping", entityId: row!.id, after: row });
  const { tenantId: _t, ...dto } = row!;
  return dto;
}

export async function updateReleaseCause(tx: TxDb, actor: Actor, id: string, patch: Partial<Omit<Input, "sipCode">>) {
  const [before] = await tx.select().from(releaseCauseMappings).where(and(eq(releaseCauseMappings.tenantId, actor.tenantId), eq(releaseCauseMappings.id, id)));
  if (!before) throw notFound("Release cause mapping");
  const [after] = await tx
    .update(releaseCauseMappings)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(releaseCauseMappings.tenantId, actor.tenantId), eq(releaseCauseMappings.id, id)))
    .returning();
  await recordAudit(tx, actor, { action: "release_cause.update", entityType: "release_cause_mapping", entityId: id, before, after });
  const { tenantId: _t, ...dto } = after!;
  return dto;
}

export async function deleteReleaseCause(tx: TxDb, actor: Actor, id: string) {
  const [row] = await tx.delete(releaseCauseMappings).where(and(eq(releaseCauseMappings.tenantId, actor.tenantId), eq(releaseCauseMappings.id, id))).returning();
  if (!row) throw notFound("Release cause mapping");
  await recordAudit(tx, actor, { action: "release_cause.delete", entityType: "release_cause_mapping", entityId: id, before: row, after: null });
}
