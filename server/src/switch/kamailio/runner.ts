import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import type pg from "pg";
import { renderKamailioConfig, type SwitchSettings } from "./render.js";

/**
 * Runs and supervises Kamailio: renders its configuration, checks it (`kamailio -c`),
 * starts it in the foreground, restarts it with back-off if it dies, and keeps the
 * `switch_nodes` row current (status, version, active calls, last seen) from Kamailio's
 * JSON-RPC. The platform reads that row to say whether the switch is connected.
 */
export interface RunningSwitch {
  id: string;
  generation: string;
  configPath: string;
  rpcUrl: string;
  /** Calls Kamailio's JSON-RPC (over its loopback HTTP listener). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

export function kamailioInstalled(bin = "kamailio"): boolean {
  return spawnSync(bin, ["-v"], { stdio: "ignore" }).status === 0;
}

export const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export async function rpcCall<T>(rpcUrl: string, method: string, params: unknown[] = [], timeoutMs = 2000): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method, params, id: 1 }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function startSwitch(opts: {
  pool: pg.Pool;
  databaseUrl: string;
  settings: SwitchSettings;
  dataDir: string;
  log: (msg: string) => void;
  heartbeatMs?: number;
}): Promise<RunningSwitch> {
  const { pool, settings: s, log } = opts;
  const runDir = path.join(opts.dataDir, "switch", s.SWITCH_ID);
  fs.mkdirSync(runDir, { recursive: true });
  const token = crypto.randomBytes(24).toString("hex");
  const { text, generation } = renderKamailioConfig({ settings: s, token, databaseUrl: opts.databaseUrl, runDir });
  const configPath = path.join(runDir, "kamailio.cfg");
  fs.writeFileSync(configPath, text, { mode: 0o600 });
  const check = spawnSync(s.KAMAILIO_BIN, ["-c", "-f", configPath], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`Kamailio refused its configuration ${configPath}:\n${(check.stderr || check.stdout).slice(-3000)}`);

  const rpcUrl = `http://127.0.0.1:${s.SWITCH_RPC_PORT}/RPC`;
  await pool.query(
    `INSERT INTO switch_nodes (id, token_hash, sip_address, sip_port, rpc_url, config_generation, status, started_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'starting', now(), now())
     ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, sip_address = EXCLUDED.sip_address, sip_port = EXCLUDED.sip_port,
       rpc_url = EXCLUDED.rpc_url, config_generation = EXCLUDED.config_generation, status = 'starting', last_error = NULL,
       started_at = now(), last_seen_at = now()`,
    [s.SWITCH_ID, hashToken(token), s.SWITCH_SIP_ADDRESS, s.SWITCH_SIP_PORT, rpcUrl, generation],
  );
  const setStatus = (status: string, extra: { version?: string; activeCalls?: number; lastError?: string | null } = {}) =>
    pool
      .query(
        `UPDATE switch_nodes SET status = $2, last_seen_at = now(), version = coalesce($3, version), active_calls = coalesce($4, active_calls),
           last_error = CASE WHEN $5::boolean THEN $6 ELSE last_error END WHERE id = $1`,
        [s.SWITCH_ID, status, extra.version ?? null, extra.activeCalls ?? null, extra.lastError !== undefined, extra.lastError ?? null],
      )
      .catch(() => {});

  let child: ChildProcess | null = null;
  let stopping = false;
  let backoffMs = 1000;
  const tail: string[] = [];
  const launch = () => {
    const p = spawn(s.KAMAILIO_BIN, ["-DD", "-E", "-m", String(s.SWITCH_SHM_MB), "-f", configPath, "-P", path.join(runDir, "kamailio.pid"), "-Y", runDir], { stdio: ["ignore", "ignore", "pipe"] });
    child = p;
    p.stderr!.setEncoding("utf8");
    p.stderr!.on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 50) tail.shift();
        if (/ERROR|CRITICAL|ALERT/.test(line)) log(`kamailio: ${line}`);
      }
    });
    p.on("exit", (code, signal) => {
      if (child === p) child = null;
      if (stopping) return;
      const why = `Kamailio exited (${signal ?? code}); restarting in ${backoffMs / 1000} s`;
      log(why);
      void setStatus("crashed", { lastError: `${why}\n${tail.slice(-10).join("\n")}` });
      setTimeout(() => {
        if (!stopping) launch();
      }, backoffMs);
      backoffMs = Math.min(30_000, backoffMs * 2);
    });
  };
  launch();

  const rpc = <T>(method: string, params: unknown[] = []) => rpcCall<T>(rpcUrl, method, params);
  // Ready when the RPC listener answers.
  const until = Date.now() + 15_000;
  let version = "";
  for (;;) {
    try {
      version = await rpc<string>("core.version");
      break;
    } catch {
      if (Date.now() > until) {
        stopping = true;
        (child as ChildProcess | null)?.kill("SIGKILL");
        throw new Error(`Kamailio did not come up:\n${tail.slice(-20).join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await setStatus("running", { version, lastError: null });
  log(`Kamailio ${version} running: SIP on udp:${s.SWITCH_SIP_ADDRESS}:${s.SWITCH_SIP_PORT}, config ${configPath} (generation ${generation})`);

  const heartbeat = setInterval(async () => {
    try {
      const stats = await rpc<{ all: number }>("dlg.stats_active");
      backoffMs = 1000;
      await setStatus("running", { activeCalls: Number(stats?.all ?? 0) });
    } catch (err) {
      await setStatus(child ? "starting" : "crashed", { lastError: (err as Error).message });
    }
  }, opts.heartbeatMs ?? 2000);

  return {
    id: s.SWITCH_ID,
    generation,
    configPath,
    rpcUrl,
    rpc,
    stop: async () => {
      stopping = true;
      clearInterval(heartbeat);
      const c = child as ChildProcess | null;
      if (c && c.exitCode === null) {
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (c.exitCode === null) c.kill("SIGKILL");
      }
      await setStatus("stopped");
    },
  };
}
