/**
 * A rating worker in its own process, for the crash test: rates a tenant's pending CDRs
 * batch by batch and, before each COMMIT, says so on stdout and waits `HOLD_MS`, so the
 * test can SIGKILL it with a batch rated, posted and not yet committed.
 * Usage: node --import tsx rate-worker.ts <databaseUrl> <tenantId>
 */
import type pg from "pg";
import { createPool } from "../../src/platform/db/client.js";
import { rateBatch } from "../../src/cdrs/rate.js";

const [url, tenantId] = process.argv.slice(2) as [string, string];
const hold = Number(process.env.HOLD_MS ?? 0);
const pool = createPool(url, 2);
const connect = pool.connect.bind(pool) as (cb?: unknown) => Promise<pg.PoolClient>;
// Transactions (promise-style connect) get the held COMMIT; pool.query's callback-style connect is left alone.
(pool as unknown as { connect: (cb?: unknown) => unknown }).connect = (cb?: unknown) => (cb ? connect(cb) : held());
const held = async () => {
  const client = await connect();
  const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
  (client as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    if (args[0] === "COMMIT") {
      process.stdout.write("committing\n");
      await new Promise((r) => setTimeout(r, hold));
    }
    return query(...args);
  };
  return client;
};
for (;;) {
  const r = await rateBatch(pool, { tenantId, limit: 500 });
  process.stdout.write(`rated ${r.taken}\n`);
  if (!r.taken) break;
}
await pool.end();
