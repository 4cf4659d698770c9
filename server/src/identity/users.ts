import { and, count, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { carriers } from "../carriers/schema.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { users, sessions } from "./schema.js";
import { hashPassword } from "./tokens.js";
import type { Role } from "./permissions.js";

export interface UserDto {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  carrierId: string | null;
  isActive: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const dtoColumns = {
  id: users.id,
  tenantId: users.tenantId,
  email: users.email,
  name: users.name,
  role: users.role,
  carrierId: users.carrierId,
  isActive: users.isActive,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

/** Live (not soft-deleted) users of one tenant. */
const liveIn = (tenantId: string) => and(eq(users.tenantId, tenantId), isNull(users.deletedAt));

export async function listUsers(
  db: Db,
  params: { tenantId: string; query: ListQuery & { role?: Role; status?: "active" | "inactive" } },
): Promise<Page<UserDto>> {
  const { tenantId, query } = params;
  const filters: (SQL | undefined)[] = [liveIn(tenantId)];
  if (query.q) filters.push(or(ilike(users.email, likePattern(query.q)), ilike(users.name, likePattern(query.q))));
  if (query.role) filters.push(eq(users.role, query.role));
  if (query.status) filters.push(eq(users.isActive, query.status === "active"));
  const where = and(...filters);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select(dtoColumns)
      .from(users)
      .where(where)
      .orderBy(
        orderBy(query.sort, { email: users.email, name: users.name, role: users.role, createdAt: users.createdAt, lastLoginAt: users.lastLoginAt }, sql`${users.createdAt} desc`),
        users.id,
      )
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { rows, total: totalRow?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function getUser(db: Db, params: { tenantId: string; id: string }): Promise<UserDto> {
  const [row] = await db.select(dtoColumns).from(users).where(and(liveIn(params.tenantId), eq(users.id, params.id)));
  if (!row) throw notFound("User");
  return row;
}

async function assertEmailFree(db: Db, email: string, exceptId?: string) {
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, isNull(users.deletedAt)));
  if (taken && taken.id !== exceptId) throw conflict("That e-mail address is already in use", { email: ["already in use"] });
}

/** Portal users must be bound to a live carrier of their tenant; staff users to none. */
async function assertCarrierBinding(db: Db, tenantId: string, role: Role, carrierId: string | null | undefined) {
  const portal = role === "customer" || role === "carrier";
  if (!portal && carrierId) throw badRequest("Only portal users are bound to a carrier", { carrierId: ["only for customer/carrier portal users"] });
  if (portal && !carrierId) throw badRequest("A portal user is bound to one carrier account", { carrierId: ["required for customer/carrier portal users"] });
  if (carrierId) {
    const [c] = await db.select({ id: carriers.id }).from(carriers).where(and(eq(carriers.tenantId, tenantId), eq(carriers.id, carrierId), isNull(carriers.deletedAt)));
    if (!c) throw badRequest("Unknown carrier", { carrierId: ["no such carrier"] });
  }
}

export async function createUser(
  tx: TxDb,
  actor: Actor,
  input: { email: string; name: string; role: Role; password: string; carrierId?: string | null; isActive?: boolean },
): Promise<UserDto> {
  await assertEmailFree(tx, input.email);
  await assertCarrierBinding(tx, actor.tenantId, input.role, input.carrierId);
  const [row] = await tx
    .insert(users)
    .values({
      id: newId(),
      tenantId: actor.tenantId,
      email: input.email.trim(),
      name: input.name.trim(),
      role: input.role,
      carrierId: input.carrierId ?? null,
      isActive: input.isActive ?? true,
      passwordHash: await hashPassword(input.password),
    })
    .returning(dtoColumns);
  await recordAudit(tx, actor, { action: "user.create", entityType: "user", entityId: row!.id, after: row });
  return row!;
}

export async function updateUser(
  tx: TxDb,
  actor: Actor,
  id: string,
  patch: { email?: string; name?: string; role?: Role; isActive?: boolean; password?: string; carrierId?: string | null },
): Promise<UserDto> {
  const before = await getUser(tx, { tenantId: actor.tenantId, id });
  if (patch.email) await assertEmailFree(tx, patch.email, id);
  if (patch.role !== undefined || patch.carrierId !== undefined) {
    await assertCarrierBinding(tx, actor.tenantId, patch.role ?? before.role, patch.carrierId !== undefined ? patch.carrierId : before.carrierId);
  }
  const { password, ...fields } = patch;
  const [after] = await tx
    .update(users)
    .set({ ...fields, ...(password ? { passwordHash: await hashPassword(password) } : {}), updatedAt: new Date() })
    .where(and(liveIn(actor.tenantId), eq(users.id, id)))
    .returning(dtoColumns);
  // A deactivated user, a role change or a new password ends their existing sessions.
  if (patch.isActive === false || password || (patch.role && patch.role !== before.role)) {
    await tx.delete(sessions).where(eq(sessions.userId, id));
  }
  await recordAudit(tx, actor, {
    action: password ? "user.update_password" : "user.update",
    entityType: "user",
    entityId: id,
    before: { ...before },
    after: { ...after!, ...(password ? { password: "[changed]" } : {}) },
  });
  return after!;
}

export async function softDeleteUser(tx: TxDb, actor: Actor, id: string): Promise<void> {
  if (actor.type === "user" && actor.id === id) throw conflict("You cannot delete your own account");
  const before = await getUser(tx, { tenantId: actor.tenantId, id });
  await tx.update(users).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(liveIn(actor.tenantId), eq(users.id, id)));
  await tx.delete(sessions).where(eq(sessions.userId, id));
  await recordAudit(tx, actor, { action: "user.delete", entityType: "user", entityId: id, before: { ...before }, after: null });
}

export async function countUsers(db: Db, params: { tenantId: string }): Promise<number> {
  const [r] = await db.select({ n: count() }).from(users).where(liveIn(params.tenantId));
  return r?.n ?? 0;
}
