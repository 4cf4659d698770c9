import crypto from "node:crypto";
import dgram from "node:dgram";
import type pg from "pg";
import type { RoutingService } from "../routing/service.js";
import { inTransaction } from "../platform/db/client.js";
import { recordAudit, systemActor } from "../audit/audit.js";
import { notify } from "../notifications/notifications.js";
import { nextHealth, type HealthState } from "./health.js";

/**
 * SIP OPTIONS monitoring of egress interconnects (those whose Monitoring tab enables it),
 * run by the platform: one UDP socket pings each interconnect's first signalling address
 * on its interval; any SIP response below 500 counts as alive, silence for `timeoutMs` or
 * a 5xx as a failure. State changes go through `nextHealth`; a transition is stored in
 * `interconnect_health` (routing skips a down interconnect), audited and notified.
 */
export interface MonitorTarget {
  tenantId: string;
  interconnectId: string;
  name: string;
  address: string;
  port: number;
  intervalS: number;
  autoDisableAfterFailures: number;
  reEnableAfterSuccesses: number;
}

export class OptionsPinger {
  private socket = dgram.createSocket("udp4");
  private waiting = new Map<string, (status: number) => void>();
  private ready: Promise<void>;

  constructor(bindAddress = "127.0.0.1") {
    this.socket.on("message", (msg) => {
      const text = msg.toString("latin1");
      const status = /^SIP\/2\.0 (\d{3})/.exec(text);
      const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(text);
      if (!status || !callId) return;
      this.waiting.get(callId[1]!)?.(Number(status[1]));
    });
    this.socket.on("error", () => {});
    this.ready = new Promise((r) => this.socket.bind(0, bindAddress, () => r()));
  }

  /** The SIP status of the answer, or null on silence. */
  async ping(address: string, port: number, timeoutMs = 2000): Promise<number | null> {
    await this.ready;
    const local = this.socket.address();
    const callId = `${crypto.randomBytes(8).toString("hex")}@didtron-monitor`;
    const msg = [
      `OPTIONS sip:${address}:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${crypto.randomBytes(6).toString("hex")};rport`,
      "Max-Forwards: 70",
      `From: <sip:monitor@${local.address}>;tag=${crypto.randomBytes(4).toString("hex")}`,
      `To: <sip:${address}:${port}>`,
      `Call-ID: ${callId}`,
      "CSeq: 1 OPTIONS",
      `Contact: <sip:monitor@${local.address}:${local.port}>`,
      "User-Agent: DIDTron monitor",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(callId);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(callId, (status) => {
        if (status < 200) return; // provisional: keep waiting for the final answer
        clearTimeout(timer);
        this.waiting.delete(callId);
        resolve(status);
      });
      this.socket.send(msg, port, address, (err) => {
        if (err) {
          clearTimeout(timer);
          this.waiting.delete(callId);
          resolve(null);
        }
      });
    });
  }

  close() {
    this.socket.close();
  }
}

/** Egress interconnects to monitor, across tenants. */
export async function loadTargets(pool: pg.Pool): Promise<MonitorTarget[]> {
  const { rows } = await pool.query<{ tenant_id: string; id: string; name: string; egress_routing: { sendTo?: { address: string; port?: number }[] } | null; monitoring: Record<string, unknown> | null }>(
    `SELECT tenant_id, id, name, egress_routing, monitoring FROM interconnects
     WHERE direction = 'egress' AND deleted_at IS NULL AND status = 'active' AND coalesce((monitoring->>'optionsPing')::boolean, false)`,
  );
  return rows.flatMap((r) => {
    const to = r.egress_routing?.sendTo?.[0];
    if (!to) return [];
    const m = r.monitoring ?? {};
    return [
      {
        tenantId: r.tenant_id,
        interconnectId: r.id,
        name: r.name,
        address: to.address,
        port: to.port ?? 5060,
        intervalS: Number(m.optionsIntervalS ?? 30),
        autoDisableAfterFailures: Number(m.autoDisableAfterFailures ?? 3),
        reEnableAfterSuccesses: Number(m.reEnableAfterSuccesses ?? 2),
      },
    ];
  });
}

/** Records one ping's outcome; returns the transition, if any. */
export async function recordPing(pool: pg.Pool, target: MonitorTarget, status: number | null, rttMs: number): Promise<"up" | "down" | null> {
  const ok = status !== null && status < 500;
  return inTransaction(pool, async (tx) => {
    const c = tx.$client;
    await c.query("INSERT INTO interconnect_health (tenant_id, interconnect_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [target.tenantId, target.interconnectId]);
    const cur = await c.query<{ state: "up" | "down"; consecutive_failures: number; consecutive_successes: number }>(
      "SELECT state, consecutive_failures, consecutive_successes FROM interconnect_health WHERE tenant_id = $1 AND interconnect_id = $2 FOR UPDATE",
      [target.tenantId, target.interconnectId],
    );
    const prev: HealthState = { state: cur.rows[0]!.state, consecutiveFailures: cur.rows[0]!.consecutive_failures, consecutiveSuccesses: cur.rows[0]!.consecutive_successes };
    const next = nextHealth(prev, ok, target);
    await c.query(
      `UPDATE interconnect_health SET state = $3, consecutive_failures = $4, consecutive_successes = $5, last_ping_at = now(),
         last_rtt_ms = $6, last_error = $7, changed_at = CASE WHEN $8::boolean THEN now() ELSE changed_at END
       WHERE tenant_id = $1 AND interconnect_id = $2`,
      [target.tenantId, target.interconnectId, next.state, next.consecutiveFailures, next.consecutiveSuccesses, ok ? rttMs : null, ok ? null : status === null ? "no answer to OPTIONS" : `answered ${status}`, next.transition !== null],
    );
    if (next.transition) {
      const actor = systemActor(target.tenantId, "switch monitor");
      await recordAudit(tx, actor, { action: `interconnect.monitor_${next.transition}`, entityType: "interconnect", entityId: target.interconnectId, before: { state: prev.state }, after: { state: next.state } });
      await notify(tx, {
        tenantId: target.tenantId,
        severity: next.transition === "down" ? "error" : "info",
        title: next.transition === "down" ? `${target.name} is down` : `${target.name} is back up`,
        body:
          next.transition === "down"
            ? `No answer to SIP OPTIONS ${next.consecutiveFailures} times in a row at ${target.address}:${target.port}; routing skips it until it answers again.`
            : `It answered SIP OPTIONS ${next.consecutiveSuccesses} times in a row; routing uses it again.`,
        link: `/carriers/interconnects/${target.interconnectId}`,
      });
    }
    return next.transition;
  });
}

/** The monitoring loop: each target pinged on its own interval. `onTransition` lets routing refresh at once. */
export function startMonitor(
  pool: pg.Pool,
  opts: { tickMs?: number; timeoutMs?: number; bindAddress?: string; onTransition?: (t: MonitorTarget, to: "up" | "down") => void; log?: (m: string) => void } = {},
): { stop(): Promise<void>; pinger: OptionsPinger } {
  const pinger = new OptionsPinger(opts.bindAddress);
  const due = new Map<string, number>();
  let targets: MonitorTarget[] = [];
  let loadedAt = 0;
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();
  const tick = async () => {
    if (stopped) return;
    try {
      if (Date.now() - loadedAt > 5000) {
        targets = await loadTargets(pool);
        loadedAt = Date.now();
      }
      const now = Date.now();
      for (const t of targets) {
        if ((due.get(t.interconnectId) ?? 0) > now) continue;
        due.set(t.interconnectId, now + t.intervalS * 1000);
        const p = (async () => {
          const started = Date.now();
          const status = await pinger.ping(t.address, t.port, opts.timeoutMs);
          if (stopped) return;
          const transition = await recordPing(pool, t, status, Date.now() - started);
          if (transition) opts.onTransition?.(t, transition);
        })()
          .catch((err: Error) => opts.log?.(`monitor ${t.name}: ${err.message}`))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    } catch (err) {
      opts.log?.(`monitor: ${(err as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), opts.tickMs ?? 1000);
  };
  let timer = setTimeout(() => void tick(), 0);
  return {
    pinger,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(inFlight);
      pinger.close();
    },
  };
}

/**
 * The monitor wired to routing: interconnects already down are skipped from the start, and
 * each transition updates the routing service's live `down` set at once.
 */
export async function startSwitchMonitor(pool: pg.Pool, routing: Pick<RoutingService, "setDown">, opts: { log?: (m: string) => void } = {}) {
  const r = await pool.query<{ interconnect_id: string }>("SELECT interconnect_id FROM interconnect_health WHERE state = 'down'");
  for (const row of r.rows) routing.setDown(row.interconnect_id, true);
  return startMonitor(pool, {
    log: opts.log,
    onTransition: (t, to) => routing.setDown(t.interconnectId, to === "down"),
  });
}
