/**
 * Compiles a tenant's plain data into the snapshot the decision reads: objects linked
 * by reference (no id lookups on the hot path), ingress addresses in an IP index,
 * blacklists and match lists as prefix sets, routing plans as digit tries of
 * effective-dated entries whose candidates are expanded (trunk groups → members) with
 * every drop that does not depend on the call worked out in advance.
 */
import { compilePlanUnion, MAX_UNION_PLANS, type CompiledPlan, type PlanUnion } from "../../rating/engine/index.js";
import type { DropReason } from "../model.js";
import { buildFxSeries, type FxSeries } from "./fx.js";
import { IpIndex } from "./ip.js";
import { buildDigitTrie, PrefixSet, type PrefixSetEntry } from "./prefix-set.js";
import type {
  BlacklistData,
  CandidateData,
  CandidateItem,
  Carrier,
  CompiledEntry,
  CompiledRoutingPlan,
  IngressBinding,
  Interconnect,
  PlanLane,
  RoutingEntryData,
  RoutingPlanData,
  Service,
  Snapshot,
  SnapshotData,
  TrunkGroup,
  UnionLookup,
} from "./types.js";

/** Supplier rates a decision memoizes (by plan); an entry's first RATE_SLOTS plans get a fixed slot. */
export const RATE_SLOTS = 16;

const open = (from: number | null) => from ?? Number.NEGATIVE_INFINITY;
const openEnd = (to: number | null) => to ?? Number.POSITIVE_INFINITY;

function blacklistSet(rows: readonly BlacklistData[], list: BlacklistData["list"], keep: (b: BlacklistData) => boolean): PrefixSet | null {
  const entries: PrefixSetEntry[] = [];
  for (const b of rows) if (b.list === list && keep(b)) entries.push({ value: b.value, exact: b.matchType === "exact" });
  return PrefixSet.build(entries);
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const minRate = (a: bigint | null, b: bigint | null) => (a === null ? b : b === null ? a : a < b ? a : b);

interface Lookups {
  interconnectsById: ReadonlyMap<string, Interconnect>;
  trunkGroups: ReadonlyMap<string, { group: TrunkGroup; direction: string; members: readonly string[] }>;
  lanes: ReadonlyMap<CompiledPlan, PlanLane>;
}

/**
 * The rating plans in union tries of at most MAX_UNION_PLANS, so a decision looks a number
 * up in its customer and supplier plans with one walk. Building a union costs about what
 * compiling its decks' tries costs, so a union of the same (immutable) compiled plans is
 * taken over from the previous snapshot: a routing or carrier edit does not rebuild it.
 */
function planUnions(plans: readonly CompiledPlan[], previous: readonly PlanUnion[]): PlanUnion[] {
  const out: PlanUnion[] = [];
  for (let i = 0; i < plans.length; i += MAX_UNION_PLANS) {
    const chunk = plans.slice(i, i + MAX_UNION_PLANS);
    const same = previous.find((u) => u.plans.length === chunk.length && u.plans.every((p, k) => p === chunk[k]));
    out.push(same ?? compilePlanUnion(chunk));
  }
  return out;
}

/** The plans' bits, per union they are in. */
function unionLookups(plans: Iterable<CompiledPlan>, lanes: ReadonlyMap<CompiledPlan, PlanLane>): UnionLookup[] {
  const bits = new Map<PlanUnion, number>();
  for (const p of plans) {
    const lane = lanes.get(p);
    if (lane) bits.set(lane.union, (bits.get(lane.union) ?? 0) | (1 << lane.index));
  }
  return [...bits].map(([union, b]) => ({ union, bits: b }));
}

/** An interconnect's drop known before any call, in the order the decision reports them. */
function staticDrop(ic: Interconnect): DropReason | null {
  if (ic.direction !== "egress") return "not_egress";
  if (!ic.active) return "disabled";
  if (!ic.carrier.active) return "carrier_inactive";
  if (!ic.supplierPlan) return "no_supplier_plan";
  return null;
}

/** Expands an entry's candidates into items, one per interconnect (trunk groups → members in order). */
export function compileEntry(entry: RoutingEntryData, lookups: Lookups, planMaxAttempts: number, direct = false): CompiledEntry {
  const items: CandidateItem[] = [];
  const seen = new Set<string>();
  const push = (c: CandidateData | null, ic: Interconnect | null, group: TrunkGroup | null, reason: DropReason | null) => {
    let staticReason = reason;
    if (ic && staticReason === null) {
      if (seen.has(ic.id)) staticReason = "duplicate";
      else if (c?.blocked) staticReason = "blocked";
      else staticReason = staticDrop(ic);
    }
    if (ic) seen.add(ic.id);
    // One object literal for every item (one hidden class: the hot path reads them all alike).
    const item: { -readonly [K in keyof CandidateItem]: CandidateItem[K] } = {
      // A service's direct route stands for the service's setting, not a plan candidate.
      candidate: direct ? null : c,
      interconnect: ic,
      trunkGroup: group,
      order: items.length,
      priority: c?.priority ?? 1,
      weight: c?.weight ?? 0,
      dated: (c?.effectiveFrom ?? null) !== null || (c?.effectiveTo ?? null) !== null,
      from: open(c?.effectiveFrom ?? null),
      to: openEnd(c?.effectiveTo ?? null),
      staticReason,
      staticDrop: null,
      maxRateMicros: minRate(entry.maxSupplierRateMicros, c?.maxSupplierRateMicros ?? null),
      minMarginMicros: c?.minMarginMicros ?? entry.minMarginMicros,
      rateSlot: -1,
    };
    if (staticReason !== null) item.staticDrop = { item, reason: staticReason, route: null, detail: null };
    items.push(item);
  };
  for (const c of entry.candidates) {
    if (c.interconnectId !== null) {
      push(c, lookups.interconnectsById.get(c.interconnectId) ?? null, null, lookups.interconnectsById.has(c.interconnectId) ? null : "unavailable");
      continue;
    }
    const tg = c.trunkGroupId === null ? undefined : lookups.trunkGroups.get(c.trunkGroupId);
    if (!tg) {
      push(c, null, null, "unavailable");
    } else if (tg.direction !== "egress") {
      push(c, null, tg.group, "not_egress");
    } else {
      const members = tg.members.map((id) => lookups.interconnectsById.get(id)).filter((ic): ic is Interconnect => ic !== undefined);
      if (!members.length) push(c, null, tg.group, "empty_trunk_group");
      for (const ic of members) push(c, ic, tg.group, null);
    }
  }
  const pct = entry.minMarginPercent;
  // Items without a static drop reach the supplier rate check, so they have a supplier plan.
  const supplierPlans = new Set(items.flatMap((i) => (i.staticDrop === null && i.interconnect?.supplierPlan ? [i.interconnect.supplierPlan.plan] : [])));
  const supplierLookups = unionLookups(supplierPlans, lookups.lanes);
  const slots = new Map<CompiledPlan, number>();
  for (const { union, bits } of supplierLookups) for (let k = 0; k < union.plans.length; k++) if ((bits & (1 << k)) !== 0) slots.set(union.plans[k]!, slots.size);
  for (const item of items) {
    const slot = item.staticDrop === null ? slots.get(item.interconnect!.supplierPlan!.plan) : undefined;
    if (slot !== undefined && slot < RATE_SLOTS) (item as { rateSlot: number }).rateSlot = slot;
  }
  return {
    data: entry,
    direct,
    strategy: entry.strategy,
    profitGuard: entry.profitGuard,
    blocked: entry.blocked,
    dated: entry.effectiveFrom !== null || entry.effectiveTo !== null,
    from: open(entry.effectiveFrom),
    to: openEnd(entry.effectiveTo),
    maxAttempts: entry.maxAttempts ?? planMaxAttempts,
    minMarginBasisPoints: pct === null ? null : BigInt(Math.round(pct * 100)),
    items,
    supplierLookups,
    union: supplierLookups[0]?.union ?? null,
    unionBits: supplierLookups[0]?.bits ?? 0,
    moreLookups: supplierLookups.length > 1 ? supplierLookups.slice(1) : null,
  };
}

function compileRoutingPlan(plan: RoutingPlanData, lookups: Lookups): CompiledRoutingPlan {
  const trie = buildDigitTrie(plan.entries.map((e) => e.prefix));
  // Entries grouped by trie node (counting sort), each group by effective-from.
  const entryStart = new Int32Array(trie.nodes + 1);
  for (const node of trie.nodeOf) entryStart[node + 1]! += 1;
  for (let n = 0; n < trie.nodes; n++) entryStart[n + 1]! += entryStart[n]!;
  const slots = entryStart.slice();
  const entries = new Array<CompiledEntry>(plan.entries.length);
  plan.entries.forEach((e, i) => (entries[slots[trie.nodeOf[i]!]!++] = compileEntry(e, lookups, plan.maxAttempts)));
  for (let n = 0; n < trie.nodes; n++) {
    const group = entries.slice(entryStart[n]!, entryStart[n + 1]!).sort((a, b) => a.from - b.from);
    group.forEach((e, k) => (entries[entryStart[n]! + k] = e));
  }
  return { id: plan.id, name: plan.name, currency: plan.currency, maxAttempts: plan.maxAttempts, noRateSipCode: plan.noRateSipCode, kids: trie.kids, entryStart, entries };
}

/** A service routing straight to one interconnect: a one-candidate priority entry, no profit guard. */
function directEntry(serviceId: string, interconnectId: string, lookups: Lookups): CompiledEntry {
  const entry: RoutingEntryData = {
    id: serviceId,
    prefix: "",
    description: null,
    strategy: "priority",
    qualityBase: "priority",
    minAsrPercent: null,
    minAcdS: null,
    maxPddMs: null,
    minSamples: 1,
    blocked: false,
    maxSupplierRateMicros: null,
    profitGuard: false,
    minMarginMicros: 0n,
    minMarginPercent: null,
    maxAttempts: 1,
    effectiveFrom: null,
    effectiveTo: null,
    candidates: [{ id: serviceId, interconnectId, trunkGroupId: null, priority: 1, weight: 0, blocked: false, maxSupplierRateMicros: null, minMarginMicros: null, effectiveFrom: null, effectiveTo: null }],
  };
  return compileEntry(entry, lookups, 1, true);
}

/** `previous`: the tenant's current snapshot, whose plan unions are reused where their plans are unchanged. */
export function compileSnapshot(data: SnapshotData, previous: Snapshot | null = null): Snapshot {
  const carriers = new Map<string, Carrier>(
    data.carriers.map((c) => [c.id, { id: c.id, name: c.name, status: c.status, active: c.status === "active", routingCapacity: c.routingCapacity, circularRouting: c.circularRouting }]),
  );
  const byInterconnect = groupBy(data.blacklist, (b) => (b.scope === "interconnect" ? b.interconnectId : null));
  const byService = groupBy(data.blacklist, (b) => (b.scope === "service" ? b.serviceId : null));
  const all = () => true;

  const interconnects: Interconnect[] = [];
  const interconnectsById = new Map<string, Interconnect>();
  for (const d of data.interconnects) {
    const carrier = carriers.get(d.carrierId);
    if (!carrier) continue;
    const own = byInterconnect.get(d.id) ?? [];
    const ic: Interconnect = {
      id: d.id,
      name: d.name,
      carrier,
      direction: d.direction,
      status: d.status,
      active: d.status === "active",
      currency: d.currency,
      capacity: d.capacity,
      maxCps: d.maxCps,
      techPrefix: d.techPrefix,
      destinationRules: d.translations.filter((r) => r.field === "destination"),
      originationRules: d.translations.filter((r) => r.field === "origination"),
      supplierPlan: d.supplierRatingPlanId === null ? null : (data.ratingPlans.get(d.supplierRatingPlanId) ?? null),
      sendTo: d.sendTo,
      blacklistEnabled: d.blacklistEnabled,
      destinationBlacklist: blacklistSet(own, "destination", all),
      originationBlacklist: blacklistSet(own, "origination", all),
      services: [],
    };
    interconnects.push(ic);
    interconnectsById.set(ic.id, ic);
  }

  const trunkGroups = new Map(data.trunkGroups.map((g) => [g.id, { group: { id: g.id, name: g.name }, direction: g.direction, members: g.memberIds }]));
  const unions = planUnions([...new Set([...data.ratingPlans.values()].map((r) => r.plan))], previous?.planUnions ?? []);
  const lanes = new Map<CompiledPlan, PlanLane>();
  for (const union of unions) union.plans.forEach((plan, index) => lanes.set(plan, { union, index }));
  const lookups: Lookups = { interconnectsById, trunkGroups, lanes };

  // Every pair of currencies a rate or a plan can be in, both ways.
  const currencies = new Set<string>([...interconnects.map((i) => i.currency), ...data.routingPlans.map((p) => p.currency), ...[...data.ratingPlans.values()].map((p) => p.plan.currency)]);
  const fx = new Map<string, Map<string, FxSeries>>();
  for (const from of currencies) {
    const to = new Map<string, FxSeries>();
    for (const c of currencies) {
      const series = c === from ? null : buildFxSeries(data.fxRates, from, c);
      if (series) to.set(c, series);
    }
    if (to.size) fx.set(from, to);
  }
  const routingPlansById = new Map<string, CompiledRoutingPlan>();
  let entries = 0;
  for (const p of data.routingPlans) {
    routingPlansById.set(p.id, compileRoutingPlan(p, lookups));
    entries += p.entries.length;
  }

  const ingress = new IpIndex<IngressBinding>();
  const services: Service[] = [];
  const servicesById = new Map<string, Service>();
  for (const d of data.services) {
    const ic = interconnectsById.get(d.interconnectId);
    if (!ic || ic.direction !== "ingress") continue;
    const own = byService.get(d.id) ?? [];
    const ratingPlan = d.ratingPlanId === null ? null : (data.ratingPlans.get(d.ratingPlanId) ?? null);
    const s: Service = {
      id: d.id,
      name: d.name,
      interconnect: ic,
      active: d.status === "active",
      data: d,
      techPrefix: d.techPrefix || ic.techPrefix,
      destinationMatch: PrefixSet.ofPrefixes(d.destinationMatch),
      originationMatch: PrefixSet.ofPrefixes(d.originationMatch),
      ratingPlan,
      customerLane: ratingPlan === null ? null : (lanes.get(ratingPlan.plan) ?? null),
      routingPlan: d.routingPlanId === null ? null : (routingPlansById.get(d.routingPlanId) ?? null),
      direct: d.routingMethod === "interconnect" && d.routeToInterconnectId !== null ? directEntry(d.id, d.routeToInterconnectId, lookups) : null,
      destinationBlacklist: blacklistSet(own, "destination", all),
      originationBlacklist: blacklistSet(own, "origination", all),
      destinationExceptions: PrefixSet.ofPrefixes(d.destinationExceptions),
      originationExceptions: PrefixSet.ofPrefixes(d.originationExceptions),
      enforce: d.enforcementPolicy === "enforce",
    };
    ic.services.push(s);
    services.push(s);
    servicesById.set(s.id, s);
  }
  for (const d of data.interconnects) {
    const ic = interconnectsById.get(d.id);
    if (!ic || ic.direction !== "ingress") continue;
    for (const a of d.addresses) ingress.add(a.address, { interconnect: ic, port: a.port, address: a.address });
  }

  return {
    tenantId: data.tenantId,
    interconnects,
    services,
    servicesById,
    interconnectsById,
    routingPlansById,
    ratingPlans: data.ratingPlans,
    planUnions: unions,
    ingress,
    globalDestinationBlacklist: blacklistSet(data.blacklist, "destination", (b) => b.scope === "global"),
    globalOriginationBlacklist: blacklistSet(data.blacklist, "origination", (b) => b.scope === "global"),
    releaseCauses: new Map(data.releaseCauses.map((r) => [r.sipCode, r])),
    fx,
    counts: { interconnects: interconnects.length, services: services.length, routingPlans: routingPlansById.size, entries, ratingPlans: data.ratingPlans.size, fxRates: data.fxRates.length },
  };
}
