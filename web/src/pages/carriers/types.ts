/**
 * Carrier hierarchy API shapes, mirroring server/src/carriers/dto.ts and model.ts.
 * Money is a decimal string with 6 decimals ("1234.500000"); never parse it to a float
 * for arithmetic — display it (lib/format) or send it back as a string.
 */
export type CarrierType = "customer" | "supplier" | "bilateral";
export type Direction = "ingress" | "egress";
export type Money = string;

export interface Carrier {
  id: string;
  name: string;
  type: CarrierType;
  status: "active" | "suspended" | "inactive";
  timeZone: string;
  accountManagerUserId: string | null;
  accountManagerName: string | null;
  customerBilling: "automatic" | "manual";
  primaryCurrency: string;
  currency2: string | null;
  currency3: string | null;
  routingCapacity: number | null;
  circularRouting: boolean;
  customerCreditType: "prepaid" | "postpaid";
  customerCreditLimit: Money;
  bilateralLimit: Money | null;
  bilateralLimitBreach: "none" | "alert" | "block";
  customerSpendLimit24h: Money | null;
  customerSpendBreach: "alert" | "block";
  customerSpendMode: "rolling" | "reset_daily";
  supplierCreditType: "prepaid" | "postpaid";
  supplierSpendLimit24h: Money | null;
  supplierSpendBreach: "alert" | "block";
  customerSpendResetAt: string | null;
  supplierSpendResetAt: string | null;
  customerAccountNumber: string | null;
  supplierAccountNumber: string | null;
  taxCode: string | null;
  billTo: string | null;
  shipTo: string | null;
  interconnectCount: number;
  serviceCount: number;
  /** Primary-currency ledger balances: customer negative = owes us; supplier negative = we owe them. */
  customerBalance: Money;
  supplierBalance: Money;
  createdAt: string;
  updatedAt: string;
}

export interface SignallingAddress {
  address: string;
  port: number | null;
}
export interface TranslationRule {
  field: "destination" | "origination";
  matchPrefix: string;
  strip: number;
  prepend: string;
}
export interface IngressValidation {
  ipValidation: boolean;
  techPrefix: string;
  fromUriMatch: string | null;
  contactUriMatch: string | null;
  trunkGroupId: string | null;
  maxCps: number | null;
}
export interface IngressTranslation {
  originationPreference: "from" | "pai" | "rpid";
  paiGeneration: "none" | "from" | "fixed";
  paiFixed: string | null;
  numberTranslation: TranslationRule[];
}
export interface EgressRouting {
  techPrefix: string;
  sendTo: { address: string; port: number; transport: "udp" | "tcp" | "tls" }[];
  maxCps: number | null;
  trunkGroupId: string | null;
  blacklistEnabled: boolean;
}
export interface EgressTranslation {
  paiGeneration: "none" | "from" | "fixed";
  paiFixed: string | null;
  blockInvalidOrigins: boolean;
  numberTranslation: TranslationRule[];
}
export const CODECS = ["PCMA", "PCMU", "G729", "G722", "OPUS", "GSM", "iLBC", "AMR", "AMR-WB"] as const;
export interface Media {
  codecs: (typeof CODECS)[number][];
  vad: boolean;
  ptimeMs: 10 | 20 | 30 | 40 | 60;
  dtmfMode: "rfc2833" | "inband" | "sip_info";
  mediaRelay: boolean;
  rtpTimeoutS: number;
}
export interface Signalling {
  privacyMethod: "none" | "rfc3323" | "rpid";
  sessionTimerS: number | null;
  rel100: "disabled" | "supported" | "required";
  maxCallDurationS: number | null;
  releaseCauseMapping: "tenant" | "passthrough";
}
export interface Monitoring {
  optionsPing: boolean;
  optionsIntervalS: number;
  callResponseMonitoring: boolean;
  autoDisableAfterFailures: number;
  reEnableAfterSuccesses: number;
}

export interface Interconnect {
  id: string;
  carrierId: string;
  carrierName: string;
  carrierType: CarrierType;
  name: string;
  direction: Direction;
  currency: string;
  status: "active" | "disabled" | "testing";
  capacity: number | null;
  addresses: SignallingAddress[];
  supplierRatingPlanId: string | null;
  ingressValidation: IngressValidation | null;
  ingressTranslation: IngressTranslation | null;
  egressRouting: EgressRouting | null;
  egressTranslation: EgressTranslation | null;
  media: Media;
  signalling: Signalling;
  monitoring: Monitoring | null;
  serviceCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Service {
  id: string;
  carrierId: string;
  carrierName: string;
  interconnectId: string;
  interconnectName: string;
  name: string;
  status: "active" | "disabled";
  ratingPlanId: string | null;
  ratingPlanName: string | null;
  routingPlanId: string | null;
  currency: string;
  timeClass: string | null;
  capacity: number | null;
  allowTranscoding: boolean;
  routingMethod: "routing_plan" | "interconnect";
  routeToInterconnectId: string | null;
  routeToInterconnectName: string | null;
  npStatus: "disabled" | "enabled";
  npPlan: string | null;
  originationBlacklist: boolean;
  originationExceptions: string[];
  destinationBlacklist: boolean;
  destinationExceptions: string[];
  originationMatch: string[];
  destinationMatch: string[];
  techPrefix: string;
  priority: number;
  enforcementPolicy: "enforce" | "monitor";
  createdAt: string;
  updatedAt: string;
}

export const CONTACT_ROLES = ["billing", "noc", "rates", "sales", "technical", "management"] as const;
export interface Contact {
  id: string;
  carrierId: string;
  name: string;
  roles: (typeof CONTACT_ROLES)[number][];
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
}

export type AlertType = "low_balance" | "high_balance" | "spend_24h_breach";
export interface CreditAlert {
  id: string;
  carrierId: string;
  type: AlertType;
  threshold: Money;
  resetThreshold: Money | null;
  currency: string;
  template: string;
  recipientContactIds: string[];
  enabled: boolean;
  /** Present in the list: armed, or fired once (re-arms past the reset threshold). */
  state?: "armed" | "fired";
  firedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TrunkGroup {
  id: string;
  name: string;
  direction: Direction;
  description: string | null;
  members: { interconnectId: string; name: string; carrierName: string; status: string; position: number }[];
  createdAt: string;
  updatedAt: string;
}

export interface BlacklistEntry {
  id: string;
  list: "origination" | "destination";
  matchType: "exact" | "prefix";
  value: string;
  scope: "global" | "service" | "interconnect";
  serviceId: string | null;
  interconnectId: string | null;
  scopeName: string | null;
  note: string | null;
  createdAt: string;
}

export interface ReleaseCause {
  id: string;
  sipCode: number;
  q850Cause: number;
  description: string;
  failover: boolean;
  updatedAt: string;
}

interface LimitLine {
  balance: Money;
  limit: Money | null;
  remaining: Money | null;
}
interface SpendLine {
  spend: Money;
  limit: Money | null;
  remaining: Money | null;
}
export interface CreditControl {
  carrierType: CarrierType;
  currencies: {
    currency: string;
    customer: (LimitLine & { pending: Money }) | null;
    supplier: { balance: Money } | null;
    bilateral: { netExposure: Money; limit: Money | null; remaining: Money | null } | null;
    spend24h: { customer: SpendLine | null; supplier: SpendLine | null };
  }[];
  customerSpendResetAt: string | null;
  supplierSpendResetAt: string | null;
}

export interface SyncEvent {
  id: string;
  entityType: string;
  entityId: string;
  action: string;
  status: "pending" | "recorded" | "pushed" | "failed";
  jobId: string | null;
  error: string | null;
  createdAt: string;
  processedAt: string | null;
}
