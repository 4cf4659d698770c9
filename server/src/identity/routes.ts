import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { listQuery, listResponse } from "../platform/http/list.js";
import { email, ok, password, text, timestamp, uuidParam } from "../platform/http/schemas.js";
import { principalOf, requireStaff, requireUser, tenantOf, unauthenticated, write } from "../platform/http/context.js";
import { tenants } from "../tenancy/schema.js";
import { tenantDto, tenantColumns } from "../tenancy/tenants.js";
import { changeOwnPassword, login, logout, logoutEverywhere, switchTenant } from "./auth.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.js";
import { createUser, getUser, listUsers, softDeleteUser, updateUser } from "./users.js";
import { SESSION_COOKIE } from "./auth-hook.js";
import { PERMISSIONS, ROLES, STAFF_ROLES, permissionsOf, type Role } from "./permissions.js";

const role = z.enum(ROLES);
const userDto = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
  carrierId: z.uuid().nullable(),
  isActive: z.boolean(),
  lastLoginAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
const apiKeyDto = z.object({
  id: z.uuid(),
  name: z.string(),
  tokenPrefix: z.string(),
  scopes: z.array(z.string()),
  createdByUserId: z.uuid(),
  createdByName: z.string().nullable(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});
const meDto = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), role, carrierId: z.uuid().nullable(), homeTenantId: z.uuid() }),
  tenant: tenantDto,
  permissions: z.array(z.string()),
  csrfToken: z.string(),
  /** Tenants a super admin can switch to; empty for everyone else. */
  tenants: z.array(z.object({ id: z.uuid(), name: z.string(), slug: z.string() })),
});

export const identityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { pool, db, config } = app.services;
  // A successful identity write (logout, revoke, role change, deactivation…) has committed
  // by the time its answer is sent: forget every resolved caller, so this instance honours
  // it at once. Not for refusals nor sign-ins (they end nothing), so anonymous callers
  // cannot keep emptying the cache.
  app.addHook("onSend", async (req, reply) => {
    if (req.method !== "GET" && reply.statusCode < 400 && !req.routeOptions.url?.endsWith("/auth/login")) app.authCache.clear();
  });

  async function me(p: ReturnType<typeof principalOf>) {
    if (p.kind !== "user") throw unauthenticated();
    const [tenant] = await db.select(tenantColumns).from(tenants).where(eq(tenants.id, p.tenantId));
    const all = p.role === "super_admin" ? await db.select({ id: tenants.id, name: tenants.name, slug: tenants.slug }).from(tenants).orderBy(tenants.name) : [];
    return {
      user: { id: p.userId, email: p.email, name: p.name, role: p.role, carrierId: p.carrierId, homeTenantId: p.homeTenantId },
      tenant: tenant!,
      permissions: [...permissionsOf(p.role)],
      csrfToken: p.csrfToken,
      tenants: all,
    };
  }

  app.post(
    "/auth/login",
    {
      config: { skipCsrf: true },
      schema: { tags: ["auth"], body: z.object({ email, password: z.string().min(1).max(200) }), response: { 200: meDto } },
    },
    async (req, reply) => {
      const result = await login(pool, { ...req.body, ip: req.ip, userAgent: req.headers["user-agent"], ttlHours: config.SESSION_TTL_HOURS });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: config.COOKIE_SECURE,
        maxAge: config.SESSION_TTL_HOURS * 3600,
      });
      return me(result.principal);
    },
  );

  app.get("/auth/me", { onRequest: [requireUser], schema: { tags: ["auth"], response: { 200: meDto } } }, async (req) => me(principalOf(req)));

  app.post("/auth/logout", { onRequest: [requireUser], schema: { tags: ["auth"], response: { 200: ok } } }, async (req, reply) => {
    const p = principalOf(req);
    if (p.kind === "user") await write(req, (tx, actor) => logout(tx, actor, p.sessionTokenHash));
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { ok: true as const };
  });

  app.post(
    "/auth/logout-everywhere",
    { onRequest: [requireUser], schema: { tags: ["auth"], response: { 200: z.object({ sessionsEnded: z.number() }) } } },
    async (req, reply) => {
      const p = principalOf(req);
      const sessionsEnded = p.kind === "user" ? await write(req, (tx, actor) => logoutEverywhere(tx, actor, p.userId)) : 0;
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { sessionsEnded };
    },
  );

  app.post(
    "/auth/password",
    { onRequest: [requireUser], schema: { tags: ["auth"], body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: password }), response: { 200: ok } } },
    async (req) => {
      await write(req, (tx, actor) => changeOwnPassword(tx, actor, principalOf(req), req.body));
      return { ok: true as const };
    },
  );

  app.post(
    "/auth/switch-tenant",
    { onRequest: [requireStaff("tenants:switch")], schema: { tags: ["auth"], body: z.object({ tenantId: z.uuid() }), response: { 200: ok } } },
    async (req) => {
      await write(req, (tx, actor) => switchTenant(tx, actor, principalOf(req), req.body.tenantId));
      return { ok: true as const };
    },
  );

  app.get(
    "/roles",
    {
      onRequest: [requireStaff("users:read")],
      schema: {
        tags: ["users"],
        response: { 200: z.object({ roles: z.array(z.object({ role, staff: z.boolean(), permissions: z.array(z.string()) })), permissions: z.array(z.string()) }) },
      },
    },
    async () => ({
      roles: ROLES.map((r) => ({ role: r, staff: (STAFF_ROLES as readonly Role[]).includes(r), permissions: [...permissionsOf(r)] })),
      permissions: [...PERMISSIONS],
    }),
  );

  // ── Users ──
  const assignable = role.refine((r) => r !== "super_admin", "super admins are created by the platform, not by a tenant");
  const userFilters = listQuery.extend({ role: role.optional(), status: z.enum(["active", "inactive"]).optional() });

  app.get("/users", { onRequest: [requireStaff("users:read")], schema: { tags: ["users"], querystring: userFilters, response: { 200: listResponse(userDto) } } }, async (req) =>
    listUsers(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get("/users/:id", { onRequest: [requireStaff("users:read")], schema: { tags: ["users"], params: uuidParam, response: { 200: userDto } } }, async (req) =>
    getUser(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.post(
    "/users",
    {
      onRequest: [requireStaff("users:write")],
      schema: {
        tags: ["users"],
        body: z.object({ email, name: text(120), role: assignable, password, carrierId: z.uuid().nullable().optional(), isActive: z.boolean().optional() }),
        response: { 201: userDto },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return write(req, (tx, actor) => createUser(tx, actor, req.body));
    },
  );
  app.patch(
    "/users/:id",
    {
      onRequest: [requireStaff("users:write")],
      schema: {
        tags: ["users"],
        params: uuidParam,
        body: z
          .object({ email, name: text(120), role: assignable, isActive: z.boolean(), password, carrierId: z.uuid().nullable() })
          .partial()
          .refine((b) => Object.keys(b).length > 0, "nothing to change"),
        response: { 200: userDto },
      },
    },
    async (req) => write(req, (tx, actor) => updateUser(tx, actor, req.params.id, req.body)),
  );
  app.delete("/users/:id", { onRequest: [requireStaff("users:write")], schema: { tags: ["users"], params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => softDeleteUser(tx, actor, req.params.id));
    return { ok: true as const };
  });
  app.post(
    "/users/:id/logout-everywhere",
    { onRequest: [requireStaff("users:write")], schema: { tags: ["users"], params: uuidParam, response: { 200: z.object({ sessionsEnded: z.number() }) } } },
    async (req) => {
      const user = await getUser(db, { tenantId: tenantOf(req), id: req.params.id });
      return { sessionsEnded: await write(req, (tx, actor) => logoutEverywhere(tx, actor, user.id)) };
    },
  );

  // ── API keys ──
  app.get("/api-keys", { onRequest: [requireStaff("api_keys:read")], schema: { tags: ["api-keys"], querystring: listQuery, response: { 200: listResponse(apiKeyDto) } } }, async (req) =>
    listApiKeys(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post(
    "/api-keys",
    {
      onRequest: [requireStaff("api_keys:write")],
      schema: {
        tags: ["api-keys"],
        body: z.object({ name: text(120), scopes: z.array(z.enum(PERMISSIONS)).min(1, "pick at least one scope"), expiresAt: timestamp.nullable().optional() }),
        response: { 201: z.object({ key: apiKeyDto, token: z.string() }) },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return write(req, (tx, actor) => createApiKey(tx, actor, principalOf(req), req.body));
    },
  );
  app.post("/api-keys/:id/revoke", { onRequest: [requireStaff("api_keys:write")], schema: { tags: ["api-keys"], params: uuidParam, response: { 200: apiKeyDto } } }, async (req) =>
    write(req, (tx, actor) => revokeApiKey(tx, actor, req.params.id)),
  );
};
