import { sql } from "drizzle-orm";
import type pg from "pg";
import { inTransaction, type Db, type TxDb } from "../platform/db/client.js";
import { notFound, badRequest } from "../platform/http/errors.js";
import { likePattern, type Page } from "../platform/http/list.js";
import type { JobContext, JobData, JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, systemActor, type Actor } from "../audit/audit.js";
import { usersSoftDelete } from "../identity/soft-delete.js";
import {
  carriersSoftDelete,
  contactsSoftDelete,
  creditAlertsSoftDelete,
  interconnectsSoftDelete,
  servicesSoftDelete,
  trunkGroupsSoftDelete,
} from "../carriers/soft-delete.js";
import { ratingPlansSoftDelete } from "../rating/soft-delete.js";
import { routingPlansSoftDelete } from "../routing/soft-delete.js";
import { supplierInvoicesSoftDelete } from "../reconciliation/invoices.js";
import { taxRatesSoftDelete } from "../billing/settings.js";
import type { SoftDeletable } from "./registry.js";

/** Every soft-deletable entity type, children before parents: the purge goes in this order. */
export const softDeletables: readonly SoftDeletable[] = [
  servicesSoftDelete,
  creditAlertsSoftDelete,
  contactsSoftDelete,
  interconnectsSoftDelete,
  trunkGroupsSoftDelete,
  supplierInvoicesSoftDelete,
  carriersSoftDelete,
  routingPlansSoftDelete,
  ratingPlansSoftDelete,
  taxRatesSoftDelete,
  usersSoftDelete,
];

export interface DeletedItem {
  entityType: string;
  label: string;
  id: string;
  title: string;
  deletedAt: Date;
  purgeAfter: Date;
}

function descriptor(entityType: string): SoftDeletable {
  const d = softDeletables.find((s) => s.entityType === entityType);
  if (!d) throw badRequest(`Unknown entity type ${entityType}`, { entityType: ["unknown"] });
  return d;
}

export async function listDeleted(
  db: Db,
  params: { tenantId: string; query: { page: number; pageSize: number; entityType?: string; q?: string } },
): Promise<Page<DeletedItem>> {
  const { tenantId, query } = params;
  const types = query.entityType ? [descriptor(query.entityType)] : softDeletables;
  const union = sql.join(
    types.map(
      (d) => sql`SELECT ${d.entityType}::text AS "entityType", ${d.label}::text AS label, id, ${sql.identifier(d.titleColumn)}::text AS title, deleted_at
                 FROM ${sql.identifier(d.table)} WHERE tenant_id = ${tenantId} AND deleted_at IS NOT NULL`,
    ),
    sql` UNION ALL `,
  );
  const r = await db.execute<Omit<DeletedItem, "deletedAt" | "purgeAfter"> & { deletedAt: string; purgeAfter: string; total: number }>(sql`
    SELECT d."entityType", d.label, d.id, d.title, d.deleted_at AS "deletedAt",
           d.deleted_at + make_interval(days => t.retention_days) AS "purgeAfter", count(*) OVER ()::int AS total
    FROM (${union}) d CROSS JOIN tenants t
    WHERE t.id = ${tenantId} ${query.q ? sql`AND d.title ILIKE ${likePattern(query.q)}` : sql``}
    ORDER BY d.deleted_at DESC, d.id
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`);
  return {
    rows: r.rows.map(({ total: _t, ...row }) => ({ ...row, deletedAt: new Date(row.deletedAt), purgeAfter: new Date(row.purgeAfter) })),
    total: r.rows[0]?.total ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function restore(tx: TxDb, actor: Actor, params: { entityType: string; id: string }): Promise<void> {
  const d = descriptor(params.entityType);
  await d.beforeRestore?.(tx, { tenantId: actor.tenantId, id: params.id });
  const r = await tx.execute(sql`
    UPDATE ${sql.identifier(d.table)} SET deleted_at = NULL, updated_at = now()
    WHERE tenant_id = ${actor.tenantId} AND id = ${params.id} AND deleted_at IS NOT NULL
    RETURNING id`);
  if (!r.rows.length) throw notFound(`Deleted ${d.label.toLowerCase()}`);
  await d.afterRestore?.(tx, { tenantId: actor.tenantId, id: params.id });
  await recordAudit(tx, actor, { action: `${d.entityType}.restore`, entityType: d.entityType, entityId: params.id, before: { deleted: true }, after: { deleted: false } });
}

export const PURGE_QUEUE = "recycle-bin.purge";

/** Enqueues a purge of this tenant's expired rows now, rather than at the next hourly run. */
export async function requestPurge(tx: TxDb, actor: Actor, jobs: JobQueue): Promise<string> {
  const id = await jobs.enqueue(tx, PURGE_QUEUE, { tenantId: actor.tenantId });
  await recordAudit(tx, actor, { action: "recycle_bin.purge_requested", entityType: "job", entityId: id });
  return id;
}

/**
 * Job: hard-deletes rows soft-deleted longer ago than their tenant's retention period.
 * With a tenant id it purges that tenant; without (the hourly schedule) every tenant.
 * One transaction per tenant and entity type, each with its audit rows.
 */
export async function purgeExpired(pool: pg.Pool, data: JobData, ctx: JobContext): Promise<{ purged: number }> {
  const tenantIds = data.tenantId ? [data.tenantId] : (await pool.query<{ id: string }>("SELECT id FROM tenants ORDER BY id")).rows.map((r) => r.id);
  const steps = tenantIds.length * softDeletables.length;
  let done = 0;
  let purged = 0;
  for (const tenantId of tenantIds) {
    for (const d of softDeletables) {
      purged += await inTransaction(pool, async (tx) => {
        const expired = await tx.execute<{ id: string; title: string }>(sql`
          SELECT x.id, x.${sql.identifier(d.titleColumn)}::text AS title FROM ${sql.identifier(d.table)} x JOIN tenants t ON t.id = x.tenant_id
          WHERE t.id = ${tenantId} AND x.deleted_at IS NOT NULL AND x.deleted_at < now() - make_interval(days => t.retention_days)`);
        let n = 0;
        for (const row of expired.rows) {
          // A row still referenced (e.g. a carrier whose deleted interconnect is not yet
          // expired) stays until its children are purged; a savepoint keeps the rest.
          await tx.execute(sql`SAVEPOINT purge_row`);
          try {
            await d.beforePurge?.(tx, { tenantId, id: row.id });
            await tx.execute(sql`DELETE FROM ${sql.identifier(d.table)} WHERE tenant_id = ${tenantId} AND id = ${row.id}`);
            await tx.execute(sql`RELEASE SAVEPOINT purge_row`);
          } catch (err) {
            await tx.execute(sql`ROLLBACK TO SAVEPOINT purge_row`);
            if ((err as { cause?: { code?: string } }).cause?.code === "23503") continue;
            throw err;
          }
          await recordAudit(tx, systemActor(tenantId, "retention purge"), { action: `${d.entityType}.purge`, entityType: d.entityType, entityId: row.id, before: { title: row.title } });
          n += 1;
        }
        return n;
      });
      done += 1;
      await ctx.progress((done / steps) * 100, `${purged} purged`);
    }
  }
  return { purged };
}
