import { sql } from "drizzle-orm";
import { conflict } from "../platform/http/errors.js";
import { refuseTakenOnRestore, type SoftDeletable } from "../recycle-bin/registry.js";

/** A routing plan's entries (and their candidates) belong to it: they are purged with it. */
export const routingPlansSoftDelete: SoftDeletable = {
  entityType: "routing_plan",
  label: "Routing plan",
  table: "routing_plans",
  titleColumn: "name",
  beforeRestore: refuseTakenOnRestore({ table: "routing_plans", column: "name", error: () => conflict("A live routing plan now has this name; rename one first", { name: ["in use"] }) }),
  beforePurge: async (tx, { tenantId, id }) => {
    await tx.execute(sql`DELETE FROM routing_entries WHERE tenant_id = ${tenantId} AND plan_id = ${id}`);
  },
};
