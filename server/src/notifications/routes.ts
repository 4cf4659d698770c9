import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { inTransaction } from "../platform/db/client.js";
import { timestamp } from "../platform/http/schemas.js";
import { principalOf, requireUser } from "../platform/http/context.js";
import { listNotifications, markRead } from "./notifications.js";

const dto = z.object({
  id: z.uuid(),
  severity: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  createdAt: timestamp,
  readAt: timestamp.nullable(),
});

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, pool } = app.services;
  const who = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    return { tenantId: p.tenantId, userId: p.kind === "user" ? p.userId : "" };
  };
  app.get(
    "/notifications",
    { onRequest: [requireUser], schema: { tags: ["notifications"], response: { 200: z.object({ rows: z.array(dto), unread: z.number().int() }) } } },
    async (req) => listNotifications(db, { ...who(req), limit: 50 }),
  );
  app.post(
    "/notifications/read",
    {
      onRequest: [requireUser],
      schema: { tags: ["notifications"], body: z.object({ ids: z.union([z.array(z.uuid()).max(500), z.literal("all")]) }), response: { 200: z.object({ marked: z.number().int() }) } },
    },
    async (req) => ({ marked: await inTransaction(pool, (tx) => markRead(tx, { ...who(req), ids: req.body.ids })) }),
  );
};
