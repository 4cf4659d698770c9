import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type pg from "pg";
import type { Db, TxDb } from "../platform/db/client.js";
import { inTransaction } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { AppError, forbidden, notFound } from "../platform/http/errors.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { tenants } from "../tenancy/schema.js";
import { users, sessions, loginAttempts } from "./schema.js";
import { decoy, hashPassword, randomToken, sha256, verifyPassword } from "./tokens.js";
import type { Principal } from "./principal.js";
import type { Resolved } from "./auth-cache.js";
import type { Role } from "./permissions.js";

/** Login throttling: failures within the window, per e-mail and per client IP. */
export const THROTTLE = { windowMinutes: 15, maxFailuresPerEmail: 5, maxFailuresPerIp: 30 } as const;

export interface LoginResult {
  token: string;
  principal: Extract<Principal, { kind: "user" }>;
}

export async function login(
  pool: pg.Pool,
  input: { email: string; password: string; ip: string; userAgent?: string; ttlHours: number },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const result = await inTransaction(pool, async (tx): Promise<LoginResult | null> => {
    const since = sql`now() - make_interval(mins => ${THROTTLE.windowMinutes})`;
    const [{ byEmail, byIp }] = (
      await tx.execute<{ byEmail: number; byIp: number }>(sql`
        SELECT count(*) FILTER (WHERE email = ${email})::int AS "byEmail",
               count(*) FILTER (WHERE ip = ${input.ip})::int AS "byIp"
        FROM ${loginAttempts}
        WHERE NOT succeeded AND created_at > ${since} AND (email = ${email} OR ip = ${input.ip})`)
    ).rows as [{ byEmail: number; byIp: number }];
    if (byEmail >= THROTTLE.maxFailuresPerEmail || byIp >= THROTTLE.maxFailuresPerIp) {
      throw new AppError(429, "too_many_attempts", `Too many failed sign-ins; try again in ${THROTTLE.windowMinutes} minutes`, undefined, {
        "retry-after": String(THROTTLE.windowMinutes * 60),
      });
    }
    const [user] = await tx
      .select()
      .from(users)
      .where(and(sql`lower(${users.email}) = ${email}`, isNull(users.deletedAt)));
    const ok = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await decoy(), input.password), false);
    if (!user || !ok || !user.isActive) {
      // Returned, not thrown, so the transaction commits the failed attempt.
      await tx.insert(loginAttempts).values({ id: newId(), email, ip: input.ip, succeeded: false });
      return null;
    }
    await tx.insert(loginAttempts).values({ id: newId(), email, ip: input.ip, succeeded: true });
    const token = randomToken();
    const csrfToken = randomToken(24);
    const tokenHash = sha256(token);
    await tx.insert(sessions).values({
      tokenHash,
      userId: user.id,
      tenantId: user.tenantId,
      csrfToken,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt: sql`now() + make_interval(hours => ${input.ttlHours})` as unknown as Date,
    });
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await recordAudit(
      tx,
      { tenantId: user.tenantId, type: "user", id: user.id, label: user.email, ip: input.ip },
      { action: "auth.login", entityType: "user", entityId: user.id },
    );
    return {
      token,
      principal: {
        kind: "user",
        userId: user.id,
        tenantId: user.tenantId,
        homeTenantId: user.tenantId,
        role: user.role,
        email: user.email,
        name: user.name,
        carrierId: user.carrierId,
        sessionTokenHash: tokenHash,
        csrfToken,
      },
    };
  });
  if (!result) throw new AppError(401, "invalid_credentials", "E-mail or password is wrong");
  return result;
}

/**
 * Finds the live session for a cookie token and slides its expiry. Returns null when
 * the session is unknown, expired, or its user was deactivated or deleted.
 */
export async function resolveSession(db: Db, token: string, ttlHours: number): Promise<Resolved | null> {
  const tokenHash = sha256(token);
  const [row] = await db
    .select({
      userId: users.id,
      homeTenantId: users.tenantId,
      tenantId: sessions.tenantId,
      role: users.role,
      email: users.email,
      name: users.name,
      carrierId: users.carrierId,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, sql`now()`), isNull(users.deletedAt), eq(users.isActive, true)));
  if (!row) return null;
  // Slide the expiry at most once a minute, so reads do not each cost a write.
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(), expiresAt: sql`now() + make_interval(hours => ${ttlHours})` as unknown as Date })
      .where(eq(sessions.tokenHash, tokenHash));
  }
  const { lastSeenAt: _seen, expiresAt, ...rest } = row;
  // The expiry before sliding: earlier, so a cached answer never outlives the session.
  return { principal: { kind: "user", ...rest, role: row.role as Role, sessionTokenHash: tokenHash }, expiresAtMs: expiresAt.getTime() };
}

export async function logout(tx: TxDb, actor: Actor, tokenHash: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  await recordAudit(tx, actor, { action: "auth.logout", entityType: "user", entityId: actor.id });
}

/** Ends every session of the user, on every device. Returns how many were ended. */
export async function logoutEverywhere(tx: TxDb, actor: Actor, userId: string): Promise<number> {
  const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ t: sessions.tokenHash });
  await recordAudit(tx, actor, { action: "auth.logout_everywhere", entityType: "user", entityId: userId, after: { sessionsEnded: ended.length } });
  return ended.length;
}

/** A super admin moves their session into another tenant; audited in both tenants. */
export async function switchTenant(tx: TxDb, actor: Actor, principal: Principal, tenantId: string): Promise<void> {
  if (principal.kind !== "user" || principal.role !== "super_admin") throw forbidden("Only a platform super admin can switch tenant");
  const [target] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
  if (!target) throw notFound("Tenant");
  await tx.update(sessions).set({ tenantId }).where(eq(sessions.tokenHash, principal.sessionTokenHash));
  const event = { action: "auth.switch_tenant", entityType: "tenant", entityId: tenantId, before: { tenantId: principal.tenantId }, after: { tenantId } };
  await recordAudit(tx, actor, event);
  if (tenantId !== actor.tenantId) await recordAudit(tx, { ...actor, tenantId }, event);
}

/** A user changes their own password: this session stays, every other one ends. */
export async function changeOwnPassword(
  tx: TxDb,
  actor: Actor,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (principal.kind !== "user") throw forbidden("Only users have passwords");
  const [row] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, principal.userId));
  if (!row || !(await verifyPassword(row.hash, input.currentPassword))) {
    throw new AppError(400, "validation_failed", "Current password is wrong", { currentPassword: ["wrong password"] });
  }
  await tx.update(users).set({ passwordHash: await hashPassword(input.newPassword), updatedAt: new Date() }).where(eq(users.id, principal.userId));
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, principal.userId), ne(sessions.tokenHash, principal.sessionTokenHash)))
    .returning({ t: sessions.tokenHash });
  await recordAudit(tx, { ...actor, tenantId: principal.homeTenantId }, {
    action: "user.change_own_password",
    entityType: "user",
    entityId: principal.userId,
    after: { otherSessionsEnded: ended.length },
  });
}
