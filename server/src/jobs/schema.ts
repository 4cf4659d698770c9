import { pgTable, uuid, text, integer, timestamp, index } from "drizzle-orm/pg-core";

/** Progress of a pg-boss job, keyed by its id; pg-boss itself has no progress field. */
export const jobProgress = pgTable(
  "job_progress",
  {
    jobId: uuid("job_id").primaryKey(),
    /** Null for platform-wide jobs (visible to super admins only). */
    tenantId: uuid("tenant_id"),
    queue: text("queue").notNull(),
    percent: integer("percent").notNull().default(0),
    message: text("message"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("job_progress_tenant_idx").on(t.tenantId, t.updatedAt)],
);
