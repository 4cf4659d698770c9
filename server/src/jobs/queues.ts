import type pg from "pg";
import type { JobQueue } from "../platform/jobs/boss.js";
import { PURGE_QUEUE, purgeExpired } from "../recycle-bin/recycle-bin.js";
import { SWITCH_SYNC_QUEUE, processSwitchSync } from "../switch/sync.js";
import { APPLY_REVISION_QUEUE, applyRevision } from "../rating/import.js";
import { RATE_CDRS_QUEUE, rateCdrsJob } from "../cdrs/rate.js";
import { PARTITIONS_QUEUE, createPartitionsAhead } from "../cdrs/partitions.js";
import { EXPORT_CDRS_QUEUE, exportCdrsJob } from "../cdrs/export.js";
import { RECONCILE_QUEUE, reconcileJob } from "../reconciliation/match.js";
import { loadConfig } from "../platform/config.js";

/** Every queue the platform runs, with its handler and schedule. Files (CDR exports) go under `dataDir`. */
export function defineQueues(jobs: JobQueue, pool: pg.Pool, opts: { dataDir?: string } = {}): void {
  const dataDir = opts.dataDir ?? loadConfig().DATA_DIR;
  jobs.define({ name: PURGE_QUEUE, cron: "17 * * * *", handler: (data, ctx) => purgeExpired(pool, data, ctx) });
  jobs.define({ name: SWITCH_SYNC_QUEUE, retryLimit: 5, handler: (data, ctx) => processSwitchSync(pool, data, ctx) });
  jobs.define({ name: APPLY_REVISION_QUEUE, retryLimit: 0, handler: (data, ctx) => applyRevision(pool, data, ctx) });
  jobs.define({ name: RATE_CDRS_QUEUE, retryLimit: 5, handler: (data, ctx) => rateCdrsJob(pool, data, ctx) });
  jobs.define({ name: EXPORT_CDRS_QUEUE, retryLimit: 2, handler: (data, ctx) => exportCdrsJob(pool, dataDir, data, ctx) });
  jobs.define({ name: RECONCILE_QUEUE, retryLimit: 0, handler: (data, ctx) => reconcileJob(pool, data, ctx) });
  jobs.define({ name: PARTITIONS_QUEUE, cron: "7 3 * * *", handler: (data, ctx) => createPartitionsAhead(pool, data, ctx) });
}
