import { sql } from "drizzle-orm";
import type { TxDb } from "../platform/db/client.js";

/**
 * An entity type that is soft-deleted: its rows get `deleted_at` instead of a DELETE,
 * leave every list, show in the Recycle Bin, and are purged after the tenant's
 * retention period. Each domain exports its descriptor; `softDeletables` lists them.
 */
export interface SoftDeletable {
  entityType: string;
  label: string;
  /** SQL table name (a code constant, never user input). */
  table: string;
  /** Column holding a row's display title. */
  titleColumn: string;
  /** Checks that restoring would not break a rule (e.g. a name reused meanwhile). */
  beforeRestore?: (tx: TxDb, params: { tenantId: string; id: string }) => Promise<void>;
  /** Deletes rows that are part of this one (e.g. a plan's rates) just before it is purged. */
  beforePurge?: (tx: TxDb, params: { tenantId: string; id: string }) => Promise<void>;
  /** Checks made on the restored row inside the same transaction (throw to undo). */
  afterRestore?: (tx: TxDb, params: { tenantId: string; id: string }) => Promise<void>;
}

/**
 * The usual restore check for a column unique among live rows (case-insensitive): refused
 * while a live row of the same scope (columns equal to the deleted row's; the tenant by
 * default) has the deleted row's value now.
 */
export function refuseTakenOnRestore(p: { table: string; column: string; scope?: readonly string[]; error: () => Error }): NonNullable<SoftDeletable["beforeRestore"]> {
  const t = sql.identifier(p.table);
  const c = sql.identifier(p.column);
  const same = (p.scope ?? ["tenant_id"]).map((s) => sql` AND live.${sql.identifier(s)} = gone.${sql.identifier(s)}`);
  return async (tx, { tenantId, id }) => {
    const r = await tx.execute(sql`
      SELECT 1 FROM ${t} gone JOIN ${t} live ON lower(live.${c}) = lower(gone.${c})${sql.join(same, sql``)} AND live.deleted_at IS NULL
      WHERE gone.tenant_id = ${tenantId} AND gone.id = ${id} LIMIT 1`);
    if (r.rows.length) throw p.error();
  };
}
