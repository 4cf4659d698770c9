import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listResponse } from "../platform/http/list.js";
import { uuidParam } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { getAttachment, getMail, listMail, mailDetailDto, mailListQuery, mailSummaryDto, retryMail } from "./mail.js";

const read = { onRequest: [requireStaff("mail:read")] };
const tags = ["mail"];

export const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;
  app.get("/mail", { ...read, schema: { tags, querystring: mailListQuery, response: { 200: listResponse(mailSummaryDto) } } }, async (req) => listMail(db, { tenantId: tenantOf(req), query: req.query }));
  app.get("/mail/:id", { ...read, schema: { tags, params: uuidParam, response: { 200: mailDetailDto } } }, async (req) => getMail(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.get(
    "/mail/:id/attachments/:attachmentId",
    { ...read, schema: { tags, description: "The attachment's bytes, as sent.", params: z.object({ id: z.uuid(), attachmentId: z.uuid() }) } },
    async (req, reply) => {
      const a = await getAttachment(db, { tenantId: tenantOf(req), mailId: req.params.id, id: req.params.attachmentId });
      const ascii = a.filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
      return reply
        .type(a.contentType)
        .header("content-disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .send(a.content);
    },
  );
  app.post(
    "/mail/:id/retry",
    { onRequest: [requireStaff("mail:write")], schema: { tags, description: "Queue a failed or outbox-only mail for delivery again.", params: uuidParam, response: { 200: mailDetailDto } } },
    async (req) => write(req, (tx, actor) => retryMail(tx, actor, jobs, req.params.id)),
  );
};
