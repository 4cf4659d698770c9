import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listQuery, listResponse } from "../platform/http/list.js";
import { ok, timestamp } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { listDeleted, requestPurge, restore, softDeletables } from "./recycle-bin.js";

const item = z.object({ entityType: z.string(), label: z.string(), id: z.uuid(), title: z.string(), deletedAt: timestamp, purgeAfter: timestamp });

export const recycleBinRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;
  app.get(
    "/recycle-bin",
    { onRequest: [requireStaff("recycle_bin:read")], schema: { tags: ["recycle-bin"], querystring: listQuery.extend({ entityType: z.string().max(60).optional() }), response: { 200: listResponse(item) } } },
    async (req) => listDeleted(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get(
    "/recycle-bin/types",
    { onRequest: [requireStaff("recycle_bin:read")], schema: { tags: ["recycle-bin"], response: { 200: z.object({ types: z.array(z.object({ entityType: z.string(), label: z.string() })) }) } } },
    async () => ({ types: softDeletables.map((d) => ({ entityType: d.entityType, label: d.label })) }),
  );
  app.post(
    "/recycle-bin/restore",
    { onRequest: [requireStaff("recycle_bin:write")], schema: { tags: ["recycle-bin"], body: z.object({ entityType: z.string().max(60), id: z.uuid() }), response: { 200: ok } } },
    async (req) => {
      await write(req, (tx, actor) => restore(tx, actor, req.body));
      return { ok: true as const };
    },
  );
  app.post(
    "/recycle-bin/purge",
    { onRequest: [requireStaff("recycle_bin:write")], schema: { tags: ["recycle-bin"], response: { 202: z.object({ jobId: z.uuid() }) } } },
    async (req, reply) => {
      const jobId = await write(req, (tx, actor) => requestPurge(tx, actor, jobs));
      reply.status(202);
      return { jobId };
    },
  );
};
