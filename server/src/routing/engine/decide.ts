/**
 * The route decision for one call: pure, synchronous, over a compiled snapshot.
 *
 *  1. Ingress: the source address picks the ingress interconnects (IP index), the
 *     dialled number's tech prefix and the services' destination/origination match
 *     lists pick the service: longest tech prefix, then longest destination prefix, then
 *     longest origination prefix (an empty list matches all, like the prefix ""). This is
 *     the runtime side of carriers/ambiguity.ts, which refuses any configuration where
 *     two services would tie — a tie here still rejects (ambiguous_service).
 *  2. Numbers: strip the tech prefix and one leading "+" or "00"; the first ingress
 *     translation rule whose prefix matches (per field) strips and prepends; then the
 *     blacklists (global, the ingress interconnect's, the service's) unless the
 *     service's blacklist is off for that list or the number is one of its exceptions.
 *  3. Customer rate from the service's rating plan at the call time.
 *  4. Credit: the injected CreditGate.
 *  5. Capacity: channels of the interconnect, service and carrier, CPS of the interconnect
 *     (a service with enforcement "monitor" reports and goes on).
 *  6. Routing: the longest prefix with an entry live at the call time; each candidate is
 *     kept or dropped with its reason, survivors ordered by the entry's strategy, cut at
 *     the maximum attempts, and given their egress translations and tech prefix.
 *
 * Allocation: only what the result holds (the Decision, its arrays, routes, drops and
 * number strings) plus the credit request. Ingress matching runs on module-level state.
 */
import { allowAllCreditGate, type CreditGate } from "../../credit/gate.js";
import { lookupUnion, lookupVersion, unionConnectionFee, unionRate, type CompiledPlan, type PlanUnion } from "../../rating/engine/index.js";
import type { DropReason, RejectReason } from "../model.js";
import { RATE_SLOTS } from "./compile.js";
import { convertAt, fxIndexAt, type FxSeries } from "./fx.js";
import { versionConnectionFee, versionRate } from "./rates.js";
import type { PrefixSet } from "./prefix-set.js";
import type { Rng } from "./rng.js";
import type {
  AppliedTranslation,
  CallInput,
  CapacityCheck,
  CandidateItem,
  Carrier,
  CompiledEntry,
  CompiledRoutingPlan,
  Decision,
  Drop,
  IngressBinding,
  Interconnect,
  LiveState,
  PlanLane,
  QualityStats,
  Route,
  Service,
  Snapshot,
  TranslationRuleData,
} from "./types.js";

export interface DecideEnv {
  credit: CreditGate;
  live: LiveState;
  rng: Rng;
}

const BASIS = 10_000n;

/** ⌈a / b⌉ for b > 0 (bigint division truncates toward zero). */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b < a ? q + 1n : q;
}

/** Index after one leading "+" or "00" at `i`. */
function afterPlus(n: string, i: number): number {
  const c = n.charCodeAt(i);
  if (c === 43) return i + 1;
  if (c === 48 && n.charCodeAt(i + 1) === 48) return i + 2;
  return i;
}

function allDigits(n: string, from: number): boolean {
  for (let i = from; i < n.length; i++) if ((n.charCodeAt(i) - 48) >>> 0 > 9) return false;
  return true;
}

// ── Step 1: service match, on module-level state (no closure, no allocation per call) ──
const M = {
  dialled: "",
  calling: "",
  callingStart: 0,
  port: null as number | null,
  known: false,
  best: null as Service | null,
  binding: null as IngressBinding | null,
  tie: null as Service | null,
  tp: -1,
  dl: -1,
  ol: -1,
};

function considerService(s: Service, b: IngressBinding): void {
  const tp = s.techPrefix.length;
  if (tp < M.tp || (tp > 0 && !M.dialled.startsWith(s.techPrefix))) return;
  const dl = s.destinationMatch === null ? 0 : s.destinationMatch.longest(M.dialled, afterPlus(M.dialled, tp));
  if (dl < 0) return;
  const ol = s.originationMatch === null ? 0 : s.originationMatch.longest(M.calling, M.callingStart);
  if (ol < 0) return;
  const cmp = tp !== M.tp ? tp - M.tp : dl !== M.dl ? dl - M.dl : ol - M.ol;
  if (cmp > 0) {
    M.best = s;
    M.binding = b;
    M.tie = null;
    M.tp = tp;
    M.dl = dl;
    M.ol = ol;
  } else if (cmp === 0 && s !== M.best) {
    M.tie = s;
  }
}

function visitBinding(b: IngressBinding): void {
  if (b.port !== null && M.port !== null && b.port !== M.port) return;
  M.known = true;
  const list = b.interconnect.services;
  for (let i = 0; i < list.length; i++) considerService(list[i]!, b);
}

// ── Helpers ──

/** Translations applied since the last reset (module-level: no holder object per call). */
const T = { list: null as AppliedTranslation[] | null };

/**
 * The first rule whose prefix the number starts with strips and prepends; recorded in
 * T.list. Ingress results are normalized again (a prepended "+" or "00" goes: routing
 * works on plain digits); egress results are sent as they are.
 */
function translate(number: string, rules: readonly TranslationRuleData[], side: "ingress" | "egress"): string {
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!number.startsWith(rule.matchPrefix)) continue;
    const raw = rule.prepend + number.slice(Math.min(rule.strip, number.length));
    const after = side === "ingress" ? raw.slice(afterPlus(raw, 0)) : raw;
    (T.list ??= []).push({ side, rule, before: number, after });
    return after;
  }
  return number;
}

function reject(s: Snapshot, d: Decision, reason: RejectReason, sip: number, detail: string | null = null): Decision {
  d.outcome = "reject";
  d.reject = reason;
  d.sipStatus = sip;
  const cause = s.releaseCauses.get(sip);
  d.q850Cause = cause ? cause.q850Cause : 127;
  d.causeDescription = cause ? cause.description : "Interworking, unspecified";
  d.rejectDetail = detail;
  return d;
}

/** The deepest entry on the number's path (digits) that is live at `atMs`. */
export function findEntry(plan: CompiledRoutingPlan, number: string, atMs: number): CompiledEntry | null {
  const kids = plan.kids;
  const start = plan.entryStart;
  const entries = plan.entries;
  let found: CompiledEntry | null = null;
  let node = 0;
  for (let i = 0; ; ) {
    for (let k = start[node]!, end = start[node + 1]!; k < end; k++) {
      const e = entries[k]!;
      if (!e.dated || (e.from <= atMs && atMs < e.to)) {
        found = e;
        break;
      }
    }
    if (i >= number.length) break;
    node = kids[node * 10 + number.charCodeAt(i++) - 48]!;
    if (node === 0) break;
  }
  return found;
}

/** Whether a counter has reached its limit (null = unlimited); empty maps cost one size check. */
function atLimit(counters: ReadonlyMap<string, number>, id: string, limit: number | null): boolean {
  return limit !== null && counters.size !== 0 && (counters.get(id) ?? 0) >= limit;
}

/**
 * The ingress limits step 5 checks, with their counters: for the explanation (the
 * decision itself only tests them, allocating nothing).
 */
export function ingressLimits(service: Service, live: LiveState): CapacityCheck[] {
  const ic = service.interconnect;
  const out: CapacityCheck[] = [];
  const add = (scope: CapacityCheck["scope"], kind: CapacityCheck["kind"], id: string, name: string, limit: number | null) => {
    if (limit === null) return;
    const inUse = (kind === "cps" ? live.cps.get(id) : live.channels.get(id)) ?? 0;
    out.push({ scope, kind, id, name, inUse, limit, ok: inUse < limit });
  };
  add("interconnect", "channels", ic.id, ic.name, ic.capacity);
  add("service", "channels", service.id, service.name, service.data.capacity);
  add("carrier", "channels", ic.carrier.id, ic.carrier.name, ic.carrier.routingCapacity);
  add("interconnect", "cps", ic.id, ic.name, ic.maxCps);
  return out;
}

// ── Orders (module-level comparators: no closures) ──
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const byLcr = (a: Route, b: Route) => cmpBig(a.rateInPlanMicros, b.rateInPlanMicros) || a.item.priority - b.item.priority || a.item.order - b.item.order;
const byPriority = (a: Route, b: Route) => a.item.priority - b.item.priority || a.item.order - b.item.order;
const byPriorityLcr = (a: Route, b: Route) => a.item.priority - b.item.priority || cmpBig(a.rateInPlanMicros, b.rateInPlanMicros) || a.item.order - b.item.order;
/** Quality: routes with statistics first, best ASR × ACD (talk seconds per attempt) first, then lower PDD. */
function byQuality(a: Route, b: Route): number {
  const qa = a.quality;
  const qb = b.quality;
  if (qa === null || qb === null) return qa === qb ? 0 : qa === null ? 1 : -1;
  return qb.asrPercent * qb.acdS - qa.asrPercent * qa.acdS || qa.pddMs - qb.pddMs;
}
const byQualityLcr = (a: Route, b: Route) => byQuality(a, b) || byLcr(a, b);
const byQualityPriority = (a: Route, b: Route) => byQuality(a, b) || byPriority(a, b);

/**
 * Stable in-place sort for the few routes of an entry: Array.prototype.sort calls the
 * comparator through a builtin at a fixed cost per call, more than the comparisons here.
 */
function sortRoutes(routes: Route[], cmp: (a: Route, b: Route) => number): void {
  for (let i = 1; i < routes.length; i++) {
    const r = routes[i]!;
    let j = i - 1;
    for (; j >= 0 && cmp(routes[j]!, r) > 0; j--) routes[j + 1] = routes[j]!;
    routes[j + 1] = r;
  }
}

/** Weighted: draws without replacement in proportion to the weights; weight-0 routes follow by priority. */
function weightedOrder(routes: Route[], rng: Rng): Route[] {
  const pool: Route[] = [];
  const rest: Route[] = [];
  let total = 0;
  for (const r of routes) {
    if (r.item.weight > 0) {
      pool.push(r);
      total += r.item.weight;
    } else {
      rest.push(r);
    }
  }
  const out: Route[] = [];
  while (pool.length) {
    const x = rng.next() * total;
    let acc = 0;
    let k = 0;
    for (; k < pool.length - 1; k++) {
      acc += pool[k]!.item.weight;
      if (x < acc) break;
    }
    const [picked] = pool.splice(k, 1);
    out.push(picked!);
    total -= picked!.item.weight;
  }
  sortRoutes(rest, byPriority);
  for (const r of rest) out.push(r);
  return out;
}

/**
 * Supplier rates of one decision, memoized by plan: interconnects of one supplier usually
 * share a rating plan, so a number is looked up (and its rate converted to the compared
 * currency) once per plan, not once per candidate. The entry's supplier plans are looked
 * up with the customer's in one walk of their plan union (`lookupRates`); rates are read
 * and converted only for the plans a candidate reaches. Slots are module-level and reset per decision, so nothing is
 * allocated; slot MEMO is scratch once the memo is full.
 */
const MEMO = RATE_SLOTS;
const memoPlans: (CompiledPlan | null)[] = new Array<CompiledPlan | null>(MEMO + 1).fill(null);
const memoHandle = new Int32Array(MEMO + 1);
/** Where the rate and fee are read: the union's reference (memoRef ≥ 0) or the plan's record. */
const memoUnion: (PlanUnion | null)[] = new Array<PlanUnion | null>(MEMO + 1).fill(null);
const memoRef = new Int32Array(MEMO + 1);
/** 1 once the slot's rate (and its conversion) is filled in. */
const memoReady = new Uint8Array(MEMO + 1);
const memoRate: bigint[] = new Array<bigint>(MEMO + 1).fill(0n);
const memoInPlan: (bigint | null)[] = new Array<bigint | null>(MEMO + 1).fill(null);
/** The customer's rate less memoInPlan, once per plan (null: no customer rate in the compared currency). */
const memoMargin: (bigint | null)[] = new Array<bigint | null>(MEMO + 1).fill(null);
const memoFx: (FxSeries | null)[] = new Array<FxSeries | null>(MEMO + 1).fill(null);
const memoFxIndex = new Int32Array(MEMO + 1);
let memoCount = 0;

/** Answers of a union walk, by plan index in the union. */
const unionOut = new Int32Array(32);
const unionRefOut = new Int32Array(32);
/** Where lookupRates found the customer's rate: its union and reference, or null / −1 (the plan's record). */
const C = { union: null as PlanUnion | null, ref: -1 };

/**
 * One union walk for the supplier plans `bits` (and the customer's, when its lane is in
 * this union), their answers appended to the memo. Returns the customer's handle, else `handle`.
 */
function walkUnion(union: PlanUnion, bits: number, lane: PlanLane | null, dest: string, at: number, handle: number): number {
  const withCustomer = lane !== null && lane.union === union;
  lookupUnion(union, withCustomer ? bits | (1 << lane.index) : bits, dest, at, unionOut, unionRefOut);
  if (withCustomer) {
    handle = unionOut[lane.index]!;
    C.union = union;
    C.ref = unionRefOut[lane.index]!;
  }
  for (let b = bits; b !== 0 && memoCount < MEMO; b &= b - 1) {
    const k = 31 - Math.clz32(b & -b);
    memoPlans[memoCount] = union.plans[k]!;
    memoHandle[memoCount] = unionOut[k]!;
    memoUnion[memoCount] = union;
    memoRef[memoCount] = unionRefOut[k]!;
    memoReady[memoCount++] = 0;
  }
  return handle;
}

/**
 * The customer rate's lookup (step 3), in the same union walk as the supplier plans of
 * the entry step 6 will use, whose handles start the memo. Returns the customer's handle.
 */
function lookupRates(customer: CompiledPlan, lane: PlanLane | null, entry: CompiledEntry | null, dest: string, at: number): number {
  memoCount = 0;
  let handle = -2;
  if (entry !== null && entry.union !== null) {
    handle = walkUnion(entry.union, entry.unionBits, lane, dest, at, handle);
    const more = entry.moreLookups;
    if (more !== null) for (let u = 0; u < more.length; u++) handle = walkUnion(more[u]!.union, more[u]!.bits, lane, dest, at, handle);
  }
  if (handle !== -2) return handle;
  if (lane === null) {
    C.union = null;
    C.ref = -1;
    return lookupVersion(customer, dest, at);
  }
  lookupUnion(lane.union, 1 << lane.index, dest, at, unionOut, unionRefOut);
  C.union = lane.union;
  C.ref = unionRefOut[lane.index]!;
  return unionOut[lane.index]!;
}

/**
 * The memo slot of `plan`'s rate for the number (memoHandle < 0: no rate; memoInPlan null:
 * no FX rate). `slot`: the item's rateSlot, where the union walk put the plan, or −1.
 */
function supplierRate(s: Snapshot, slot: number, plan: CompiledPlan, dest: string, at: number, cmpCurrency: string, customer: bigint | null): number {
  if (slot >= 0) return memoReady[slot] === 1 ? slot : fillRate(s, slot, at, cmpCurrency, customer);
  for (let i = 0; i < memoCount; i++) if (memoPlans[i] === plan) return memoReady[i] === 1 ? i : fillRate(s, i, at, cmpCurrency, customer);
  const free = memoCount < MEMO ? memoCount++ : MEMO;
  memoPlans[free] = plan;
  memoHandle[free] = lookupVersion(plan, dest, at);
  memoRef[free] = -1;
  return fillRate(s, free, at, cmpCurrency, customer);
}

function fillRate(s: Snapshot, slot: number, at: number, cmpCurrency: string, customer: bigint | null): number {
  const inPlan = convertRate(s, slot, at, cmpCurrency);
  memoMargin[slot] = customer === null || inPlan === null ? null : customer - inPlan;
  return slot;
}

/** Fills the slot's rate and its conversion; returns memoInPlan. */
function convertRate(s: Snapshot, slot: number, at: number, cmpCurrency: string): bigint | null {
  const plan = memoPlans[slot]!;
  const handle = memoHandle[slot]!;
  memoReady[slot] = 1;
  memoFx[slot] = null;
  memoFxIndex[slot] = -1;
  memoInPlan[slot] = null;
  if (handle < 0) return null;
  const ref = memoRef[slot]!;
  const rate = ref >= 0 ? unionRate(memoUnion[slot]!, ref) : versionRate(plan, handle);
  memoRate[slot] = rate;
  if (plan.currency === cmpCurrency) {
    memoInPlan[slot] = rate;
    return rate;
  }
  const fx = s.fx.get(plan.currency)?.get(cmpCurrency) ?? null;
  const i = fx === null ? -1 : fxIndexAt(fx, at);
  memoFx[slot] = fx;
  memoFxIndex[slot] = i;
  const inPlan = i < 0 ? null : convertAt(rate, fx!, i);
  memoInPlan[slot] = inPlan;
  return inPlan;
}

function qualityFailure(e: CompiledEntry, q: QualityStats): string | null {
  const t = e.data;
  if (t.minAsrPercent !== null && q.asrPercent < t.minAsrPercent) return `ASR ${q.asrPercent}% < ${t.minAsrPercent}%`;
  if (t.minAcdS !== null && q.acdS < t.minAcdS) return `ACD ${q.acdS} s < ${t.minAcdS} s`;
  if (t.maxPddMs !== null && q.pddMs > t.maxPddMs) return `PDD ${q.pddMs} ms > ${t.maxPddMs} ms`;
  return null;
}

const drop = (dropped: Drop[], item: CandidateItem, reason: DropReason, route: Route | null = null, detail: string | null = null) => {
  dropped.push({ item, reason, route, detail });
};

/** Step 6 for one entry: keeps or drops each candidate, orders, caps. Fills d.routes / d.dropped. */
function routeEntry(s: Snapshot, d: Decision, entry: CompiledEntry, ingressCarrier: Carrier, env: DecideEnv): void {
  const at = d.atMs;
  const dest = d.destination;
  const orig = d.origination;
  const live = env.live;
  const cmpCurrency = d.compareCurrency!;
  const customer = d.customerRateInPlanMicros;
  const guard = entry.profitGuard;
  const quality = entry.strategy === "quality";
  const routes = d.routes;
  const dropped = d.dropped;
  const items = entry.items;
  // The minimum margin percent of the customer rate, once: margin × 10 000 < bp × customer
  // holds for an integer margin exactly when margin < ⌈bp × customer / 10 000⌉.
  const bp = entry.minMarginBasisPoints;
  const minMarginOfCustomer = bp === null || customer === null ? null : ceilDiv(bp * customer, BASIS);
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item.dated && (at < item.from || at >= item.to)) {
      drop(dropped, item, "not_effective");
      continue;
    }
    if (item.staticDrop !== null) {
      dropped.push(item.staticDrop);
      continue;
    }
    const ic: Interconnect = item.interconnect!;
    if (live.down.size !== 0 && live.down.has(ic.id)) {
      drop(dropped, item, "down");
      continue;
    }
    if (live.channels.size !== 0 && (atLimit(live.channels, ic.id, ic.capacity) || atLimit(live.channels, ic.carrier.id, ic.carrier.routingCapacity))) {
      drop(dropped, item, "capacity");
      continue;
    }
    if (atLimit(live.cps, ic.id, ic.maxCps)) {
      drop(dropped, item, "cps");
      continue;
    }
    if (ic.carrier === ingressCarrier && !ingressCarrier.circularRouting) {
      drop(dropped, item, "circular");
      continue;
    }
    if (ic.blacklistEnabled) {
      const dl = ic.destinationBlacklist === null ? -1 : ic.destinationBlacklist.first(dest);
      if (dl >= 0) {
        drop(dropped, item, "blacklisted_destination", null, dest.slice(0, dl));
        continue;
      }
      const ol = ic.originationBlacklist === null || orig === "" ? -1 : ic.originationBlacklist.first(orig);
      if (ol >= 0) {
        drop(dropped, item, "blacklisted_origination", null, orig.slice(0, ol));
        continue;
      }
    }
    const plan = ic.supplierPlan!;
    const slot = supplierRate(s, item.rateSlot, plan.plan, dest, at, cmpCurrency, customer);
    const handle = memoHandle[slot]!;
    if (handle < 0) {
      drop(dropped, item, "no_rate");
      continue;
    }
    const inPlan = memoInPlan[slot]!;
    if (inPlan === null) {
      drop(dropped, item, "no_fx_rate", null, `${plan.plan.currency}→${cmpCurrency}`);
      continue;
    }
    let stats: QualityStats | null = null;
    if (quality) {
      const q = live.quality.get(ic.id)?.get(entry.data.prefix);
      if (q !== undefined && q.attempts >= entry.data.minSamples) stats = q;
    }
    const route: Route = {
      item,
      interconnect: ic,
      plan,
      handle,
      rateMicros: memoRate[slot]!,
      connectionFeeMicros: memoRef[slot]! >= 0 ? unionConnectionFee(memoUnion[slot]!, memoRef[slot]!) : versionConnectionFee(plan.plan, handle),
      fx: memoFx[slot]!,
      fxIndex: memoFxIndex[slot]!,
      rateInPlanMicros: inPlan,
      marginMicros: memoMargin[slot]!,
      quality: stats,
      destination: "",
      origination: "",
      translations: null,
    };
    if (item.maxRateMicros !== null && inPlan > item.maxRateMicros) {
      drop(dropped, item, "max_rate", route);
      continue;
    }
    if (guard) {
      const margin = route.marginMicros;
      if (margin === null) {
        drop(dropped, item, "no_fx_rate", route, `${d.customerPlan!.plan.currency}→${cmpCurrency}`);
        continue;
      }
      if (margin < 0n) {
        drop(dropped, item, "loss", route);
        continue;
      }
      if (margin < item.minMarginMicros || (minMarginOfCustomer !== null && margin < minMarginOfCustomer)) {
        drop(dropped, item, "min_margin", route);
        continue;
      }
    }
    if (stats !== null) {
      const failed = qualityFailure(entry, stats);
      if (failed !== null) {
        drop(dropped, item, "quality", route, failed);
        continue;
      }
    }
    routes.push(route);
  }

  let ordered = routes;
  switch (entry.strategy) {
    case "lcr":
      sortRoutes(routes, byLcr);
      break;
    case "priority":
      sortRoutes(routes, byPriority);
      break;
    case "priority_lcr":
      sortRoutes(routes, byPriorityLcr);
      break;
    case "quality":
      sortRoutes(routes, entry.data.qualityBase === "lcr" ? byQualityLcr : byQualityPriority);
      break;
    case "weighted":
      ordered = weightedOrder(routes, env.rng);
      break;
  }
  if (ordered.length > entry.maxAttempts) {
    for (let k = entry.maxAttempts; k < ordered.length; k++) drop(dropped, ordered[k]!.item, "max_attempts", ordered[k]!);
    ordered = ordered.slice(0, entry.maxAttempts);
  }
  for (const r of ordered) {
    const ic = r.interconnect;
    T.list = null;
    r.destination = ic.techPrefix + translate(dest, ic.destinationRules, "egress");
    r.origination = orig === "" ? "" : translate(orig, ic.originationRules, "egress");
    r.translations = T.list;
  }
  T.list = null;
  d.routes = ordered;
}

export function decide(s: Snapshot, call: CallInput, env: DecideEnv): Decision {
  const at = call.atMs;
  const d: Decision = {
    outcome: "route",
    reject: null,
    sipStatus: 0,
    q850Cause: 0,
    causeDescription: "",
    rejectDetail: null,
    atMs: at,
    ingress: null,
    matchedBy: call.serviceId === null ? "source" : "service",
    matchedAddress: null,
    service: null,
    serviceDestinationPrefixLength: 0,
    serviceOriginationPrefixLength: 0,
    serviceMatchMismatch: false,
    techPrefix: "",
    destination: "",
    origination: "",
    translations: null,
    blacklist: null,
    customerPlan: null,
    customerHandle: -1,
    customerRateMicros: 0n,
    customerConnectionFeeMicros: 0n,
    customerFx: null,
    customerFxIndex: -1,
    compareCurrency: null,
    customerRateInPlanMicros: null,
    credit: null,
    creditEnforced: env.credit !== allowAllCreditGate,
    limitsChecked: false,
    limitReached: false,
    plan: null,
    entry: null,
    routes: [],
    dropped: [],
  };
  const dialled = call.dialled;
  const calling = call.calling;
  const callingStart = afterPlus(calling, 0);

  // 1. Ingress interconnect and service.
  let service: Service;
  if (call.serviceId !== null) {
    const picked = s.servicesById.get(call.serviceId);
    if (picked === undefined) return reject(s, d, "unknown_service", 403);
    service = picked;
    const tp = service.techPrefix;
    const hasTp = tp !== "" && dialled.startsWith(tp);
    const from = afterPlus(dialled, hasTp ? tp.length : 0);
    const dl = service.destinationMatch === null ? 0 : service.destinationMatch.longest(dialled, from);
    const ol = service.originationMatch === null ? 0 : service.originationMatch.longest(calling, callingStart);
    d.techPrefix = hasTp ? tp : "";
    d.serviceMatchMismatch = dl < 0 || ol < 0;
    d.serviceDestinationPrefixLength = Math.max(dl, 0);
    d.serviceOriginationPrefixLength = Math.max(ol, 0);
  } else {
    M.dialled = dialled;
    M.calling = calling;
    M.callingStart = callingStart;
    M.port = call.sourcePort;
    M.known = false;
    M.best = null;
    M.binding = null;
    M.tie = null;
    M.tp = -1;
    M.dl = -1;
    M.ol = -1;
    s.ingress.forEach(call.sourceIp ?? "", visitBinding);
    const best = M.best as Service | null;
    const binding = M.binding as IngressBinding | null;
    const tie = M.tie as Service | null;
    M.best = M.tie = null;
    M.binding = null;
    if (!M.known) return reject(s, d, "unknown_source", 403);
    if (best === null || binding === null) return reject(s, d, "no_service", 403);
    d.ingress = best.interconnect;
    d.matchedAddress = binding.address;
    if (tie !== null) {
      d.service = best;
      return reject(s, d, "ambiguous_service", 403, tie.name);
    }
    service = best;
    d.techPrefix = service.techPrefix;
    d.serviceDestinationPrefixLength = M.dl;
    d.serviceOriginationPrefixLength = M.ol;
  }
  const ingress = service.interconnect;
  d.ingress = ingress;
  d.service = service;
  if (!ingress.active) return reject(s, d, "interconnect_disabled", 403);
  if (!ingress.carrier.active) return reject(s, d, "carrier_inactive", 403);
  if (!service.active) return reject(s, d, "service_disabled", 403);

  // 2. Numbers: tech prefix, "+"/"00", ingress translations; then blacklists.
  const destStart = afterPlus(dialled, d.techPrefix.length);
  if (!allDigits(dialled, destStart)) return reject(s, d, "invalid_number", 484);
  T.list = null;
  const dest = translate(dialled.slice(destStart), ingress.destinationRules, "ingress");
  const rawOrig = allDigits(calling, callingStart) ? calling.slice(callingStart) : "";
  const orig = rawOrig === "" ? "" : translate(rawOrig, ingress.originationRules, "ingress");
  d.destination = dest;
  d.origination = orig;
  d.translations = T.list;
  T.list = null;
  if (dest === "" || !allDigits(dest, 0)) return reject(s, d, "invalid_number", 484);

  const sd = service.data;
  if (sd.destinationBlacklist && !(service.destinationExceptions !== null && service.destinationExceptions.longest(dest) >= 0)) {
    const hit = blacklistHit(dest, s.globalDestinationBlacklist, ingress.destinationBlacklist, service.destinationBlacklist);
    if (hit !== null) {
      d.blacklist = { list: "destination", scope: hit.scope, value: hit.value };
      return reject(s, d, "blacklisted_destination", 403, hit.value);
    }
  }
  if (orig !== "" && sd.originationBlacklist && !(service.originationExceptions !== null && service.originationExceptions.longest(orig) >= 0)) {
    const hit = blacklistHit(orig, s.globalOriginationBlacklist, ingress.originationBlacklist, service.originationBlacklist);
    if (hit !== null) {
      d.blacklist = { list: "origination", scope: hit.scope, value: hit.value };
      return reject(s, d, "blacklisted_origination", 403, hit.value);
    }
  }

  // 3. Customer rate.
  const plan = service.direct === null ? service.routingPlan : null;
  const noRateSip = service.routingPlan?.noRateSipCode ?? 404;
  const customer = service.ratingPlan;
  if (customer === null) return reject(s, d, "no_rating_plan", noRateSip);
  d.customerPlan = customer;
  // Step 6's entry, found now so its supplier plans are walked with the customer's.
  const entryAhead = service.direct ?? (plan === null ? null : findEntry(plan, dest, at));
  const handle = lookupRates(customer.plan, service.customerLane, entryAhead, dest, at);
  if (handle < 0) return reject(s, d, "no_rate", noRateSip);
  d.customerHandle = handle;
  const rate = C.ref >= 0 ? unionRate(C.union!, C.ref) : versionRate(customer.plan, handle);
  d.customerRateMicros = rate;
  d.customerConnectionFeeMicros = C.ref >= 0 ? unionConnectionFee(C.union!, C.ref) : versionConnectionFee(customer.plan, handle);
  C.union = null;
  const cmpCurrency = plan !== null ? plan.currency : customer.plan.currency;
  d.compareCurrency = cmpCurrency;
  if (customer.plan.currency === cmpCurrency) {
    d.customerRateInPlanMicros = rate;
  } else {
    const fx = s.fx.get(customer.plan.currency)?.get(cmpCurrency) ?? null;
    const i = fx === null ? -1 : fxIndexAt(fx, at);
    d.customerFx = fx;
    d.customerFxIndex = i;
    if (i >= 0) d.customerRateInPlanMicros = convertAt(rate, fx!, i);
  }

  // 4. Credit.
  const verdict = env.credit.check({
    tenantId: s.tenantId,
    carrierId: ingress.carrier.id,
    currency: customer.plan.currency,
    rateMicrosPerMinute: rate,
    connectionFeeMicros: d.customerConnectionFeeMicros,
    at,
  });
  d.credit = verdict;
  if (!verdict.allowed) return reject(s, d, "no_credit", verdict.reason === "insufficient_balance" ? 402 : 403, verdict.detail);

  // 5. Capacity and CPS of the ingress side.
  const live = env.live;
  d.limitsChecked = true;
  const full = atLimit(live.channels, ingress.id, ingress.capacity) || atLimit(live.channels, service.id, sd.capacity) || atLimit(live.channels, ingress.carrier.id, ingress.carrier.routingCapacity);
  const fast = atLimit(live.cps, ingress.id, ingress.maxCps);
  d.limitReached = full || fast;
  if (service.enforce && d.limitReached) return reject(s, d, full ? "capacity" : "cps", 503);

  // 6. Routing.
  let entry: CompiledEntry | null = service.direct;
  if (entry === null) {
    if (plan === null) return reject(s, d, "no_routing_plan", 503);
    d.plan = plan;
    entry = entryAhead;
    if (entry === null) return reject(s, d, "no_route_entry", 503);
  }
  d.entry = entry;
  if (entry.blocked) return reject(s, d, "blocked", 403, entry.data.prefix);
  routeEntry(s, d, entry, ingress.carrier, env);
  if (!d.routes.length) return reject(s, d, "no_route", 503);
  return d;
}

function blacklistHit(
  number: string,
  global: PrefixSet | null,
  interconnect: PrefixSet | null,
  service: PrefixSet | null,
): { scope: "global" | "interconnect" | "service"; value: string } | null {
  let n = global === null ? -1 : global.first(number);
  if (n >= 0) return { scope: "global", value: number.slice(0, n) };
  n = interconnect === null ? -1 : interconnect.first(number);
  if (n >= 0) return { scope: "interconnect", value: number.slice(0, n) };
  n = service === null ? -1 : service.first(number);
  if (n >= 0) return { scope: "service", value: number.slice(0, n) };
  return null;
}
