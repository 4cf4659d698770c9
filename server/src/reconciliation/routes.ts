import type { Readable } from "node:stream";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listResponse } from "../platform/http/list.js";
import { ok, uuidParam } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { limitBytes } from "../rating/deck.js";
import {
  destinationDto,
  destinationQuery,
  disputeCreate,
  disputeDetailDto,
  disputeDto,
  disputeNote,
  disputeQuery,
  disputeResolve,
  invoiceCreate,
  invoiceDto,
  invoicePatch,
  invoiceQuery,
  mappingInput,
  resultDto,
  resultQuery,
  runCreate,
  runDto,
  runQuery,
  uploadQuery,
} from "./model.js";
import { createInvoice, deleteInvoice, getInvoice, listInvoices, updateInvoice } from "./invoices.js";
import { createRun, getRun, listDestinationTotals, listResults, listRuns, mapAndRun, uploadFile } from "./runs.js";
import { addDisputeNote, getDisputeDetail, listDisputes, openDispute, resolveDispute } from "./disputes.js";

const read = { onRequest: [requireStaff("reconciliation:read")] };
const change = { onRequest: [requireStaff("reconciliation:write")] };
const tags = { tags: ["reconciliation"] };
/** A 1 000 000-row supplier CDR file is about 100 MB. */
const UPLOAD_LIMIT = 512 * 1024 * 1024;
const FILE_TYPES = ["text/csv", "application/csv", "application/octet-stream", "text/plain"];

export const reconciliationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;

  // ── Supplier invoices ──
  app.get("/supplier-invoices", { ...read, schema: { ...tags, querystring: invoiceQuery, response: { 200: listResponse(invoiceDto) } } }, async (req) =>
    listInvoices(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/supplier-invoices", { ...change, schema: { ...tags, body: invoiceCreate, response: { 201: invoiceDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createInvoice(tx, actor, req.body));
  });
  app.get("/supplier-invoices/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: invoiceDto } } }, async (req) => getInvoice(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.patch("/supplier-invoices/:id", { ...change, schema: { ...tags, params: uuidParam, body: invoicePatch, response: { 200: invoiceDto } } }, async (req) =>
    write(req, (tx, actor) => updateInvoice(tx, actor, req.params.id, req.body)),
  );
  app.delete("/supplier-invoices/:id", { ...change, schema: { ...tags, params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteInvoice(tx, actor, req.params.id));
    return { ok: true as const };
  });

  // ── Runs ──
  app.get("/reconciliation/runs", { ...read, schema: { ...tags, querystring: runQuery, response: { 200: listResponse(runDto) } } }, async (req) => listRuns(db, { tenantId: tenantOf(req), query: req.query }));
  app.post(
    "/reconciliation/runs",
    { ...change, schema: { ...tags, description: "Start a reconciliation of a supplier's CDRs for a period (or of a supplier invoice). Then upload their file, map its columns, and the match runs as a job.", body: runCreate, response: { 201: runDto } } },
    async (req, reply) => {
      reply.status(201);
      return write(req, (tx, actor) => createRun(tx, actor, req.body));
    },
  );
  app.get("/reconciliation/runs/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: runDto } } }, async (req) => getRun(db, { tenantId: tenantOf(req), id: req.params.id }));
  // The file itself as the body, streamed into the staging table as it arrives.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(FILE_TYPES, { bodyLimit: UPLOAD_LIMIT }, (_req, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/reconciliation/runs/:id/upload",
      {
        ...change,
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          ...tags,
          description: `Upload the supplier's CDR file as the request body (CSV with a header row; ${FILE_TYPES.join(", ")}; at most ${UPLOAD_LIMIT / 1024 / 1024} MB). Replaces an earlier upload; the run then waits for its column mapping.`,
          params: uuidParam,
          querystring: uploadQuery,
          response: { 200: runDto },
        },
      },
      async (req) => write(req, (tx, actor) => uploadFile(tx, actor, req.params.id, { fileName: req.query.fileName, source: limitBytes(req.body as Readable, UPLOAD_LIMIT) })),
    );
  });
  app.post(
    "/reconciliation/runs/:id/mapping",
    {
      ...change,
      schema: { ...tags, description: "Map the file's columns (header names) and queue the match. Saved as the supplier's mapping for next time.", params: uuidParam, body: mappingInput, response: { 202: z.object({ jobId: z.uuid(), run: runDto }) } },
    },
    async (req, reply) => {
      reply.status(202);
      return write(req, (tx, actor) => mapAndRun(tx, actor, jobs, req.params.id, req.body));
    },
  );
  app.get("/reconciliation/runs/:id/results", { ...read, schema: { ...tags, params: uuidParam, querystring: resultQuery, response: { 200: listResponse(resultDto) } } }, async (req) =>
    listResults(db, { tenantId: tenantOf(req), runId: req.params.id, query: req.query }),
  );
  app.get(
    "/reconciliation/runs/:id/destinations",
    { ...read, schema: { ...tags, params: uuidParam, querystring: destinationQuery, response: { 200: listResponse(destinationDto).extend({ totals: destinationDto.omit({ destination: true }) }) } } },
    async (req) => listDestinationTotals(db, { tenantId: tenantOf(req), runId: req.params.id, query: req.query }),
  );

  // ── Disputes ──
  app.get("/supplier-disputes", { ...read, schema: { ...tags, querystring: disputeQuery, response: { 200: listResponse(disputeDto) } } }, async (req) => listDisputes(db, { tenantId: tenantOf(req), query: req.query }));
  app.post("/supplier-disputes", { ...change, schema: { ...tags, body: disputeCreate, response: { 201: disputeDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => openDispute(tx, actor, req.body));
  });
  app.get("/supplier-disputes/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: disputeDetailDto } } }, async (req) => getDisputeDetail(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.post("/supplier-disputes/:id/notes", { ...change, schema: { ...tags, params: uuidParam, body: disputeNote, response: { 200: disputeDetailDto } } }, async (req) => {
    await write(req, (tx, actor) => addDisputeNote(tx, actor, req.params.id, req.body.note));
    return getDisputeDetail(db, { tenantId: tenantOf(req), id: req.params.id });
  });
  app.post(
    "/supplier-disputes/:id/resolve",
    {
      ...change,
      schema: { ...tags, description: "Agree (posts the agreed credit to the supplier's payable, once), reject, or write off an open dispute.", params: uuidParam, body: disputeResolve, response: { 200: disputeDetailDto } },
    },
    async (req) => {
      await write(req, (tx, actor) => resolveDispute(tx, actor, req.params.id, req.body));
      return getDisputeDetail(db, { tenantId: tenantOf(req), id: req.params.id });
    },
  );
};
