import type pg from "pg";
import type { JobQueue } from "../platform/jobs/boss.js";
import { PURGE_QUEUE, purgeExpired } from "../recycle-bin/recycle-bin.js";
import { SWITCH_SYNC_QUEUE, processSwitchSync } from "../switch/sync.js";
import { APPLY_REVISION_QUEUE, applyRevision } from "../rating/import.js";
import { RATE_CDRS_QUEUE, rateCdrsJob } from "../cdrs/rate.js";
import { PARTITIONS_QUEUE, createPartitionsAhead } from "../cdrs/partitions.js";
import { EXPORT_CDRS_QUEUE, exportCdrsJob } from "../cdrs/export.js";
import { EXPIRE_RESERVATIONS_QUEUE, expireReservations } from "../ledger/reservations.js";

import { RECONCILE_QUEUE, reconcileJob } from "../reconciliation/match.js";
import { loadConfig } from "../platform/config.js";
import { mailDeliveryQueue } from "../mail/mail.js";
import { transportFromConfig } from "../mail/transport.js";
import { CREDIT_ALERTS_QUEUE, sweepCreditAlerts } from "../credit/alerts.js";
import { FX_REFRESH_QUEUE, openExchangeRates, refreshFxRates } from "../routing/fx-provider.js";

import { INVOICE_CYCLES_QUEUE, invoiceCyclesJob } from "../billing/job.js";

/** Every queue the platform runs, with its handler and schedule. Files (CDR exports) go under `dataDir`. */
export function defineQueues(jobs: JobQueue, pool: pg.Pool, opts: { dataDir?: string } = {}): void {
  const config = loadConfig();
  const dataDir = opts.dataDir ?? config.DATA_DIR;
  jobs.define({ name: PURGE_QUEUE, cron: "17 * * * *", handler: (data, ctx) => purgeExpired(pool, data, ctx) });
  jobs.define({ name: SWITCH_SYNC_QUEUE, retryLimit: 5, handler: (data, ctx) => processSwitchSync(pool, data, ctx) });
  jobs.define({ name: APPLY_REVISION_QUEUE, retryLimit: 0, handler: (data, ctx) => applyRevision(pool, data, ctx) });
  jobs.define({ name: RATE_CDRS_QUEUE, retryLimit: 5, handler: (data, ctx) => rateCdrsJob(pool, data, ctx) });
  jobs.define({ name: EXPORT_CDRS_QUEUE, retryLimit: 2, handler: (data, ctx) => exportCdrsJob(pool, dataDir, data, ctx) });
  jobs.define({ name: EXPIRE_RESERVATIONS_QUEUE, cron: "* * * * *", handler: (data, ctx) => expireReservations(pool, data, ctx) });

  jobs.define(mailDeliveryQueue(pool, transportFromConfig(config)));
  jobs.define({ name: CREDIT_ALERTS_QUEUE, cron: "*/10 * * * *", handler: (data, ctx) => sweepCreditAlerts(pool, jobs, data, ctx) });
  // Optional and off by default: only with an Open Exchange Rates app id.
  if (config.OXR_APP_ID) {
    const oxr = openExchangeRates({ appId: config.OXR_APP_ID, url: config.OXR_URL });
    jobs.define({ name: FX_REFRESH_QUEUE, cron: "5 * * * *", retryLimit: 2, handler: (data, ctx) => refreshFxRates(pool, oxr, data, ctx) });
  }

  jobs.define({ name: INVOICE_CYCLES_QUEUE, cron: "*/15 * * * *", retryLimit: 1, handler: (data, ctx) => invoiceCyclesJob(pool, data, ctx) });

  jobs.define({ name: RECONCILE_QUEUE, retryLimit: 0, handler: (data, ctx) => reconcileJob(pool, data, ctx) });
  jobs.define({ name: PARTITIONS_QUEUE, cron: "7 3 * * *", handler: (data, ctx) => createPartitionsAhead(pool, data, ctx) });
}
