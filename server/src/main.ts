import { pino } from "pino";
import { loadConfig } from "./platform/config.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./platform/db/embedded.js";
import { createDb, createPool } from "./platform/db/client.js";
import { migrateDatabase } from "./platform/db/migrate.js";
import { JobQueue } from "./platform/jobs/boss.js";
import { defineQueues } from "./jobs/queues.js";
import { buildApp } from "./app.js";
import { DEMO_PASSWORD, DEMO_SUPER_ADMIN, seedDemoIfEmpty } from "./seed.js";
import { startSpoolPuller } from "./switch/cdr-pull.js";
import { seedDemoTraffic } from "./demo-traffic.js";
import { startSwitchMonitor } from "./switch/monitor.js";

const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL });

let embedded: EmbeddedDatabase | null = null;
let url = config.DATABASE_URL;
if (!url) {
  log.info("DATABASE_URL not set: starting embedded PostgreSQL");
  embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, log: (m) => log.warn(m) });
  url = embedded.url;
  log.info({ dataDir: embedded.dataDir }, "embedded PostgreSQL ready");
}
const pool = createPool(url);
await migrateDatabase(pool);
const jobs = new JobQueue(pool, url);
defineQueues(jobs, pool);
await jobs.start({ work: true });
const seeded = config.SEED_DEMO ? await seedDemoIfEmpty(pool, jobs) : false;
const app = await buildApp({ config, pool, db: createDb(pool), jobs }, { logger: { level: config.LOG_LEVEL }, serveWeb: true });
if (seeded && config.SEED_DEMO_TRAFFIC) {
  const traffic = await seedDemoTraffic(pool, jobs, app);
  log.info(traffic, "demo traffic created");
}
await app.listen({ port: config.PORT, host: config.HOST });
// The softswitch's side of the platform: its CDRs are pulled in, its suppliers pinged.
const puller = startSpoolPuller(pool, jobs, { log: (m) => log.warn(m) });
const monitor = await startSwitchMonitor(pool, app.routingService, { log: (m) => log.warn(m) });

const shown = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : config.PORT;
console.log(`
  DIDTron is running:  http://${shown}:${port}
  API docs:            http://${shown}:${port}/api/docs
  Database:            ${embedded ? `embedded PostgreSQL (${embedded.dataDir})` : "DATABASE_URL"}
${config.SEED_DEMO ? `  Demo login:          ${DEMO_SUPER_ADMIN} / ${DEMO_PASSWORD}${seeded ? "  (demo data created)" : ""}\n` : ""}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  await puller.stop().catch(() => {});
  await monitor.stop().catch(() => {});
  await app.close().catch(() => {});
  await jobs.stop().catch(() => {});
  await pool.end().catch(() => {});
  await embedded?.stop().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
