import { sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { notFound, conflict } from "../platform/http/errors.js";
import type { Page } from "../platform/http/list.js";
import type { JobQueue } from "../platform/jobs/boss.js";

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export type JobRow = {
  id: string;
  queue: string;
  state: JobState;
  percent: number;
  message: string | null;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  error: string | null;
  data: unknown;
};

/**
 * Jobs visible to a tenant: those whose payload names it. Platform-wide jobs
 * (tenantId null) are shown only when `includePlatform` (super admins).
 */
function visibility(tenantId: string, includePlatform: boolean): SQL {
  return includePlatform
    ? sql`(j.data->>'tenantId' = ${tenantId} OR j.data->>'tenantId' IS NULL)`
    : sql`j.data->>'tenantId' = ${tenantId}`;
}

// pg-boss moves finished jobs to an archive table after a while; the page shows both.
const allJobs = sql.raw(`(
  SELECT id, name, state::text AS state, data, output, retry_count, retry_limit, created_on, started_on, completed_on FROM pgboss.job
  UNION ALL
  SELECT id, name, state::text, data, output, retry_count, retry_limit, created_on, started_on, completed_on FROM pgboss.archive
) j`);

export async function listJobs(
  db: Db,
  params: { tenantId: string; includePlatform: boolean; query: { page: number; pageSize: number; state?: JobState; queue?: string; sort?: string } },
): Promise<Page<JobRow>> {
  const { query } = params;
  const where = sql.join(
    [
      visibility(params.tenantId, params.includePlatform),
      query.state ? sql`j.state = ${query.state}` : sql`true`,
      query.queue ? sql`j.name = ${query.queue}` : sql`true`,
    ],
    sql` AND `,
  );
  const dir = query.sort?.endsWith(":asc") ? sql`ASC` : sql`DESC`;
  const sortCol = query.sort?.startsWith("queue") ? sql`j.name` : query.sort?.startsWith("state") ? sql`j.state` : sql`j.created_on`;
  const rows = await db.execute<JobRow & { total: number }>(sql`
    SELECT j.id, j.name AS queue, j.state, coalesce(p.percent, CASE WHEN j.state = 'completed' THEN 100 ELSE 0 END) AS percent,
           p.message, j.retry_count AS "retryCount", j.retry_limit AS "retryLimit",
           j.created_on AS "createdOn", j.started_on AS "startedOn", j.completed_on AS "completedOn",
           CASE WHEN j.state = 'failed' THEN coalesce(j.output->>'message', j.output::text) END AS error,
           j.data, count(*) OVER ()::int AS total
    FROM ${allJobs}
    LEFT JOIN job_progress p ON p.job_id = j.id
    WHERE ${where}
    ORDER BY ${sortCol} ${dir}, j.id DESC
    LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`);
  const total = rows.rows[0]?.total ?? (await countJobs(db, where));
  return {
    rows: rows.rows.map(({ total: _t, ...r }) => ({
      ...r,
      createdOn: new Date(r.createdOn),
      startedOn: r.startedOn ? new Date(r.startedOn) : null,
      completedOn: r.completedOn ? new Date(r.completedOn) : null,
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function countJobs(db: Db, where: SQL): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${allJobs} WHERE ${where}`);
  return r.rows[0]?.n ?? 0;
}

export async function queueSummary(db: Db, params: { tenantId: string; includePlatform: boolean; queues: string[] }) {
  const r = await db.execute<{ queue: string; state: JobState; n: number }>(sql`
    SELECT j.name AS queue, j.state, count(*)::int AS n FROM ${allJobs}
    WHERE ${visibility(params.tenantId, params.includePlatform)} GROUP BY 1, 2`);
  return params.queues.map((queue) => {
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const row of r.rows) if (row.queue === queue) counts[row.state] = row.n;
    return { queue, counts };
  });
}

async function findJob(db: Db, params: { tenantId: string; includePlatform: boolean; id: string }) {
  const r = await db.execute<{ id: string; name: string; state: JobState }>(sql`
    SELECT j.id, j.name, j.state FROM pgboss.job j WHERE j.id = ${params.id} AND ${visibility(params.tenantId, params.includePlatform)}`);
  const job = r.rows[0];
  if (!job) throw notFound("Job");
  return job;
}

/** Retries a failed job (audited, in one transaction). The job's payload must name the caller's tenant. */
export async function retryJob(tx: TxDb, actor: Actor, jobs: JobQueue, params: { includePlatform: boolean; id: string }) {
  const job = await findJob(tx, { ...params, tenantId: actor.tenantId });
  if (job.state !== "failed") throw conflict(`Only failed jobs can be retried (this one is ${job.state})`);
  await jobs.boss.retry(job.name, job.id, { db: jobs.executorFor(tx) });
  await recordAudit(tx, actor, { action: "job.retry", entityType: "job", entityId: job.id, before: { state: job.state }, after: { state: "retry" } });
}

export async function cancelJob(tx: TxDb, actor: Actor, jobs: JobQueue, params: { includePlatform: boolean; id: string }) {
  const job = await findJob(tx, { ...params, tenantId: actor.tenantId });
  if (!["created", "retry", "active"].includes(job.state)) throw conflict(`Only queued or running jobs can be cancelled (this one is ${job.state})`);
  await jobs.boss.cancel(job.name, job.id, { db: jobs.executorFor(tx) });
  await recordAudit(tx, actor, { action: "job.cancel", entityType: "job", entityId: job.id, before: { state: job.state }, after: { state: "cancelled" } });
}
