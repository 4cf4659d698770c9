import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listResponse, listQuery } from "../platform/http/list.js";
import { ok, timestamp, uuidParam } from "../platform/http/schemas.js";
import { principalOf, requireStaff, tenantOf, write } from "../platform/http/context.js";
import type { FastifyRequest } from "fastify";
import { JOB_STATES, cancelJob, listJobs, queueSummary, retryJob } from "./jobs.js";

const jobDto = z.object({
  id: z.uuid(),
  queue: z.string(),
  state: z.enum(JOB_STATES),
  percent: z.number().int(),
  message: z.string().nullable(),
  retryCount: z.number().int(),
  retryLimit: z.number().int(),
  createdOn: timestamp,
  startedOn: timestamp.nullable(),
  completedOn: timestamp.nullable(),
  error: z.string().nullable(),
  data: z.unknown(),
});

const scope = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { tenantId: tenantOf(req), includePlatform: p.kind === "user" && p.role === "super_admin" };
};

export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;
  app.get(
    "/jobs",
    {
      onRequest: [requireStaff("jobs:read")],
      schema: { tags: ["jobs"], querystring: listQuery.extend({ state: z.enum(JOB_STATES).optional(), queue: z.string().max(100).optional() }), response: { 200: listResponse(jobDto) } },
    },
    async (req) => listJobs(db, { ...scope(req), query: req.query }),
  );
  app.get(
    "/jobs/queues",
    {
      onRequest: [requireStaff("jobs:read")],
      schema: { tags: ["jobs"], response: { 200: z.object({ queues: z.array(z.object({ queue: z.string(), counts: z.record(z.string(), z.number()) })) }) } },
    },
    async (req) => ({ queues: await queueSummary(db, { ...scope(req), queues: jobs.queueNames }) }),
  );
  app.post("/jobs/:id/retry", { onRequest: [requireStaff("jobs:write")], schema: { tags: ["jobs"], params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => retryJob(tx, actor, jobs, { ...scope(req), id: req.params.id }));
    return { ok: true as const };
  });
  app.post("/jobs/:id/cancel", { onRequest: [requireStaff("jobs:write")], schema: { tags: ["jobs"], params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => cancelJob(tx, actor, jobs, { ...scope(req), id: req.params.id }));
    return { ok: true as const };
  });
};
