import { sql } from "drizzle-orm";
import { conflict } from "../platform/http/errors.js";
import type { SoftDeletable } from "../recycle-bin/registry.js";

/** A rating plan's rates and deck revisions belong to it: they are purged with it. */
export const ratingPlansSoftDelete: SoftDeletable = {
  entityType: "rating_plan",
  label: "Rating plan",
  table: "rating_plans",
  titleColumn: "name",
  beforeRestore: async (tx, { tenantId, id }) => {
    const r = await tx.execute(sql`
      SELECT 1 FROM rating_plans gone JOIN rating_plans live ON lower(live.name) = lower(gone.name) AND live.tenant_id = gone.tenant_id
      WHERE gone.id = ${id} AND gone.tenant_id = ${tenantId} AND live.deleted_at IS NULL`);
    if (r.rows.length) throw conflict("A live rating plan now has this name; rename one first", { name: ["in use"] });
  },
  beforePurge: async (tx, { tenantId, id }) => {
    await tx.execute(sql`DELETE FROM rates WHERE tenant_id = ${tenantId} AND plan_id = ${id}`);
    await tx.execute(sql`DELETE FROM rate_revision_rows WHERE tenant_id = ${tenantId} AND revision_id IN (SELECT id FROM rate_revisions WHERE tenant_id = ${tenantId} AND plan_id = ${id})`);
    await tx.execute(sql`DELETE FROM rate_revisions WHERE tenant_id = ${tenantId} AND plan_id = ${id}`);
  },
};
