import { describe, expect, it } from "vitest";
import { compilePlan, type Rate } from "../../rating/engine/index.js";
import { RFC3398_DEFAULTS } from "../../carriers/release-causes.js";
import { allowAllCreditGate, type CreditGate } from "../../credit/gate.js";
import { compileSnapshot, decide, ingressLimits, seededRng, type DecideEnv } from "./index.js";
import type {
  BlacklistData,
  CandidateData,
  CarrierData,
  Decision,
  InterconnectData,
  LiveState,
  QualityStats,
  RatingPlanRef,
  RoutingEntryData,
  RoutingPlanData,
  ServiceData,
  Snapshot,
  SnapshotData,
  TrunkGroupData,
} from "./types.js";

/**
 * Table tests of the decision over a small hand-built world. Every expected figure is
 * worked out by hand in the comments (rates are micro-units per minute).
 */
const T0 = Date.UTC(2024, 0, 1);
const NOW = Date.UTC(2025, 0, 15, 12);
const JUNE = Date.UTC(2025, 5, 1);

function ratingPlan(id: string, currency: string, rates: [string, number][]): RatingPlanRef {
  const list: Rate[] = rates.map(([prefix, micros]) => ({
    prefix,
    destination: `${id} ${prefix}`,
    rateMicrosPerMinute: BigInt(micros),
    connectionFeeMicros: null,
    increments: null,
    timeClass: null,
    effectiveFrom: T0,
    effectiveTo: null,
  }));
  const plan = compilePlan({
    id,
    currency,
    timeZone: "UTC",
    defaults: { increments: { firstS: 60, nextS: 60 }, minimumDurationS: 0, gracePeriodS: 0, connectionFeeMicros: 0n, precisionMicros: 1n },
    timeClasses: [],
    rates: list,
  });
  return { id, name: `Plan ${id}`, plan };
}

// Customer pays: 44 → 0.10, 447 → 0.20, 49 → 0.05, 33 → 0.08, 1 → 0.01 (no 86).
const CUSTOMER = ratingPlan("cust", "USD", [["44", 100_000], ["447", 200_000], ["49", 50_000], ["33", 80_000], ["1", 10_000]]);
// Supplier A (USD), B (EUR: × 1.10 = USD until June 2025, × 1.30 after), C (USD), the bilateral's own.
const SUP_A = ratingPlan("supA", "USD", [["44", 50_000], ["447", 120_000], ["49", 30_000], ["33", 40_000], ["1", 5_000]]);
const SUP_B = ratingPlan("supB", "EUR", [["44", 40_000], ["447", 150_000], ["49", 20_000], ["33", 60_000]]);
const SUP_C = ratingPlan("supC", "USD", [["44", 80_000], ["447", 100_000], ["49", 60_000], ["33", 30_000]]);
const SUP_BI = ratingPlan("supBi", "USD", [["44", 10_000]]);
// At and one micro-unit over the customer's 0.01 for "1".
const SUP_EQ = ratingPlan("supEq", "USD", [["1", 10_000]]);
const SUP_OVER = ratingPlan("supOver", "USD", [["1", 10_001]]);

const carrier = (id: string, over: Partial<CarrierData> = {}): CarrierData => ({ id, name: `Carrier ${id}`, status: "active", routingCapacity: null, circularRouting: false, ...over });
const ingress = (id: string, carrierId: string, address: string, port: number | null, over: Partial<InterconnectData> = {}): InterconnectData => ({
  id,
  carrierId,
  name: `IC ${id}`,
  direction: "ingress",
  status: "active",
  currency: "USD",
  capacity: null,
  addresses: [{ address, port }],
  techPrefix: "",
  maxCps: null,
  translations: [],
  supplierRatingPlanId: null,
  sendTo: [],
  blacklistEnabled: false,
  ...over,
});
const egress = (id: string, carrierId: string, plan: string, currency: string, over: Partial<InterconnectData> = {}): InterconnectData => ({
  id,
  carrierId,
  name: `IC ${id}`,
  direction: "egress",
  status: "active",
  currency,
  capacity: null,
  addresses: [],
  techPrefix: "",
  maxCps: null,
  translations: [],
  supplierRatingPlanId: plan,
  sendTo: [{ address: `192.0.2.${id.length}`, port: 5060, transport: "udp" }],
  blacklistEnabled: true,
  ...over,
});
const service = (id: string, interconnectId: string, over: Partial<ServiceData> = {}): ServiceData => ({
  id,
  interconnectId,
  name: `Service ${id}`,
  status: "active",
  ratingPlanId: "cust",
  routingPlanId: "plan",
  routingMethod: "routing_plan",
  routeToInterconnectId: null,
  capacity: null,
  techPrefix: "",
  destinationMatch: [],
  originationMatch: [],
  originationBlacklist: true,
  destinationBlacklist: true,
  originationExceptions: [],
  destinationExceptions: [],
  enforcementPolicy: "enforce",
  ...over,
});
let candidateSeq = 0;
const cand = (target: string, over: Partial<CandidateData> = {}): CandidateData => ({
  id: `cand-${++candidateSeq}`,
  interconnectId: target.startsWith("tg") ? null : target,
  trunkGroupId: target.startsWith("tg") ? target : null,
  priority: 1,
  weight: 0,
  blocked: false,
  maxSupplierRateMicros: null,
  minMarginMicros: null,
  effectiveFrom: null,
  effectiveTo: null,
  ...over,
});
const entry = (prefix: string, candidates: CandidateData[], over: Partial<RoutingEntryData> = {}): RoutingEntryData => ({
  id: `entry-${prefix}-${++candidateSeq}`,
  prefix,
  description: null,
  strategy: "lcr",
  qualityBase: "lcr",
  minAsrPercent: null,
  minAcdS: null,
  maxPddMs: null,
  minSamples: 10,
  blocked: false,
  maxSupplierRateMicros: null,
  profitGuard: true,
  minMarginMicros: 0n,
  minMarginPercent: null,
  maxAttempts: null,
  effectiveFrom: null,
  effectiveTo: null,
  candidates,
  ...over,
});

interface World {
  carriers: CarrierData[];
  interconnects: InterconnectData[];
  services: ServiceData[];
  trunkGroups: TrunkGroupData[];
  blacklist: BlacklistData[];
  entries: RoutingEntryData[];
  plan: Omit<RoutingPlanData, "entries">;
  fx: SnapshotData["fxRates"][number][];
}

/** The base world: customer "cust" on 10.0.0.1 (services "main" 7# all, "uk" 7# → 44), bilateral "bi" on 10.0.0.2:5060. */
function world(): World {
  return {
    carriers: [carrier("cust"), carrier("bi"), carrier("a"), carrier("b"), carrier("c")],
    interconnects: [
      ingress("in", "cust", "10.0.0.1", null),
      ingress("inBi", "bi", "10.0.0.2", 5060),
      egress("A", "a", "supA", "USD", { techPrefix: "11#" }),
      egress("B", "b", "supB", "EUR"),
      egress("C", "c", "supC", "USD"),
      egress("BiOut", "bi", "supBi", "USD"),
    ],
    services: [service("main", "in", { techPrefix: "7#" }), service("uk", "in", { techPrefix: "7#", destinationMatch: ["44"] }), service("svcBi", "inBi")],
    trunkGroups: [{ id: "tg1", name: "Tier 1", direction: "egress", memberIds: ["A", "B"] }],
    blacklist: [],
    entries: [entry("", [cand("A"), cand("B"), cand("C")])],
    plan: { id: "plan", name: "Plan", currency: "USD", maxAttempts: 5, noRateSipCode: 404 },
    fx: [
      { base: "EUR", quote: "USD", rateNanos: 1_100_000_000n, effectiveFrom: T0 },
      { base: "EUR", quote: "USD", rateNanos: 1_300_000_000n, effectiveFrom: JUNE },
    ],
  };
}

function compile(w: World, previous: Snapshot | null = null, ratingPlans = [CUSTOMER, SUP_A, SUP_B, SUP_C, SUP_BI, SUP_EQ, SUP_OVER]) {
  return compileSnapshot({
    tenantId: "t1",
    carriers: w.carriers,
    interconnects: w.interconnects,
    services: w.services,
    trunkGroups: w.trunkGroups,
    blacklist: w.blacklist,
    releaseCauses: RFC3398_DEFAULTS,
    fxRates: w.fx,
    routingPlans: [{ ...w.plan, entries: w.entries }],
    ratingPlans: new Map(ratingPlans.map((p) => [p.id, p])),
  }, previous);
}

const emptyLive = (): LiveState => ({ down: new Set(), channels: new Map(), cps: new Map(), quality: new Map() });
const env = (over: Partial<DecideEnv> = {}): DecideEnv => ({ credit: allowAllCreditGate, live: emptyLive(), rng: seededRng(1), ...over });

interface Call {
  ip?: string;
  port?: number | null;
  serviceId?: string;
  dialled: string;
  calling?: string;
  at?: number;
}
function run(w: World, call: Call, e: DecideEnv = env()): Decision {
  return decide(
    compile(w),
    { sourceIp: call.serviceId ? null : (call.ip ?? "10.0.0.1"), sourcePort: call.port ?? null, serviceId: call.serviceId ?? null, dialled: call.dialled, calling: call.calling ?? "", atMs: call.at ?? NOW },
    e,
  );
}
const order = (d: Decision) => d.routes.map((r) => r.interconnect.id);
/** Drops by interconnect id (or, when the target is gone, the id the candidate names). */
const drops = (d: Decision) =>
  Object.fromEntries(d.dropped.map((x) => [x.item.interconnect?.id ?? x.item.candidate?.interconnectId ?? x.item.candidate?.trunkGroupId ?? "?", x.reason]));
const ic = (w: World, id: string) => w.interconnects.find((i) => i.id === id)!;
const svc = (w: World, id: string) => w.services.find((s) => s.id === id)!;

describe("ingress identification", () => {
  it.each<[string, Call, string | null, string | null]>([
    ["longest destination match wins (uk over main)", { dialled: "7#442071234567" }, "uk", null],
    ["all-destination service for other numbers", { dialled: "7#33123456789" }, "main", null],
    ["a number with + after the tech prefix", { dialled: "7#+442071234567" }, "uk", null],
    ["unknown source address", { ip: "10.9.9.9", dialled: "7#442071234567" }, null, "unknown_source"],
    ["known source, no service for the tech prefix", { dialled: "8#442071234567" }, null, "no_service"],
    ["port must match when the address names one", { ip: "10.0.0.2", port: 5070, dialled: "442071234567" }, null, "unknown_source"],
    ["matching port", { ip: "10.0.0.2", port: 5060, dialled: "442071234567" }, "svcBi", null],
    ["no source port: address ports do not exclude", { ip: "10.0.0.2", dialled: "442071234567" }, "svcBi", null],
  ])("%s", (_label, call, serviceId, reason) => {
    const d = run(world(), call);
    expect(d.reject).toBe(reason);
    expect(d.service?.id ?? null).toBe(serviceId);
    if (reason) {
      expect(d.sipStatus).toBe(403);
      expect(d.q850Cause).toBe(21);
    }
  });

  it("CIDR sources and the longer tech prefix", () => {
    const w = world();
    w.interconnects.push(ingress("inNet", "cust", "10.1.0.0/16", null));
    w.services.push(service("short", "inNet", { techPrefix: "5" }), service("long", "inNet", { techPrefix: "55#" }));
    expect(run(w, { ip: "10.1.200.3", dialled: "55#441234" }).service?.id).toBe("long");
    expect(run(w, { ip: "10.1.200.3", dialled: "5441234" }).service?.id).toBe("short");
    expect(run(w, { ip: "10.2.0.1", dialled: "5441234" }).reject).toBe("unknown_source");
  });

  it("two services matching equally are ambiguous, and say which", () => {
    const w = world();
    w.services.push(service("twin", "in", { techPrefix: "7#", destinationMatch: ["44"] }));
    const d = run(w, { dialled: "7#442071234567" });
    expect(d.reject).toBe("ambiguous_service");
    expect(d.rejectDetail).toMatch(/Service (uk|twin)/);
    expect(d.sipStatus).toBe(403);
  });

  it("origination match splits services", () => {
    const w = world();
    svc(w, "uk").originationMatch = ["1"];
    expect(run(w, { dialled: "7#442071234567", calling: "+12125550100" }).service?.id).toBe("uk");
    expect(run(w, { dialled: "7#442071234567", calling: "33123" }).service?.id).toBe("main");
  });

  it("picking a service by id strips its tech prefix if dialled", () => {
    const d = run(world(), { serviceId: "uk", dialled: "442071234567" });
    expect(d.matchedBy).toBe("service");
    expect(d.destination).toBe("442071234567");
    const d2 = run(world(), { serviceId: "uk", dialled: "7#442071234567" });
    expect(d2.techPrefix).toBe("7#");
    expect(d2.destination).toBe("442071234567");
    expect(run(world(), { serviceId: "uk", dialled: "33123456" }).serviceMatchMismatch).toBe(true);
    expect(run(world(), { serviceId: "nope", dialled: "33123456" }).reject).toBe("unknown_service");
  });

  it.each<[string, (w: World) => void, string]>([
    ["disabled ingress interconnect", (w) => void (ic(w, "in").status = "disabled"), "interconnect_disabled"],
    ["suspended customer", (w) => void (w.carriers[0]!.status = "suspended"), "carrier_inactive"],
    ["disabled service", (w) => void (svc(w, "uk").status = "disabled"), "service_disabled"],
  ])("%s → 403", (_label, change, reason) => {
    const w = world();
    change(w);
    const d = run(w, { dialled: "7#442071234567" });
    expect([d.reject, d.sipStatus]).toEqual([reason, 403]);
  });
});

describe("numbers and translations", () => {
  it("ingress translation, then egress translation and tech prefix per route", () => {
    const w = world();
    ic(w, "in").translations = [{ field: "destination", matchPrefix: "0", strip: 1, prepend: "44" }, { field: "origination", matchPrefix: "", strip: 0, prepend: "+1" }];
    ic(w, "A").translations = [{ field: "destination", matchPrefix: "44", strip: 0, prepend: "00" }];
    const d = run(w, { dialled: "7#02071234567", calling: "2125550100" });
    expect(d.destination).toBe("442071234567");
    expect(d.origination).toBe("12125550100");
    expect(d.translations?.map((t) => [t.side, t.before, t.after])).toEqual([["ingress", "02071234567", "442071234567"], ["ingress", "2125550100", "12125550100"]]);
    const a = d.routes.find((r) => r.interconnect.id === "A")!;
    expect(a.destination).toBe("11#00442071234567");
    expect(a.translations?.[0]?.after).toBe("00442071234567");
    expect(d.routes.find((r) => r.interconnect.id === "B")!.destination).toBe("442071234567");
  });

  it("leftover # or * after the tech prefix is an invalid number (484)", () => {
    const d = run(world(), { dialled: "7#9#4420" });
    expect([d.reject, d.sipStatus, d.q850Cause]).toEqual(["invalid_number", 484, 28]);
  });
});

describe("blacklists with exceptions", () => {
  const bl = (over: Partial<BlacklistData>): BlacklistData => ({ list: "destination", matchType: "prefix", value: "4491", scope: "global", serviceId: null, interconnectId: null, ...over });
  it.each<[string, BlacklistData[], Partial<ServiceData>, string, string | null, string | null]>([
    ["global prefix", [bl({})], {}, "7#449112345", "blacklisted_destination", "global"],
    ["not listed", [bl({})], {}, "7#449212345", null, null],
    ["service exception exempts", [bl({})], { destinationExceptions: ["44911"] }, "7#449112345", null, null],
    ["an exception elsewhere does not", [bl({})], { destinationExceptions: ["44912"] }, "7#449112345", "blacklisted_destination", "global"],
    ["blacklist off on the service", [bl({})], { destinationBlacklist: false }, "7#449112345", null, null],
    ["exact entry: only the whole number", [bl({ matchType: "exact", value: "449112345" })], {}, "7#449112345", "blacklisted_destination", "global"],
    ["exact entry: a longer number passes", [bl({ matchType: "exact", value: "449112345" })], {}, "7#4491123456", null, null],
    ["service-scoped", [bl({ scope: "service", serviceId: "uk" })], {}, "7#449112345", "blacklisted_destination", "service"],
    ["another service's entry", [bl({ scope: "service", serviceId: "main" })], {}, "7#449112345", null, null],
    ["ingress interconnect's own", [bl({ scope: "interconnect", interconnectId: "in" })], {}, "7#449112345", "blacklisted_destination", "interconnect"],
    ["origination list", [bl({ list: "origination", value: "3312" })], {}, "7#449212345", "blacklisted_origination", "global"],
    ["origination exception", [bl({ list: "origination", value: "3312" })], { originationExceptions: ["331"] }, "7#449212345", null, null],
  ])("%s", (_label, entries, serviceOver, dialled, reason, scope) => {
    const w = world();
    w.blacklist = entries;
    Object.assign(svc(w, "uk"), serviceOver);
    const d = run(w, { dialled, calling: "33123456" });
    expect(d.reject).toBe(reason);
    expect(d.blacklist?.scope ?? null).toBe(scope);
    if (reason) expect([d.sipStatus, d.q850Cause]).toEqual([403, 21]);
  });

  it("an egress interconnect's blacklist drops that candidate only (when enabled)", () => {
    const w = world();
    w.blacklist = [{ list: "destination", matchType: "prefix", value: "447", scope: "interconnect", serviceId: null, interconnectId: "A" }];
    const d = run(w, { dialled: "7#447700900123" });
    expect(drops(d)).toEqual({ A: "blacklisted_destination" });
    expect(d.dropped[0]!.detail).toBe("447");
    ic(w, "A").blacklistEnabled = false;
    expect(order(run(w, { dialled: "7#447700900123" }))).toContain("A");
  });
});

describe("plan unions", () => {
  it("a rebuild takes over the previous snapshot's union while its plans are unchanged; a new deck gets a new one", () => {
    const first = compile(world());
    expect(first.planUnions).toHaveLength(1);
    expect(first.planUnions[0]!.plans).toHaveLength(7);
    const again = compile(world(), first);
    expect(again.planUnions[0]).toBe(first.planUnions[0]);
    // Supplier A's deck replaced: A becomes the cheapest for 44 (0.001).
    const cheaperA = ratingPlan("supA", "USD", [["44", 1_000]]);
    const changed = compile(world(), again, [CUSTOMER, cheaperA, SUP_B, SUP_C, SUP_BI, SUP_EQ, SUP_OVER]);
    expect(changed.planUnions[0]).not.toBe(first.planUnions[0]);
    const call = { sourceIp: "10.0.0.1", sourcePort: null, serviceId: null, dialled: "7#442071234567", calling: "", atMs: NOW };
    expect(order(decide(again, call, env()))).toEqual(["B", "A", "C"]);
    const d = decide(changed, call, env());
    expect(order(d)).toEqual(["A", "B", "C"]);
    expect(d.routes[0]!.rateInPlanMicros).toBe(1_000n);
  });

  it("an entry whose supplier plans span two unions walks both, and rates each candidate in its own plan", () => {
    // 40 suppliers (more than a union holds), each its own deck for 44: 0.040000 + n micro-units … down to n = 0.
    const suppliers = Array.from({ length: 40 }, (_, n) => ratingPlan(`s${n}`, "USD", [["44", 40_000 - n]]));
    const w = world();
    for (let n = 0; n < 40; n++) w.interconnects.push(egress(`E${n}`, "c", `s${n}`, "USD"));
    w.entries = [entry("44", Array.from({ length: 40 }, (_, n) => cand(`E${n}`)), { maxAttempts: 40 })];
    const s = compile(w, null, [CUSTOMER, ...suppliers]);
    expect(s.planUnions.length).toBe(2);
    const d = decide(s, { sourceIp: "10.0.0.1", sourcePort: null, serviceId: null, dialled: "7#442071234567", calling: "", atMs: NOW }, env());
    expect(d.customerRateMicros).toBe(100_000n);
    expect(order(d)).toEqual(Array.from({ length: 40 }, (_, n) => `E${39 - n}`));
    expect(d.routes.map((r) => r.rateMicros)).toEqual(Array.from({ length: 40 }, (_, n) => BigInt(40_000 - 39 + n)));
  });
});

describe("strategies", () => {
  it("LCR orders by the supplier rate in the plan's currency (EUR converted at the call time)", () => {
    // 44: A 0.050 USD, B 0.040 EUR × 1.10 = 0.044 USD, C 0.080 USD → B, A, C.
    const d = run(world(), { dialled: "7#442071234567" });
    expect(order(d)).toEqual(["B", "A", "C"]);
    expect(d.routes.map((r) => r.rateInPlanMicros)).toEqual([44_000n, 50_000n, 80_000n]);
    expect(d.routes.map((r) => r.marginMicros)).toEqual([56_000n, 50_000n, 20_000n]);
    expect(d.routes[0]!.rateMicros).toBe(40_000n);
    // From June the EUR rate is 1.30: B = 0.052 USD → A, B, C.
    const june = run(world(), { dialled: "7#442071234567", at: JUNE + 1 });
    expect(order(june)).toEqual(["A", "B", "C"]);
    expect(june.routes[1]!.rateInPlanMicros).toBe(52_000n);
  });

  it("rates every supplier plan alike however the plans are walked: one shared with the customer, one used twice", () => {
    // 447: customer 0.20; A 0.12, C 0.10, D (rated in the customer's own plan) 0.20 — margin 0, kept.
    const w = world();
    w.carriers.push(carrier("d"));
    w.interconnects.push(egress("D", "d", "cust", "USD"), egress("A2", "a", "supA", "USD"));
    w.entries = [entry("", [cand("D"), cand("A"), cand("C"), cand("A2")])];
    const d = run(w, { dialled: "7#447700900123" });
    expect(d.customerRateMicros).toBe(200_000n);
    expect(order(d)).toEqual(["C", "A", "A2", "D"]);
    expect(d.routes.map((r) => r.rateMicros)).toEqual([100_000n, 120_000n, 120_000n, 200_000n]);
    expect(d.routes[3]!.marginMicros).toBe(0n);
  });

  it("priority: candidate priority, then position", () => {
    const w = world();
    w.entries = [entry("", [cand("A", { priority: 2 }), cand("B", { priority: 3 }), cand("C", { priority: 1 })], { strategy: "priority" })];
    expect(order(run(w, { dialled: "7#442071234567" }))).toEqual(["C", "A", "B"]);
  });

  it("priority groups with LCR inside", () => {
    // group 1: A 0.050, C 0.080 → A, C; group 2: B.
    const w = world();
    w.entries = [entry("", [cand("C", { priority: 1 }), cand("B", { priority: 2 }), cand("A", { priority: 1 })], { strategy: "priority_lcr" })];
    expect(order(run(w, { dialled: "7#442071234567" }))).toEqual(["A", "C", "B"]);
  });

  it("weighted: 70/30 within ±2 % over 10 000 draws, weight-0 candidates as fallback, reproducible by seed", () => {
    const w = world();
    w.entries = [entry("", [cand("A", { weight: 70 }), cand("B", { weight: 30 }), cand("C")], { strategy: "weighted" })];
    const snapshot = compile(w);
    const e = env({ rng: seededRng(20250115) });
    const firsts = { A: 0, B: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i++) {
      const d = decide(snapshot, { sourceIp: "10.0.0.1", sourcePort: null, serviceId: null, dialled: "7#442071234567", calling: "", atMs: NOW }, e);
      firsts[d.routes[0]!.interconnect.id]! += 1;
      expect(d.routes[2]!.interconnect.id).toBe("C");
    }
    expect(Math.abs(firsts.A! / 10_000 - 0.7)).toBeLessThan(0.02);
    expect(Math.abs(firsts.B! / 10_000 - 0.3)).toBeLessThan(0.02);
    const again = (seed: number) => order(decide(snapshot, { sourceIp: "10.0.0.1", sourcePort: null, serviceId: null, dialled: "7#442071234567", calling: "", atMs: NOW }, env({ rng: seededRng(seed) })));
    for (let seed = 0; seed < 20; seed++) expect(again(seed)).toEqual(again(seed));
  });

  it("weighted: the split is among the candidates that survive", () => {
    const w = world();
    w.entries = [entry("", [cand("A", { weight: 70 }), cand("B", { weight: 30 })], { strategy: "weighted" })];
    ic(w, "A").status = "disabled";
    for (let seed = 0; seed < 50; seed++) expect(order(run(w, { dialled: "7#442071234567" }, env({ rng: seededRng(seed) })))).toEqual(["B"]);
  });

  it("quality: thresholds filter, ASR × ACD reorders, candidates without enough statistics last (in base order)", () => {
    const w = world();
    w.interconnects.push(egress("D", "c", "supA", "USD"));
    w.entries = [entry("44", [cand("A"), cand("B"), cand("C"), cand("D")], { strategy: "quality", qualityBase: "lcr", minAsrPercent: 30, maxPddMs: 5000, minSamples: 10 })];
    const stats = (asrPercent: number, acdS: number, pddMs: number, attempts = 100): QualityStats => ({ asrPercent, acdS, pddMs, attempts });
    const quality = new Map<string, Map<string, QualityStats>>([
      ["A", new Map([["44", stats(20, 60, 2000)]])], // ASR below 30 → dropped
      ["B", new Map([["44", stats(50, 90, 3000)]])], // score 4 500
      ["C", new Map([["44", stats(40, 200, 4000)]])], // score 8 000
      ["D", new Map([["44", stats(90, 300, 1000, 5)]])], // 5 attempts < 10: no statistics
    ]);
    const d = run(w, { dialled: "7#442071234567" }, env({ live: { ...emptyLive(), quality } }));
    expect(order(d)).toEqual(["C", "B", "D"]);
    expect(drops(d)).toEqual({ A: "quality" });
    expect(d.dropped[0]!.detail).toBe("ASR 20% < 30%");
    expect(d.routes[2]!.quality).toBeNull();
  });
});

describe("profit guard, caps and attempts", () => {
  // 49: customer 0.050; A 0.030 (margin 0.020 = 40 %), B 0.020 EUR = 0.022 USD (margin 0.028 = 56 %), C 0.060 (loss).
  it.each<[string, Partial<RoutingEntryData>, string[], Record<string, string>]>([
    ["drops a loss", {}, ["B", "A"], { C: "loss" }],
    ["minimum margin 0.025", { minMarginMicros: 25_000n }, ["B"], { A: "min_margin", C: "loss" }],
    ["minimum margin 50 %", { minMarginPercent: 50 }, ["B"], { A: "min_margin", C: "loss" }],
    ["minimum margin exactly 40 % keeps A", { minMarginPercent: 40 }, ["B", "A"], { C: "loss" }],
    ["guard off keeps the loss", { profitGuard: false }, ["B", "A", "C"], {}],
    ["entry maximum 0.025: A and C too dear", { maxSupplierRateMicros: 25_000n }, ["B"], { A: "max_rate", C: "max_rate" }],
    ["max attempts 1", { maxAttempts: 1 }, ["B"], { A: "max_attempts", C: "loss" }],
  ])("%s", (_label, over, expected, dropped) => {
    const w = world();
    w.entries = [entry("49", [cand("A"), cand("B"), cand("C")], over)];
    const d = run(w, { dialled: "7#4930123456" });
    expect(order(d)).toEqual(expected);
    expect(drops(d)).toEqual(dropped);
  });

  it("a zero margin passes; one micro-unit of loss does not", () => {
    const w = world();
    w.interconnects.push(egress("Eq", "c", "supEq", "USD"), egress("Over", "c", "supOver", "USD"));
    w.entries = [entry("1", [cand("Over"), cand("Eq")])];
    const d = run(w, { dialled: "7#12125550100" });
    expect(order(d)).toEqual(["Eq"]);
    expect(d.routes[0]!.marginMicros).toBe(0n);
    expect(drops(d)).toEqual({ Over: "loss" });
    expect(d.dropped[0]!.route?.marginMicros).toBe(-1n);
  });

  it("a minimum margin percent compares exactly, below a micro-unit", () => {
    // 49: customer 0.033333, A 0.030: margin 0.003333 is 9.999 % — under 10 %, at least 9.99 %.
    const plans = [ratingPlan("cust", "USD", [["49", 33_333]]), SUP_A];
    const margin = (minMarginPercent: number) => {
      const w = world();
      w.entries = [entry("49", [cand("A")], { minMarginPercent })];
      const d = decide(compile(w, null, plans), { sourceIp: "10.0.0.1", sourcePort: null, serviceId: null, dialled: "7#4930123456", calling: "", atMs: NOW }, env());
      return d.reject ?? d.routes[0]!.marginMicros;
    };
    expect(margin(10)).toBe("no_route");
    expect(margin(9.99)).toBe(3_333n);
  });

  it("candidate maximum and minimum margin override the entry's", () => {
    const w = world();
    // 44: customer 0.10; A 0.050 (margin 0.050) with its own minimum 0.060; B 0.044 USD over its own maximum 0.040; C 0.080 (margin 0.020).
    w.entries = [entry("44", [cand("A", { minMarginMicros: 60_000n }), cand("B", { maxSupplierRateMicros: 40_000n }), cand("C")], { minMarginMicros: 10_000n })];
    const d = run(w, { dialled: "7#442071234567" });
    expect(order(d)).toEqual(["C"]);
    expect(drops(d)).toEqual({ A: "min_margin", B: "max_rate" });
  });

  it("dropped candidates keep their rate figures once the rate was found", () => {
    const w = world();
    w.entries = [entry("49", [cand("C")])];
    const d = run(w, { dialled: "7#4930123456" });
    expect(d.reject).toBe("no_route");
    expect(d.dropped[0]!.route?.marginMicros).toBe(-10_000n);
  });

  it("plan-level max attempts applies when the entry has none", () => {
    const w = world();
    w.plan.maxAttempts = 2;
    expect(order(run(w, { dialled: "7#442071234567" }))).toEqual(["B", "A"]);
  });
});

describe("candidate drops", () => {
  it.each<[string, (w: World, live: LiveState & { channels: Map<string, number>; cps: Map<string, number>; down: Set<string> }) => void, Record<string, string>]>([
    ["disabled interconnect", (w) => void (ic(w, "A").status = "disabled"), { A: "disabled" }],
    ["testing is not active", (w) => void (ic(w, "A").status = "testing"), { A: "disabled" }],
    ["suspended supplier carrier", (w) => void (w.carriers.find((c) => c.id === "c")!.status = "suspended"), { C: "carrier_inactive" }],
    ["marked down by monitoring", (_w, live) => void live.down.add("B"), { B: "down" }],
    ["interconnect at capacity", (w, live) => { ic(w, "A").capacity = 10; live.channels.set("A", 10); }, { A: "capacity" }],
    ["below capacity", (w, live) => { ic(w, "A").capacity = 10; live.channels.set("A", 9); }, {}],
    ["supplier carrier at capacity", (w, live) => { w.carriers.find((c) => c.id === "c")!.routingCapacity = 3; live.channels.set("c", 3); }, { C: "capacity" }],
    ["at the CPS limit", (w, live) => { ic(w, "B").maxCps = 5; live.cps.set("B", 5); }, { B: "cps" }],
    ["no supplier plan", (w) => void (ic(w, "C").supplierRatingPlanId = null), { C: "no_supplier_plan" }],
    ["blocked candidate", (w) => void (w.entries[0]!.candidates = [cand("A"), cand("B", { blocked: true }), cand("C")]), { B: "blocked" }],
    ["deleted interconnect", (w) => void (w.interconnects = w.interconnects.filter((i) => i.id !== "C")), { C: "unavailable" }],
    ["an ingress interconnect as candidate", (w) => void (w.entries[0]!.candidates = [cand("A"), cand("B"), cand("in")]), { in: "not_egress" }],
    ["candidate not yet effective", (w) => void (w.entries[0]!.candidates = [cand("A"), cand("B"), cand("C", { effectiveFrom: JUNE })]), { C: "not_effective" }],
    ["no FX rate for EUR", (w) => void (w.fx = []), { B: "no_fx_rate" }],
  ])("%s", (_label, change, expected) => {
    const w = world();
    const live = { down: new Set<string>(), channels: new Map<string, number>(), cps: new Map<string, number>(), quality: new Map() };
    change(w, live);
    const d = run(w, { dialled: "7#442071234567" }, env({ live }));
    expect(drops(d)).toEqual(expected);
    expect(d.outcome).toBe("route");
  });

  it("supplier without a rate for the number", () => {
    // B and C have no "1" prefix.
    const d = run(world(), { dialled: "7#12125550100" });
    expect(order(d)).toEqual(["A"]);
    expect(drops(d)).toEqual({ B: "no_rate", C: "no_rate" });
  });

  it("circular routing: the bilateral's own egress is dropped unless the carrier allows it", () => {
    const w = world();
    w.entries = [entry("", [cand("BiOut"), cand("A")])];
    const d = run(w, { ip: "10.0.0.2", port: 5060, dialled: "442071234567" });
    expect(order(d)).toEqual(["A"]);
    expect(drops(d)).toEqual({ BiOut: "circular" });
    w.carriers.find((c) => c.id === "bi")!.circularRouting = true;
    expect(order(run(w, { ip: "10.0.0.2", port: 5060, dialled: "442071234567" }))).toEqual(["BiOut", "A"]);
    // Another customer may use the bilateral's egress.
    expect(order(run(w, { dialled: "7#442071234567" }))).toEqual(["BiOut", "A"]);
  });

  it("trunk groups expand to their members; an interconnect listed twice is tried once", () => {
    const w = world();
    w.entries = [entry("", [cand("tg1", { priority: 1 }), cand("A", { priority: 2 }), cand("C", { priority: 3 })], { strategy: "priority" })];
    const d = run(w, { dialled: "7#442071234567" });
    expect(order(d)).toEqual(["A", "B", "C"]);
    expect(d.routes[0]!.item.trunkGroup?.name).toBe("Tier 1");
    expect(drops(d)).toEqual({ A: "duplicate" });
  });

  it("every candidate dropped → no route, 503, with the drops listed", () => {
    const w = world();
    for (const id of ["A", "B", "C"]) ic(w, id).status = "disabled";
    const d = run(w, { dialled: "7#442071234567" });
    expect([d.reject, d.sipStatus, d.q850Cause]).toEqual(["no_route", 503, 41]);
    expect(d.dropped.map((x) => x.reason)).toEqual(["disabled", "disabled", "disabled"]);
  });
});

describe("entries", () => {
  it("longest live prefix wins; effective dates schedule a change; a future-only entry falls back", () => {
    const w = world();
    const MARCH = Date.UTC(2025, 2, 1);
    w.entries = [
      entry("", [cand("C")]),
      entry("44", [cand("A"), cand("B")], { effectiveTo: MARCH }),
      entry("44", [cand("C"), cand("A")], { strategy: "priority", effectiveFrom: MARCH }),
      entry("447", [cand("B")], { effectiveFrom: Date.UTC(2026, 0, 1) }),
    ];
    expect(order(run(w, { dialled: "7#442071234567" }))).toEqual(["B", "A"]);
    expect(order(run(w, { dialled: "7#442071234567", at: MARCH }))).toEqual(["C", "A"]);
    const mobile = run(w, { dialled: "7#447700900123" });
    expect(mobile.entry?.data.prefix).toBe("44");
    expect(order(run(w, { dialled: "7#33123456789" }))).toEqual(["C"]);
  });

  it.each<[string, (w: World) => void, string, number, number]>([
    ["no live entry → 503", (w) => void (w.entries = [entry("49", [cand("A")])]), "no_route_entry", 503, 41],
    ["blocked entry → 403", (w) => void (w.entries = [entry("44", [cand("A")], { blocked: true })]), "blocked", 403, 21],
    ["no routing plan → 503", (w) => void (svc(w, "uk").routingPlanId = null), "no_routing_plan", 503, 41],
  ])("%s", (_label, change, reason, sip, q850) => {
    const w = world();
    change(w);
    const d = run(w, { dialled: "7#442071234567" });
    expect([d.reject, d.sipStatus, d.q850Cause]).toEqual([reason, sip, q850]);
  });

  it("a service routing straight to an interconnect", () => {
    const w = world();
    Object.assign(svc(w, "uk"), { routingMethod: "interconnect", routeToInterconnectId: "C", routingPlanId: null });
    const d = run(w, { dialled: "7#442071234567" });
    expect(order(d)).toEqual(["C"]);
    expect(d.entry?.direct).toBe(true);
    expect(d.plan).toBeNull();
    expect(d.routes[0]!.marginMicros).toBe(20_000n);
  });
});

describe("customer rate, credit, capacity", () => {
  it.each<[string, number, string, number, number]>([
    ["no rate, plan says 404", 404, "no_rate", 404, 1],
    ["no rate, plan says 484", 484, "no_rate", 484, 28],
  ])("%s", (_label, sip, reason, status, q850) => {
    const w = world();
    w.plan.noRateSipCode = sip;
    const d = run(w, { dialled: "7#8613800138000" });
    expect([d.reject, d.sipStatus, d.q850Cause]).toEqual([reason, status, q850]);
  });

  it("no customer rating plan", () => {
    const w = world();
    svc(w, "main").ratingPlanId = null;
    expect(run(w, { dialled: "7#33123456" }).reject).toBe("no_rating_plan");
  });

  it("customer rate is looked up and converted to the plan's currency", () => {
    const w = world();
    w.plan.currency = "EUR";
    // 44: customer 0.10 USD = 0.10 / 1.10 EUR = 0.090909 EUR; B 0.040 EUR; A 0.050 USD = 0.045455 EUR.
    const d = run(w, { dialled: "7#442071234567" });
    expect(d.customerRateMicros).toBe(100_000n);
    expect(d.customerRateInPlanMicros).toBe(90_909n);
    expect(order(d)).toEqual(["B", "A", "C"]);
    expect(d.routes.map((r) => r.rateInPlanMicros)).toEqual([40_000n, 45_455n, 72_727n]);
    expect(d.routes[0]!.marginMicros).toBe(50_909n);
  });

  it("without an FX rate for the customer's currency the profit guard cannot pass", () => {
    const w = world();
    w.plan.currency = "EUR";
    w.fx = [];
    const d = run(w, { dialled: "7#442071234567" });
    expect(d.customerRateInPlanMicros).toBeNull();
    expect(d.reject).toBe("no_route");
    expect(new Set(d.dropped.map((x) => x.reason))).toEqual(new Set(["no_fx_rate"]));
  });

  it("the allow-all gate allows and says it does not enforce", () => {
    const d = run(world(), { dialled: "7#442071234567" });
    expect(d.credit).toEqual({ allowed: true, detail: expect.stringMatching(/allow-all/) });
    expect(d.creditEnforced).toBe(false);
  });

  it.each<[string, "insufficient_balance" | "credit_limit", number]>([
    ["prepaid balance exhausted → 402", "insufficient_balance", 402],
    ["credit limit → 403", "credit_limit", 403],
  ])("%s", (_label, reason, sip) => {
    const seen: unknown[] = [];
    const gate: CreditGate = { check: (r) => (seen.push(r), { allowed: false, reason, detail: `refused: ${reason}` }) };
    const d = run(world(), { dialled: "7#442071234567" }, env({ credit: gate }));
    expect([d.reject, d.sipStatus, d.q850Cause, d.rejectDetail]).toEqual(["no_credit", sip, 21, `refused: ${reason}`]);
    expect(d.creditEnforced).toBe(true);
    expect(seen).toEqual([{ tenantId: "t1", carrierId: "cust", currency: "USD", rateMicrosPerMinute: 100_000n, connectionFeeMicros: 0n, at: NOW }]);
  });

  it.each<[string, (w: World, live: { channels: Map<string, number>; cps: Map<string, number> }) => void, string | null]>([
    ["interconnect channels full", (w, l) => { ic(w, "in").capacity = 5; l.channels.set("in", 5); }, "capacity"],
    ["service channels full", (w, l) => { svc(w, "uk").capacity = 2; l.channels.set("uk", 2); }, "capacity"],
    ["carrier channels full", (w, l) => { w.carriers[0]!.routingCapacity = 7; l.channels.set("cust", 7); }, "capacity"],
    ["ingress CPS", (w, l) => { ic(w, "in").maxCps = 3; l.cps.set("in", 3); }, "cps"],
    ["room left", (w, l) => { ic(w, "in").capacity = 5; l.channels.set("in", 4); }, null],
    ["monitor policy reports and goes on", (w, l) => { ic(w, "in").capacity = 5; l.channels.set("in", 5); svc(w, "uk").enforcementPolicy = "monitor"; }, null],
  ])("%s", (_label, change, reason) => {
    const w = world();
    const live = { ...emptyLive(), channels: new Map<string, number>(), cps: new Map<string, number>() };
    change(w, live);
    const d = run(w, { dialled: "7#442071234567" }, env({ live }));
    expect(d.reject).toBe(reason);
    if (reason) expect([d.sipStatus, d.q850Cause]).toEqual([503, 41]);
    const limits = ingressLimits(d.service!, live);
    expect(limits.length).toBe(1);
    expect(d.limitReached).toBe(!limits[0]!.ok);
  });
});
