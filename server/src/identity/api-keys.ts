import { and, count, eq, gt, ilike, isNull, or, sql } from "drizzle-orm";
import { users } from "./schema.js";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { forbidden, notFound, conflict } from "../platform/http/errors.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { apiKeys } from "./schema.js";
import { randomToken, safeEqual, sha256 } from "./tokens.js";
import type { Principal } from "./principal.js";
import type { Resolved } from "./auth-cache.js";
import { can } from "./principal.js";
import type { Permission } from "./permissions.js";

export interface ApiKeyDto {
  id: string;
  name: string;
  tokenPrefix: string;
  scopes: string[];
  createdByUserId: string;
  createdByName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const dto = {
  id: apiKeys.id,
  name: apiKeys.name,
  tokenPrefix: apiKeys.tokenPrefix,
  scopes: apiKeys.scopes,
  createdByUserId: apiKeys.createdByUserId,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

/** Token format: `dtk_<prefix>_<secret>`; the prefix finds the row, the secret is verified by hash. */
const TOKEN = /^dtk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export async function listApiKeys(db: Db, params: { tenantId: string; query: ListQuery }): Promise<Page<ApiKeyDto>> {
  const { query } = params;
  const where = and(eq(apiKeys.tenantId, params.tenantId), query.q ? or(ilike(apiKeys.name, likePattern(query.q)), ilike(apiKeys.tokenPrefix, likePattern(query.q))) : undefined);
  const [rows, [total]] = await Promise.all([
    db
      .select({ ...dto, createdByName: users.name })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
      .where(where)
      .orderBy(orderBy(query.sort, { name: apiKeys.name, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, expiresAt: apiKeys.expiresAt }, sql`${apiKeys.createdAt} desc`), apiKeys.id)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(apiKeys).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: params.query.page, pageSize: params.query.pageSize };
}

/** Creates a key; the full token is returned here once and never stored. */
export async function createApiKey(
  tx: TxDb,
  actor: Actor,
  creator: Principal,
  input: { name: string; scopes: Permission[]; expiresAt?: Date | null },
): Promise<{ key: ApiKeyDto; token: string }> {
  if (creator.kind !== "user") throw forbidden("API keys are created by users");
  // A key can never hold more than its creator: no privilege escalation through keys.
  const beyond = input.scopes.filter((s) => !can(creator, s));
  if (beyond.length) throw forbidden(`You cannot grant scopes you do not hold: ${beyond.join(", ")}`);
  const prefix = randomToken(9).replace(/[^A-Za-z0-9]/g, "").padEnd(12, "0").slice(0, 12);
  const secret = randomToken(32);
  const [key] = await tx
    .insert(apiKeys)
    .values({
      id: newId(),
      tenantId: actor.tenantId,
      name: input.name,
      tokenPrefix: prefix,
      tokenHash: sha256(secret),
      scopes: [...new Set(input.scopes)],
      createdByUserId: creator.userId,
      expiresAt: input.expiresAt ?? null,
    })
    .returning(dto);
  await recordAudit(tx, actor, { action: "api_key.create", entityType: "api_key", entityId: key!.id, after: key });
  return { key: { ...key!, createdByName: creator.name }, token: `dtk_${prefix}_${secret}` };
}

export async function revokeApiKey(tx: TxDb, actor: Actor, id: string): Promise<ApiKeyDto> {
  const [before] = await tx.select({ ...dto, createdByName: users.name }).from(apiKeys).leftJoin(users, eq(users.id, apiKeys.createdByUserId)).where(and(eq(apiKeys.tenantId, actor.tenantId), eq(apiKeys.id, id)));
  if (!before) throw notFound("API key");
  if (before.revokedAt) throw conflict("This key is already revoked");
  const [after] = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, actor.tenantId), eq(apiKeys.id, id)))
    .returning(dto);
  await recordAudit(tx, actor, { action: "api_key.revoke", entityType: "api_key", entityId: id, before, after });
  return { ...after!, createdByName: before.createdByName };
}

/** Resolves a bearer token to a principal (and when the key expires), or null if unknown, revoked or expired. */
export async function resolveApiKey(db: Db, token: string): Promise<Resolved | null> {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const [, prefix, secret] = m as unknown as [string, string, string];
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenPrefix, prefix), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`))));
  if (!row || !safeEqual(row.tokenHash, sha256(secret))) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  }
  return {
    principal: { kind: "api_key", apiKeyId: row.id, tenantId: row.tenantId, name: row.name, scopes: row.scopes as Permission[] },
    expiresAtMs: row.expiresAt?.getTime() ?? null,
  };
}
