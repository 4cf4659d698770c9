import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listQuery, listResponse } from "../platform/http/list.js";
import { ok, timestamp, uuidParam } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { CHANGE_KINDS, PLAN_KINDS, RATE_STATES, compiledDto, diffRowDto, importJson, matchDto, planCreate, planDto, planPatch, quoteDto, quoteInput, rateDto, revisionDto, uploadQuery, type ImportOptions } from "./model.js";
import { createPlan, deletePlan, getPlan, listPlans, listRates, updatePlan } from "./plans.js";
import { deckRejected, getRevisionRow, listDiffRows, listRevisions, previewImport, requestApply, revisionToDto } from "./import.js";
import { compiledPlanStats, dropCompiledPlan, lookupRate, quoteCall } from "./compiled.js";
import { exportRates } from "./export.js";
import { limitBytes, slices, type DeckSource } from "./deck.js";

const read = { onRequest: [requireStaff("rating:read")] };
const change = { onRequest: [requireStaff("rating:write")] };
const tags = { tags: ["rating"] };
/** A deck posted as JSON is held in memory whole: for small decks (50 000 rows is about 2 MB). */
const DECK_JSON_LIMIT = 64 * 1024 * 1024;
/** An uploaded deck streams through: a 2 000 000-row deck is about 90 MB. */
const DECK_UPLOAD_LIMIT = 200 * 1024 * 1024;
const DECK_TYPES = ["text/csv", "application/csv", "application/octet-stream"];
const PREVIEW_ROWS = 100;

const page = z.object({ page: listQuery.shape.page, pageSize: listQuery.shape.pageSize });
const previewResponse = z.object({ revision: revisionDto, diff: listResponse(diffRowDto) });

export const ratingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;


  // ── Plans ──
  app.get(
    "/rating-plans",
    { ...read, schema: { ...tags, querystring: listQuery.extend({ kind: z.enum(PLAN_KINDS).optional(), currency: z.string().length(3).optional() }), response: { 200: listResponse(planDto) } } },
    async (req) => listPlans(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/rating-plans", { ...change, schema: { ...tags, body: planCreate, response: { 201: planDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createPlan(tx, actor, req.body));
  });
  app.get("/rating-plans/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: planDto } } }, async (req) => getPlan(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.patch("/rating-plans/:id", { ...change, schema: { ...tags, params: uuidParam, body: planPatch, response: { 200: planDto } } }, async (req) =>
    write(req, (tx, actor) => updatePlan(tx, actor, req.params.id, req.body)),
  );
  app.delete("/rating-plans/:id", { ...change, schema: { ...tags, params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deletePlan(tx, actor, req.params.id));
    dropCompiledPlan({ tenantId: tenantOf(req), planId: req.params.id });
    return { ok: true as const };
  });

  // ── Rates ──
  app.get(
    "/rating-plans/:id/rates",
    {
      ...read,
      schema: {
        ...tags,
        params: uuidParam,
        querystring: page.extend({ q: z.string().trim().max(100).optional(), state: z.enum(RATE_STATES).optional(), at: timestamp.optional() }),
        response: { 200: listResponse(rateDto) },
      },
    },
    async (req) => listRates(db, { tenantId: tenantOf(req), planId: req.params.id, ...req.query, at: req.query.at ?? new Date() }),
  );
  app.get(
    "/rating-plans/:id/lookup",
    {
      ...read,
      schema: {
        ...tags,
        params: uuidParam,
        querystring: z.object({ number: quoteInput.shape.number, at: timestamp.optional() }),
        response: { 200: z.object({ number: z.string(), at: timestamp, match: matchDto.nullable() }) },
      },
    },
    async (req) => lookupRate(db, { tenantId: tenantOf(req), planId: req.params.id, number: req.query.number, at: req.query.at ?? new Date() }),
  );
  app.post("/rating-plans/:id/quote", { ...read, schema: { ...tags, params: uuidParam, body: quoteInput, response: { 200: quoteDto } } }, async (req) =>
    quoteCall(db, { tenantId: tenantOf(req), planId: req.params.id, number: req.body.number, durationS: req.body.durationS, at: req.body.at ?? new Date() }),
  );
  app.get(
    "/rating-plans/:id/compiled",
    { ...read, schema: { ...tags, description: "The plan as the server holds it in memory for lookups: sizes (bytes per prefix) and when it was compiled.", params: uuidParam, response: { 200: compiledDto } } },
    async (req) => compiledPlanStats(db, { tenantId: tenantOf(req), planId: req.params.id }),
  );
  app.get("/rating-plans/:id/export", { ...read, schema: { ...tags, params: uuidParam, querystring: z.object({ at: timestamp.optional() }) } }, async (req, reply) => {
    const { fileName, csv } = await exportRates(db, { tenantId: tenantOf(req), planId: req.params.id, at: req.query.at ?? new Date() });
    return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${fileName}"`).send(csv);
  });

  // ── Deck imports ──
  const preview = async (req: FastifyRequest, planId: string, input: ImportOptions, source: DeckSource) => {
    const { revision, rejected } = await write(req, (tx, actor) => previewImport(tx, actor, planId, input, source));
    if (rejected) throw deckRejected(revision);
    return { revision, diff: await listDiffRows(db, { tenantId: tenantOf(req), revisionId: revision.id, page: 1, pageSize: PREVIEW_ROWS }) };
  };
  app.post(
    "/rating-plans/:id/imports",
    {
      ...change,
      bodyLimit: DECK_JSON_LIMIT,
      schema: {
        ...tags,
        description: "Preview a deck posted as JSON { fileName, csv, mapping?, delimiter?, mode, noticePolicy }. A deck with bad rows is 422 listing them. Big files: use /imports/upload.",
        params: uuidParam,
        body: importJson,
        response: { 201: previewResponse },
      },
    },
    async (req, reply) => {
      const { csv, ...input } = req.body;
      reply.status(201);
      return preview(req, req.params.id, input, slices(csv));
    },
  );
  // The file itself as the body, streamed into the importer as it arrives; only this route takes these types.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(DECK_TYPES, (_req, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/rating-plans/:id/imports/upload",
      {
        ...change,
        schema: {
          ...tags,
          description: `Preview a deck uploaded as the request body (${DECK_TYPES.join(", ")}; at most ${DECK_UPLOAD_LIMIT / 1024 / 1024} MB), read as it streams in. Options in the query string, mapping as JSON ({"prefix":"Dial Code",…}). A deck with bad rows is 422 listing them.`,
          params: uuidParam,
          querystring: uploadQuery,
          response: { 201: previewResponse },
        },
      },
      async (req, reply) => {
        reply.status(201);
        return preview(req, req.params.id, req.query, limitBytes(req.body as Readable, DECK_UPLOAD_LIMIT));
      },
    );
  });
  app.get("/rating-plans/:id/revisions", { ...read, schema: { ...tags, params: uuidParam, querystring: page, response: { 200: listResponse(revisionDto) } } }, async (req) =>
    listRevisions(db, { tenantId: tenantOf(req), planId: req.params.id, ...req.query }),
  );
  app.get(
    "/rating-revisions/:id",
    { ...read, schema: { ...tags, params: uuidParam, querystring: page.extend({ change: z.enum(CHANGE_KINDS).optional(), notice: z.stringbool().optional() }), response: { 200: previewResponse } } },
    async (req) => {
      const tenantId = tenantOf(req);
      const revision = revisionToDto(await getRevisionRow(db, { tenantId, id: req.params.id }));
      return { revision, diff: await listDiffRows(db, { tenantId, revisionId: revision.id, ...req.query }) };
    },
  );
  app.post(
    "/rating-revisions/:id/apply",
    { ...change, schema: { ...tags, params: uuidParam, response: { 202: z.object({ jobId: z.string(), revision: revisionDto }) } } },
    async (req, reply) => {
      const result = await write(req, (tx, actor) => requestApply(tx, actor, jobs, req.params.id));
      reply.status(202);
      return result;
    },
  );
};
