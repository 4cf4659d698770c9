import { and, eq, isNull } from "drizzle-orm";
import type { TxDb } from "../platform/db/client.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import type { Actor } from "../audit/audit.js";
import { interconnects, services, trunkGroups } from "../carriers/schema.js";
import { updateInterconnect } from "../carriers/interconnects.js";
import { updateService } from "../carriers/services.js";
import { seedDemoRatingPlan } from "../rating/seed.js";
import { createRoutingPlan } from "./plans.js";
import { createRoutingEntry } from "./entries.js";
import { createFxRate } from "./fx.js";
import { fxRateCreate, routingEntryCreate, routingPlanCreate } from "./model.js";

/**
 * Demo decks per destination: customer USD, customer GBP, and what TransAtlantic (USD),
 * Orion (EUR) and Acme (USD) charge; null = no rate. Nigeria via Orion loses money,
 * China has no customer rate: the Route Simulator shows both.
 */
const DECKS: readonly (readonly [string, string, string | null, string | null, string | null, string | null, string | null])[] = [
  ["1", "USA & Canada", "0.0100", "0.0085", "0.0045", "0.0040", "0.0050"],
  ["1212", "USA New York", "0.0090", "0.0075", "0.0040", null, "0.0036"],
  ["1900", "USA Premium", "0.5000", "0.4200", "0.3000", null, null],
  ["44", "United Kingdom", "0.0150", "0.0125", "0.0080", "0.0065", "0.0070"],
  ["4420", "UK London", "0.0120", "0.0100", "0.0060", "0.0055", null],
  ["447", "UK Mobile", "0.0450", "0.0370", "0.0250", "0.0210", "0.0240"],
  ["49", "Germany", "0.0180", "0.0150", "0.0110", "0.0080", "0.0120"],
  ["4915", "Germany Mobile", "0.0600", "0.0500", "0.0420", "0.0350", null],
  ["33", "France", "0.0160", "0.0135", "0.0100", "0.0070", "0.0090"],
  ["336", "France Mobile", "0.0550", "0.0450", "0.0390", "0.0330", null],
  ["34", "Spain", "0.0140", "0.0120", "0.0090", "0.0075", null],
  ["91", "India", "0.0250", "0.0210", "0.0180", "0.0160", "0.0175"],
  ["234", "Nigeria", "0.1500", "0.1250", "0.1300", "0.1650", null],
  ["86", "China", null, null, "0.0120", "0.0110", null],
];
const RATES_FROM = new Date("2024-01-01T00:00:00Z");

/**
 * The demo tenant's rating plans, FX rates and a routing plan wired to its services and
 * suppliers, through the same operations (and rules) as the API. Runs after the carrier
 * seed, whose interconnects, services and trunk group it looks up by name.
 */
export async function seedDemoRouting(tx: TxDb, demo: Actor, jobs: JobQueue): Promise<void> {
  const tenantId = demo.tenantId;
  const deck = (column: number) => DECKS.flatMap(([prefix, destination, ...rates]) => (rates[column] ? [[prefix, destination, rates[column]!] as const] : []));
  const plan = (name: string, kind: "customer" | "supplier", currency: string, column: number) =>
    seedDemoRatingPlan(tx, demo, { name, kind, currency, effectiveFrom: RATES_FROM, rates: deck(column) });
  const retailUsd = await plan("Retail USD", "customer", "USD", 0);
  const retailGbp = await plan("Retail GBP", "customer", "GBP", 1);
  const tacBuy = await plan("TransAtlantic Buy", "supplier", "USD", 2);
  const orionBuy = await plan("Orion Buy", "supplier", "EUR", 3);
  const acmeBuy = await plan("Acme Buy", "supplier", "USD", 4);

  for (const [base, rate, effectiveFrom] of [
    ["EUR", "1.08", "2024-01-01T00:00:00Z"],
    ["EUR", "1.09", "2025-01-01T00:00:00Z"],
    ["GBP", "1.27", "2024-01-01T00:00:00Z"],
  ] as const) {
    await createFxRate(tx, demo, fxRateCreate.parse({ base, quote: "USD", rate, effectiveFrom }));
  }

  const icId = async (name: string) => {
    const [row] = await tx.select({ id: interconnects.id }).from(interconnects).where(and(eq(interconnects.tenantId, tenantId), eq(interconnects.name, name), isNull(interconnects.deletedAt)));
    return row!.id;
  };
  const svcId = async (name: string) => {
    const [row] = await tx.select({ id: services.id }).from(services).where(and(eq(services.tenantId, tenantId), eq(services.name, name), isNull(services.deletedAt)));
    return row!.id;
  };
  const [tacPrimary, tacBackup, orion, acmeOut] = [await icId("TAC Primary"), await icId("TAC Backup"), await icId("Orion FRA"), await icId("Acme OUT")];
  const [tier1] = await tx.select({ id: trunkGroups.id }).from(trunkGroups).where(and(eq(trunkGroups.tenantId, tenantId), eq(trunkGroups.name, "Tier-1 Suppliers")));
  for (const [id, supplierRatingPlanId] of [
    [tacPrimary, tacBuy],
    [tacBackup, tacBuy],
    [orion, orionBuy],
    [acmeOut, acmeBuy],
  ] as const) {
    await updateInterconnect(tx, demo, jobs, id, { supplierRatingPlanId });
  }

  const wholesale = await createRoutingPlan(
    tx,
    demo,
    routingPlanCreate.parse({ name: "Wholesale USD", currency: "USD", description: "Demo routing: LCR by default, Tier-1 first for the UK, a 70/30 split for UK mobiles", maxAttempts: 3 }),
  );
  // France moves to Orion first at the start of next month: a scheduled change.
  const now = new Date();
  const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const entries: Record<string, unknown>[] = [
    { prefix: "", description: "Everything else: cheapest first", candidates: [{ interconnectId: tacPrimary }, { interconnectId: orion }, { interconnectId: acmeOut }, { interconnectId: tacBackup }] },
    {
      prefix: "44",
      strategy: "priority_lcr",
      description: "UK: Tier-1 suppliers first (cheapest inside), then Acme, then the backup",
      minMargin: "0.001",
      candidates: [{ trunkGroupId: tier1!.id, priority: 1 }, { interconnectId: acmeOut, priority: 2 }, { interconnectId: tacBackup, priority: 3 }],
    },
    {
      prefix: "447",
      strategy: "weighted",
      description: "UK mobile: 70/30 split, backup last",
      candidates: [{ interconnectId: tacPrimary, weight: 70 }, { interconnectId: orion, weight: 30 }, { interconnectId: tacBackup, weight: 0 }],
    },
    {
      prefix: "49",
      strategy: "quality",
      qualityBase: "lcr",
      description: "Germany: cheapest among suppliers with ASR ≥ 35 %, ACD ≥ 30 s, PDD ≤ 6 s",
      minAsrPercent: 35,
      minAcdS: 30,
      maxPddMs: 6000,
      minSamples: 50,
      candidates: [{ interconnectId: tacPrimary }, { interconnectId: orion }, { interconnectId: acmeOut }],
    },
    { prefix: "1900", blocked: true, description: "Premium-rate numbers are blocked" },
    { prefix: "234", description: "Nigeria: 5 % margin or better", minMarginPercent: 5, candidates: [{ interconnectId: tacPrimary }, { interconnectId: orion }] },
    { prefix: "91", strategy: "priority", description: "India: TransAtlantic, then Orion up to 0.017", candidates: [{ interconnectId: tacPrimary, priority: 1 }, { interconnectId: orion, priority: 2, maxSupplierRate: "0.017" }] },
    { prefix: "33", description: "France: cheapest first, until the switch to Orion", effectiveTo: nextMonth.toISOString(), candidates: [{ interconnectId: tacPrimary }, { interconnectId: orion }, { interconnectId: acmeOut }] },
    { prefix: "33", strategy: "priority", description: "France: Orion first", effectiveFrom: nextMonth.toISOString(), candidates: [{ interconnectId: orion, priority: 1 }, { interconnectId: tacPrimary, priority: 2 }] },
  ];
  for (const e of entries) await createRoutingEntry(tx, demo, wholesale.id, routingEntryCreate.parse(e));

  for (const name of ["Acme Premium", "Acme UK Direct"]) await updateService(tx, demo, jobs, await svcId(name), { ratingPlanId: retailUsd, routingPlanId: wholesale.id });
  await updateService(tx, demo, jobs, await svcId("GV CLI Route"), { ratingPlanId: retailGbp, routingPlanId: wholesale.id });
  // GV Standard shows the other routing method: straight to one interconnect.
  await updateService(tx, demo, jobs, await svcId("GV Standard"), { ratingPlanId: retailGbp, routingMethod: "interconnect", routeToInterconnectId: tacBackup });
}
