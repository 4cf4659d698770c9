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
