import { pgTable, uuid, text, timestamp, index } from "drizzle-orm/pg-core";

/** In-app notifications; `userId` null means every staff user of the tenant. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull(),
    userId: uuid("user_id"),
    severity: text("severity").notNull().default("info"),
    title: text("title").notNull(),
    body: text("body"),
    link: text("link"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_tenant_idx").on(t.tenantId, t.createdAt)],
);
