import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { timestamp, uuidParam, ok } from "../platform/http/schemas.js";
import { badRequest, notFound } from "../platform/http/errors.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { activeCalls, hangUp, switchStatus } from "./calls.js";
import { SwitchDecider } from "./decide.js";
import { unauthenticated } from "../platform/http/context.js";
import { trafficStats, trafficTotals } from "../cdrs/stats.js";

const read = { onRequest: [requireStaff("switch:read")] };
const change = { onRequest: [requireStaff("switch:write")] };
const tags = { tags: ["switch"] };

const nodeDto = z.object({
  id: z.string(),
  sipAddress: z.string(),
  sipPort: z.number().int(),
  version: z.string().nullable(),
  configGeneration: z.string(),
  status: z.string(),
  connected: z.boolean(),
  lastError: z.string().nullable(),
  startedAt: timestamp,
  lastSeenAt: timestamp,
});
const statusDto = z.object({
  connected: z.boolean(),
  nodes: z.array(nodeDto),
  activeCalls: z.number().int(),
  spool: z.object({ pending: z.number().int(), failed: z.number().int() }),
  sync: z.array(z.object({ status: z.string(), count: z.number().int(), lastAt: timestamp.nullable() })),
  monitoring: z.object({ up: z.number().int(), down: z.number().int() }),
});
const figures = {
  attempts: z.number().int(),
  answered: z.number().int(),
  asrPercent: z.number(),
  acdS: z.number().int(),
  pddMs: z.number().int(),
  minutes: z.number(),
};
const trafficRow = z.object({ id: z.uuid(), name: z.string(), ...figures });
const trafficDto = z.object({
  windowMinutes: z.number().int(),
  /** Mean call attempts per second over the window. */
  cps: z.number(),
  totals: z.object(figures),
  byEgress: z.array(trafficRow),
  byCustomer: z.array(trafficRow),
});

const callDto = z.object({
  switchId: z.string(),
  callId: z.string(),
  state: z.enum(["ringing", "answered"]),
  from: z.string(),
  to: z.string(),
  startedAt: timestamp,
  answeredAt: timestamp.nullable(),
  durationS: z.number().int(),
  ingressInterconnectId: z.string().nullable(),
  serviceId: z.string().nullable(),
  egressInterconnectId: z.string().nullable(),
  attempt: z.number().int().nullable(),
});
const healthDto = z.object({
  interconnectId: z.uuid(),
  state: z.enum(["up", "down"]),
  consecutiveFailures: z.number().int(),
  consecutiveSuccesses: z.number().int(),
  lastPingAt: timestamp.nullable(),
  lastRttMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  changedAt: timestamp,
});

const kamailioAnswer = z.union([
  z.object({ action: z.literal("reject"), sipStatus: z.number().int(), reason: z.string(), q850: z.number().int() }),
  z.object({
    action: z.literal("route"),
    ref: z.string(),
    tenantId: z.string(),
    serviceId: z.string(),
    ingressId: z.string(),
    ingressCapacity: z.number().int(),
    serviceCapacity: z.number().int(),
    routeCount: z.number().int(),
    failover: z.string(),
    maxDurationS: z.number().int(),
    capacityStatus: z.number().int(),
    capacityQ850: z.number().int(),
    routes: z.array(z.object({ uri: z.string(), egressId: z.string(), capacity: z.number().int(), calling: z.string() })),
  }),
]);

const decideBody = z.object({
  switchId: z.string().max(32).optional(),
  sourceIp: z.string().min(1).max(64),
  sourcePort: z.number().int().min(1).max(65535).optional(),
  dialled: z.string().max(200),
  calling: z.string().max(200).default(""),
  callId: z.string().max(300).optional(),
});

/**
 * The decide route's body check: `decideBody` itself, its issues mapped to fields as the
 * error handler maps a route's validation errors (`body` when the whole body is wrong).
 */
export function checkDecideBody(data: unknown): { value: z.output<typeof decideBody> } | { error: Error } {
  const parsed = decideBody.safeParse(data);
  if (parsed.success) return { value: parsed.data };
  const fields: Record<string, string[]> = {};
  for (const i of parsed.error.issues) (fields[i.path.length ? i.path.join(".") : "body"] ??= []).push(i.message);
  return { error: badRequest("The request has invalid fields", fields) };
}

export const switchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, pool } = app.services;
  const decider = new SwitchDecider(pool, app.routingService, app.credit);

  // Kamailio's question on every initial INVITE. Authenticated by the switch's token (sent
  // by the generated configuration), not by a user: the switch serves every tenant.
  app.post(
    "/switch/decide",
    {
      onRequest: [
        async (req) => {
          if (!(await decider.tokenValid((req.query as { token?: string }).token))) throw unauthenticated();
        },
      ],
      schema: {
        ...tags,
        description: "For the softswitch: the route decision for an INVITE as flat JSON (see switch/decide.ts). Needs the token `npm run switch` registered.",
        querystring: z.object({ token: z.string().max(200).optional() }),
        body: decideBody,
        response: { 200: kamailioAnswer },
      },
      // The hottest route (every INVITE): the body is parsed by its schema alone and the flat
      // answer written with JSON.stringify; the response schema documents it (its encode per
      // request cost the switch measurable CPS, ARCHITECTURE, the softswitch).
      validatorCompiler: ({ httpPart }) => (httpPart === "body" ? checkDecideBody : (data: unknown) => ({ value: data })),
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => decider.decide(req.body),
  );
  app.get("/switch/status", { ...read, schema: { ...tags, response: { 200: statusDto } } }, async (req) => {
    const tenantId = tenantOf(req);
    const [status, calls] = await Promise.all([switchStatus(db, { tenantId }), activeCalls(db, { tenantId })]);
    // Node rows are platform-wide: only this tenant's live calls are counted.
    return { ...status, activeCalls: calls.length };
  });
  app.get(
    "/switch/stats",
    {
      ...read,
      schema: {
        ...tags,
        description: "ASR, ACD, PDD and attempts over the last 5 or 60 minutes of CDRs: the tenant's totals, per supplier interconnect and per customer.",
        querystring: z.object({ windowMinutes: z.coerce.number().pipe(z.union([z.literal(5), z.literal(60)])).default(5) }),
        response: { 200: trafficDto },
      },
    },
    async (req) => {
      const params = { tenantId: tenantOf(req), windowMinutes: req.query.windowMinutes };
      const [totals, byEgress, byCustomer] = await Promise.all([trafficTotals(db, params), trafficStats(db, { ...params, by: "egress" }), trafficStats(db, { ...params, by: "customer" })]);
      return { windowMinutes: params.windowMinutes, cps: Math.round((totals.attempts / (params.windowMinutes * 60)) * 100) / 100, totals, byEgress, byCustomer };
    },
  );
  app.get("/switch/calls", { ...read, schema: { ...tags, response: { 200: z.array(callDto) } } }, async (req) => activeCalls(db, { tenantId: tenantOf(req) }));
  app.post("/switch/calls/hangup", { ...change, schema: { ...tags, body: z.object({ switchId: z.string().min(1).max(32), callId: z.string().min(1).max(300) }), response: { 200: ok } } }, async (req) =>
    write(req, (tx, actor) => hangUp(tx, actor, req.body)),
  );
  app.get("/interconnects/:id/health", { ...read, schema: { ...tags, params: uuidParam, response: { 200: healthDto.nullable() } } }, async (req) => {
    const tenantId = tenantOf(req);
    const ic = await db.$client.query("SELECT 1 FROM interconnects WHERE tenant_id = $1 AND id = $2", [tenantId, req.params.id]);
    if (!ic.rowCount) throw notFound("Interconnect");
    const r = await db.$client.query<{ interconnect_id: string; state: "up" | "down"; consecutive_failures: number; consecutive_successes: number; last_ping_at: Date | null; last_rtt_ms: number | null; last_error: string | null; changed_at: Date }>(
      "SELECT * FROM interconnect_health WHERE tenant_id = $1 AND interconnect_id = $2",
      [tenantId, req.params.id],
    );
    const h = r.rows[0];
    return h
      ? { interconnectId: h.interconnect_id, state: h.state, consecutiveFailures: h.consecutive_failures, consecutiveSuccesses: h.consecutive_successes, lastPingAt: h.last_ping_at, lastRttMs: h.last_rtt_ms, lastError: h.last_error, changedAt: h.changed_at }
      : null;
  });
};
