import { sql } from "drizzle-orm";
import { conflict } from "../platform/http/errors.js";
import { refuseTakenOnRestore, type SoftDeletable } from "../recycle-bin/registry.js";
import { assertNoAmbiguity } from "./services.js";

/** Restoring a child needs its parent alive: a restored interconnect under a deleted carrier would be an orphan. */
const parentAlive = (table: string, column: string, parentTable: string, what: string): SoftDeletable["beforeRestore"] => async (tx, { tenantId, id }) => {
  const r = await tx.execute(sql`
    SELECT 1 FROM ${sql.identifier(table)} c JOIN ${sql.identifier(parentTable)} p ON p.id = c.${sql.identifier(column)}
    WHERE c.id = ${id} AND c.tenant_id = ${tenantId} AND p.deleted_at IS NOT NULL`);
  if (r.rows.length) throw conflict(`Its ${what} is deleted; restore the ${what} first`);
};

export const carriersSoftDelete: SoftDeletable = {
  entityType: "carrier",
  label: "Carrier",
  table: "carriers",
  titleColumn: "name",
  beforeRestore: refuseTakenOnRestore({ table: "carriers", column: "name", error: () => conflict("A live carrier now has this name; rename one first", { name: ["in use"] }) }),
};
export const interconnectsSoftDelete: SoftDeletable = {
  entityType: "interconnect",
  label: "Interconnect",
  table: "interconnects",
  titleColumn: "name",
  beforeRestore: parentAlive("interconnects", "carrier_id", "carriers", "carrier"),
};
export const servicesSoftDelete: SoftDeletable = {
  entityType: "service",
  label: "Service",
  table: "services",
  titleColumn: "name",
  beforeRestore: parentAlive("services", "interconnect_id", "interconnects", "interconnect"),
  afterRestore: (tx, { tenantId, id }) => assertNoAmbiguity(tx, tenantId, id),
};
export const contactsSoftDelete: SoftDeletable = {
  entityType: "contact",
  label: "Contact",
  table: "carrier_contacts",
  titleColumn: "name",
  beforeRestore: parentAlive("carrier_contacts", "carrier_id", "carriers", "carrier"),
};
export const creditAlertsSoftDelete: SoftDeletable = {
  entityType: "credit_alert",
  label: "Credit alert",
  table: "credit_alerts",
  titleColumn: "type",
  beforeRestore: parentAlive("credit_alerts", "carrier_id", "carriers", "carrier"),
};
export const trunkGroupsSoftDelete: SoftDeletable = {
  entityType: "trunk_group",
  label: "Trunk group",
  table: "trunk_groups",
  titleColumn: "name",
};
