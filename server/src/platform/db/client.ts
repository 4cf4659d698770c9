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

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema }) as Db;
}

/** Runs `fn` in one SQL transaction on one connection; commits on success, rolls back on throw. */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: TxDb) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const tx = drizzle(client, { schema }) as unknown as TxDb;
    const result = await fn(tx);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
