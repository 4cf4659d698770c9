import { sql } from "drizzle-orm";
import { conflict } from "../platform/http/errors.js";
import type { SoftDeletable } from "../recycle-bin/registry.js";

export const usersSoftDelete: SoftDeletable = {
  entityType: "user",
  label: "User",
  table: "users",
  titleColumn: "email",
  beforeRestore: async (tx, { tenantId, id }) => {
    const r = await tx.execute(sql`
      SELECT 1 FROM users live JOIN users gone ON lower(live.email) = lower(gone.email)
      WHERE gone.id = ${id} AND gone.tenant_id = ${tenantId} AND live.deleted_at IS NULL`);
    if (r.rows.length) throw conflict("Another live user now has this e-mail address; change theirs first", { email: ["in use"] });
  },
};
