import crypto from "node:crypto";
import type pg from "pg";
import { IpIndex } from "../routing/engine/ip.js";
import type { RoutingService } from "../routing/service.js";
import type { CreditControl } from "../credit/control.js";
import type { DecisionDto } from "../routing/model.js";
import { hashToken } from "./kamailio/runner.js";

/**
 * The route decision as Kamailio asks for it: a platform-wide front of the tenant-scoped
 * routing service. The source address picks the tenant (one Kamailio serves them all);
 * the answer is flat JSON that `jansson_get` reads key by key, with the SIP URI of every
 * route, the numbers to send, the channel limits Kamailio enforces with dialog profiles,
 * and the SIP codes that fail over (the tenant's release cause mapping).
 *
 * CPS is counted here, because every INVITE passes through: the calls of the current
 * second per ingress interconnect and service are what the routing engine's CPS check
 * reads (`live.cps`).
 */
export interface KamailioRoute {
  uri: string;
  egressId: string;
  capacity: number;
  calling: string;
}
export type KamailioAnswer =
  | { action: "reject"; sipStatus: number; reason: string; q850: number }
  | {
      action: "route";
      /** The call's credit reservation (a pending ledger transfer id), "" when none was made. */
      ref: string;
      tenantId: string;
      serviceId: string;
      ingressId: string;
      ingressCapacity: number;
      serviceCapacity: number;
      routeCount: number;
      failover: string;
      maxDurationS: number;
      capacityStatus: number;
      capacityQ850: number;
      routes: KamailioRoute[];
    };

/** A SIP URI user part: digits stay, `#` and anything else unsafe is %-escaped. */
export const uriUser = (s: string) => s.replace(/[^0-9A-Za-z*+._~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
/** A Reason phrase: printable ASCII, short. */
const phrase = (s: string) => s.replace(/[^\x20-\x7e]/g, "").replace(/"/g, "'").slice(0, 80) || "Rejected";

/** Pure: a routing decision → what Kamailio acts on. */
export function toKamailioAnswer(
  d: DecisionDto,
  opts: { tenantId: string; failoverCodes: readonly number[]; capacity: { status: number; q850: number }; reservationId?: string; maxDurationS?: number },
): KamailioAnswer {
  if (d.outcome === "reject" || !d.ingress || !d.service) {
    const r = d.rejection;
    return { action: "reject", sipStatus: r?.sipStatus ?? 503, reason: phrase(r?.causeDescription ?? "No Route"), q850: r?.q850Cause ?? 34 };
  }
  const limit = (scope: "interconnect" | "service", id: string) => d.capacity.find((c) => c.scope === scope && c.kind === "channels" && c.id === id)?.limit ?? 0;
  const routes = d.routes.flatMap((r) => {
    const to = r.sendTo[0];
    if (!to) return [];
    return [{ uri: `sip:${uriUser(r.destination)}@${to.address}:${to.port};transport=${to.transport}`, egressId: r.interconnect.id, capacity: 0, calling: r.origination }];
  });
  return {
    action: "route",
    ref: opts.reservationId ?? "",
    tenantId: opts.tenantId,
    serviceId: d.service.id,
    ingressId: d.ingress.interconnect.id,
    ingressCapacity: limit("interconnect", d.ingress.interconnect.id),
    serviceCapacity: limit("service", d.service.id),
    routeCount: routes.length,
    failover: opts.failoverCodes.join(","),
    maxDurationS: opts.maxDurationS ?? 0,
    capacityStatus: opts.capacity.status,
    capacityQ850: opts.capacity.q850,
    routes,
  };
}

interface Cached<T> {
  at: number;
  value: T;
}
const TTL_MS = 5000;

export class SwitchDecider {
  private sources: Cached<IpIndex<string>> | null = null;
  private causes = new Map<string, Cached<{ failover: number[]; q850: Map<number, number> }>>();
  private maxDurations = new Map<string, Cached<Map<string, number>>>();
  private tokens = new Map<string, Cached<boolean>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly routing: RoutingService,
    /** Reserves each routed call's credit; without it (tests of routing alone) calls reserve nothing. */
    private readonly credit: CreditControl | null = null,
  ) {
    // A new or changed interconnect reaches the next INVITE, not one TTL later.
    routing.onChange((tenantId) => {
      this.sources = null;
      this.maxDurations.delete(tenantId);
    });
  }

  /** Whether a token belongs to a registered switch (cached briefly: it is checked on every INVITE). */
  async tokenValid(token: unknown): Promise<boolean> {
    if (!token || typeof token !== "string") return false;
    const hash = hashToken(token);
    const hit = this.tokens.get(hash);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const r = await this.pool.query("SELECT 1 FROM switch_nodes WHERE token_hash = $1", [hash]);
    this.tokens.set(hash, { at: Date.now(), value: Boolean(r.rowCount) });
    return Boolean(r.rowCount);
  }

  /** Tenants whose live ingress interconnects claim this source address. */
  private async tenantsOf(ip: string): Promise<string[]> {
    if (!this.sources || Date.now() - this.sources.at > TTL_MS) {
      const { rows } = await this.pool.query<{ tenant_id: string; addresses: { address: string }[] }>(
        "SELECT tenant_id, addresses FROM interconnects WHERE direction = 'ingress' AND deleted_at IS NULL AND status = 'active'",
      );
      const index = new IpIndex<string>();
      for (const r of rows) for (const a of r.addresses ?? []) index.add(a.address, r.tenant_id);
      this.sources = { at: Date.now(), value: index };
    }
    const found = new Set<string>();
    this.sources.value.forEach(ip, (t) => found.add(t));
    return [...found];
  }

  private async causesOf(tenantId: string) {
    const hit = this.causes.get(tenantId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const { rows } = await this.pool.query<{ sip_code: number; q850_cause: number; failover: boolean }>(
      "SELECT sip_code, q850_cause, failover FROM release_cause_mappings WHERE tenant_id = $1",
      [tenantId],
    );
    const value = { failover: rows.filter((r) => r.failover).map((r) => r.sip_code).sort((a, b) => a - b), q850: new Map(rows.map((r) => [r.sip_code, r.q850_cause])) };
    this.causes.set(tenantId, { at: Date.now(), value });
    return value;
  }

  /** Each ingress interconnect's Max Call Duration (signalling tab), 0 = none set. */
  private async maxDurationOf(tenantId: string, ingressId: string): Promise<number> {
    let hit = this.maxDurations.get(tenantId);
    if (!hit || Date.now() - hit.at >= TTL_MS) {
      const { rows } = await this.pool.query<{ id: string; s: number | null }>(
        "SELECT id, (signalling->>'maxCallDurationS')::int AS s FROM interconnects WHERE tenant_id = $1 AND direction = 'ingress'",
        [tenantId],
      );
      hit = { at: Date.now(), value: new Map(rows.map((r) => [r.id, r.s ?? 0])) };
      this.maxDurations.set(tenantId, hit);
    }
    return hit.value.get(ingressId) ?? 0;
  }

  async decide(input: { sourceIp: string; sourcePort?: number; dialled: string; calling: string; switchId?: string; callId?: string }): Promise<KamailioAnswer> {
    const tenants = await this.tenantsOf(input.sourceIp);
    if (tenants.length !== 1) return { action: "reject", sipStatus: 403, reason: tenants.length ? "Ambiguous Source" : "Forbidden", q850: 21 };
    const tenantId = tenants[0]!;
    const causes = await this.causesOf(tenantId);
    const dialled = input.dialled.trim();
    if (!/^\+?[0-9#*]{1,40}$/.test(dialled)) return { action: "reject", sipStatus: 484, reason: "Address Incomplete", q850: causes.q850.get(484) ?? 28 };
    const decision = await this.routing.decide(tenantId, {
      sourceIp: input.sourceIp,
      sourcePort: input.sourcePort,
      dialled,
      calling: input.calling.replace(/[^0-9]/g, "").slice(0, 32),
    });
    const capacity = { status: 503, q850: causes.q850.get(503) ?? 34 };
    if (decision.outcome !== "route" || !decision.ingress || !decision.customerRate) return toKamailioAnswer(decision, { tenantId, failoverCodes: causes.failover, capacity });

    // The call may not outlive its reservation: both use the ingress Max Call Duration
    // (or credit control's default), and Kamailio's dialog timer ends the call there.
    const maxDurationS = (await this.maxDurationOf(tenantId, decision.ingress.interconnect.id)) || (this.credit?.options.reservationSeconds ?? 0);
    let reservationId: string | undefined;
    if (this.credit) {
      const reserved = await this.credit.reserve({
        tenantId,
        carrierId: decision.ingress.carrier.id,
        currency: decision.customerRate.currency,
        rateMicrosPerMinute: decision.customerRate.rate,
        connectionFeeMicros: decision.customerRate.connectionFee,
        at: Date.now(),
        // A retransmitted INVITE asks again: the same call id gets the same reservation.
        callKey: `${input.switchId ?? "switch"}:${input.callId ?? crypto.randomUUID()}`,
        maxDurationS,
      });
      if (!reserved.ok) {
        const sipStatus = reserved.verdict.reason === "insufficient_balance" ? 402 : 403;
        return { action: "reject", sipStatus, reason: phrase(reserved.verdict.detail), q850: causes.q850.get(sipStatus) ?? 21 };
      }
      reservationId = reserved.reservationId;
    }
    const answer = toKamailioAnswer(decision, { tenantId, failoverCodes: causes.failover, capacity, reservationId, maxDurationS });
    if (answer.action === "route") this.routing.countCalls([answer.ingressId, answer.serviceId]);
    return answer;
  }
}
