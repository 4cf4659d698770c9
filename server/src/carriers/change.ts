import type { TxDb } from "../platform/db/client.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { enqueueSwitchSync } from "../switch/sync.js";

/**
 * A change to the hierarchy the switch must know about: its audit row and its
 * switch-sync event + job, written in the caller's transaction.
 */
export async function recordHierarchyChange(
  tx: TxDb,
  actor: Actor,
  jobs: JobQueue,
  change: { entityType: "carrier" | "interconnect" | "service"; entityId: string; action: "create" | "update" | "delete"; before?: object | null; after?: object | null },
): Promise<void> {
  const { entityType, entityId, action, before = null, after = null } = change;
  await recordAudit(tx, actor, { action: `${entityType}.${action}`, entityType, entityId, before: before as Record<string, unknown> | null, after: after as Record<string, unknown> | null });
  await enqueueSwitchSync(tx, jobs, { tenantId: actor.tenantId, entityType, entityId, action, payload: after ?? { id: entityId } });
}
