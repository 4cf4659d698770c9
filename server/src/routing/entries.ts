import { and, asc, count, desc, eq, ilike, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { formatMoney } from "../platform/money.js";
import { carriers, interconnects, trunkGroups } from "../carriers/schema.js";
import { routingCandidates, routingEntries } from "./schema.js";
import { getRoutingPlanRow, touchRoutingPlan } from "./plans.js";
import type { CandidateInput, ENTRY_STATES, RoutingEntryCreate, RoutingEntryPatch, candidateDto, entryListQuery } from "./model.js";

type EntryRow = typeof routingEntries.$inferSelect;
type CandidateDto = z.infer<typeof candidateDto>;
type EntryState = (typeof ENTRY_STATES)[number];

function stateAt(row: { effectiveFrom: Date | null; effectiveTo: Date | null }, at: Date): EntryState {
  if (row.effectiveFrom && row.effectiveFrom > at) return "future";
  if (row.effectiveTo && row.effectiveTo <= at) return "expired";
  return "live";
}

async function candidatesOf(db: Db, tenantId: string, entryIds: string[]): Promise<Map<string, CandidateDto[]>> {
  const out = new Map<string, CandidateDto[]>();
  if (!entryIds.length) return out;
  const rows = await db
    .select({
      c: routingCandidates,
      icName: interconnects.name,
      icStatus: interconnects.status,
      icDeleted: interconnects.deletedAt,
      carrierId: carriers.id,
      carrierName: carriers.name,
      tgName: trunkGroups.name,
      tgDeleted: trunkGroups.deletedAt,
    })
    .from(routingCandidates)
    .leftJoin(interconnects, eq(interconnects.id, routingCandidates.interconnectId))
    .leftJoin(carriers, eq(carriers.id, interconnects.carrierId))
    .leftJoin(trunkGroups, eq(trunkGroups.id, routingCandidates.trunkGroupId))
    .where(and(eq(routingCandidates.tenantId, tenantId), inArray(routingCandidates.entryId, entryIds)))
    .orderBy(routingCandidates.entryId, routingCandidates.position);
  for (const r of rows) {
    const c = r.c;
    const isGroup = c.trunkGroupId !== null;
    const gone = isGroup ? r.tgDeleted !== null : r.icDeleted !== null;
    const dto: CandidateDto = {
      id: c.id,
      position: c.position,
      interconnectId: c.interconnectId,
      trunkGroupId: c.trunkGroupId,
      priority: c.priority,
      weight: c.weight,
      blocked: c.blocked,
      maxSupplierRate: c.maxSupplierRateMicros,
      minMargin: c.minMarginMicros,
      effectiveFrom: c.effectiveFrom,
      effectiveTo: c.effectiveTo,
      targetName: (isGroup ? r.tgName : r.icName) ?? null,
      carrier: !isGroup && r.carrierId && r.carrierName ? { id: r.carrierId, name: r.carrierName } : null,
      targetStatus: gone ? "deleted" : isGroup ? "trunk_group" : (r.icStatus ?? "deleted"),
    };
    const list = out.get(c.entryId);
    if (list) list.push(dto);
    else out.set(c.entryId, [dto]);
  }
  return out;
}

function toDto(row: EntryRow, candidates: CandidateDto[], at: Date) {
  const { tenantId: _t, maxSupplierRateMicros, minMarginMicros, strategy, qualityBase, ...rest } = row;
  return {
    ...rest,
    strategy: strategy as RoutingEntryCreate["strategy"],
    qualityBase: qualityBase as RoutingEntryCreate["qualityBase"],
    maxSupplierRate: maxSupplierRateMicros,
    minMargin: minMarginMicros,
    state: stateAt(row, at),
    candidates,
  };
}
export type RoutingEntryDto = ReturnType<typeof toDto>;

/** The audit log flattens top-level money only; candidates' money goes in as the API shows it. */
const audited = (e: RoutingEntryDto) => ({
  ...e,
  candidates: e.candidates.map((c) => ({
    ...c,
    maxSupplierRate: c.maxSupplierRate === null ? null : formatMoney(c.maxSupplierRate),
    minMargin: c.minMargin === null ? null : formatMoney(c.minMargin),
  })),
});

async function decorate(db: Db, tenantId: string, rows: EntryRow[], at: Date): Promise<RoutingEntryDto[]> {
  const cands = await candidatesOf(db, tenantId, rows.map((r) => r.id));
  return rows.map((r) => toDto(r, cands.get(r.id) ?? [], at));
}

const ENTRY_SORTS = { prefix: routingEntries.prefix, strategy: routingEntries.strategy, effectiveFrom: routingEntries.effectiveFrom, updatedAt: routingEntries.updatedAt } as const;

export async function listRoutingEntries(db: Db, params: { tenantId: string; planId: string; query: z.infer<typeof entryListQuery> }): Promise<Page<RoutingEntryDto>> {
  const { tenantId, planId, query } = params;
  await getRoutingPlanRow(db, { tenantId, id: planId });
  const at = query.at ?? new Date();
  const f: (SQL | undefined)[] = [eq(routingEntries.tenantId, tenantId), eq(routingEntries.planId, planId)];
  if (query.q) f.push(/^[0-9]+$/.test(query.q) ? sql`${routingEntries.prefix} LIKE ${`${query.q}%`}` : ilike(routingEntries.description, likePattern(query.q)));
  if (query.strategy) f.push(eq(routingEntries.strategy, query.strategy));
  if (query.state === "live") f.push(sql`(${routingEntries.effectiveFrom} IS NULL OR ${routingEntries.effectiveFrom} <= ${at}) AND (${routingEntries.effectiveTo} IS NULL OR ${routingEntries.effectiveTo} > ${at})`);
  if (query.state === "future") f.push(sql`${routingEntries.effectiveFrom} > ${at}`);
  if (query.state === "expired") f.push(sql`${routingEntries.effectiveTo} <= ${at}`);
  const where = and(...f);
  const [field, dir] = (query.sort ?? "prefix:asc").split(":") as [keyof typeof ENTRY_SORTS, "asc" | "desc"];
  const col = ENTRY_SORTS[field];
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(routingEntries)
      .where(where)
      .orderBy(dir === "desc" ? desc(col) : asc(col), asc(routingEntries.prefix), sql`${routingEntries.effectiveFrom} NULLS FIRST`, routingEntries.id)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(routingEntries).where(where),
  ]);
  return { rows: await decorate(db, tenantId, rows, at), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

async function getEntryRow(db: Db, params: { tenantId: string; id: string }): Promise<EntryRow> {
  const [row] = await db.select().from(routingEntries).where(and(eq(routingEntries.tenantId, params.tenantId), eq(routingEntries.id, params.id)));
  if (!row) throw notFound("Routing entry");
  // An entry of a deleted plan is gone with it.
  await getRoutingPlanRow(db, { tenantId: params.tenantId, id: row.planId });
  return row;
}

export async function getRoutingEntry(db: Db, params: { tenantId: string; id: string }): Promise<RoutingEntryDto> {
  const [dto] = await decorate(db, params.tenantId, [await getEntryRow(db, params)], new Date());
  return dto!;
}

const window = (from: Date | null, to: Date | null) => `${from ? from.toISOString() : "the beginning"} to ${to ? to.toISOString() : "open end"}`;

/** Cross-field rules of an entry and its candidates, then that no other entry of the prefix overlaps its dates. */
async function validate(tx: TxDb, tenantId: string, planId: string, next: RoutingEntryCreate, id: string | null): Promise<void> {
  const fields: Record<string, string[]> = {};
  const add = (k: string, m: string) => (fields[k] ??= []).push(m);
  if (next.effectiveFrom && next.effectiveTo && next.effectiveTo <= next.effectiveFrom) add("effectiveTo", "must be after effectiveFrom");
  const icIds = new Set<string>();
  const tgIds = new Set<string>();
  next.candidates.forEach((c, i) => {
    if ((c.interconnectId === null) === (c.trunkGroupId === null)) add(`candidates.${i}`, "name exactly one of interconnectId or trunkGroupId");
    if (c.effectiveFrom && c.effectiveTo && c.effectiveTo <= c.effectiveFrom) add(`candidates.${i}.effectiveTo`, "must be after effectiveFrom");
    const [set, target, field] = c.interconnectId ? [icIds, c.interconnectId, "interconnectId"] : [tgIds, c.trunkGroupId, "trunkGroupId"];
    if (target === null) return;
    if (set.has(target)) add(`candidates.${i}.${field}`, "listed twice");
    set.add(target);
  });
  if (next.strategy === "weighted") {
    const sum = next.candidates.reduce((s, c) => s + c.weight, 0);
    if (sum !== 100) add("candidates", `weights must add up to 100 (they add up to ${sum})`);
  }
  const [ics, tgs] = await Promise.all([
    icIds.size
      ? tx.select({ id: interconnects.id, direction: interconnects.direction }).from(interconnects).where(and(eq(interconnects.tenantId, tenantId), inArray(interconnects.id, [...icIds]), isNull(interconnects.deletedAt)))
      : [],
    tgIds.size
      ? tx.select({ id: trunkGroups.id, direction: trunkGroups.direction }).from(trunkGroups).where(and(eq(trunkGroups.tenantId, tenantId), inArray(trunkGroups.id, [...tgIds]), isNull(trunkGroups.deletedAt)))
      : [],
  ]);
  const icDir = new Map(ics.map((r) => [r.id, r.direction]));
  const tgDir = new Map(tgs.map((r) => [r.id, r.direction]));
  next.candidates.forEach((c: CandidateInput, i) => {
    if (c.interconnectId && c.trunkGroupId === null) {
      const dir = icDir.get(c.interconnectId);
      if (!dir) add(`candidates.${i}.interconnectId`, "no such interconnect");
      else if (dir !== "egress") add(`candidates.${i}.interconnectId`, "must be an egress interconnect");
    }
    if (c.trunkGroupId && c.interconnectId === null) {
      const dir = tgDir.get(c.trunkGroupId);
      if (!dir) add(`candidates.${i}.trunkGroupId`, "no such trunk group");
      else if (dir !== "egress") add(`candidates.${i}.trunkGroupId`, "must be an egress trunk group");
    }
  });
  if (Object.keys(fields).length) throw badRequest("The entry is not valid", fields);

  const [clash] = await tx
    .select({ id: routingEntries.id, effectiveFrom: routingEntries.effectiveFrom, effectiveTo: routingEntries.effectiveTo })
    .from(routingEntries)
    .where(
      and(
        eq(routingEntries.tenantId, tenantId),
        eq(routingEntries.planId, planId),
        eq(routingEntries.prefix, next.prefix),
        id ? ne(routingEntries.id, id) : sql`true`,
        sql`tstzrange(coalesce(${routingEntries.effectiveFrom}, '-infinity'), coalesce(${routingEntries.effectiveTo}, 'infinity'))
            && tstzrange(coalesce(${next.effectiveFrom}::timestamptz, '-infinity'), coalesce(${next.effectiveTo}::timestamptz, 'infinity'))`,
      ),
    )
    .limit(1);
  if (clash) {
    const what = next.prefix ? `Prefix ${next.prefix}` : "The default route";
    throw conflict(`${what} already has an entry live from ${window(clash.effectiveFrom, clash.effectiveTo)}; entries of one prefix must not overlap`, {
      effectiveFrom: ["overlaps another entry of this prefix"],
    });
  }
}

async function writeCandidates(tx: TxDb, tenantId: string, entryId: string, list: readonly CandidateInput[]) {
  await tx.delete(routingCandidates).where(and(eq(routingCandidates.tenantId, tenantId), eq(routingCandidates.entryId, entryId)));
  if (!list.length) return;
  await tx.insert(routingCandidates).values(
    list.map((c, position) => ({
      id: newId(),
      tenantId,
      entryId,
      position,
      interconnectId: c.interconnectId,
      trunkGroupId: c.trunkGroupId,
      priority: c.priority,
      weight: c.weight,
      blocked: c.blocked,
      maxSupplierRateMicros: c.maxSupplierRate,
      minMarginMicros: c.minMargin,
      effectiveFrom: c.effectiveFrom,
      effectiveTo: c.effectiveTo,
    })),
  );
}

function columns(e: Omit<RoutingEntryCreate, "candidates">) {
  const { maxSupplierRate, minMargin, ...rest } = e;
  return { ...rest, maxSupplierRateMicros: maxSupplierRate, minMarginMicros: minMargin };
}

export async function createRoutingEntry(tx: TxDb, actor: Actor, planId: string, input: RoutingEntryCreate): Promise<RoutingEntryDto> {
  const tenantId = actor.tenantId;
  // The plan's row lock serializes entry writes of one plan (the overlap check needs it).
  await getRoutingPlanRow(tx, { tenantId, id: planId, lock: true });
  await validate(tx, tenantId, planId, input, null);
  const id = newId();
  const { candidates, ...fields } = input;
  await tx.insert(routingEntries).values({ id, tenantId, planId, ...columns(fields) });
  await writeCandidates(tx, tenantId, id, candidates);
  await touchRoutingPlan(tx, { tenantId, id: planId });
  const after = await getRoutingEntry(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "routing_entry.create", entityType: "routing_entry", entityId: id, after: audited(after) });
  return after;
}

const asInput = (c: CandidateDto): CandidateInput => ({
  interconnectId: c.interconnectId,
  trunkGroupId: c.trunkGroupId,
  priority: c.priority,
  weight: c.weight,
  blocked: c.blocked,
  maxSupplierRate: c.maxSupplierRate,
  minMargin: c.minMargin,
  effectiveFrom: c.effectiveFrom,
  effectiveTo: c.effectiveTo,
});

/** PATCH: omitted fields keep their values; `candidates`, when sent, replace the list. */
export async function updateRoutingEntry(tx: TxDb, actor: Actor, id: string, patch: RoutingEntryPatch): Promise<RoutingEntryDto> {
  const tenantId = actor.tenantId;
  const row = await getEntryRow(tx, { tenantId, id });
  await getRoutingPlanRow(tx, { tenantId, id: row.planId, lock: true });
  const before = await getRoutingEntry(tx, { tenantId, id });
  const { id: _i, planId: _p, state: _s, createdAt: _c, updatedAt: _u, candidates: current, ...fields } = before;
  const next: RoutingEntryCreate = { ...fields, candidates: current.map(asInput), ...patch } as RoutingEntryCreate;
  await validate(tx, tenantId, row.planId, next, id);
  const { candidates, ...rest } = next;
  await tx
    .update(routingEntries)
    .set({ ...columns(rest), updatedAt: new Date() })
    .where(and(eq(routingEntries.tenantId, tenantId), eq(routingEntries.id, id)));
  if (patch.candidates !== undefined) await writeCandidates(tx, tenantId, id, candidates);
  await touchRoutingPlan(tx, { tenantId, id: row.planId });
  const after = await getRoutingEntry(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "routing_entry.update", entityType: "routing_entry", entityId: id, before: audited(before), after: audited(after) });
  return after;
}

/** Entries are lines of their plan: removal is a hard delete (candidates with it), audited with the entry. */
export async function deleteRoutingEntry(tx: TxDb, actor: Actor, id: string): Promise<void> {
  const tenantId = actor.tenantId;
  const row = await getEntryRow(tx, { tenantId, id });
  await getRoutingPlanRow(tx, { tenantId, id: row.planId, lock: true });
  const before = await getRoutingEntry(tx, { tenantId, id });
  await tx.delete(routingEntries).where(and(eq(routingEntries.tenantId, tenantId), eq(routingEntries.id, id)));
  await touchRoutingPlan(tx, { tenantId, id: row.planId });
  await recordAudit(tx, actor, { action: "routing_entry.delete", entityType: "routing_entry", entityId: id, before: audited(before), after: null });
}
