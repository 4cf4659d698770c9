import type { Readable } from "node:stream";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listResponse } from "../platform/http/list.js";
import { timestamp, uuidParam } from "../platform/http/schemas.js";
import { actorOf } from "../identity/principal.js";
import { principalOf, requireStaff, tenantOf, write } from "../platform/http/context.js";
import { cdrBatchInput, cdrDto, cdrListQuery, ingestResult, rerateInput } from "./model.js";
import { ingestBatch, ingestChunks } from "./ingest.js";
import { csvChunks } from "./csv.js";
import { getCdr, listCdrs, ratingErrorSummary } from "./queries.js";
import { requestRerate } from "./rate.js";
import { cdrExportInput, cdrJobDto, exportFile, getCdrJob, requestExport } from "./export.js";

const read = { onRequest: [requireStaff("cdrs:read")] };
const change = { onRequest: [requireStaff("cdrs:write")] };
const tags = { tags: ["cdrs"] };
const CSV_BODY_LIMIT = 1024 * 1024 * 1024;

export const cdrRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, pool, jobs } = app.services;

  app.post(
    "/cdrs/batch",
    {
      ...change,
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        ...tags,
        description: "Ingest up to 10 000 CDRs. All or nothing: any bad row is 422 listing every bad row. A CDR whose (switchId, callId, attempt) was ingested before is a duplicate and changes nothing.",
        body: cdrBatchInput,
        response: { 200: ingestResult },
      },
    },
    async (req) => ingestBatch(pool, jobs, actorOf(principalOf(req), req), req.body.cdrs),
  );

  // The CDR file is streamed into the parser: this scope hands the raw body on unread.
  await app.register(async (scope) => {
    const files = scope.withTypeProvider<ZodTypeProvider>();
    files.addContentTypeParser(["text/csv", "application/csv", "application/octet-stream"], { bodyLimit: CSV_BODY_LIMIT }, (_req, payload, done) => done(null, payload));
    files.post(
      "/cdrs/upload",
      {
        ...change,
        bodyLimit: CSV_BODY_LIMIT,
        schema: {
          ...tags,
          description: "Ingest a CDR file (text/csv, header row of field names). All or nothing; every bad line is listed in a 422.",
          querystring: z.object({ fileName: z.string().trim().max(200).optional() }),
          response: { 200: ingestResult },
        },
      },
      async (req) => {
        const errors = { errors: [], count: 0 };
        return ingestChunks(pool, jobs, actorOf(principalOf(req), req), { kind: "csv", fileName: req.query.fileName ?? null }, csvChunks(req.body as Readable, errors));
      },
    );
  });

  app.get("/cdrs", { ...read, schema: { ...tags, querystring: cdrListQuery, response: { 200: listResponse(cdrDto).extend({ totalCapped: z.boolean(), from: timestamp, to: timestamp }) } } }, async (req) =>
    listCdrs(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get(
    "/cdrs/rating-errors/summary",
    { ...read, schema: { ...tags, response: { 200: z.array(z.object({ reason: z.string(), count: z.number().int(), firstStartAt: timestamp, lastStartAt: timestamp })) } } },
    async (req) => ratingErrorSummary(db, { tenantId: tenantOf(req) }),
  );
  app.post(
    "/cdrs/exports",
    {
      ...read,
      schema: {
        ...tags,
        description: "Export the CDRs matching a filter as CSV. Runs as a job: poll GET /cdrs/jobs/{jobId} for progress, then GET /cdrs/exports/{jobId}/download.",
        body: cdrExportInput,
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      reply.status(202);
      return write(req, (tx, actor) => requestExport(tx, actor, jobs, req.body));
    },
  );
  app.get(
    "/cdrs/jobs/:id",
    { ...read, schema: { ...tags, description: "State and progress of a CDR export or rating job of the caller's tenant.", params: uuidParam, response: { 200: cdrJobDto } } },
    async (req) => {
      const { file: _file, ...job } = await getCdrJob(db, { tenantId: tenantOf(req), id: req.params.id });
      return job;
    },
  );
  app.get(
    "/cdrs/exports/:id/download",
    { ...read, schema: { ...tags, description: "The CSV file of a completed export (409 while it runs, 410 once deleted).", params: uuidParam } },
    async (req, reply) => {
      const f = await exportFile(db, { tenantId: tenantOf(req), id: req.params.id });
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${f.fileName}"`).header("content-length", f.bytes).send(f.stream);
    },
  );
  app.get("/cdrs/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: cdrDto } } }, async (req) => getCdr(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.post(
    "/cdrs/rerate",
    { ...change, schema: { ...tags, body: rerateInput, response: { 202: z.object({ jobId: z.string().nullable(), count: z.number().int() }) } } },
    async (req, reply) => {
      reply.status(202);
      return write(req, (tx, actor) => requestRerate(tx, actor, jobs, req.body));
    },
  );
};
