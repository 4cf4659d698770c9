import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { timestamp, uuidParam, ok } from "../platform/http/schemas.js";
import { notFound } from "../platform/http/errors.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { activeCalls, hangUp, switchStatus } from "./calls.js";

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

export const switchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get("/switch/status", { ...read, schema: { ...tags, response: { 200: statusDto } } }, async (req) => {
    const tenantId = tenantOf(req);
    const [status, calls] = await Promise.all([switchStatus(db, { tenantId }), activeCalls(db, { tenantId })]);
    // Node rows are platform-wide: only this tenant's live calls are counted.
    return { ...status, activeCalls: calls.length };
  });
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
