/**
 * The routing engine's data: what goes in (plain rows, as the service loads them), the
 * compiled snapshot the decision reads, the live state, and the decision that comes out.
 */
import type { CompiledPlan, PlanUnion } from "../../rating/engine/index.js";
import type { CreditVerdict } from "../../credit/gate.js";
import type { DropReason, RejectReason, Strategy } from "../model.js";
import type { FxRateData, FxSeries } from "./fx.js";
import type { IpIndex } from "./ip.js";
import type { PrefixSet } from "./prefix-set.js";

// ── Input data ──

export interface CarrierData {
  id: string;
  name: string;
  /** active | suspended | inactive */
  status: string;
  /** Concurrent channels over all the carrier's interconnects; null = unrestricted. */
  routingCapacity: number | null;
  circularRouting: boolean;
}

export interface TranslationRuleData {
  field: "destination" | "origination";
  matchPrefix: string;
  strip: number;
  prepend: string;
}

export interface SendToData {
  address: string;
  port: number;
  transport: "udp" | "tcp" | "tls";
}

export interface InterconnectData {
  id: string;
  carrierId: string;
  name: string;
  direction: "ingress" | "egress";
  /** active | disabled | testing: only active carries calls. */
  status: string;
  currency: string;
  capacity: number | null;
  addresses: readonly { address: string; port: number | null }[];
  /** Ingress Validation (ingress) or Egress Routing (egress) tech prefix. */
  techPrefix: string;
  maxCps: number | null;
  /** Ingress or Egress Translation number rules, by direction. */
  translations: readonly TranslationRuleData[];
  supplierRatingPlanId: string | null;
  sendTo: readonly SendToData[];
  /** Egress: whether the interconnect's own blacklist entries apply. */
  blacklistEnabled: boolean;
}

export interface ServiceData {
  id: string;
  interconnectId: string;
  name: string;
  /** active | disabled */
  status: string;
  ratingPlanId: string | null;
  routingPlanId: string | null;
  routingMethod: "routing_plan" | "interconnect";
  routeToInterconnectId: string | null;
  capacity: number | null;
  techPrefix: string;
  destinationMatch: readonly string[];
  originationMatch: readonly string[];
  originationBlacklist: boolean;
  destinationBlacklist: boolean;
  originationExceptions: readonly string[];
  destinationExceptions: readonly string[];
  /** monitor: capacity and CPS limits are reported, not enforced. */
  enforcementPolicy: "enforce" | "monitor";
}

export interface TrunkGroupData {
  id: string;
  name: string;
  direction: "ingress" | "egress";
  /** Member interconnect ids in position order. */
  memberIds: readonly string[];
}

export interface BlacklistData {
  list: "origination" | "destination";
  matchType: "exact" | "prefix";
  value: string;
  scope: "global" | "service" | "interconnect";
  serviceId: string | null;
  interconnectId: string | null;
}

export interface ReleaseCauseData {
  sipCode: number;
  q850Cause: number;
  description: string;
}

export interface CandidateData {
  id: string;
  interconnectId: string | null;
  trunkGroupId: string | null;
  priority: number;
  weight: number;
  blocked: boolean;
  maxSupplierRateMicros: bigint | null;
  minMarginMicros: bigint | null;
  effectiveFrom: number | null;
  effectiveTo: number | null;
}

export interface RoutingEntryData {
  id: string;
  prefix: string;
  description: string | null;
  strategy: Strategy;
  qualityBase: "lcr" | "priority";
  minAsrPercent: number | null;
  minAcdS: number | null;
  maxPddMs: number | null;
  minSamples: number;
  blocked: boolean;
  maxSupplierRateMicros: bigint | null;
  profitGuard: boolean;
  minMarginMicros: bigint;
  minMarginPercent: number | null;
  maxAttempts: number | null;
  effectiveFrom: number | null;
  effectiveTo: number | null;
  /** In position order. */
  candidates: readonly CandidateData[];
}

export interface RoutingPlanData {
  id: string;
  name: string;
  currency: string;
  maxAttempts: number;
  noRateSipCode: number;
  entries: readonly RoutingEntryData[];
}

export interface RatingPlanRef {
  id: string;
  name: string;
  plan: CompiledPlan;
}

/** Everything a tenant's decisions read, as plain data. */
export interface SnapshotData {
  tenantId: string;
  carriers: readonly CarrierData[];
  interconnects: readonly InterconnectData[];
  services: readonly ServiceData[];
  trunkGroups: readonly TrunkGroupData[];
  blacklist: readonly BlacklistData[];
  /** The complete SIP → Q.850 table (tenant rows over the RFC 3398 defaults). */
  releaseCauses: readonly ReleaseCauseData[];
  fxRates: readonly FxRateData[];
  routingPlans: readonly RoutingPlanData[];
  /** Compiled rating plans by id (customer plans of services, supplier plans of egress interconnects). */
  ratingPlans: ReadonlyMap<string, RatingPlanRef>;
}

// ── Compiled snapshot ──

export interface Carrier {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly status: string;
  readonly routingCapacity: number | null;
  readonly circularRouting: boolean;
}

export interface Interconnect {
  readonly id: string;
  readonly name: string;
  readonly carrier: Carrier;
  readonly direction: "ingress" | "egress";
  readonly status: string;
  readonly active: boolean;
  readonly currency: string;
  readonly capacity: number | null;
  readonly maxCps: number | null;
  readonly techPrefix: string;
  readonly destinationRules: readonly TranslationRuleData[];
  readonly originationRules: readonly TranslationRuleData[];
  readonly supplierPlan: RatingPlanRef | null;
  readonly sendTo: readonly SendToData[];
  readonly blacklistEnabled: boolean;
  /** Interconnect-scoped blacklists: applied at ingress (ingress) or to the candidate (egress). */
  readonly destinationBlacklist: PrefixSet | null;
  readonly originationBlacklist: PrefixSet | null;
  /** Ingress: its live services, any order (the match compares them). */
  readonly services: Service[];
}

export interface Service {
  readonly id: string;
  readonly name: string;
  readonly interconnect: Interconnect;
  readonly active: boolean;
  readonly data: ServiceData;
  /** The service's tech prefix, else its interconnect's (as in carriers/ambiguity.ts). */
  readonly techPrefix: string;
  readonly destinationMatch: PrefixSet | null;
  readonly originationMatch: PrefixSet | null;
  readonly ratingPlan: RatingPlanRef | null;
  /** The rating plan's place in the snapshot's plan unions. */
  readonly customerLane: PlanLane | null;
  readonly routingPlan: CompiledRoutingPlan | null;
  /** routingMethod "interconnect": the one-candidate entry routing to it. */
  readonly direct: CompiledEntry | null;
  readonly destinationBlacklist: PrefixSet | null;
  readonly originationBlacklist: PrefixSet | null;
  readonly destinationExceptions: PrefixSet | null;
  readonly originationExceptions: PrefixSet | null;
  readonly enforce: boolean;
}

export interface TrunkGroup {
  readonly id: string;
  readonly name: string;
}

/** One candidate route of an entry, a trunk group expanded to one item per member. */
export interface CandidateItem {
  readonly candidate: CandidateData | null;
  readonly interconnect: Interconnect | null;
  readonly trunkGroup: TrunkGroup | null;
  /** Position in the entry (tie-break of every order). */
  readonly order: number;
  readonly priority: number;
  readonly weight: number;
  /** Has effective dates (else always effective: the hot path skips the comparison). */
  readonly dated: boolean;
  readonly from: number;
  readonly to: number;
  /** A drop known without the call (deleted target, blocked, disabled, …); checked after the dates. */
  readonly staticReason: DropReason | null;
  /** That drop, built once: every decision lists the same (immutable) object. */
  readonly staticDrop: Drop | null;
  /** The stricter of the entry's and the candidate's maximum, plan currency; null = none. */
  readonly maxRateMicros: bigint | null;
  readonly minMarginMicros: bigint;
  /**
   * The decision's memo slot of the supplier plan's rate: the plan's place among the
   * entry's `supplierLookups` (unions in order, plans by bit), which the union walk fills;
   * −1 when no walk does (static drop, no union, or past the memo).
   */
  readonly rateSlot: number;
}

export interface CompiledEntry {
  readonly data: RoutingEntryData;
  /** A service's direct route (no plan entry behind it). */
  readonly direct: boolean;
  /** Copied from `data` for the hot path. */
  readonly strategy: Strategy;
  readonly profitGuard: boolean;
  readonly blocked: boolean;
  readonly dated: boolean;
  readonly from: number;
  readonly to: number;
  readonly maxAttempts: number;
  /** Minimum margin as basis points of the customer rate; null = none. */
  readonly minMarginBasisPoints: bigint | null;
  readonly items: readonly CandidateItem[];
  /** The supplier plans its candidates may be rated in, as bits of the snapshot's plan unions: one walk per union per call. */
  readonly supplierLookups: readonly UnionLookup[];
  /** supplierLookups[0] on the entry itself (the hot path reads no array for the usual one union); null = none. */
  readonly union: PlanUnion | null;
  readonly unionBits: number;
  /** supplierLookups after the first; null = none. */
  readonly moreLookups: readonly UnionLookup[] | null;
}

export interface CompiledRoutingPlan {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
  readonly maxAttempts: number;
  readonly noRateSipCode: number;
  /** Digit trie of the entries' prefixes: kids[node × 10 + digit] = child node, 0 = none. */
  readonly kids: Int32Array;
  /** The entries of node n are entries[entryStart[n] … entryStart[n + 1]), by effective-from. */
  readonly entryStart: Int32Array;
  readonly entries: readonly CompiledEntry[];
}

/** A rating plan's place in a plan union: `union.plans[index]`, bit 1 << index. */
export interface PlanLane {
  readonly union: PlanUnion;
  readonly index: number;
}

/** Plans of one union looked up together: bit k = `union.plans[k]`. */
export interface UnionLookup {
  readonly union: PlanUnion;
  readonly bits: number;
}

export interface IngressBinding {
  readonly interconnect: Interconnect;
  readonly port: number | null;
  /** The configured address that matched ("203.0.113.0/24"). */
  readonly address: string;
}

export interface Snapshot {
  readonly tenantId: string;
  readonly interconnects: readonly Interconnect[];
  readonly services: readonly Service[];
  readonly servicesById: ReadonlyMap<string, Service>;
  readonly interconnectsById: ReadonlyMap<string, Interconnect>;
  readonly routingPlansById: ReadonlyMap<string, CompiledRoutingPlan>;
  readonly ratingPlans: ReadonlyMap<string, RatingPlanRef>;
  /** Every rating plan above in a union trie (at most MAX_UNION_PLANS each), reused by the next build while its plans are unchanged. */
  readonly planUnions: readonly PlanUnion[];
  readonly ingress: IpIndex<IngressBinding>;
  readonly globalDestinationBlacklist: PrefixSet | null;
  readonly globalOriginationBlacklist: PrefixSet | null;
  readonly releaseCauses: ReadonlyMap<number, ReleaseCauseData>;
  /** fx.get(from)?.get(to): converts `from` amounts into `to` at a call's time; absent = no rate. */
  readonly fx: ReadonlyMap<string, ReadonlyMap<string, FxSeries>>;
  readonly counts: { interconnects: number; services: number; routingPlans: number; entries: number; ratingPlans: number; fxRates: number };
}

// ── Live state ──

export interface QualityStats {
  asrPercent: number;
  acdS: number;
  pddMs: number;
  attempts: number;
}

/** Counters the switch keeps (channels in use, calls this second, monitoring), by id. */
export interface LiveState {
  readonly down: ReadonlySet<string>;
  /** Channels in use by interconnect, service or carrier id. */
  readonly channels: ReadonlyMap<string, number>;
  /** Calls in the current second by interconnect id. */
  readonly cps: ReadonlyMap<string, number>;
  /** Recent quality by interconnect id, then routing entry prefix (from CDRs). */
  readonly quality: ReadonlyMap<string, ReadonlyMap<string, QualityStats>>;
}

// ── The decision ──

export interface CallInput {
  /** The signalling source, or null when `serviceId` names the service. */
  sourceIp: string | null;
  sourcePort: number | null;
  serviceId: string | null;
  /** As received, tech prefix included. */
  dialled: string;
  calling: string;
  atMs: number;
}

export interface AppliedTranslation {
  side: "ingress" | "egress";
  rule: TranslationRuleData;
  before: string;
  after: string;
}

export interface CapacityCheck {
  scope: "interconnect" | "service" | "carrier";
  kind: "channels" | "cps";
  id: string;
  name: string;
  inUse: number;
  limit: number;
  ok: boolean;
}

export interface Route {
  readonly item: CandidateItem;
  readonly interconnect: Interconnect;
  readonly plan: RatingPlanRef;
  /** The supplier rate's version handle in `plan.plan` (see rates.ts). */
  readonly handle: number;
  readonly rateMicros: bigint;
  readonly connectionFeeMicros: bigint;
  readonly fx: FxSeries | null;
  readonly fxIndex: number;
  readonly rateInPlanMicros: bigint;
  readonly marginMicros: bigint | null;
  readonly quality: QualityStats | null;
  /** Numbers as sent to the supplier (set for offered routes only). */
  destination: string;
  origination: string;
  translations: AppliedTranslation[] | null;
}

export interface Drop {
  readonly item: CandidateItem;
  readonly reason: DropReason;
  /** Supplier rate figures when the drop came after the rate lookup (null before). */
  readonly route: Route | null;
  /** Quality that failed the thresholds, or the blacklist value that matched. */
  readonly detail: string | null;
}

export interface Decision {
  outcome: "route" | "reject";
  reject: RejectReason | null;
  sipStatus: number;
  q850Cause: number;
  causeDescription: string;
  /** A short fact about the rejection (a blacklist value, the credit gate's detail). */
  rejectDetail: string | null;
  atMs: number;
  ingress: Interconnect | null;
  matchedBy: "source" | "service";
  matchedAddress: string | null;
  service: Service | null;
  serviceDestinationPrefixLength: number;
  serviceOriginationPrefixLength: number;
  /** Picked by id but the number would not reach the service by its match lists. */
  serviceMatchMismatch: boolean;
  techPrefix: string;
  destination: string;
  origination: string;
  translations: AppliedTranslation[] | null;
  blacklist: { list: "destination" | "origination"; scope: "global" | "interconnect" | "service"; value: string } | null;
  customerPlan: RatingPlanRef | null;
  customerHandle: number;
  customerRateMicros: bigint;
  customerConnectionFeeMicros: bigint;
  customerFx: FxSeries | null;
  customerFxIndex: number;
  /** The currency routes are compared in: the routing plan's (a direct route: the customer plan's). */
  compareCurrency: string | null;
  /** The customer rate in compareCurrency; null: not reached, or no FX rate. */
  customerRateInPlanMicros: bigint | null;
  credit: CreditVerdict | null;
  creditEnforced: boolean;
  /** Step 5 ran (the ingress limits can be listed with ingressLimits()). */
  limitsChecked: boolean;
  /** An ingress limit was reached (rejected, or reported under a monitor policy). */
  limitReached: boolean;
  plan: CompiledRoutingPlan | null;
  entry: CompiledEntry | null;
  routes: Route[];
  dropped: Drop[];
}
