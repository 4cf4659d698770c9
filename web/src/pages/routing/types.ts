import type { BadgeTone } from "../../components";
import type { EgressRouting } from "../carriers/types";

/** Wire types of the routing API (server/src/routing/model.ts). Money is a decimal string. */
export const STRATEGIES = ["lcr", "priority", "priority_lcr", "weighted", "quality"] as const;
export type Strategy = (typeof STRATEGIES)[number];
export type QualityBase = "lcr" | "priority";
export type EntryState = "live" | "future" | "expired";
export type Ref = { id: string; name: string };
type SendTo = EgressRouting["sendTo"][number];

export interface RoutingPlan {
  id: string;
  name: string;
  currency: string;
  description: string | null;
  maxAttempts: number;
  noRateSipCode: number;
  entryCount: number;
  serviceCount: number;
  createdAt: string;
  updatedAt: string;
}
export interface RoutingPlanDetail extends RoutingPlan {
  services: { id: string; name: string; interconnectId: string; interconnectName: string; carrierName: string }[];
}
export type RoutingPlanBody = Pick<RoutingPlan, "name" | "currency" | "description" | "maxAttempts" | "noRateSipCode">;

export interface CandidateBody {
  interconnectId: string | null;
  trunkGroupId: string | null;
  priority: number;
  weight: number;
  blocked: boolean;
  maxSupplierRate: string | null;
  minMargin: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
}
export interface Candidate extends CandidateBody {
  id: string;
  position: number;
  targetName: string | null;
  carrier: Ref | null;
  /** Interconnect status, "trunk_group", or "deleted". */
  targetStatus: string;
}

export interface EntryBody {
  prefix: string;
  description: string | null;
  strategy: Strategy;
  qualityBase: QualityBase;
  minAsrPercent: number | null;
  minAcdS: number | null;
  maxPddMs: number | null;
  minSamples: number;
  blocked: boolean;
  maxSupplierRate: string | null;
  profitGuard: boolean;
  minMargin: string;
  minMarginPercent: number | null;
  maxAttempts: number | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  candidates: CandidateBody[];
}
export interface RoutingEntry extends Omit<EntryBody, "candidates"> {
  id: string;
  planId: string;
  state: EntryState;
  candidates: Candidate[];
  createdAt: string;
  updatedAt: string;
}

export interface FxRate {
  id: string;
  base: string;
  quote: string;
  /** 1 base buys `rate` quote. */
  rate: string;
  effectiveFrom: string;
  /** `manual`, or the provider that supplied it (`oxr`). */
  source: string;
  createdAt: string;
}

// ── The decision ──
export type DecisionStep = "ingress" | "numbers" | "blacklist" | "customer_rate" | "credit" | "capacity" | "routing";

export interface Translation {
  side: "ingress" | "egress";
  field: "destination" | "origination";
  matchPrefix: string;
  strip: number;
  prepend: string;
  before: string;
  after: string;
}
export interface QualityStats {
  asrPercent: number;
  acdS: number;
  pddMs: number;
  attempts: number;
}
export interface DecisionRoute {
  position: number;
  candidateId: string | null;
  interconnect: Ref;
  carrier: Ref;
  trunkGroup: Ref | null;
  priority: number;
  weight: number;
  supplierRatingPlan: Ref;
  supplierPrefix: string;
  supplierDestination: string;
  supplierCurrency: string;
  supplierRate: string;
  supplierConnectionFee: string;
  fxRate: string | null;
  supplierRateInPlanCurrency: string;
  margin: string | null;
  marginPercent: string | null;
  quality: QualityStats | null;
  sendTo: SendTo[];
  techPrefix: string;
  destination: string;
  origination: string;
  translations: Translation[];
}
export interface DroppedCandidate {
  candidateId: string | null;
  interconnect: Ref | null;
  carrier: Ref | null;
  trunkGroup: Ref | null;
  reason: string;
  message: string;
  supplierCurrency: string | null;
  supplierRate: string | null;
  supplierRateInPlanCurrency: string | null;
  margin: string | null;
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
export interface Decision {
  outcome: "route" | "reject";
  at: string;
  rejection: { reason: string; sipStatus: number; q850Cause: number; causeDescription: string; message: string } | null;
  ingress: { interconnect: Ref; carrier: Ref; matchedBy: "source" | "service"; address: string | null } | null;
  service: { id: string; name: string; techPrefix: string; destinationPrefix: string; originationPrefix: string; routingMethod: "routing_plan" | "interconnect" } | null;
  numbers: { dialled: string; calling: string; techPrefix: string; destination: string; origination: string; translations: Translation[] };
  customerRate: { ratingPlan: Ref; currency: string; prefix: string; destination: string; rate: string; connectionFee: string; fxRate: string | null; rateInPlanCurrency: string | null } | null;
  credit: { allowed: boolean; enforced: boolean; reason: string | null; detail: string } | null;
  capacity: CapacityCheck[];
  routingPlan: { id: string; name: string; currency: string; maxAttempts: number } | null;
  entry: { id: string; prefix: string; strategy: Strategy; qualityBase: QualityBase; description: string | null; maxAttempts: number; effectiveFrom: string | null; effectiveTo: string | null } | null;
  routes: DecisionRoute[];
  dropped: DroppedCandidate[];
  explanation: { step: DecisionStep; status: "ok" | "reject" | "info"; message: string }[];
  seed: number;
  engineMicros: number;
  /** The in-memory snapshot the decision read. */
  snapshot: { generation: number; builtAt: string };
}
export interface DecideBody {
  sourceIp?: string;
  sourcePort?: number;
  serviceId?: string;
  dialled: string;
  calling: string;
  at?: string;
  seed?: number;
}

export const STRATEGY_LABEL: Record<Strategy, string> = {
  lcr: "LCR",
  priority: "Priority",
  priority_lcr: "Priority groups + LCR",
  weighted: "Weighted",
  quality: "Quality",
};
export const STRATEGY_HINT: Record<Strategy, string> = {
  lcr: "Cheapest supplier rate first, converted to the plan's currency at the call time.",
  priority: "A fixed order: priority 1 first, then the list order.",
  priority_lcr: "Candidates grouped by priority (1 first); cheapest first inside each group.",
  weighted: "A seeded draw by weight picks the first route (weights sum to 100; 0 = fallback only).",
  quality: "LCR or priority order, minus suppliers below the ASR / ACD / PDD thresholds, reordered by quality.",
};
export const STRATEGY_TONE: Record<Strategy, BadgeTone> = { lcr: "info", priority: "accent", priority_lcr: "accent", weighted: "warning", quality: "success" };
export const STATE_TONE: Record<EntryState, BadgeTone> = { live: "success", future: "info", expired: "neutral" };

export const REJECT_LABEL: Record<string, string> = {
  unknown_source: "Unknown source",
  unknown_service: "Unknown service",
  no_service: "No matching service",
  ambiguous_service: "Ambiguous service",
  service_disabled: "Service disabled",
  interconnect_disabled: "Interconnect disabled",
  carrier_inactive: "Customer inactive",
  invalid_number: "Invalid number",
  blacklisted_destination: "Destination blacklisted",
  blacklisted_origination: "Origination blacklisted",
  no_rating_plan: "No customer rating plan",
  no_rate: "No customer rate",
  no_credit: "No credit",
  capacity: "Capacity",
  cps: "CPS limit",
  no_routing_plan: "No routing plan",
  no_route_entry: "No routing entry",
  blocked: "Destination blocked",
  no_route: "No route",
};
export const DROP_LABEL: Record<string, string> = {
  unavailable: "Unavailable",
  not_egress: "Not egress",
  empty_trunk_group: "Empty trunk group",
  duplicate: "Duplicate",
  blocked: "Blocked",
  not_effective: "Not effective",
  disabled: "Disabled",
  carrier_inactive: "Supplier inactive",
  down: "Down",
  capacity: "Capacity",
  cps: "CPS limit",
  circular: "Circular",
  blacklisted_destination: "Dest. blacklisted",
  blacklisted_origination: "Orig. blacklisted",
  no_supplier_plan: "No supplier plan",
  no_rate: "No rate",
  no_fx_rate: "No FX rate",
  max_rate: "Over max rate",
  loss: "Loss",
  min_margin: "Below min margin",
  quality: "Quality",
  max_attempts: "Past max attempts",
};
/** Drops that are about money (amber) rather than the network (red) or configuration (grey). */
export function dropTone(reason: string): BadgeTone {
  if (["loss", "min_margin", "max_rate", "no_rate", "no_fx_rate", "no_supplier_plan"].includes(reason)) return "warning";
  if (["down", "disabled", "capacity", "cps", "carrier_inactive", "quality"].includes(reason)) return "danger";
  return "neutral";
}
export const STEP_LABEL: Record<DecisionStep, string> = {
  ingress: "Ingress",
  numbers: "Numbers",
  blacklist: "Blacklist",
  customer_rate: "Customer rate",
  credit: "Credit",
  capacity: "Capacity",
  routing: "Routing",
};

/** An FX rate for display: up to 9 decimals, trailing zeros dropped ("1.100000000" → "1.1"); the string itself, no float. */
export const formatFx = (v: string) => v.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");

/** Query keys; everything about one plan starts with ["routing-plan", id]. */
export const routingKeys = {
  plans: ["routing-plans"] as const,
  plan: (id: string) => ["routing-plan", id] as const,
  entries: (id: string) => ["routing-plan", id, "entries"] as const,
  fx: ["fx-rates"] as const,
};

const localFormatters = new Map<string, Intl.DateTimeFormat>();
/** ISO instant → `YYYY-MM-DDTHH:MM` wall clock in `tz` (a datetime-local value). */
export function isoToLocal(iso: string | null, tz: string): string {
  if (!iso) return "";
  let f = localFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    localFormatters.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(iso))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
