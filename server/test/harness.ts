import crypto from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import type { FastifyInstance } from "fastify";
import { createDb, createPool, type Db } from "../src/platform/db/client.js";
import { JobQueue, type QueueDefinition } from "../src/platform/jobs/boss.js";
import { loadConfig } from "../src/platform/config.js";
import { defineQueues } from "../src/jobs/queues.js";
import { buildApp } from "../src/app.js";
import { DEMO_PASSWORD } from "../src/seed.js";
import { TEMPLATE_EMPTY, TEMPLATE_SEEDED, withDatabase } from "./global-setup.js";

export { DEMO_PASSWORD };

/** A fresh database cloned from a migrated template; dropped by `drop()`. */
export async function createTestDatabase(opts: { seeded?: boolean } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const adminUrl = inject("pgAdminUrl");
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Two clones of one template at the same instant can collide; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${opts.seeded === false ? TEMPLATE_EMPTY : TEMPLATE_SEEDED}`);
        break;
      } catch (err) {
        if (attempt > 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestContext {
  app: FastifyInstance;
  pool: pg.Pool;
  db: Db;
  jobs: JobQueue;
  url: string;
  close(): Promise<void>;
}

/** The real app on a fresh seeded database; `work` starts job workers too. */
export async function createTestApp(
  // `queues` (or a function of the app's pool giving them) replaces or adds queue definitions.
  opts: { work?: boolean; seeded?: boolean; env?: Record<string, string>; queues?: QueueDefinition[] | ((pool: pg.Pool) => QueueDefinition[]) } = {},
): Promise<TestContext> {
  const database = await createTestDatabase({ seeded: opts.seeded });
  const pool = createPool(database.url, 5);
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", BODY_LIMIT_BYTES: "65536", ...opts.env });
  // No cron in tests: a scheduled job (e.g. invoice cycles every 15 minutes) firing mid-test would race it.
  const jobs = new JobQueue(pool, database.url, { supervise: Boolean(opts.work), schedule: false });
  defineQueues(jobs, pool);
  for (const q of typeof opts.queues === "function" ? opts.queues(pool) : (opts.queues ?? [])) jobs.define(q);
  await jobs.start({ work: Boolean(opts.work) });
  const db = createDb(pool);
  const app = await buildApp({ config, pool, db, jobs });
  await app.ready();
  return {
    app,
    pool,
    db,
    jobs,
    url: database.url,
    close: async () => {
      await app.close();
      await jobs.stop();
      await pool.end();
      await database.drop();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  me: { user: { id: string; role: string }; tenant: { id: string; slug: string } };
  /** Sends a request as this user, with the session cookie and (by default) the CSRF token. */
  request(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, body?: unknown, opts?: { csrf?: boolean }): Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function login(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === "didtron_sid");
  if (!setCookie) throw new Error("no session cookie");
  const cookie = `didtron_sid=${setCookie.value}`;
  const me = res.json();
  return {
    cookie,
    csrf: me.csrfToken,
    me,
    request: async (method, url, body, o = {}) => {
      const headers: Record<string, string> = { cookie };
      if (o.csrf !== false) headers["x-csrf-token"] = me.csrfToken;
      const r = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: r.statusCode, json: r.body ? safeJson(r.body) : null };
    },
  };
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Row count of a table, to prove a refused request wrote nothing. */
export async function countRows(pool: pg.Pool, table: string, where = "true"): Promise<number> {
  const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return r.rows[0]!.n;
}
