import { sql } from "drizzle-orm";
import { conflict } from "../platform/http/errors.js";
import { refuseTakenOnRestore, type SoftDeletable } from "../recycle-bin/registry.js";

/** A rating plan's rates and deck revisions belong to it: they are purged with it. */
export const ratingPlansSoftDelete: SoftDeletable = {
  entityType: "rating_plan",
  label: "Rating plan",
  table: "rating_plans",
  titleColumn: "name",
  beforeRestore: refuseTakenOnRestore({ table: "rating_plans", column: "name", error: () => conflict("A live rating plan now has this name; rename one first", { name: ["in use"] }) }),
  beforePurge: async (tx, { tenantId, id }) => {
    await tx.execute(sql`DELETE FROM rates WHERE tenant_id = ${tenantId} AND plan_id = ${id}`);
    await tx.execute(sql`DELETE FROM rate_revision_rows WHERE tenant_id = ${tenantId} AND revision_id IN (SELECT id FROM rate_revisions WHERE tenant_id = ${tenantId} AND plan_id = ${id})`);
    await tx.execute(sql`DELETE FROM rate_revisions WHERE tenant_id = ${tenantId} AND plan_id = ${id}`);
  },
};
