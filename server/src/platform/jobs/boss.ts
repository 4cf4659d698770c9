import PgBossDefault from "pg-boss";
import type pg from "pg";
import type { TxDb } from "../db/client.js";

export const PgBoss = PgBossDefault;
export type PgBossInstance = InstanceType<typeof PgBossDefault>;

/** Every job payload names its tenant (null only for platform-wide jobs). */
export interface JobData {
  tenantId: string | null;
  [key: string]: unknown;
}

export interface JobContext {
  jobId: string;
  /** Records percent done (0–100) and a short message, shown on the Jobs page. */
  progress(percent: number, message?: string): Promise<void>;
}

export type JobHandler<D extends JobData = JobData> = (data: D, ctx: JobContext) => Promise<unknown>;

export interface QueueDefinition<D extends JobData = JobData> {
  name: string;
  handler: JobHandler<D>;
  /** Cron expression for scheduled queues (UTC). */
  cron?: string;
  retryLimit?: number;
  /** Seconds before a retry (default 5); with `retryBackoff` it doubles each time. */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
}

/**
 * The job queue: pg-boss on the application's own database. `enqueue` takes the
 * transaction of the write that causes the job, so the job exists iff the write commits.
 */
export class JobQueue {
  readonly boss: PgBossInstance;
  private readonly definitions = new Map<string, QueueDefinition>();
  private started = false;

  private readonly scheduling: boolean;

  constructor(
    private readonly pool: pg.Pool,
    connectionString: string,
    // `schedule: false` runs no cron queue (tests call those handlers themselves, at a fixed "now").
    opts: { supervise?: boolean; schedule?: boolean } = {},
  ) {
    this.scheduling = opts.schedule ?? opts.supervise ?? true;
    this.boss = new PgBoss({
      connectionString,
      max: 4,
      migrate: false, // migrateDatabase() installs the schema before start
      supervise: opts.supervise ?? true,
      schedule: this.scheduling,
      monitorStateIntervalSeconds: 30,
    });
    this.boss.on("error", () => {});
  }

  define<D extends JobData>(def: QueueDefinition<D>): void {
    this.definitions.set(def.name, def as unknown as QueueDefinition);
  }

  get isStarted(): boolean {
    return this.started;
  }

  get queueNames(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /** Creates queues; with `work`, also starts workers and schedules. */
  async start(opts: { work: boolean }): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const def of this.definitions.values()) {
      const options = { name: def.name, retryLimit: def.retryLimit ?? 2, retryDelay: def.retryDelaySeconds ?? 5, retryBackoff: def.retryBackoff ?? false };
      await this.boss.createQueue(def.name, options);
      // createQueue leaves an existing queue as it was; the definition in code is what applies.
      await this.boss.updateQueue(def.name, options);
      if (!opts.work) continue;
      await this.boss.work<JobData>(def.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) {
          const ctx: JobContext = { jobId: job.id, progress: (p, m) => this.setProgress(job.id, job.data, def.name, p, m) };
          const output = await def.handler(job.data, ctx);
          await this.setProgress(job.id, job.data, def.name, 100, "done");
          return output;
        }
      });
      if (def.cron && this.scheduling) await this.boss.schedule(def.name, def.cron, { tenantId: null });
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }

  /** Enqueues a job inside the caller's transaction. */
  async enqueue<D extends JobData>(tx: TxDb, name: string, data: D, opts: { singletonKey?: string } = {}): Promise<string> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job queue ${name}`);
    const client = tx.$client;
    const id = await this.boss.send(name, data, { singletonKey: opts.singletonKey, db: this.executorFor(tx) });
    if (!id) throw new Error(`Job ${name} was not created`);
    await client.query(
      `INSERT INTO job_progress (job_id, tenant_id, queue, percent, message, updated_at)
       VALUES ($1, $2, $3, 0, 'queued', now())`,
      [id, data.tenantId, name],
    );
    return id;
  }

  /** pg-boss runs its SQL through this, so its writes join the caller's transaction. */
  executorFor(tx: TxDb) {
    const client = tx.$client;
    return { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
  }

  private async setProgress(jobId: string, data: JobData, queue: string, percent: number, message?: string) {
    const clamped = Math.max(0, Math.min(100, Math.round(percent)));
    await this.pool.query(
      `INSERT INTO job_progress (job_id, tenant_id, queue, percent, message, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (job_id) DO UPDATE SET percent = EXCLUDED.percent, message = EXCLUDED.message, updated_at = now()`,
      [jobId, data.tenantId ?? null, queue, clamped, message ?? null],
    );
  }
}
