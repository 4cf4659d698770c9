import { z } from "zod";
import { currencyCode, money, timestamp } from "../platform/http/schemas.js";
import {
  address,
  CARRIER_TYPES,
  DIRECTIONS,
  egressRouting,
  egressTranslation,
  ingressTranslation,
  ingressValidation,
  media,
  monitoring,
  signalling,
} from "./model.js";

/** Response shapes. Money goes out as decimal strings through the `money` codec. */
export const carrierDto = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(CARRIER_TYPES),
  status: z.string(),
  timeZone: z.string(),
  accountManagerUserId: z.uuid().nullable(),
  accountManagerName: z.string().nullable(),
  customerBilling: z.string(),
  primaryCurrency: currencyCode,
  currency2: currencyCode.nullable(),
  currency3: currencyCode.nullable(),
  routingCapacity: z.number().int().nullable(),
  circularRouting: z.boolean(),
  customerCreditType: z.string(),
  customerCreditLimit: money,
  bilateralLimit: money.nullable(),
  bilateralLimitBreach: z.string(),
  customerSpendLimit24h: money.nullable(),
  customerSpendBreach: z.string(),
  customerSpendMode: z.string(),
  supplierCreditType: z.string(),
  supplierSpendLimit24h: money.nullable(),
  supplierSpendBreach: z.string(),
  customerSpendResetAt: timestamp.nullable(),
  supplierSpendResetAt: timestamp.nullable(),
  customerAccountNumber: z.string().nullable(),
  supplierAccountNumber: z.string().nullable(),
  taxCode: z.string().nullable(),
  billTo: z.string().nullable(),
  shipTo: z.string().nullable(),
  interconnectCount: z.number().int(),
  serviceCount: z.number().int(),
  /** Ledger balances in the primary currency (see ledger/balances.ts for the signs). */
  customerBalance: money,
  supplierBalance: money,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const interconnectDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string(),
  carrierType: z.string(),
  name: z.string(),
  direction: z.enum(DIRECTIONS),
  currency: z.string(),
  status: z.string(),
  capacity: z.number().int().nullable(),
  addresses: z.array(address),
  supplierRatingPlanId: z.uuid().nullable(),
  ingressValidation: ingressValidation.nullable(),
  ingressTranslation: ingressTranslation.nullable(),
  egressRouting: egressRouting.nullable(),
  egressTranslation: egressTranslation.nullable(),
  media,
  signalling,
  monitoring: monitoring.nullable(),
  serviceCount: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const serviceDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string(),
  interconnectId: z.uuid(),
  interconnectName: z.string(),
  name: z.string(),
  status: z.string(),
  ratingPlanId: z.uuid().nullable(),
  ratingPlanName: z.string().nullable(),
  routingPlanId: z.uuid().nullable(),
  currency: z.string(),
  timeClass: z.string().nullable(),
  capacity: z.number().int().nullable(),
  allowTranscoding: z.boolean(),
  routingMethod: z.string(),
  routeToInterconnectId: z.uuid().nullable(),
  routeToInterconnectName: z.string().nullable(),
  npStatus: z.string(),
  npPlan: z.string().nullable(),
  originationBlacklist: z.boolean(),
  originationExceptions: z.array(z.string()),
  destinationBlacklist: z.boolean(),
  destinationExceptions: z.array(z.string()),
  originationMatch: z.array(z.string()),
  destinationMatch: z.array(z.string()),
  techPrefix: z.string(),
  priority: z.number().int(),
  enforcementPolicy: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const contactDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  name: z.string(),
  roles: z.array(z.string()),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const creditAlertDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  type: z.string(),
  threshold: money,
  resetThreshold: money.nullable(),
  currency: z.string(),
  template: z.string(),
  recipientContactIds: z.array(z.uuid()),
  enabled: z.boolean(),
  /** In the list: armed (fires when crossed) or fired (once, until the value crosses back past the reset threshold). */
  state: z.enum(["armed", "fired"]).optional(),
  firedAt: timestamp.nullable().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const trunkGroupDto = z.object({
  id: z.uuid(),
  name: z.string(),
  direction: z.enum(DIRECTIONS),
  description: z.string().nullable(),
  members: z.array(z.object({ interconnectId: z.uuid(), name: z.string(), carrierName: z.string(), status: z.string(), position: z.number().int() })),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const blacklistEntryDto = z.object({
  id: z.uuid(),
  list: z.string(),
  matchType: z.string(),
  value: z.string(),
  scope: z.string(),
  serviceId: z.uuid().nullable(),
  interconnectId: z.uuid().nullable(),
  scopeName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: timestamp,
});

export const releaseCauseDto = z.object({
  id: z.uuid(),
  sipCode: z.number().int(),
  q850Cause: z.number().int(),
  description: z.string(),
  failover: z.boolean(),
  updatedAt: timestamp,
});

const limitLine = z.object({ balance: money, limit: money.nullable(), remaining: money.nullable() });
const spendLine = z.object({ spend: money, limit: money.nullable(), remaining: money.nullable() });
export const creditControlDto = z.object({
  carrierType: z.enum(CARRIER_TYPES),
  currencies: z.array(
    z.object({
      currency: z.string(),
      customer: limitLine.extend({ pending: money }).nullable(),
      supplier: z.object({ balance: money }).nullable(),
      bilateral: z.object({ netExposure: money, limit: money.nullable(), remaining: money.nullable() }).nullable(),
      spend24h: z.object({ customer: spendLine.nullable(), supplier: spendLine.nullable() }),
    }),
  ),
  customerSpendResetAt: timestamp.nullable(),
  supplierSpendResetAt: timestamp.nullable(),
});

export const syncEventDto = z.object({
  id: z.uuid(),
  entityType: z.string(),
  entityId: z.uuid(),
  action: z.string(),
  status: z.string(),
  jobId: z.uuid().nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  processedAt: timestamp.nullable(),
});
