import { pgTable, uuid, text, jsonb, timestamp, index, pgEnum } from "drizzle-orm/pg-core";

export const actorTypeEnum = pgEnum("actor_type", ["user", "api_key", "system"]);

/** Append-only record of every write: who changed what, before and after. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull(),
    actorType: actorTypeEnum("actor_type").notNull(),
    /** No foreign key: the event outlives a purged user or key; the label keeps who it was. */
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    /** Only the fields that changed: { field: [before, after] }. */
    changes: jsonb("changes"),
    requestId: text("request_id"),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_tenant_time_idx").on(t.tenantId, t.createdAt),
    index("audit_events_entity_idx").on(t.tenantId, t.entityType, t.entityId),
  ],
);
