import { and, eq, sql } from "drizzle-orm";
import type pg from "pg";
import type { Db, TxDb } from "../platform/db/client.js";
import { inTransaction } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import type { JobContext, JobData, JobQueue } from "../platform/jobs/boss.js";
import { switchSyncEvents } from "./schema.js";

export const SWITCH_SYNC_QUEUE = "switch.sync";

/**
 * Records a hierarchy change for the softswitch and enqueues its sync job, in the
 * transaction of the change itself.
 */
export async function enqueueSwitchSync(
  tx: TxDb,
  jobs: JobQueue,
  event: { tenantId: string; entityType: "carrier" | "interconnect" | "service"; entityId: string; action: string; payload: unknown },
): Promise<void> {
  const id = newId();
  const jobId = await jobs.enqueue(tx, SWITCH_SYNC_QUEUE, { tenantId: event.tenantId, syncEventId: id });
  await tx.insert(switchSyncEvents).values({ id, ...event, payload: jsonSafe(event.payload), jobId });
}

const jsonSafe = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

/**
 * Job: no switch adapter is connected yet, so the job records what it would push
 * (the payload stays on the event) and marks the event `recorded`.
 */
export async function processSwitchSync(pool: pg.Pool, data: JobData & { syncEventId?: string }, ctx: JobContext) {
  if (!data.tenantId || !data.syncEventId) throw new Error("switch.sync needs tenantId and syncEventId");
  const { tenantId, syncEventId } = data;
  await inTransaction(pool, async (tx) => {
    await tx
      .update(switchSyncEvents)
      .set({ status: "recorded", processedAt: sql`now()` as unknown as Date })
      .where(and(eq(switchSyncEvents.tenantId, tenantId), eq(switchSyncEvents.id, syncEventId)));
  });
  await ctx.progress(100, "recorded (no switch connected)");
  return { recorded: syncEventId };
}

export async function listSyncEvents(db: Db, params: { tenantId: string; entityType: string; entityId: string }) {
  return db
    .select()
    .from(switchSyncEvents)
    .where(and(eq(switchSyncEvents.tenantId, params.tenantId), eq(switchSyncEvents.entityType, params.entityType), eq(switchSyncEvents.entityId, params.entityId)))
    .orderBy(sql`${switchSyncEvents.createdAt} desc`)
    .limit(20);
}
