import { z } from "zod";
import { currencyCode, money, nonNegativeMoney, patchOf, text, timeZone } from "../platform/http/schemas.js";
import { parseAddress } from "./addresses.js";

/**
 * The carrier hierarchy's fields, as the API accepts and returns them. One schema per
 * Digitalk tab, so the console's forms and the API validate the same rules.
 */
export const CARRIER_TYPES = ["customer", "supplier", "bilateral"] as const;
export const DIRECTIONS = ["ingress", "egress"] as const;
export const CODECS = ["PCMA", "PCMU", "G729", "G722", "OPUS", "GSM", "iLBC", "AMR", "AMR-WB"] as const;

const digits = (max: number) => z.string().regex(new RegExp(`^[0-9]{0,${max}}$`), "digits only");
/** Tech prefixes may carry `#` or `*` as separators, as switches commonly use. */
export const techPrefix = z.string().regex(/^[0-9#*]{0,16}$/, "up to 16 digits, # or *").default("");
const positiveInt = (max: number) => z.number().int().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null);

export const address = z
  .object({ address: z.string().trim().min(1).max(64), port: z.number().int().min(1).max(65535).nullable().default(null) })
  .refine((a) => parseAddress(a.address) !== null, { message: "an IPv4/IPv6 address or CIDR", path: ["address"] });

export const translationRule = z.object({
  field: z.enum(["destination", "origination"]),
  matchPrefix: digits(20),
  strip: z.number().int().min(0).max(20).default(0),
  prepend: z.string().regex(/^\+?[0-9]{0,20}$/, "digits, optionally after +").default(""),
});
const translationRules = z.array(translationRule).max(50).default([]);
const paiGeneration = z.enum(["none", "from", "fixed"]).default("none");

export const ingressValidation = z.object({
  ipValidation: z.boolean().default(true),
  techPrefix,
  fromUriMatch: optionalText(200),
  contactUriMatch: optionalText(200),
  trunkGroupId: z.uuid().nullable().default(null),
  maxCps: positiveInt(10_000).nullable().default(null),
});
export const ingressTranslation = z.object({
  originationPreference: z.enum(["from", "pai", "rpid"]).default("pai"),
  paiGeneration,
  paiFixed: optionalText(64),
  numberTranslation: translationRules,
});
export const sendTo = z.object({
  address: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(5060),
  transport: z.enum(["udp", "tcp", "tls"]).default("udp"),
});
export const egressRouting = z.object({
  techPrefix,
  sendTo: z.array(sendTo).min(1, "at least one address to send calls to").max(20),
  maxCps: positiveInt(10_000).nullable().default(null),
  trunkGroupId: z.uuid().nullable().default(null),
  blacklistEnabled: z.boolean().default(true),
});
export const egressTranslation = z.object({
  paiGeneration,
  paiFixed: optionalText(64),
  blockInvalidOrigins: z.boolean().default(false),
  numberTranslation: translationRules,
});
export const media = z.object({
  codecs: z
    .array(z.enum(CODECS))
    .min(1, "at least one codec")
    .refine((c) => new Set(c).size === c.length, "each codec once")
    .default(["PCMA", "PCMU", "G729"]),
  vad: z.boolean().default(false),
  ptimeMs: z.union([z.literal(10), z.literal(20), z.literal(30), z.literal(40), z.literal(60)]).default(20),
  dtmfMode: z.enum(["rfc2833", "inband", "sip_info"]).default("rfc2833"),
  mediaRelay: z.boolean().default(true),
  rtpTimeoutS: z.number().int().min(0).max(3600).default(60),
});
export const signalling = z.object({
  privacyMethod: z.enum(["none", "rfc3323", "rpid"]).default("rfc3323"),
  sessionTimerS: z.number().int().min(90).max(86_400).nullable().default(1800),
  rel100: z.enum(["disabled", "supported", "required"]).default("supported"),
  maxCallDurationS: positiveInt(86_400).nullable().default(7200),
  /** Which release cause mapping applies: the tenant's table, or pass the cause through. */
  releaseCauseMapping: z.enum(["tenant", "passthrough"]).default("tenant"),
});
export const monitoring = z
  .object({
    optionsPing: z.boolean().default(true),
    optionsIntervalS: z.number().int().min(5).max(3600).default(30),
    callResponseMonitoring: z.boolean().default(false),
    autoDisableAfterFailures: positiveInt(100).default(3),
    reEnableAfterSuccesses: positiveInt(100).default(2),
  });

// ── Carrier ──
const carrierFields = {
  name: text(120),
  type: z.enum(CARRIER_TYPES),
  status: z.enum(["active", "suspended", "inactive"]).default("active"),
  timeZone: timeZone.default("UTC"),
  accountManagerUserId: z.uuid().nullable().default(null),
  customerBilling: z.enum(["automatic", "manual"]).default("automatic"),
  primaryCurrency: currencyCode,
  currency2: currencyCode.nullable().default(null),
  currency3: currencyCode.nullable().default(null),
  routingCapacity: positiveInt(1_000_000).nullable().default(null),
  circularRouting: z.boolean().default(false),
  // Credit settings
  customerCreditType: z.enum(["prepaid", "postpaid"]).default("prepaid"),
  customerCreditLimit: nonNegativeMoney.default(0n),
  bilateralLimit: nonNegativeMoney.nullable().default(null),
  bilateralLimitBreach: z.enum(["none", "alert", "block"]).default("alert"),
  customerSpendLimit24h: nonNegativeMoney.nullable().default(null),
  customerSpendBreach: z.enum(["alert", "block"]).default("alert"),
  customerSpendMode: z.enum(["rolling", "reset_daily"]).default("rolling"),
  supplierCreditType: z.enum(["prepaid", "postpaid"]).default("postpaid"),
  supplierSpendLimit24h: nonNegativeMoney.nullable().default(null),
  supplierSpendBreach: z.enum(["alert", "block"]).default("alert"),
  // Accounting details
  customerAccountNumber: optionalText(64),
  supplierAccountNumber: optionalText(64),
  taxCode: optionalText(32),
  billTo: optionalText(1000),
  shipTo: optionalText(1000),
};
export const carrierCreate = z.object(carrierFields);
export type CarrierCreate = z.infer<typeof carrierCreate>;
/** PATCH: any subset; no defaults are applied to omitted fields. */
export const carrierPatch = patchOf(carrierCreate);
export type CarrierPatch = Partial<CarrierCreate>;


// ── Interconnect ──
const interconnectFields = {
  name: text(120),
  currency: currencyCode,
  status: z.enum(["active", "disabled", "testing"]).default("active"),
  capacity: positiveInt(1_000_000).nullable().default(null),
  addresses: z.array(address).max(50).default([]),
  supplierRatingPlanId: z.uuid().nullable().default(null),
  ingressValidation: ingressValidation.optional(),
  ingressTranslation: ingressTranslation.optional(),
  egressRouting: egressRouting.optional(),
  egressTranslation: egressTranslation.optional(),
  media: media.optional(),
  signalling: signalling.optional(),
  monitoring: monitoring.optional(),
};
export const interconnectCreate = z.object({ ...interconnectFields, direction: z.enum(DIRECTIONS) });
export type InterconnectCreate = z.infer<typeof interconnectCreate>;
/** `direction` may be sent (unchanged) but never changes: the operation refuses a new one. */
export const interconnectPatch = patchOf(interconnectCreate);
export type InterconnectPatch = z.infer<typeof interconnectPatch>;

// ── Service ──
const prefixList = z
  .array(z.string().regex(/^[0-9]{1,20}$/, "digit prefixes"))
  .max(500)
  .refine((l) => new Set(l).size === l.length, "each prefix once")
  .default([]);
const serviceFields = {
  name: text(120),
  status: z.enum(["active", "disabled"]).default("active"),
  ratingPlanId: z.uuid().nullable().default(null),
  routingPlanId: z.uuid().nullable().default(null),
  /** Inherited from the interconnect; if sent, it must equal the interconnect's. */
  currency: currencyCode.optional(),
  timeClass: optionalText(60),
  capacity: positiveInt(1_000_000).nullable().default(null),
  allowTranscoding: z.boolean().default(false),
  routingMethod: z.enum(["routing_plan", "interconnect"]).default("routing_plan"),
  routeToInterconnectId: z.uuid().nullable().default(null),
  npStatus: z.enum(["disabled", "enabled"]).default("disabled"),
  npPlan: optionalText(60),
  originationBlacklist: z.boolean().default(true),
  originationExceptions: prefixList,
  destinationBlacklist: z.boolean().default(true),
  destinationExceptions: prefixList,
  originationMatch: prefixList,
  destinationMatch: prefixList,
  techPrefix,
  priority: z.number().int().min(0).max(1000).default(100),
  enforcementPolicy: z.enum(["enforce", "monitor"]).default("enforce"),
};
export const serviceCreate = z.object(serviceFields);
export type ServiceCreate = z.infer<typeof serviceCreate>;
export const servicePatch = patchOf(serviceCreate);
export type ServicePatch = z.infer<typeof servicePatch>;

// ── Contacts, alerts, trunk groups, blacklists, release causes ──
export const CONTACT_ROLES = ["billing", "noc", "rates", "sales", "technical", "management"] as const;
export const contactInput = z.object({
  name: text(120),
  roles: z.array(z.enum(CONTACT_ROLES)).min(1, "pick at least one role"),
  email: z.string().trim().toLowerCase().pipe(z.email("not a valid e-mail address")).nullable().default(null),
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{4,30}$/, "a phone number").nullable().default(null),
});
export const ALERT_TYPES = ["low_balance", "high_balance", "spend_24h_breach"] as const;
export const creditAlertInput = z.object({
  type: z.enum(ALERT_TYPES),
  threshold: money,
  resetThreshold: money.nullable().default(null),
  currency: currencyCode,
  template: text(2000),
  recipientContactIds: z.array(z.uuid()).min(1, "pick at least one recipient").max(50),
  enabled: z.boolean().default(true),
});
export const trunkGroupInput = z.object({
  name: text(120),
  direction: z.enum(DIRECTIONS),
  description: optionalText(500),
  interconnectIds: z.array(z.uuid()).max(200).refine((l) => new Set(l).size === l.length, "each interconnect once").default([]),
});
export const blacklistEntryInput = z
  .object({
    list: z.enum(["origination", "destination"]),
    matchType: z.enum(["exact", "prefix"]),
    value: z.string().regex(/^[0-9]{1,20}$/, "digits only"),
    scope: z.enum(["global", "service", "interconnect"]),
    serviceId: z.uuid().nullable().default(null),
    interconnectId: z.uuid().nullable().default(null),
    note: optionalText(300),
  })
  .superRefine((b, ctx) => {
    if (b.scope === "service" && !b.serviceId) ctx.addIssue({ code: "custom", path: ["serviceId"], message: "required for a service-scoped entry" });
    if (b.scope === "interconnect" && !b.interconnectId) ctx.addIssue({ code: "custom", path: ["interconnectId"], message: "required for an interconnect-scoped entry" });
    if (b.scope !== "service" && b.serviceId) ctx.addIssue({ code: "custom", path: ["serviceId"], message: "only for scope service" });
    if (b.scope !== "interconnect" && b.interconnectId) ctx.addIssue({ code: "custom", path: ["interconnectId"], message: "only for scope interconnect" });
  });
export const releaseCauseInput = z.object({
  sipCode: z.number().int().min(300).max(699),
  q850Cause: z.number().int().min(1).max(127),
  description: text(120),
  failover: z.boolean(),
});
