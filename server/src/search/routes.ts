import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireStaff, tenantOf } from "../platform/http/context.js";
import { can } from "../identity/principal.js";
import { listUsers } from "../identity/users.js";
import { listCarriers } from "../carriers/carriers.js";
import { listInterconnects } from "../carriers/interconnects.js";
import { listServices } from "../carriers/services.js";

const hit = z.object({ kind: z.string(), id: z.string(), title: z.string(), subtitle: z.string().nullable(), link: z.string() });
type Hit = z.infer<typeof hit>;

/** Global search in the top header: each domain contributes hits the caller may see. */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get(
    "/search",
    { onRequest: [requireStaff("tenant:read")], schema: { tags: ["search"], querystring: z.object({ q: z.string().trim().min(1).max(100) }), response: { 200: z.object({ hits: z.array(hit) }) } } },
    async (req) => {
      const p = principalOf(req);
      const tenantId = tenantOf(req);
      const query = { q: req.query.q, page: 1, pageSize: 5 };
      const searches: Promise<Hit[]>[] = [];
      if (can(p, "carriers:read")) {
        searches.push(
          listCarriers(db, { tenantId, query }).then((r) =>
            r.rows.map((c) => ({ kind: "carrier", id: c.id, title: c.name, subtitle: `${c.type} · ${c.primaryCurrency}`, link: `/carriers/${c.id}` })),
          ),
          listInterconnects(db, { tenantId, query }).then((r) =>
            r.rows.map((i) => ({ kind: "interconnect", id: i.id, title: i.name, subtitle: `${i.direction} · ${i.carrierName}`, link: `/carriers/interconnects/${i.id}` })),
          ),
          listServices(db, { tenantId, query }).then((r) =>
            r.rows.map((s) => ({ kind: "service", id: s.id, title: s.name, subtitle: `${s.interconnectName} · ${s.carrierName}`, link: `/carriers/interconnects/${s.interconnectId}?tab=services` })),
          ),
        );
      }
      if (can(p, "users:read")) {
        searches.push(
          listUsers(db, { tenantId, query }).then((r) => r.rows.map((u) => ({ kind: "user", id: u.id, title: u.name, subtitle: u.email, link: `/settings/users?focus=${u.id}` }))),
        );
      }
      return { hits: (await Promise.all(searches)).flat() };
    },
  );
};
