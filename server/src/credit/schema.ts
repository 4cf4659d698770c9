import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";
import { creditAlerts } from "../carriers/schema.js";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Where each credit alert stands: `armed` (will fire when its threshold is crossed) or
 * `fired` (fired once; re-arms only when the value crosses back past the reset
 * threshold). Kept in the database so a restart, or a second server, never fires twice.
 */
export const creditAlertStates = pgTable(
  "credit_alert_states",
  {
    alertId: uuid("alert_id")
      .primaryKey()
      .references(() => creditAlerts.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    state: text("state").$type<"armed" | "fired">().notNull().default("armed"),
    /** The balance or 24-hour spend (micro-units of the alert's currency) at the last transition. */
    valueMicros: bigint("value_micros", { mode: "bigint" }),
    firedAt: ts("fired_at"),
    rearmedAt: ts("rearmed_at"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("credit_alert_states_tenant_idx").on(t.tenantId)],
);
