import crypto from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Db } from "../platform/db/client.js";
import { allowAllCreditGate, type CreditGate } from "../credit/gate.js";
import { compileSnapshot, decide, seededRng, type LiveState, type QualityStats, type Snapshot } from "./engine/index.js";
import { loadSnapshotData } from "./load.js";
import { toDecisionDto } from "./explain.js";
import { routeQuality } from "../cdrs/stats.js";
import type { DecideInput, DecisionDto } from "./model.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Route decisions from in-memory snapshots (the Route Simulator and the switch ask it). */
    routingService: RoutingService;
  }
}

/** The channel the migration's triggers notify (payload: the tenant id) on every change a decision reads. */
export const ROUTING_CHANGE_CHANNEL = "routing_change";
const RETRY_MS = 2_000;

interface TenantState {
  tenantId: string;
  snapshot: Snapshot | null;
  builtAt: Date | null;
  generation: number;
  buildMillis: number | null;
  lastError: string | null;
  /** A change arrived since the running (or last) build started. */
  dirty: boolean;
  building: Promise<void> | null;
}

/** The live counters as the service keeps them; decisions read them through `LiveState`. */
interface MutableLive {
  down: Set<string>;
  channels: Map<string, number>;
  cps: Map<string, number>;
  quality: Map<string, ReadonlyMap<string, QualityStats>>;
}

/** The request's what-if state layered over the live counters. */
function overlay(base: LiveState, sim: NonNullable<DecideInput["simulate"]>): LiveState {
  const quality = new Map<string, Map<string, QualityStats>>();
  for (const [id, byPrefix] of base.quality) quality.set(id, new Map(byPrefix));
  for (const q of sim.quality) {
    const { interconnectId, prefix, ...stats } = q;
    const m = quality.get(interconnectId) ?? new Map<string, QualityStats>();
    m.set(prefix, stats);
    quality.set(interconnectId, m);
  }
  return {
    down: new Set([...base.down, ...sim.down]),
    channels: new Map([...base.channels, ...Object.entries(sim.channels)]),
    cps: new Map([...base.cps, ...Object.entries(sim.cps)]),
    quality,
  };
}

/**
 * Keeps each tenant's compiled snapshot (hierarchy, routing plans, FX rates, compiled
 * rating plans) in memory and answers decisions from it. A snapshot is built on the
 * tenant's first decision; after that every committed change the tenant's data gets
 * (PostgreSQL NOTIFY from the migration's triggers) rebuilds it in the background while
 * decisions keep reading the previous one, which is replaced in one assignment.
 *
 * The credit gate and the live counters (channels, CPS, monitoring, quality) are
 * injected: the ledger's credit control and the switch feed them; until then the
 * allow-all gate and empty counters apply, and decisions say so.
 */
/** The CDR window route quality is computed over. */
export const QUALITY_WINDOW_MIN = 60;

export class RoutingService {
  private readonly tenants = new Map<string, TenantState>();
  private readonly changeListeners = new Set<(tenantId: string) => void>();
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private closed = false;
  private qualityTimer: NodeJS.Timeout | null = null;
  /** Interconnects whose quality each tenant's last refresh set (cleared on the next one). */
  private readonly qualityOwned = new Map<string, Set<string>>();
  creditGate: CreditGate;
  /** What decisions read; only the methods below change it. */
  readonly live: LiveState;
  private readonly counters: MutableLive;
  private cpsSecond = 0;

  constructor(
    private readonly deps: { pool: pg.Pool; db: Db },
    opts: { creditGate?: CreditGate } = {},
  ) {
    this.creditGate = opts.creditGate ?? allowAllCreditGate;
    this.counters = { down: new Set(), channels: new Map(), cps: new Map(), quality: new Map() };
    this.live = this.counters;
  }

  private state(tenantId: string): TenantState {
    let st = this.tenants.get(tenantId);
    if (!st) {
      st = { tenantId, snapshot: null, builtAt: null, generation: 0, buildMillis: null, lastError: null, dirty: false, building: null };
      this.tenants.set(tenantId, st);
    }
    return st;
  }

  /** The tenant's current snapshot, built (awaited) on first use only. */
  async snapshot(tenantId: string): Promise<{ snapshot: Snapshot; generation: number; builtAt: Date }> {
    const st = this.state(tenantId);
    if (!st.snapshot) {
      // Listen first: a change committed while the first build reads must not be missed.
      await this.listen();
      await this.refresh(st);
    }
    return { snapshot: st.snapshot!, generation: st.generation, builtAt: st.builtAt! };
  }

  /** Calls `fn` with the tenant id whenever a tenant's routing data changes (e.g. the switch's caches). */
  onChange(fn: (tenantId: string) => void): void {
    this.changeListeners.add(fn);
  }

  /** Marks the tenant's snapshot stale and rebuilds it in the background (no-op before its first decision). */
  invalidate(tenantId: string): void {
    for (const fn of this.changeListeners) fn(tenantId);
    const st = this.tenants.get(tenantId);
    // During the first build too: the change may have committed after the build's read began.
    if (st?.snapshot || st?.building) void this.refresh(st).catch(() => {});
  }

  private refresh(st: TenantState): Promise<void> {
    st.dirty = true;
    st.building ??= this.rebuild(st).finally(() => {
      st.building = null;
    });
    return st.building;
  }

  private async rebuild(st: TenantState): Promise<void> {
    while (st.dirty && !this.closed) {
      st.dirty = false;
      const t0 = performance.now();
      try {
        const data = await loadSnapshotData(this.deps.pool, this.deps.db, { tenantId: st.tenantId });
        const snapshot = compileSnapshot(data, st.snapshot);
        st.snapshot = snapshot;
        st.builtAt = new Date();
        st.generation += 1;
        st.buildMillis = performance.now() - t0;
        st.lastError = null;
      } catch (err) {
        st.lastError = (err as Error).message;
        if (!st.snapshot) throw err;
        // Keep deciding on the previous snapshot; try again shortly.
        setTimeout(() => this.invalidate(st.tenantId), RETRY_MS).unref();
        return;
      }
    }
  }

  private listen(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.listening ??= (async () => {
      const client = new pg.Client(this.deps.pool.options);
      client.on("notification", (n) => {
        if (n.channel === ROUTING_CHANGE_CHANNEL && n.payload) this.invalidate(n.payload);
      });
      const lost = () => {
        if (this.listener !== client) return;
        this.listener = null;
        this.listening = null;
        this.relisten();
      };
      client.on("error", lost);
      client.on("end", lost);
      this.listener = client;
      await client.connect();
      await client.query(`LISTEN ${ROUTING_CHANGE_CHANNEL}`);
    })().catch((err: unknown) => {
      this.listener = null;
      this.listening = null;
      throw err;
    });
    return this.listening;
  }

  /** Reconnects the listener, then rebuilds every loaded tenant: changes may have been missed meanwhile. */
  private relisten(): void {
    if (this.closed) return;
    setTimeout(() => {
      this.listen().then(
        () => {
          for (const id of this.tenants.keys()) this.invalidate(id);
        },
        () => this.relisten(),
      );
    }, RETRY_MS).unref();
  }

  async decide(tenantId: string, input: DecideInput): Promise<DecisionDto> {
    this.rollCpsSecond();
    const { snapshot, generation, builtAt } = await this.snapshot(tenantId);
    const seed = input.seed ?? crypto.randomInt(4_294_967_296);
    const at = input.at ?? new Date();
    const call = {
      sourceIp: input.sourceIp ?? null,
      sourcePort: input.sourcePort ?? null,
      serviceId: input.serviceId ?? null,
      dialled: input.dialled,
      calling: input.calling,
      atMs: at.getTime(),
    };
    const live = input.simulate ? overlay(this.live, input.simulate) : this.live;
    const env = { credit: this.creditGate, live, rng: seededRng(seed) };
    const t0 = performance.now();
    const decision = decide(snapshot, call, env);
    const engineMicros = Math.round((performance.now() - t0) * 1000 * 10) / 10;
    return toDecisionDto(decision, { sourceIp: call.sourceIp, sourcePort: call.sourcePort, dialled: call.dialled, calling: call.calling, seed, live, engineMicros, generation, builtAt });
  }

  /** Whether a service id is live in the tenant's snapshot (another tenant's is not). */
  async hasService(tenantId: string, serviceId: string): Promise<boolean> {
    return (await this.snapshot(tenantId)).snapshot.servicesById.has(serviceId);
  }

  status(tenantId: string) {
    const st = this.tenants.get(tenantId);
    const counts = st?.snapshot?.counts ?? { interconnects: 0, services: 0, routingPlans: 0, entries: 0, ratingPlans: 0, fxRates: 0 };
    return {
      builtAt: st?.builtAt ?? null,
      refreshing: Boolean(st?.building),
      generation: st?.generation ?? 0,
      buildMillis: st?.buildMillis === null || st?.buildMillis === undefined ? null : Math.round(st.buildMillis),
      lastError: st?.lastError ?? null,
      counts,
      creditEnforced: this.creditGate !== allowAllCreditGate,
    };
  }

  /**
   * Recomputes the tenant's route quality (ASR, ACD, PDD per egress interconnect and
   * quality-routed entry prefix, over the last `QUALITY_WINDOW_MIN` minutes of CDRs) into
   * `live.quality`, which quality routing reads.
   */
  async refreshQuality(tenantId: string): Promise<void> {
    const { rows } = await this.deps.pool.query<{ prefix: string }>(
      `SELECT DISTINCT e.prefix FROM routing_entries e JOIN routing_plans p ON p.tenant_id = e.tenant_id AND p.id = e.plan_id
       WHERE e.tenant_id = $1 AND e.strategy = 'quality' AND p.deleted_at IS NULL`,
      [tenantId],
    );
    const stats = await routeQuality(this.deps.db, { tenantId, windowMinutes: QUALITY_WINDOW_MIN, prefixes: rows.map((r) => r.prefix) });
    const quality = this.counters.quality;
    for (const id of this.qualityOwned.get(tenantId) ?? []) if (!stats.has(id)) quality.delete(id);
    for (const [id, byPrefix] of stats) quality.set(id, byPrefix);
    this.qualityOwned.set(tenantId, new Set(stats.keys()));
  }

  /** Monitoring: an interconnect went down (routing skips it) or came back. */
  setDown(interconnectId: string, down: boolean): void {
    if (down) this.counters.down.add(interconnectId);
    else this.counters.down.delete(interconnectId);
  }

  /** CPS: counts a call against each id (ingress interconnect, service) in the current second. */
  countCalls(ids: readonly string[], nowMs = Date.now()): void {
    this.rollCpsSecond(nowMs);
    for (const id of ids) this.counters.cps.set(id, (this.counters.cps.get(id) ?? 0) + 1);
  }

  /** Starts a new second's count: every decision and count does, or a past second's count would refuse calls. */
  private rollCpsSecond(nowMs = Date.now()): void {
    const second = Math.floor(nowMs / 1000);
    if (second === this.cpsSecond) return;
    this.cpsSecond = second;
    this.counters.cps.clear();
  }

  /** Refreshes the quality of every tenant that has routed, every `intervalMs`. */
  startQualityFeed(intervalMs = 30_000): void {
    if (this.qualityTimer) return;
    this.qualityTimer = setInterval(() => {
      for (const tenantId of this.tenants.keys()) void this.refreshQuality(tenantId).catch(() => {});
    }, intervalMs);
    this.qualityTimer.unref();
  }

  async close(): Promise<void> {
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    this.closed = true;
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => {});
  }
}
