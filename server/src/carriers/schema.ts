import { sql } from "drizzle-orm";
import { pgTable, uuid, text, integer, boolean, bigint, jsonb, timestamp, index, uniqueIndex, pgEnum, primaryKey } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/schema.js";
import { users } from "../identity/schema.js";
import type { z } from "zod";
import type * as m from "./model.js";

export const carrierTypeEnum = pgEnum("carrier_type", ["customer", "supplier", "bilateral"]);
export const carrierStatusEnum = pgEnum("carrier_status", ["active", "suspended", "inactive"]);
export const directionEnum = pgEnum("interconnect_direction", ["ingress", "egress"]);
export const interconnectStatusEnum = pgEnum("interconnect_status", ["active", "disabled", "testing"]);

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => bigint(name, { mode: "bigint" });

/** A commercial entity we sell to (customer), buy from (supplier), or both (bilateral). */
export const carriers = pgTable(
  "carriers",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    type: carrierTypeEnum("type").notNull(),
    status: carrierStatusEnum("status").notNull().default("active"),
    timeZone: text("time_zone").notNull().default("UTC"),
    accountManagerUserId: uuid("account_manager_user_id").references(() => users.id),
    customerBilling: text("customer_billing").notNull().default("automatic"),
    primaryCurrency: text("primary_currency").notNull(),
    currency2: text("currency_2"),
    currency3: text("currency_3"),
    /** Concurrent channels; null = unrestricted. */
    routingCapacity: integer("routing_capacity"),
    circularRouting: boolean("circular_routing").notNull().default(false),
    // Credit settings
    customerCreditType: text("customer_credit_type").notNull().default("prepaid"),
    customerCreditLimitMicros: money("customer_credit_limit_micros").notNull().default(sql`0`),
    bilateralLimitMicros: money("bilateral_limit_micros"),
    bilateralLimitBreach: text("bilateral_limit_breach").notNull().default("alert"),
    customerSpendLimit24hMicros: money("customer_spend_limit_24h_micros"),
    customerSpendBreach: text("customer_spend_breach").notNull().default("alert"),
    customerSpendMode: text("customer_spend_mode").notNull().default("rolling"),
    supplierCreditType: text("supplier_credit_type").notNull().default("postpaid"),
    supplierSpendLimit24hMicros: money("supplier_spend_limit_24h_micros"),
    supplierSpendBreach: text("supplier_spend_breach").notNull().default("alert"),
    /** 24-hour spend is counted from the later of (now − 24 h) and the last Reset. */
    customerSpendResetAt: ts("customer_spend_reset_at"),
    supplierSpendResetAt: ts("supplier_spend_reset_at"),
    // Accounting details
    customerAccountNumber: text("customer_account_number"),
    supplierAccountNumber: text("supplier_account_number"),
    taxCode: text("tax_code"),
    billTo: text("bill_to"),
    shipTo: text("ship_to"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("carriers_name_live_key").on(t.tenantId, sql`lower(${t.name})`).where(sql`${t.deletedAt} IS NULL`),
    index("carriers_tenant_idx").on(t.tenantId, t.name),
  ],
);

/** A SIP trunk of one carrier: ingress (customer side) or egress (supplier side). */
export const interconnects = pgTable(
  "interconnects",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    name: text("name").notNull(),
    direction: directionEnum("direction").notNull(),
    currency: text("currency").notNull(),
    status: interconnectStatusEnum("status").notNull().default("active"),
    capacity: integer("capacity"),
    /** Signalling addresses: [{ address: IP or CIDR, port: number | null }]. */
    addresses: jsonb("addresses").$type<z.infer<typeof m.address>[]>().notNull().default([]),
    supplierRatingPlanId: uuid("supplier_rating_plan_id"),
    /** Settings per tab, each validated by its zod schema in model.ts. */
    ingressValidation: jsonb("ingress_validation").$type<z.infer<typeof m.ingressValidation>>(),
    ingressTranslation: jsonb("ingress_translation").$type<z.infer<typeof m.ingressTranslation>>(),
    egressRouting: jsonb("egress_routing").$type<z.infer<typeof m.egressRouting>>(),
    egressTranslation: jsonb("egress_translation").$type<z.infer<typeof m.egressTranslation>>(),
    media: jsonb("media").$type<z.infer<typeof m.media>>().notNull(),
    signalling: jsonb("signalling").$type<z.infer<typeof m.signalling>>().notNull(),
    monitoring: jsonb("monitoring").$type<z.infer<typeof m.monitoring>>(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("interconnects_name_live_key").on(t.carrierId, sql`lower(${t.name})`).where(sql`${t.deletedAt} IS NULL`),
    index("interconnects_tenant_idx").on(t.tenantId, t.carrierId),
  ],
);

/** The key linkage: an ingress interconnect's traffic → customer rating plan + routing plan. */
export const services = pgTable(
  "services",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    interconnectId: uuid("interconnect_id").notNull().references(() => interconnects.id),
    name: text("name").notNull(),
    status: text("status").notNull().default("active"),
    ratingPlanId: uuid("rating_plan_id"),
    routingPlanId: uuid("routing_plan_id"),
    currency: text("currency").notNull(),
    timeClass: text("time_class"),
    capacity: integer("capacity"),
    allowTranscoding: boolean("allow_transcoding").notNull().default(false),
    routingMethod: text("routing_method").notNull().default("routing_plan"),
    routeToInterconnectId: uuid("route_to_interconnect_id").references(() => interconnects.id),
    npStatus: text("np_status").notNull().default("disabled"),
    npPlan: text("np_plan"),
    originationBlacklist: boolean("origination_blacklist").notNull().default(true),
    originationExceptions: text("origination_exceptions").array().notNull().default(sql`'{}'`),
    destinationBlacklist: boolean("destination_blacklist").notNull().default(true),
    destinationExceptions: text("destination_exceptions").array().notNull().default(sql`'{}'`),
    originationMatch: text("origination_match").array().notNull().default(sql`'{}'`),
    destinationMatch: text("destination_match").array().notNull().default(sql`'{}'`),
    techPrefix: text("tech_prefix").notNull().default(""),
    priority: integer("priority").notNull().default(100),
    enforcementPolicy: text("enforcement_policy").notNull().default("enforce"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    uniqueIndex("services_name_live_key").on(t.interconnectId, sql`lower(${t.name})`).where(sql`${t.deletedAt} IS NULL`),
    index("services_tenant_idx").on(t.tenantId, t.interconnectId),
  ],
);

export const contacts = pgTable(
  "carrier_contacts",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    name: text("name").notNull(),
    roles: text("roles").array().notNull(),
    email: text("email"),
    phone: text("phone"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("carrier_contacts_carrier_idx").on(t.tenantId, t.carrierId)],
);

export const creditAlerts = pgTable(
  "credit_alerts",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    carrierId: uuid("carrier_id").notNull().references(() => carriers.id),
    type: text("type").notNull(),
    thresholdMicros: money("threshold_micros").notNull(),
    /** Crossing back past this re-arms the alert (fires once per crossing). */
    resetThresholdMicros: money("reset_threshold_micros"),
    currency: text("currency").notNull(),
    template: text("template").notNull(),
    recipientContactIds: uuid("recipient_contact_ids").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("credit_alerts_carrier_idx").on(t.tenantId, t.carrierId)],
);

export const trunkGroups = pgTable(
  "trunk_groups",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    direction: directionEnum("direction").notNull(),
    description: text("description"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [uniqueIndex("trunk_groups_name_live_key").on(t.tenantId, sql`lower(${t.name})`).where(sql`${t.deletedAt} IS NULL`)],
);

export const trunkGroupMembers = pgTable(
  "trunk_group_members",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    trunkGroupId: uuid("trunk_group_id").notNull().references(() => trunkGroups.id, { onDelete: "cascade" }),
    interconnectId: uuid("interconnect_id").notNull().references(() => interconnects.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.trunkGroupId, t.interconnectId] })],
);

/** Origination/destination blacklist entries: global, or scoped to a service or interconnect. */
export const blacklistEntries = pgTable(
  "blacklist_entries",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    list: text("list").notNull(),
    matchType: text("match_type").notNull(),
    value: text("value").notNull(),
    scope: text("scope").notNull(),
    // Entries scoped to a service or interconnect go when it is purged.
    serviceId: uuid("service_id").references(() => services.id, { onDelete: "cascade" }),
    interconnectId: uuid("interconnect_id").references(() => interconnects.id, { onDelete: "cascade" }),
    note: text("note"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("blacklist_entries_tenant_idx").on(t.tenantId, t.list, t.value)],
);

/** SIP response ↔ Q.850 cause, and whether a route failure with it fails over. */
export const releaseCauseMappings = pgTable(
  "release_cause_mappings",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    sipCode: integer("sip_code").notNull(),
    q850Cause: integer("q850_cause").notNull(),
    description: text("description").notNull(),
    failover: boolean("failover").notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("release_cause_mappings_sip_key").on(t.tenantId, t.sipCode)],
);
