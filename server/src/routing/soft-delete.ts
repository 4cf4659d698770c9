import { sql } from "drizzle-orm";
import { conflict } from "../platform/http/errors.js";
import type { SoftDeletable } from "../recycle-bin/registry.js";

/** A routing plan's entries (and their candidates) belong to it: they are purged with it. */
export const routingPlansSoftDelete: SoftDeletable = {
  entityType: "routing_plan",
  label: "Routing plan",
  table: "routing_plans",
  titleColumn: "name",
  beforeRestore: async (tx, { tenantId, id }) => {
    const r = await tx.execute(sql`
      SELECT 1 FROM routing_plans gone JOIN routing_plans live ON lower(live.name) = lower(gone.name) AND live.tenant_id = gone.tenant_id
      WHERE gone.id = ${id} AND gone.tenant_id = ${tenantId} AND live.deleted_at IS NULL`);
    if (r.rows.length) throw conflict("A live routing plan now has this name; rename one first", { name: ["in use"] });
  },
  beforePurge: async (tx, { tenantId, id }) => {
    await tx.execute(sql`DELETE FROM routing_entries WHERE tenant_id = ${tenantId} AND plan_id = ${id}`);
  },
};
