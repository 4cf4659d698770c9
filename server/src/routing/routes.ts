import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listQuery, listResponse } from "../platform/http/list.js";
import { ok, uuidParam } from "../platform/http/schemas.js";
import { notFound } from "../platform/http/errors.js";
import { compiledSerializerCompiler } from "../platform/http/compiled-serializer.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import {
  decideInput,
  decisionDto,
  entryListQuery,
  fxListQuery,
  fxRateCreate,
  fxRateDto,
  routingEntryCreate,
  routingEntryDto,
  routingEntryPatch,
  routingPlanCreate,
  routingPlanDetailDto,
  routingPlanDto,
  routingPlanPatch,
  routingStatusDto,
} from "./model.js";
import { createRoutingPlan, deleteRoutingPlan, getRoutingPlanDetail, listRoutingPlans, updateRoutingPlan } from "./plans.js";
import { createRoutingEntry, deleteRoutingEntry, getRoutingEntry, listRoutingEntries, updateRoutingEntry } from "./entries.js";
import { createFxRate, deleteFxRate, listFxRates } from "./fx.js";
import type { RoutingService } from "./service.js";

const read = { onRequest: [requireStaff("routing:read")] };
const change = { onRequest: [requireStaff("routing:write")] };
const tags = { tags: ["routing"] };

export const routingRoutes: FastifyPluginAsyncZod<{ routing: RoutingService }> = async (app, { routing }) => {
  const { db } = app.services;

  // ── Plans ──
  app.get(
    "/routing-plans",
    { ...read, schema: { ...tags, querystring: listQuery.extend({ currency: z.string().length(3).optional() }), response: { 200: listResponse(routingPlanDto) } } },
    async (req) => listRoutingPlans(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/routing-plans", { ...change, schema: { ...tags, body: routingPlanCreate, response: { 201: routingPlanDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createRoutingPlan(tx, actor, req.body));
  });
  app.get("/routing-plans/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: routingPlanDetailDto } } }, async (req) =>
    getRoutingPlanDetail(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.patch("/routing-plans/:id", { ...change, schema: { ...tags, params: uuidParam, body: routingPlanPatch, response: { 200: routingPlanDto } } }, async (req) =>
    write(req, (tx, actor) => updateRoutingPlan(tx, actor, req.params.id, req.body)),
  );
  app.delete("/routing-plans/:id", { ...change, schema: { ...tags, params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteRoutingPlan(tx, actor, req.params.id));
    return { ok: true as const };
  });

  // ── Entries ──
  app.get(
    "/routing-plans/:id/entries",
    { ...read, schema: { ...tags, params: uuidParam, querystring: entryListQuery, response: { 200: listResponse(routingEntryDto) } } },
    async (req) => listRoutingEntries(db, { tenantId: tenantOf(req), planId: req.params.id, query: req.query }),
  );
  app.post("/routing-plans/:id/entries", { ...change, schema: { ...tags, params: uuidParam, body: routingEntryCreate, response: { 201: routingEntryDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createRoutingEntry(tx, actor, req.params.id, req.body));
  });
  app.get("/routing-entries/:id", { ...read, schema: { ...tags, params: uuidParam, response: { 200: routingEntryDto } } }, async (req) =>
    getRoutingEntry(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.patch("/routing-entries/:id", { ...change, schema: { ...tags, params: uuidParam, body: routingEntryPatch, response: { 200: routingEntryDto } } }, async (req) =>
    write(req, (tx, actor) => updateRoutingEntry(tx, actor, req.params.id, req.body)),
  );
  app.delete("/routing-entries/:id", { ...change, schema: { ...tags, params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteRoutingEntry(tx, actor, req.params.id));
    return { ok: true as const };
  });

  // ── FX rates ──
  app.get("/fx-rates", { ...read, schema: { ...tags, querystring: fxListQuery, response: { 200: listResponse(fxRateDto) } } }, async (req) =>
    listFxRates(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/fx-rates", { ...change, schema: { ...tags, body: fxRateCreate, response: { 201: fxRateDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createFxRate(tx, actor, req.body));
  });
  app.delete("/fx-rates/:id", { ...change, schema: { ...tags, params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteFxRate(tx, actor, req.params.id));
    return { ok: true as const };
  });

  // ── The decision ──
  app.post(
    "/routing/decide",
    {
      ...read,
      schema: {
        ...tags,
        description:
          "The route decision for a call, explained: ingress interconnect and service (by source address, or a service id), numbers, customer rate, credit, capacity, and the ordered routes with supplier rates and margins, plus every dropped candidate with its reason. A rejected call is a 200 with outcome \"reject\" and its SIP status and Q.850 cause.",
        body: decideInput,
        response: { 200: decisionDto },
      },
      // The switch asks this for every call: a serializer compiled from decisionDto (same
      // bytes as zod's), and no per-request info lines in the log (warnings and errors still).
      serializerCompiler: compiledSerializerCompiler,
      logLevel: "warn",
    },
    async (req) => {
      const tenantId = tenantOf(req);
      if (req.body.serviceId && !(await routing.hasService(tenantId, req.body.serviceId))) throw notFound("Service");
      return routing.decide(tenantId, req.body);
    },
  );
  app.get("/routing/status", { ...read, schema: { ...tags, response: { 200: routingStatusDto } } }, async (req) => routing.status(tenantOf(req)));
};
