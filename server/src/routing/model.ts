import { z } from "zod";
import { currencyCode, money, nonNegativeMoney, patchOf, text, timestamp } from "../platform/http/schemas.js";
import { sendTo } from "../carriers/model.js";

/**
 * Routing plans, FX rates and the route decision, as the API accepts and returns them.
 *
 * Endpoints (permissions `routing:read` / `routing:write`; FX rates use the same):
 *   GET    /api/routing-plans                 listQuery + currency       → listResponse(routingPlanDto)
 *   POST   /api/routing-plans                 routingPlanCreate          → 201 routingPlanDto
 *   GET    /api/routing-plans/:id                                        → routingPlanDetailDto
 *   PATCH  /api/routing-plans/:id             routingPlanPatch           → routingPlanDto
 *   DELETE /api/routing-plans/:id             (soft; 409 while a service uses it) → ok
 *   GET    /api/routing-plans/:id/entries     entryListQuery             → listResponse(routingEntryDto)
 *   POST   /api/routing-plans/:id/entries     routingEntryCreate         → 201 routingEntryDto
 *   GET    /api/routing-entries/:id                                      → routingEntryDto
 *   PATCH  /api/routing-entries/:id           routingEntryPatch (candidates, when sent, replace all) → routingEntryDto
 *   DELETE /api/routing-entries/:id           (hard delete, audited)     → ok
 *   GET    /api/fx-rates                      fxListQuery                → listResponse(fxRateDto)
 *   POST   /api/fx-rates                      fxRateCreate               → 201 fxRateDto
 *   DELETE /api/fx-rates/:id                                             → ok
 *   POST   /api/routing/decide                decideInput                → decisionDto (200 for routed AND rejected calls)
 *   GET    /api/routing/status                                           → routingStatusDto
 */

/** How an entry orders its candidates. */
export const STRATEGIES = [
  /** cheapest supplier rate (in the plan's currency) first */
  "lcr",
  /** fixed order: candidate priority, then position */
  "priority",
  /** priority groups (candidate priority), cheapest first inside each group */
  "priority_lcr",
  /** percentage split by candidate weight: a seeded draw picks the order */
  "weighted",
  /** LCR or priority, filtered by the entry's ASR/ACD/PDD thresholds and reordered by quality */
  "quality",
] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const QUALITY_BASES = ["lcr", "priority"] as const;
/** SIP status for "no customer rate": 404 Not Found or 484 Address Incomplete. */
export const NO_RATE_SIP_CODES = [404, 484] as const;

/** Why a call is refused (each maps to a SIP status, and through the release cause mapping to a Q.850 cause). */
export const REJECT_REASONS = [
  "unknown_source", // no ingress interconnect has this source address — 403
  "unknown_service", // the serviceId asked for is not a live service — 403
  "no_service", // the source is known but no service matches the tech prefix / numbers — 403
  "ambiguous_service", // two services match equally (the hierarchy rules should prevent it) — 403
  "service_disabled", // — 403
  "interconnect_disabled", // the ingress interconnect is not active — 403
  "carrier_inactive", // the customer carrier is suspended or inactive — 403
  "invalid_number", // nothing left to route after the tech prefix and translations — 484
  "blacklisted_destination", // — 403
  "blacklisted_origination", // — 403
  "no_rating_plan", // the service has no customer rating plan — 404 or 484 (plan setting)
  "no_rate", // the customer plan has no rate for the number at the call time — 404 or 484
  "no_credit", // the credit gate refused — 402 (balance) or 403 (limits, blocked)
  "capacity", // ingress channels (interconnect, service or carrier) at their limit — 503
  "cps", // ingress calls-per-second limit reached — 503
  "no_routing_plan", // the service has no routing plan — 503
  "no_route_entry", // no live entry in the routing plan for the number — 503
  "blocked", // the matched entry blocks the destination — 403
  "no_route", // every candidate was dropped — 503
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Why a candidate route is not tried. */
export const DROP_REASONS = [
  "unavailable", // the interconnect or trunk group no longer exists (deleted)
  "not_egress", // the target is not an egress interconnect / group
  "empty_trunk_group",
  "duplicate", // the same interconnect came earlier in this entry
  "blocked", // the candidate is blocked
  "not_effective", // outside the candidate's effective dates
  "disabled", // interconnect status is not active
  "carrier_inactive", // the supplier carrier is suspended or inactive
  "down", // marked down by monitoring
  "capacity", // egress interconnect or supplier carrier channels at their limit
  "cps", // egress calls-per-second limit reached
  "circular", // would send the call back to the carrier it came from (circular routing disabled)
  "blacklisted_destination", // on the egress interconnect's blacklist
  "blacklisted_origination",
  "no_supplier_plan", // the egress interconnect has no supplier rating plan
  "no_rate", // no live supplier rate for the number at the call time
  "no_fx_rate", // the supplier rate (or the customer rate) cannot be converted to the plan's currency
  "max_rate", // the supplier rate exceeds the entry's or candidate's maximum
  "loss", // profit guard: the supplier rate exceeds the customer rate
  "min_margin", // profit guard: the margin is below the minimum (absolute or percent)
  "quality", // below the entry's ASR/ACD/PDD thresholds
  "max_attempts", // routable, but past the maximum number of attempts
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** The decision's steps, as the explanation lists them. */
export const DECISION_STEPS = ["ingress", "numbers", "blacklist", "customer_rate", "credit", "capacity", "routing"] as const;

const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null);
const maxAttempts = z.number().int().min(1).max(20);

// ── Routing plans ──
export const routingPlanCreate = z.object({
  name: text(120),
  /** Rates are compared (LCR, profit guard, maximum rates) in this currency. */
  currency: currencyCode,
  description: optionalText(500),
  /** Routes offered per call unless an entry says otherwise. */
  maxAttempts: maxAttempts.default(3),
  noRateSipCode: z.union([z.literal(404), z.literal(484)]).default(404),
});
export type RoutingPlanCreate = z.infer<typeof routingPlanCreate>;
/** The currency changes only while the plan has no entries (their money thresholds are in it). */
export const routingPlanPatch = patchOf(routingPlanCreate);
export type RoutingPlanPatch = z.infer<typeof routingPlanPatch>;

export const routingPlanDto = z.object({
  id: z.uuid(),
  name: z.string(),
  currency: z.string(),
  description: z.string().nullable(),
  maxAttempts: z.number().int(),
  noRateSipCode: z.number().int(),
  entryCount: z.number().int(),
  serviceCount: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const routingPlanDetailDto = routingPlanDto.extend({
  /** Live services whose routing plan this is. */
  services: z.array(z.object({ id: z.uuid(), name: z.string(), interconnectId: z.uuid(), interconnectName: z.string(), carrierName: z.string() })),
});

// ── Entries and candidates ──
/** A candidate route: one egress interconnect, or an egress trunk group (its members in order). */
export const candidateInput = z.object({
  interconnectId: z.uuid().nullable().default(null),
  trunkGroupId: z.uuid().nullable().default(null),
  /** priority: the order (1 first); priority_lcr: the group; quality with base priority: the order. */
  priority: z.number().int().min(1).max(99).default(1),
  /** weighted: percent of first attempts (the weights of an entry sum to 100); 0 = fallback only. */
  weight: z.number().int().min(0).max(100).default(0),
  blocked: z.boolean().default(false),
  /** Per minute, in the plan's currency; the stricter of this and the entry's applies. */
  maxSupplierRate: nonNegativeMoney.nullable().default(null),
  /** Per minute, in the plan's currency; overrides the entry's minimum margin. */
  minMargin: nonNegativeMoney.nullable().default(null),
  effectiveFrom: timestamp.nullable().default(null),
  effectiveTo: timestamp.nullable().default(null),
});
export type CandidateInput = z.infer<typeof candidateInput>;

export const routingEntryCreate = z.object({
  /** Destination prefix (digits after normalization); "" is the default route. Longest live prefix wins. */
  prefix: z.string().regex(/^[0-9]{0,20}$/, "up to 20 digits; empty for every destination"),
  description: optionalText(200),
  strategy: z.enum(STRATEGIES).default("lcr"),
  /** quality: the order the thresholds filter and quality ties fall back to. */
  qualityBase: z.enum(QUALITY_BASES).default("lcr"),
  minAsrPercent: z.number().min(0).max(100).nullable().default(null),
  minAcdS: z.number().min(0).max(86_400).nullable().default(null),
  maxPddMs: z.number().int().min(0).max(120_000).nullable().default(null),
  /** Statistics over fewer attempts than this are ignored (the candidate counts as "no statistics"). */
  minSamples: z.number().int().min(1).max(1_000_000).default(20),
  /** Calls to this prefix are refused (403). */
  blocked: z.boolean().default(false),
  maxSupplierRate: nonNegativeMoney.nullable().default(null),
  /** Drop routes that lose money, or leave less than minMargin / minMarginPercent of the customer rate. */
  profitGuard: z.boolean().default(true),
  minMargin: nonNegativeMoney.default(0n),
  minMarginPercent: z.number().min(0).max(100).nullable().default(null),
  /** null = the plan's maxAttempts. */
  maxAttempts: maxAttempts.nullable().default(null),
  /** Live from (inclusive) … to (exclusive); null = open. Entries of one prefix must not overlap. */
  effectiveFrom: timestamp.nullable().default(null),
  effectiveTo: timestamp.nullable().default(null),
  candidates: z.array(candidateInput).max(50).default([]),
});
export type RoutingEntryCreate = z.infer<typeof routingEntryCreate>;
export const routingEntryPatch = patchOf(routingEntryCreate);
export type RoutingEntryPatch = z.infer<typeof routingEntryPatch>;

export const ENTRY_STATES = ["live", "future", "expired"] as const;
export const entryListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  sort: z
    .string()
    .regex(/^(prefix|strategy|effectiveFrom|updatedAt):(asc|desc)$/, "prefix, strategy, effectiveFrom or updatedAt, :asc or :desc")
    .optional(),
  /** Digits: prefixes starting with them; text: the description. */
  q: z.string().trim().max(100).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  /** Effective state at `at` (default now). */
  state: z.enum(ENTRY_STATES).optional(),
  at: timestamp.optional(),
});

const ref = z.object({ id: z.uuid(), name: z.string() });

export const candidateDto = candidateInput.extend({
  id: z.uuid(),
  position: z.number().int(),
  /** The interconnect's or trunk group's name (null when it was deleted). */
  targetName: z.string().nullable(),
  /** The interconnect's carrier (null for a trunk group). */
  carrier: ref.nullable(),
  /** Interconnect status or "trunk_group"; "deleted" when the target is gone. */
  targetStatus: z.string(),
});
export const routingEntryDto = routingEntryCreate.extend({
  id: z.uuid(),
  planId: z.uuid(),
  /** At the time of the request. */
  state: z.enum(ENTRY_STATES),
  candidates: z.array(candidateDto),
  createdAt: timestamp,
  updatedAt: timestamp,
});

// ── FX rates ──
/** A decimal with up to 9 decimals: 1 unit of `base` buys `rate` units of `quote`. */
export const fxRateValue = z.string().regex(/^\d{1,9}(\.\d{1,9})?$/, "a positive decimal with at most 9 decimals");
export const fxRateCreate = z
  .object({ base: currencyCode, quote: currencyCode, rate: fxRateValue, effectiveFrom: timestamp })
  .refine((r) => r.base !== r.quote, { message: "base and quote differ", path: ["quote"] })
  .refine((r) => !/^0+(\.0+)?$/.test(r.rate), { message: "must be positive", path: ["rate"] });
export type FxRateCreate = z.infer<typeof fxRateCreate>;
export const fxListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
  base: currencyCode.optional(),
  quote: currencyCode.optional(),
});
export const fxRateDto = z.object({ id: z.uuid(), base: z.string(), quote: z.string(), rate: z.string(), effectiveFrom: timestamp, source: z.string(), createdAt: timestamp });

// ── The decision ──
/** A tech prefix (digits, # and *) may come first; "+" may lead the whole or the number after the tech prefix. */
const dialled = z
  .string()
  .trim()
  .max(48)
  .regex(/^\+?[0-9#*]*\+?[0-9]+$/, "digits, optionally after a tech prefix (digits, # or *) and a +");
export const qualityStats = z.object({
  asrPercent: z.number().min(0).max(100),
  acdS: z.number().min(0),
  pddMs: z.number().min(0),
  attempts: z.number().int().min(0),
});
export const decideInput = z
  .object({
    /** Identify the call by its signalling source… */
    sourceIp: z.union([z.ipv4(), z.ipv6()]).optional(),
    sourcePort: z.number().int().min(1).max(65535).optional(),
    /** …or name the service (the simulator's "pick a service"); its tech prefix is stripped if dialled. */
    serviceId: z.uuid().optional(),
    /** The dialled number as received, tech prefix included. */
    dialled,
    calling: z.string().trim().regex(/^\+?[0-9]{0,32}$/, "digits, optionally with a leading +").default(""),
    /** Call time; default now. */
    at: timestamp.optional(),
    /** Seed of the weighted draws; default random (returned, so a decision can be replayed). */
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
    /** What-if state for the simulator, layered over the live counters. */
    simulate: z
      .object({
        down: z.array(z.uuid()).max(1000).default([]),
        /** Channels in use by interconnect, service or carrier id. */
        channels: z.record(z.uuid(), z.number().int().min(0).max(10_000_000)).default({}),
        /** Calls in the current second by interconnect id. */
        cps: z.record(z.uuid(), z.number().int().min(0).max(10_000_000)).default({}),
        quality: z.array(qualityStats.extend({ interconnectId: z.uuid(), prefix: z.string().regex(/^[0-9]{0,20}$/) })).max(1000).default([]),
      })
      .optional(),
  })
  .refine((d) => (d.sourceIp === undefined) !== (d.serviceId === undefined), { message: "give either sourceIp or serviceId", path: ["sourceIp"] });
export type DecideInput = z.infer<typeof decideInput>;

export const translationApplied = z.object({
  side: z.enum(["ingress", "egress"]),
  field: z.enum(["destination", "origination"]),
  matchPrefix: z.string(),
  strip: z.number().int(),
  prepend: z.string(),
  before: z.string(),
  after: z.string(),
});

export const decisionRoute = z.object({
  /** 1-based attempt order. */
  position: z.number().int(),
  /** null: the service routes straight to an interconnect. */
  candidateId: z.uuid().nullable(),
  interconnect: ref,
  carrier: ref,
  trunkGroup: ref.nullable(),
  priority: z.number().int(),
  weight: z.number().int(),
  supplierRatingPlan: ref,
  supplierPrefix: z.string(),
  supplierDestination: z.string(),
  supplierCurrency: z.string(),
  /** Per minute, in the supplier's currency. */
  supplierRate: money,
  supplierConnectionFee: money,
  /** Supplier currency → plan currency at the call time; null when they are the same. */
  fxRate: z.string().nullable(),
  supplierRateInPlanCurrency: money,
  /** Customer rate − supplier rate per minute, in the plan's currency (connection fees aside); null when the customer rate has no FX rate. */
  margin: money.nullable(),
  /** Margin as a percent of the customer rate, 2 decimals. */
  marginPercent: z.string().nullable(),
  quality: qualityStats.nullable(),
  sendTo: z.array(sendTo),
  techPrefix: z.string(),
  /** The numbers as sent to the supplier: egress translations applied, tech prefix in front. */
  destination: z.string(),
  origination: z.string(),
  translations: z.array(translationApplied),
});

export const droppedCandidate = z.object({
  candidateId: z.uuid().nullable(),
  interconnect: ref.nullable(),
  carrier: ref.nullable(),
  trunkGroup: ref.nullable(),
  reason: z.enum(DROP_REASONS),
  message: z.string(),
  supplierCurrency: z.string().nullable(),
  supplierRate: money.nullable(),
  supplierRateInPlanCurrency: money.nullable(),
  margin: money.nullable(),
});

export const capacityCheck = z.object({
  scope: z.enum(["interconnect", "service", "carrier"]),
  kind: z.enum(["channels", "cps"]),
  id: z.uuid(),
  name: z.string(),
  inUse: z.number().int(),
  limit: z.number().int(),
  ok: z.boolean(),
});

export const decisionDto = z.object({
  outcome: z.enum(["route", "reject"]),
  at: timestamp,
  rejection: z
    .object({ reason: z.enum(REJECT_REASONS), sipStatus: z.number().int(), q850Cause: z.number().int(), causeDescription: z.string(), message: z.string() })
    .nullable(),
  ingress: z.object({ interconnect: ref, carrier: ref, matchedBy: z.enum(["source", "service"]), address: z.string().nullable() }).nullable(),
  service: z
    .object({
      id: z.uuid(),
      name: z.string(),
      techPrefix: z.string(),
      /** The service's destination/origination match prefix that matched ("" = matches all). */
      destinationPrefix: z.string(),
      originationPrefix: z.string(),
      routingMethod: z.enum(["routing_plan", "interconnect"]),
    })
    .nullable(),
  numbers: z.object({
    dialled: z.string(),
    calling: z.string(),
    /** The tech prefix stripped from the dialled number. */
    techPrefix: z.string(),
    /** Normalized digits after ingress translation: what rating, blacklists and routing match on. */
    destination: z.string(),
    origination: z.string(),
    translations: z.array(translationApplied),
  }),
  customerRate: z
    .object({
      ratingPlan: ref,
      currency: z.string(),
      prefix: z.string(),
      destination: z.string(),
      rate: money,
      connectionFee: money,
      fxRate: z.string().nullable(),
      /** null: no FX rate from the customer's to the plan's currency at the call time. */
      rateInPlanCurrency: money.nullable(),
    })
    .nullable(),
  credit: z.object({ allowed: z.boolean(), enforced: z.boolean(), reason: z.string().nullable(), detail: z.string() }).nullable(),
  capacity: z.array(capacityCheck),
  routingPlan: z.object({ id: z.uuid(), name: z.string(), currency: z.string(), maxAttempts: z.number().int() }).nullable(),
  entry: z
    .object({
      id: z.uuid(),
      prefix: z.string(),
      strategy: z.enum(STRATEGIES),
      qualityBase: z.enum(QUALITY_BASES),
      description: z.string().nullable(),
      maxAttempts: z.number().int(),
      effectiveFrom: timestamp.nullable(),
      effectiveTo: timestamp.nullable(),
    })
    .nullable(),
  routes: z.array(decisionRoute),
  dropped: z.array(droppedCandidate),
  /** One line per step, in order: what was found and why the call went on or stopped. */
  explanation: z.array(z.object({ step: z.enum(DECISION_STEPS), status: z.enum(["ok", "reject", "info"]), message: z.string() })),
  seed: z.number().int(),
  /** Time the engine took for this decision, in microseconds. */
  engineMicros: z.number(),
  /** The in-memory snapshot the decision read (see GET /api/routing/status). */
  snapshot: z.object({ generation: z.number().int(), builtAt: timestamp }),
});
export type DecisionDto = z.infer<typeof decisionDto>;

export const routingStatusDto = z.object({
  /** When the tenant's in-memory hierarchy snapshot was built; null before the first decision. */
  builtAt: timestamp.nullable(),
  /** A change arrived and a rebuild is pending or running (decisions use the previous snapshot meanwhile). */
  refreshing: z.boolean(),
  generation: z.number().int(),
  buildMillis: z.number().nullable(),
  lastError: z.string().nullable(),
  counts: z.object({ interconnects: z.number().int(), services: z.number().int(), routingPlans: z.number().int(), entries: z.number().int(), ratingPlans: z.number().int(), fxRates: z.number().int() }),
  /** Whether calls are checked against real credit control (false: the allow-all placeholder gate). */
  creditEnforced: z.boolean(),
});
