import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireStaff, tenantOf } from "../platform/http/context.js";
import { can } from "../identity/principal.js";
import { listUsers } from "../identity/users.js";

const hit = z.object({ kind: z.string(), id: z.string(), title: z.string(), subtitle: z.string().nullable(), link: z.string() });

/** Global search in the top header: each domain contributes hits the caller may see. */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get(
    "/search",
    { onRequest: [requireStaff("tenant:read")], schema: { tags: ["search"], querystring: z.object({ q: z.string().trim().min(1).max(100) }), response: { 200: z.object({ hits: z.array(hit) }) } } },
    async (req) => {
      const p = principalOf(req);
      const hits: z.infer<typeof hit>[] = [];
      if (can(p, "users:read")) {
        const users = await listUsers(db, { tenantId: tenantOf(req), query: { q: req.query.q, page: 1, pageSize: 8 } });
        for (const u of users.rows) hits.push({ kind: "user", id: u.id, title: u.name, subtitle: u.email, link: `/settings/users?focus=${u.id}` });
      }
      return { hits };
    },
  );
};
