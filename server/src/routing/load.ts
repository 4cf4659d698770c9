import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type pg from "pg";
import { txHandle, type Db } from "../platform/db/client.js";
import { AppError } from "../platform/http/errors.js";
import { blacklistEntries, carriers, interconnects, releaseCauseMappings, services, trunkGroupMembers, trunkGroups } from "../carriers/schema.js";
import { RFC3398_DEFAULTS } from "../carriers/release-causes.js";
import { getCompiledPlan } from "../rating/compiled.js";
import { fxRates, routingCandidates, routingEntries, routingPlans } from "./schema.js";
import type { CandidateData, RatingPlanRef, RoutingEntryData, SnapshotData } from "./engine/index.js";

const ms = (d: Date | null) => (d === null ? null : d.getTime());

/**
 * Everything a tenant's decisions read, loaded in one REPEATABLE READ transaction (one
 * consistent view of the hierarchy and plans), plus the compiled rating plans the
 * services and egress interconnects name, from the rating module's cache.
 */
export async function loadSnapshotData(pool: pg.Pool, db: Db, params: { tenantId: string }): Promise<SnapshotData> {
  const { tenantId } = params;
  const client = await pool.connect();
  let rows;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    rows = await readRows(txHandle(client), tenantId);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const { cs, ics, svcs, groups, members, blacklist, causes, fx, plans, entries, candidates } = rows;

  const planIds = new Set<string>();
  for (const s of svcs) if (s.ratingPlanId) planIds.add(s.ratingPlanId);
  for (const i of ics) if (i.supplierRatingPlanId) planIds.add(i.supplierRatingPlanId);
  const ratingPlans = new Map<string, RatingPlanRef>();
  await Promise.all(
    [...planIds].map(async (planId) => {
      try {
        const { row, compiled } = await getCompiledPlan(db, { tenantId, planId });
        ratingPlans.set(planId, { id: planId, name: row.name, plan: compiled });
      } catch (err) {
        // A plan deleted since the hierarchy was read: its services and interconnects have no rates.
        if (!(err instanceof AppError && err.statusCode === 404)) throw err;
      }
    }),
  );

  const byEntry = new Map<string, CandidateData[]>();
  for (const c of candidates) {
    const data: CandidateData = {
      id: c.id,
      interconnectId: c.interconnectId,
      trunkGroupId: c.trunkGroupId,
      priority: c.priority,
      weight: c.weight,
      blocked: c.blocked,
      maxSupplierRateMicros: c.maxSupplierRateMicros,
      minMarginMicros: c.minMarginMicros,
      effectiveFrom: ms(c.effectiveFrom),
      effectiveTo: ms(c.effectiveTo),
    };
    const list = byEntry.get(c.entryId);
    if (list) list.push(data);
    else byEntry.set(c.entryId, [data]);
  }
  const byPlan = new Map<string, RoutingEntryData[]>();
  for (const e of entries) {
    const data: RoutingEntryData = {
      id: e.id,
      prefix: e.prefix,
      description: e.description,
      strategy: e.strategy as RoutingEntryData["strategy"],
      qualityBase: e.qualityBase as RoutingEntryData["qualityBase"],
      minAsrPercent: e.minAsrPercent,
      minAcdS: e.minAcdS,
      maxPddMs: e.maxPddMs,
      minSamples: e.minSamples,
      blocked: e.blocked,
      maxSupplierRateMicros: e.maxSupplierRateMicros,
      profitGuard: e.profitGuard,
      minMarginMicros: e.minMarginMicros,
      minMarginPercent: e.minMarginPercent,
      maxAttempts: e.maxAttempts,
      effectiveFrom: ms(e.effectiveFrom),
      effectiveTo: ms(e.effectiveTo),
      candidates: byEntry.get(e.id) ?? [],
    };
    const list = byPlan.get(e.planId);
    if (list) list.push(data);
    else byPlan.set(e.planId, [data]);
  }

  const memberIds = new Map<string, string[]>();
  for (const m of members) {
    const list = memberIds.get(m.trunkGroupId);
    if (list) list.push(m.interconnectId);
    else memberIds.set(m.trunkGroupId, [m.interconnectId]);
  }
  const tenantCauses = new Map(causes.map((c) => [c.sipCode, c]));
  const releaseCauses = [...RFC3398_DEFAULTS.filter((d) => !tenantCauses.has(d.sipCode)), ...causes];

  return {
    tenantId,
    carriers: cs,
    interconnects: ics.map((i) => {
      const ingress = i.direction === "ingress";
      return {
        id: i.id,
        carrierId: i.carrierId,
        name: i.name,
        direction: i.direction,
        status: i.status,
        currency: i.currency,
        capacity: i.capacity,
        addresses: i.addresses,
        techPrefix: (ingress ? i.ingressValidation?.techPrefix : i.egressRouting?.techPrefix) ?? "",
        maxCps: (ingress ? i.ingressValidation?.maxCps : i.egressRouting?.maxCps) ?? null,
        translations: (ingress ? i.ingressTranslation?.numberTranslation : i.egressTranslation?.numberTranslation) ?? [],
        supplierRatingPlanId: i.supplierRatingPlanId,
        sendTo: i.egressRouting?.sendTo ?? [],
        blacklistEnabled: i.egressRouting?.blacklistEnabled ?? false,
      };
    }),
    services: svcs.map((s) => ({
      ...s,
      routingMethod: s.routingMethod as "routing_plan" | "interconnect",
      enforcementPolicy: s.enforcementPolicy as "enforce" | "monitor",
    })),
    trunkGroups: groups.map((g) => ({ ...g, memberIds: memberIds.get(g.id) ?? [] })),
    blacklist: blacklist.map((b) => ({
      ...b,
      list: b.list as "origination" | "destination",
      matchType: b.matchType as "exact" | "prefix",
      scope: b.scope as "global" | "service" | "interconnect",
    })),
    releaseCauses,
    fxRates: fx.map((r) => ({ base: r.base, quote: r.quote, rateNanos: r.rateNanos, effectiveFrom: r.effectiveFrom.getTime() })),
    routingPlans: plans.map((p) => ({ ...p, entries: byPlan.get(p.id) ?? [] })),
    ratingPlans,
  };
}

async function readRows(tx: Db, tenantId: string) {
  const cs = await tx
    .select({ id: carriers.id, name: carriers.name, status: carriers.status, routingCapacity: carriers.routingCapacity, circularRouting: carriers.circularRouting })
    .from(carriers)
    .where(and(eq(carriers.tenantId, tenantId), isNull(carriers.deletedAt)));
  const ics = await tx.select().from(interconnects).where(and(eq(interconnects.tenantId, tenantId), isNull(interconnects.deletedAt)));
  const svcs = await tx
    .select({
      id: services.id,
      interconnectId: services.interconnectId,
      name: services.name,
      status: services.status,
      ratingPlanId: services.ratingPlanId,
      routingPlanId: services.routingPlanId,
      routingMethod: services.routingMethod,
      routeToInterconnectId: services.routeToInterconnectId,
      capacity: services.capacity,
      techPrefix: services.techPrefix,
      destinationMatch: services.destinationMatch,
      originationMatch: services.originationMatch,
      originationBlacklist: services.originationBlacklist,
      destinationBlacklist: services.destinationBlacklist,
      originationExceptions: services.originationExceptions,
      destinationExceptions: services.destinationExceptions,
      enforcementPolicy: services.enforcementPolicy,
    })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), isNull(services.deletedAt)));
  const groups = await tx
    .select({ id: trunkGroups.id, name: trunkGroups.name, direction: trunkGroups.direction })
    .from(trunkGroups)
    .where(and(eq(trunkGroups.tenantId, tenantId), isNull(trunkGroups.deletedAt)));
  const members = await tx
    .select({ trunkGroupId: trunkGroupMembers.trunkGroupId, interconnectId: trunkGroupMembers.interconnectId })
    .from(trunkGroupMembers)
    .where(eq(trunkGroupMembers.tenantId, tenantId))
    .orderBy(asc(trunkGroupMembers.trunkGroupId), asc(trunkGroupMembers.position));
  const blacklist = await tx
    .select({ list: blacklistEntries.list, matchType: blacklistEntries.matchType, value: blacklistEntries.value, scope: blacklistEntries.scope, serviceId: blacklistEntries.serviceId, interconnectId: blacklistEntries.interconnectId })
    .from(blacklistEntries)
    .where(eq(blacklistEntries.tenantId, tenantId));
  const causes = await tx
    .select({ sipCode: releaseCauseMappings.sipCode, q850Cause: releaseCauseMappings.q850Cause, description: releaseCauseMappings.description })
    .from(releaseCauseMappings)
    .where(eq(releaseCauseMappings.tenantId, tenantId));
  const fx = await tx.select().from(fxRates).where(eq(fxRates.tenantId, tenantId));
  const plans = await tx
    .select({ id: routingPlans.id, name: routingPlans.name, currency: routingPlans.currency, maxAttempts: routingPlans.maxAttempts, noRateSipCode: routingPlans.noRateSipCode })
    .from(routingPlans)
    .where(and(eq(routingPlans.tenantId, tenantId), isNull(routingPlans.deletedAt)));
  const planIds = plans.map((p) => p.id);
  const entries = planIds.length ? await tx.select().from(routingEntries).where(and(eq(routingEntries.tenantId, tenantId), inArray(routingEntries.planId, planIds))) : [];
  const candidates = entries.length
    ? await tx
        .select()
        .from(routingCandidates)
        .innerJoin(routingEntries, eq(routingEntries.id, routingCandidates.entryId))
        .where(and(eq(routingCandidates.tenantId, tenantId), inArray(routingEntries.planId, planIds)))
        .orderBy(asc(routingCandidates.entryId), asc(routingCandidates.position))
        .then((r) => r.map((x) => x.routing_candidates))
    : [];
  return { cs, ics, svcs, groups, members, blacklist, causes, fx, plans, entries, candidates };
}
