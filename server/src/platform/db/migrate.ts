import path from "node:path";
import type pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { PgBoss } from "../jobs/boss.js";
import { repoRoot } from "../config.js";

export const migrationsFolder = path.join(repoRoot, "server", "drizzle");

/** Applies checked-in drizzle-kit migrations, then installs/upgrades the pg-boss schema. */
export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  await migrate(drizzle(pool), { migrationsFolder });
  const client = await pool.connect();
  try {
    const { rowCount } = await client.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = 'pgboss' AND table_name = 'version'",
    );
    if (!rowCount) await client.query(PgBoss.getConstructionPlans("pgboss"));
  } finally {
    client.release();
  }
}
