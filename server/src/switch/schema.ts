import { pgTable, uuid, text, jsonb, timestamp, index, integer, bigserial, boolean } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";

/**
 * One row per hierarchy change that the softswitch must learn about. The switch-sync
 * job consumes them; until a switch adapter exists it records what would be pushed.
 */
export const switchSyncEvents = pgTable(
  "switch_sync_events",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id").notNull(),
    action: text("action").notNull(),
    payload: jsonb("payload"),
    /** pending → recorded (no switch adapter yet) | pushed | failed */
    status: text("status").notNull().default("pending"),
    jobId: uuid("job_id"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("switch_sync_events_tenant_idx").on(t.tenantId, t.createdAt), index("switch_sync_events_entity_idx").on(t.tenantId, t.entityType, t.entityId)],
);

/**
 * A running softswitch (platform-wide: one Kamailio serves every tenant, telling them
 * apart by source address). `npm run switch` registers it with a fresh token, and keeps
 * `last_seen_at` and the live figures it reads over Kamailio's JSON-RPC current.
 */
export const switchNodes = pgTable("switch_nodes", {
  id: text("id").primaryKey(),
  /** sha256 of the token Kamailio sends with each route decision request. */
  tokenHash: text("token_hash").notNull(),
  sipAddress: text("sip_address").notNull(),
  sipPort: integer("sip_port").notNull(),
  rpcUrl: text("rpc_url").notNull(),
  version: text("version"),
  configGeneration: text("config_generation").notNull(),
  /** starting | running | stopped | crashed */
  status: text("status").notNull(),
  activeCalls: integer("active_calls").notNull().default(0),
  lastError: text("last_error"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Call attempts as Kamailio writes them (sqlops, one INSERT per attempt: a failed branch,
 * a capacity rejection, or an answered dialog when it ends). The platform's CDR puller
 * moves them into CDR ingest and deletes them in the same transaction, so an attempt
 * becomes exactly one CDR even across platform restarts.
 */
export const switchCdrSpool = pgTable(
  "switch_cdr_spool",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: uuid("tenant_id").notNull(),
    switchId: text("switch_id").notNull(),
    callId: text("call_id").notNull(),
    attempt: integer("attempt").notNull(),
    decisionRef: text("decision_ref"),
    /** The call's last attempt (no failover follows): its CDR releases the call's credit reservation. */
    final: boolean("final").notNull().default(true),
    ingressInterconnectId: uuid("ingress_interconnect_id"),
    serviceId: uuid("service_id"),
    egressInterconnectId: uuid("egress_interconnect_id"),
    calling: text("calling").notNull(),
    called: text("called").notNull(),
    startAt: timestamp("start_at", { withTimezone: true }).notNull(),
    ringAt: timestamp("ring_at", { withTimezone: true }),
    answerAt: timestamp("answer_at", { withTimezone: true }),
    endAt: timestamp("end_at", { withTimezone: true }).notNull(),
    sipStatus: integer("sip_status").notNull(),
    /** Set when the row cannot become a CDR (kept for inspection, never pulled again). */
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("switch_cdr_spool_tenant_idx").on(t.tenantId)],
);

/** OPTIONS monitoring state of an egress interconnect: routing skips one that is down. */
export const interconnectHealth = pgTable(
  "interconnect_health",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    interconnectId: uuid("interconnect_id").primaryKey(),
    /** up | down */
    state: text("state").notNull().default("up"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    consecutiveSuccesses: integer("consecutive_successes").notNull().default(0),
    lastPingAt: timestamp("last_ping_at", { withTimezone: true }),
    lastRttMs: integer("last_rtt_ms"),
    lastError: text("last_error"),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("interconnect_health_tenant_idx").on(t.tenantId, t.state)],
);
