import type { Carrier, CarrierType } from "../types";
import { MONEY_INPUT_RE, moneyForInput, sameMoney } from "./money";

/** The "Carrier Details" half of a carrier, as form strings. */
export interface DetailsForm {
  name: string;
  type: CarrierType;
  status: Carrier["status"];
  timeZone: string;
  accountManagerUserId: string;
  customerBilling: Carrier["customerBilling"];
  primaryCurrency: string;
  currency2: string;
  currency3: string;
  capacityMode: "unrestricted" | "limited";
  routingCapacity: string;
  circularRouting: boolean;
}

/** The "Credit Settings" half; money as decimal strings, "" = no limit. */
export interface CreditForm {
  customerCreditType: Carrier["customerCreditType"];
  customerCreditLimit: string;
  bilateralLimit: string;
  bilateralLimitBreach: Carrier["bilateralLimitBreach"];
  customerSpendLimit24h: string;
  customerSpendBreach: Carrier["customerSpendBreach"];
  customerSpendMode: Carrier["customerSpendMode"];
  supplierCreditType: Carrier["supplierCreditType"];
  supplierSpendLimit24h: string;
  supplierSpendBreach: Carrier["supplierSpendBreach"];
}

export type DetailsKey = keyof DetailsForm;
export type CreditKey = keyof CreditForm;

/** API field names of each half (for routing server field errors to the right step). */
export const DETAIL_FIELDS = ["name", "type", "status", "timeZone", "accountManagerUserId", "customerBilling", "primaryCurrency", "currency2", "currency3", "routingCapacity", "circularRouting"] as const;
export const CREDIT_FIELDS = [
  "customerCreditType",
  "customerCreditLimit",
  "bilateralLimit",
  "bilateralLimitBreach",
  "customerSpendLimit24h",
  "customerSpendBreach",
  "customerSpendMode",
  "supplierCreditType",
  "supplierSpendLimit24h",
  "supplierSpendBreach",
] as const;

export const defaultDetails = (timeZone: string): DetailsForm => ({
  name: "",
  type: "customer",
  status: "active",
  timeZone,
  accountManagerUserId: "",
  customerBilling: "automatic",
  primaryCurrency: "USD",
  currency2: "",
  currency3: "",
  capacityMode: "unrestricted",
  routingCapacity: "",
  circularRouting: false,
});

export const defaultCredit = (): CreditForm => ({
  customerCreditType: "prepaid",
  customerCreditLimit: "0",
  bilateralLimit: "",
  bilateralLimitBreach: "alert",
  customerSpendLimit24h: "",
  customerSpendBreach: "alert",
  customerSpendMode: "rolling",
  supplierCreditType: "postpaid",
  supplierSpendLimit24h: "",
  supplierSpendBreach: "alert",
});

export const detailsFromCarrier = (c: Carrier): DetailsForm => ({
  name: c.name,
  type: c.type,
  status: c.status,
  timeZone: c.timeZone,
  accountManagerUserId: c.accountManagerUserId ?? "",
  customerBilling: c.customerBilling,
  primaryCurrency: c.primaryCurrency,
  currency2: c.currency2 ?? "",
  currency3: c.currency3 ?? "",
  capacityMode: c.routingCapacity === null ? "unrestricted" : "limited",
  routingCapacity: c.routingCapacity === null ? "" : String(c.routingCapacity),
  circularRouting: c.circularRouting,
});

export const creditFromCarrier = (c: Carrier): CreditForm => ({
  customerCreditType: c.customerCreditType,
  customerCreditLimit: moneyForInput(c.customerCreditLimit),
  bilateralLimit: moneyForInput(c.bilateralLimit),
  bilateralLimitBreach: c.bilateralLimitBreach,
  customerSpendLimit24h: moneyForInput(c.customerSpendLimit24h),
  customerSpendBreach: c.customerSpendBreach,
  customerSpendMode: c.customerSpendMode,
  supplierCreditType: c.supplierCreditType,
  supplierSpendLimit24h: moneyForInput(c.supplierSpendLimit24h),
  supplierSpendBreach: c.supplierSpendBreach,
});

export function validateDetails(f: DetailsForm): Partial<Record<string, string>> {
  const e: Partial<Record<string, string>> = {};
  if (!f.name.trim()) e.name = "Enter the carrier's name";
  if (!/^[A-Z]{3}$/.test(f.primaryCurrency)) e.primaryCurrency = "Choose a currency";
  if (f.currency2 && f.currency2 === f.primaryCurrency) e.currency2 = "Must differ from the primary currency";
  if (f.currency3 && !f.currency2) e.currency3 = "Set Currency 2 first";
  else if (f.currency3 && (f.currency3 === f.primaryCurrency || f.currency3 === f.currency2)) e.currency3 = "Must differ from the other currencies";
  if (f.capacityMode === "limited") {
    const n = Number(f.routingCapacity);
    if (!/^\d+$/.test(f.routingCapacity.trim()) || n < 1 || n > 1_000_000) e.routingCapacity = "A whole number of channels from 1 to 1,000,000";
  }
  return e;
}

const moneyOk = (v: string, optional: boolean) => (optional && v.trim() === "") || MONEY_INPUT_RE.test(v.trim());
const MONEY_MSG = "An amount ≥ 0 with at most 6 decimals, e.g. 2500 or 2500.50";

export function validateCredit(f: CreditForm, type: CarrierType): Partial<Record<string, string>> {
  const e: Partial<Record<string, string>> = {};
  if (type !== "supplier") {
    if (!moneyOk(f.customerCreditLimit, false)) e.customerCreditLimit = MONEY_MSG;
    if (!moneyOk(f.customerSpendLimit24h, true)) e.customerSpendLimit24h = `${MONEY_MSG}; empty for no limit`;
  }
  if (type === "bilateral" && !moneyOk(f.bilateralLimit, true)) e.bilateralLimit = `${MONEY_MSG}; empty for no limit`;
  if (type !== "customer" && !moneyOk(f.supplierSpendLimit24h, true)) e.supplierSpendLimit24h = `${MONEY_MSG}; empty for no limit`;
  return e;
}

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

export function detailsBody(f: DetailsForm) {
  return {
    name: f.name.trim(),
    type: f.type,
    status: f.status,
    timeZone: f.timeZone,
    accountManagerUserId: f.accountManagerUserId || null,
    customerBilling: f.customerBilling,
    primaryCurrency: f.primaryCurrency,
    currency2: f.currency2 || null,
    currency3: f.currency2 ? f.currency3 || null : null,
    routingCapacity: f.capacityMode === "limited" ? Number(f.routingCapacity) : null,
    circularRouting: f.circularRouting,
  };
}

/** Credit settings for the API; fields that do not apply to the type are left out. */
export function creditBody(f: CreditForm, type: CarrierType) {
  const customer =
    type !== "supplier"
      ? {
          customerCreditType: f.customerCreditType,
          customerCreditLimit: f.customerCreditLimit.trim(),
          customerSpendLimit24h: orNull(f.customerSpendLimit24h),
          customerSpendBreach: f.customerSpendBreach,
          customerSpendMode: f.customerSpendMode,
        }
      : {};
  const bilateral = type === "bilateral" ? { bilateralLimit: orNull(f.bilateralLimit), bilateralLimitBreach: f.bilateralLimitBreach } : {};
  const supplier = type !== "customer" ? { supplierCreditType: f.supplierCreditType, supplierSpendLimit24h: orNull(f.supplierSpendLimit24h), supplierSpendBreach: f.supplierSpendBreach } : {};
  return { ...customer, ...bilateral, ...supplier };
}

const MONEY_KEYS = new Set(["customerCreditLimit", "bilateralLimit", "customerSpendLimit24h", "supplierSpendLimit24h"]);

/** Only the fields whose value differs from the carrier's (what a PATCH sends). */
export function changedFields(carrier: Carrier, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const current = carrier as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(body)) {
    const was = current[k];
    const same = MONEY_KEYS.has(k) ? sameMoney(v as string | null, was as string | null) : v === was;
    if (!same) out[k] = v;
  }
  return out;
}

/** Every field the API accepts for a carrier, with the carrier's current values. */
function carrierInput(c: Carrier): Record<string, unknown> {
  return {
    name: c.name,
    type: c.type,
    status: c.status,
    timeZone: c.timeZone,
    accountManagerUserId: c.accountManagerUserId,
    customerBilling: c.customerBilling,
    primaryCurrency: c.primaryCurrency,
    currency2: c.currency2,
    currency3: c.currency3,
    routingCapacity: c.routingCapacity,
    circularRouting: c.circularRouting,
    customerCreditType: c.customerCreditType,
    customerCreditLimit: c.customerCreditLimit,
    bilateralLimit: c.bilateralLimit,
    bilateralLimitBreach: c.bilateralLimitBreach,
    customerSpendLimit24h: c.customerSpendLimit24h,
    customerSpendBreach: c.customerSpendBreach,
    customerSpendMode: c.customerSpendMode,
    supplierCreditType: c.supplierCreditType,
    supplierSpendLimit24h: c.supplierSpendLimit24h,
    supplierSpendBreach: c.supplierSpendBreach,
    customerAccountNumber: c.customerAccountNumber,
    supplierAccountNumber: c.supplierAccountNumber,
    taxCode: c.taxCode,
    billTo: c.billTo,
    shipTo: c.shipTo,
  };
}

/**
 * PATCH body for a carrier: the changed fields, plus the current value of every other
 * field. Workaround: the server's PATCH schema applies the create defaults to omitted
 * fields (a PATCH of only the credit limit would reset time zone, currencies, accounting
 * details…), so nothing may be left out until that is fixed. Returns null when nothing
 * changed.
 */
export function carrierPatchBody(carrier: Carrier, changes: Record<string, unknown>): Record<string, unknown> | null {
  if (Object.keys(changes).length === 0) return null;
  const body = { ...carrierInput(carrier), ...changes };
  // A carrier that stops being bilateral drops its bilateral limit.
  if (body.type !== "bilateral") body.bilateralLimit = null;
  return body;
}
