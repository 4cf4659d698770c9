import type pg from "pg";
import type { JobContext, JobData } from "../platform/jobs/boss.js";

/**
 * Monthly partitions of `cdrs` (UTC months of `start_at`). Created ahead by the daily
 * `cdrs.partitions` job, and on demand by ingest for a month not created yet (an old
 * CDR arriving late). Creating a partition locks the parent table, so it runs in its
 * own short transaction, never inside an ingest transaction.
 */
export const PARTITIONS_QUEUE = "cdrs.partitions";
const MONTHS_AHEAD = 3;
/** Partitions known to exist, per database (a pool is one database). */
const knownByPool = new WeakMap<pg.Pool, Set<string>>();

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
export const partitionName = (ms: number) => {
  const d = new Date(monthStart(ms));
  return `cdrs_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};

/**
 * Makes sure a partition exists for the month of each instant. With a pool it commits
 * on its own; with a transaction's client it joins that transaction (ingest: a partition
 * created for a late CDR commits or rolls back with the CDRs, and a missing partition
 * cannot deadlock against locks the ingest already holds on `cdrs`).
 */
export async function ensurePartitions(db: pg.Pool | pg.PoolClient, instantsMs: Iterable<number>, pool: pg.Pool = db as pg.Pool): Promise<string[]> {
  let known = knownByPool.get(pool);
  if (!known) knownByPool.set(pool, (known = new Set()));
  const wanted = new Map<string, number>();
  for (const ms of instantsMs) {
    const name = partitionName(ms);
    if (!known.has(name)) wanted.set(name, monthStart(ms));
  }
  if (!wanted.size) return [];
  const own = "connect" in db && !("release" in db);
  const client = own ? await (db as pg.Pool).connect() : (db as pg.PoolClient);
  const created: string[] = [];
  try {
    if (own) await client.query("BEGIN");
    // Serializes creators: CREATE TABLE IF NOT EXISTS alone can still race on the catalog.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('cdrs_partitions'))");
    for (const [name, start] of wanted) {
      const exists = await client.query("SELECT 1 FROM pg_class WHERE relname = $1 AND relkind = 'r'", [name]);
      if (exists.rowCount) {
        known.add(name);
        continue;
      }
      await client.query(
        `CREATE TABLE ${name} PARTITION OF cdrs FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(nextMonth(start)).toISOString()}')`,
      );
      // Room on each page for the rating update to stay a heap-only update.
      await client.query(`ALTER TABLE ${name} SET (fillfactor = 80)`);
      created.push(name);
    }
    if (own) {
      await client.query("COMMIT");
      for (const name of created) known.add(name);
    }
    // Inside a caller's transaction: known only once seen committed (the next check finds it).
    return created;
  } catch (err) {
    if (own) await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    if (own) client.release();
  }
}

/** Job: last month, this month and the next three exist. */
export async function createPartitionsAhead(pool: pg.Pool, _data: JobData, ctx: JobContext, now = Date.now()) {
  const months: number[] = [];
  let m = monthStart(monthStart(now) - 1);
  for (let i = 0; i < MONTHS_AHEAD + 2; i++, m = nextMonth(m)) months.push(m);
  const created = await ensurePartitions(pool, months);
  await ctx.progress(100, created.length ? `created ${created.join(", ")}` : "all partitions exist");
  return { created };
}
