import pg from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** A database handle: the pool, or one connection inside a transaction. */
export type Db = NodePgDatabase<Schema> & { $client: pg.Pool | pg.PoolClient };
/**
 * A handle that is inside a transaction. Every write operation takes a `TxDb`, so a
 * write (and its audit row and enqueued jobs) cannot happen outside a transaction.
 */
export type TxDb = Db & { readonly __inTransaction: true; $client: pg.PoolClient };

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: "didtron" });
  // An idle client losing its connection must not crash the process.
  pool.on("error", () => {});
  return pool;
}

// Building a drizzle handle walks the whole schema (its relations config): ~1 ms of CPU,
// which a transaction per routed call (its credit reservation) paid every time. A handle
// holds nothing but its connection, so one per pool and one per pooled connection serve.
const poolHandles = new WeakMap<pg.Pool, Db>();
const clientHandles = new WeakMap<pg.PoolClient, TxDb>();

export function createDb(pool: pg.Pool): Db {
  let db = poolHandles.get(pool);
  if (!db) poolHandles.set(pool, (db = drizzle(pool, { schema }) as Db));
  return db;
}

/** The handle of one pooled connection (cached, see above), for a transaction run by hand. */
export function txHandle(client: pg.PoolClient): TxDb {
  let tx = clientHandles.get(client);
  if (!tx) clientHandles.set(client, (tx = drizzle(client, { schema }) as unknown as TxDb));
  return tx;
}

/** Runs `fn` in one SQL transaction on one connection; commits on success, rolls back on throw. */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: TxDb) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(txHandle(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
