/**
 * A deterministic synthetic carrier world for the routing benchmark, written into
 * PostgreSQL for one tenant so the server loads it exactly as it loads real data.
 *
 * 200 carriers (80 customers, 80 suppliers, 40 bilateral), 1 000 interconnects (400
 * ingress, one /32 each and every tenth a /28; 600 egress), 500 services (the first 100
 * ingress trunks carry two, split by tech prefix), 60 egress trunk groups, 3 000 blacklist
 * entries, FX rates, and 5 routing plans of ~470 entries (every country code, deeper
 * prefixes of big markets, a default route) with 6 candidates each, strategies mixed.
 * Rates: one customer deck of `prefixes` prefixes (bench/rating/deck.ts) and four
 * supplier decks over the same prefixes at 50–110 % of the customer rate (USD, USD,
 * EUR, GBP), bulk-loaded with COPY.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { newId } from "../../server/src/platform/ids.js";
import type { Db } from "../../server/src/platform/db/client.js";
import { blacklistEntries, carriers, interconnects, services, trunkGroupMembers, trunkGroups } from "../../server/src/carriers/schema.js";
import { egressRouting, egressTranslation, ingressTranslation, ingressValidation, media, monitoring, serviceCreate, signalling } from "../../server/src/carriers/model.js";
import { ratingPlans } from "../../server/src/rating/schema.js";
import { fxRates, routingCandidates, routingEntries, routingPlans } from "../../server/src/routing/schema.js";
import { STRATEGIES } from "../../server/src/routing/model.js";
import type { Rate, RatingPlan } from "../../server/src/rating/engine/index.js";
import { COUNTRY_CODES, createRandom, generateDeck, generateNumbers, type SyntheticDeck } from "../rating/deck.js";

export interface BenchCall {
  sourceIp: string;
  sourcePort: number;
  dialled: string;
  calling: string;
}

export interface BenchWorld {
  tenantId: string;
  deck: SyntheticDeck;
  /** Supplier decks as plans (same prefixes, own rates and currency). */
  supplierPlans: RatingPlan[];
  counts: Record<string, number>;
  calls: BenchCall[];
}

const chunk = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

async function insertAll(db: Db, table: Parameters<Db["insert"]>[0], rows: Record<string, unknown>[]): Promise<void> {
  for (const part of chunk(rows, 2_000)) await db.insert(table).values(part as never);
}

/** Rates of a compiled-plan form into `rates` via a server-side COPY of a temporary CSV. */
async function copyRates(pool: pg.Pool, tenantId: string, planId: string, rates: readonly Rate[]): Promise<void> {
  const file = path.join(os.tmpdir(), `didtron-routing-bench-${process.pid}-${planId}.csv`);
  const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());
  const lines = rates.map((r) =>
    [r.prefix, `"${r.destination}"`, r.rateMicrosPerMinute, r.connectionFeeMicros ?? "", r.increments?.firstS ?? "", r.increments?.nextS ?? "", r.timeClass ?? "", iso(r.effectiveFrom), iso(r.effectiveTo)].join(","),
  );
  fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o644 });
  try {
    const client = await pool.connect();
    try {
      await client.query("CREATE TEMP TABLE IF NOT EXISTS bench_rates (prefix text, destination text, rate bigint, fee bigint, first int, next int, time_class text, eff_from timestamptz, eff_to timestamptz)");
      await client.query("TRUNCATE bench_rates");
      await client.query(`COPY bench_rates FROM '${file}' WITH (FORMAT csv, NULL '')`);
      await client.query(
        `INSERT INTO rates (id, tenant_id, plan_id, prefix, destination, rate_micros_per_minute, connection_fee_micros, increment_first_s, increment_next_s, time_class, effective_from, effective_to)
         SELECT gen_random_uuid(), $1, $2, prefix, destination, rate, fee, first, next, time_class, eff_from, eff_to FROM bench_rates`,
        [tenantId, planId],
      );
    } finally {
      client.release();
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Generates the world and writes it for `tenantId`; returns the calls to decide. */
export async function buildWorld(pool: pg.Pool, db: Db, opts: { tenantId: string; prefixes: number; calls: number; log: (s: string) => void }): Promise<BenchWorld> {
  const { tenantId, log } = opts;
  const random = createRandom(20_260_101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  log(`generating a ${opts.prefixes.toLocaleString("en-US")}-prefix customer deck and 4 supplier decks…`);
  const deck = generateDeck(opts.prefixes, 42);
  const supplierCurrencies = ["USD", "USD", "EUR", "GBP"] as const;
  // EUR→USD 1.08 and GBP→USD 1.27: a supplier rate in EUR/GBP is scaled down so the USD value lands at 50–110 %.
  const toLocal = { USD: 1, EUR: 1 / 1.08, GBP: 1 / 1.27 } as const;
  const supplierPlans: RatingPlan[] = supplierCurrencies.map((currency, k) => {
    const r = createRandom(100 + k);
    const factor = new Map<string, number>();
    return {
      ...deck.plan,
      id: newId(),
      currency,
      rates: deck.plan.rates.map((rate) => {
        let f = factor.get(rate.prefix);
        if (f === undefined) factor.set(rate.prefix, (f = (0.5 + r() * 0.6) * toLocal[currency]));
        return { ...rate, rateMicrosPerMinute: BigInt(Math.max(1, Math.round(Number(rate.rateMicrosPerMinute) * f))) };
      }),
    };
  });
  const customerPlanId = newId();

  log("writing rating plans and rates (COPY)…");
  const planRow = (id: string, name: string, kind: string, currency: string) => ({
    id,
    tenantId,
    name,
    kind,
    currency,
    timeZone: deck.plan.timeZone,
    incrementFirstS: 60,
    incrementNextS: 60,
    gracePeriodS: deck.plan.defaults.gracePeriodS,
    timeClasses: deck.plan.timeClasses.map((c) => ({ ...c, days: [...c.days] })),
  });
  await insertAll(db, ratingPlans, [
    planRow(customerPlanId, "Bench retail", "customer", "USD"),
    ...supplierPlans.map((p, k) => planRow(p.id, `Bench supplier ${k + 1}`, "supplier", p.currency)),
  ]);
  await copyRates(pool, tenantId, customerPlanId, deck.plan.rates);
  for (const p of supplierPlans) await copyRates(pool, tenantId, p.id, p.rates);
  await db.insert(fxRates).values([
    { id: newId(), tenantId, base: "EUR", quote: "USD", rateNanos: 1_080_000_000n, effectiveFrom: new Date("2024-01-01T00:00:00Z") },
    { id: newId(), tenantId, base: "GBP", quote: "USD", rateNanos: 1_270_000_000n, effectiveFrom: new Date("2024-01-01T00:00:00Z") },
  ]);

  log("writing the hierarchy and routing plans…");
  const carrierRows = Array.from({ length: 200 }, (_, i) => {
    const type = i % 10 < 4 ? "customer" : i % 10 < 8 ? "supplier" : "bilateral";
    return { id: newId(), tenantId, name: `Bench carrier ${i}`, type: type as "customer" | "supplier" | "bilateral", primaryCurrency: "USD", routingCapacity: i % 7 === 0 ? 5_000 : null };
  });
  const customers = carrierRows.filter((c) => c.type !== "supplier");
  const suppliers = carrierRows.filter((c) => c.type !== "customer");
  const ingressRows = Array.from({ length: 400 }, (_, i) => {
    const cidr = i % 10 === 9;
    const address = cidr ? `172.16.${Math.floor(i / 10)}.0/28` : `10.${Math.floor(i / 250)}.${i % 250}.10`;
    return {
      id: newId(),
      tenantId,
      carrierId: customers[i % customers.length]!.id,
      name: `Bench in ${i}`,
      direction: "ingress" as const,
      currency: "USD",
      capacity: 1_000,
      addresses: [{ address, port: cidr ? null : 5060 }],
      ingressValidation: ingressValidation.parse({ maxCps: 500 }),
      ingressTranslation: ingressTranslation.parse({}),
      media: media.parse({}),
      signalling: signalling.parse({}),
    };
  });
  const egressRows = Array.from({ length: 600 }, (_, i) => ({
    id: newId(),
    tenantId,
    carrierId: suppliers[i % suppliers.length]!.id,
    name: `Bench out ${i}`,
    direction: "egress" as const,
    currency: supplierCurrencies[i % 4]!,
    capacity: 2_000,
    addresses: [],
    supplierRatingPlanId: supplierPlans[i % 4]!.id,
    egressRouting: egressRouting.parse({ techPrefix: i % 3 === 0 ? `${100 + (i % 50)}#` : "", sendTo: [{ address: `192.0.${2 + Math.floor(i / 250)}.${i % 250}`, port: 5060 }], maxCps: 200 }),
    egressTranslation: egressTranslation.parse({}),
    monitoring: monitoring.parse({}),
    media: media.parse({}),
    signalling: signalling.parse({}),
  }));
  const groups = Array.from({ length: 60 }, (_, i) => ({ id: newId(), tenantId, name: `Bench group ${i}`, direction: "egress" as const, members: [0, 1, 2, 3].map((k) => egressRows[(i * 10 + k * 7) % 600]!.id) }));

  const planIds = Array.from({ length: 5 }, () => newId());
  const serviceRows = Array.from({ length: 500 }, (_, i) => {
    const ic = ingressRows[i < 200 ? i >> 1 : i - 100]!;
    const techPrefix = i < 200 ? (i % 2 ? "22#" : "11#") : i % 3 === 0 ? "33#" : "";
    return {
      ...serviceCreate.parse({ name: `Bench service ${i}`, techPrefix, capacity: 500 }),
      id: newId(),
      tenantId,
      carrierId: ic.carrierId,
      interconnectId: ic.id,
      currency: "USD",
      ratingPlanId: customerPlanId,
      routingPlanId: planIds[i % planIds.length]!,
    };
  });

  const entryRows: Record<string, unknown>[] = [];
  const candidateRows: Record<string, unknown>[] = [];
  const deep = deck.prefixes.filter((p) => p.length >= 4 && p.length <= 5);
  for (const [k, planId] of planIds.entries()) {
    const prefixes = new Set<string>(["", ...COUNTRY_CODES]);
    while (prefixes.size < COUNTRY_CODES.length + 70) prefixes.add(pick(deep));
    for (const prefix of prefixes) {
      const roll = random();
      const strategy: (typeof STRATEGIES)[number] = roll < 0.5 ? "lcr" : roll < 0.7 ? "priority_lcr" : roll < 0.85 ? "priority" : roll < 0.95 ? "weighted" : "quality";
      const id = newId();
      entryRows.push({ id, tenantId, planId, prefix, strategy, qualityBase: "lcr", minAsrPercent: strategy === "quality" ? 30 : null, minMarginPercent: k % 2 ? 2 : null, maxAttempts: 4 });
      const weights = [40, 30, 20, 10, 0, 0];
      for (let c = 0; c < 6; c++) {
        const group = c === 5 && random() < 0.3;
        candidateRows.push({
          id: newId(),
          tenantId,
          entryId: id,
          position: c,
          interconnectId: group ? null : pick(egressRows).id,
          trunkGroupId: group ? pick(groups).id : null,
          priority: 1 + (c >> 1),
          weight: strategy === "weighted" ? weights[c]! : 0,
        });
      }
    }
  }
  // Candidates listed twice in one entry are fine for the engine (later ones drop as duplicates).

  const blacklistRows = [
    ...Array.from({ length: 1_000 }, () => ({ list: "destination", matchType: "prefix", value: pick(deep) + String(Math.floor(random() * 1000)).padStart(3, "0"), scope: "global", serviceId: null, interconnectId: null })),
    ...Array.from({ length: 2_000 }, () => ({ list: "destination", matchType: random() < 0.5 ? "exact" : "prefix", value: pick(deep) + String(Math.floor(random() * 1e6)), scope: "interconnect", serviceId: null, interconnectId: pick(egressRows).id })),
  ].map((b) => ({ id: newId(), tenantId, ...b }));

  await insertAll(db, carriers, carrierRows);
  await insertAll(db, interconnects, [...ingressRows, ...egressRows]);
  await insertAll(db, services, serviceRows);
  await insertAll(db, trunkGroups, groups.map(({ members: _m, ...g }) => g));
  await insertAll(db, trunkGroupMembers, groups.flatMap((g) => g.members.map((interconnectId, position) => ({ tenantId, trunkGroupId: g.id, interconnectId, position }))));
  await insertAll(db, routingPlans, planIds.map((id, k) => ({ id, tenantId, name: `Bench routing ${k}`, currency: "USD", maxAttempts: 4 })));
  await insertAll(db, routingEntries, entryRows);
  await insertAll(db, routingCandidates, candidateRows);
  await insertAll(db, blacklistEntries, blacklistRows);
  await pool.query("ANALYZE");

  const numbers = generateNumbers(opts.calls, 7, deck);
  const ingressById = new Map(ingressRows.map((r) => [r.id, r]));
  const calls: BenchCall[] = numbers.map((n) => {
    const s = serviceRows[Math.floor(random() * serviceRows.length)]!;
    const ic = ingressById.get(s.interconnectId)!;
    const a = ic.addresses[0]!;
    const sourceIp = a.address.endsWith("/28") ? a.address.replace(/\.0\/28$/, `.${1 + Math.floor(random() * 14)}`) : a.address;
    return { sourceIp, sourcePort: 5060, dialled: s.techPrefix + n, calling: `1${String(2_000_000_000 + Math.floor(random() * 7_999_999_999))}` };
  });
  return {
    tenantId,
    deck,
    supplierPlans,
    calls,
    counts: {
      carriers: carrierRows.length,
      interconnects: ingressRows.length + egressRows.length,
      services: serviceRows.length,
      trunkGroups: groups.length,
      routingPlans: planIds.length,
      entries: entryRows.length,
      candidates: candidateRows.length,
      blacklist: blacklistRows.length,
      rates: deck.plan.rates.length * 5,
    },
  };
}
