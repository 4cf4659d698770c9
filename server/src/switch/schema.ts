import { pgTable, uuid, text, jsonb, timestamp, index } from "drizzle-orm/pg-core";
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
