import type { BadgeTone } from "../../../components";
import type { AlertType, Carrier, CarrierType, Contact, Interconnect } from "../types";

export const CARRIER_TYPE_LABEL: Record<CarrierType, string> = { customer: "Customer", supplier: "Supplier", bilateral: "Bilateral" };
export const CARRIER_TYPE_TONE: Record<CarrierType, BadgeTone> = { customer: "info", supplier: "accent", bilateral: "warning" };
export const CARRIER_TYPE_HINT: Record<CarrierType, string> = {
  customer: "Ingress only: sends traffic to the platform. Customer balance is enforced.",
  supplier: "Egress only: receives traffic from the platform. Supplier balance is informational.",
  bilateral: "Both ingress and egress: customer and supplier balances, net exposure.",
};

export const CARRIER_STATUS_LABEL: Record<Carrier["status"], string> = { active: "Active", suspended: "Suspended", inactive: "Inactive" };
export const CARRIER_STATUS_TONE: Record<Carrier["status"], BadgeTone> = { active: "success", suspended: "warning", inactive: "neutral" };

export const IC_STATUS_LABEL: Record<Interconnect["status"], string> = { active: "Active", testing: "Testing", disabled: "Disabled" };
export const IC_STATUS_TONE: Record<Interconnect["status"], BadgeTone> = { active: "success", testing: "info", disabled: "neutral" };

export const DIRECTION_LABEL = { ingress: "Ingress", egress: "Egress" } as const;

export const CREDIT_TYPE_LABEL = { prepaid: "Prepaid", postpaid: "Postpaid" } as const;
export const BREACH_LABEL = { none: "None", alert: "Alert", block: "Block" } as const;
export const SPEND_MODE_LABEL = { rolling: "Rolling 24 hours", reset_daily: "Reset daily" } as const;
export const BILLING_LABEL = { automatic: "Automatic", manual: "Manual" } as const;

export const CONTACT_ROLE_LABEL: Record<Contact["roles"][number], string> = {
  billing: "Billing",
  noc: "NOC",
  rates: "Rates",
  sales: "Sales",
  technical: "Technical",
  management: "Management",
};

export const ALERT_TYPE_LABEL: Record<AlertType, string> = { low_balance: "Low Balance", high_balance: "High Balance", spend_24h_breach: "24-Hour Spend Breach" };

/** Label lookup that tolerates values the server adds later. */
export function label<T extends string>(map: Record<T, string>, v: string | null | undefined): string {
  if (!v) return "—";
  return (map as Record<string, string>)[v] ?? v;
}

export const carrierCurrencies = (c: Pick<Carrier, "primaryCurrency" | "currency2" | "currency3">) => [c.primaryCurrency, c.currency2, c.currency3].filter((x): x is string => !!x);

/** Directions an interconnect of this carrier may have (customer: ingress, supplier: egress). */
export const allowedDirections = (t: CarrierType): ("ingress" | "egress")[] => (t === "customer" ? ["ingress"] : t === "supplier" ? ["egress"] : ["ingress", "egress"]);

let currencyList: string[] | null = null;
/** ISO 4217 codes the browser knows, common wholesale ones first. */
export function currencyOptions(extra: (string | null | undefined)[] = []): string[] {
  if (!currencyList) {
    const common = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "INR", "ZAR", "AED", "SGD", "HKD"];
    let all: string[] = [];
    try {
      all = Intl.supportedValuesOf("currency");
    } catch {
      all = [];
    }
    currencyList = [...common, ...all.filter((c) => !common.includes(c)).sort()];
  }
  const add = extra.filter((x): x is string => !!x && !currencyList!.includes(x));
  return [...add, ...currencyList];
}

let tzList: string[] | null = null;
export function timeZoneOptions(current?: string | null): string[] {
  if (!tzList) {
    const all = new Set<string>(Intl.supportedValuesOf("timeZone"));
    all.add("UTC");
    tzList = [...all].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
  }
  return current && !tzList.includes(current) ? [current, ...tzList] : tzList;
}
