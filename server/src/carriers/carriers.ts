import { and, count, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { likePattern, offsetOf, orderBy, type ListQuery, type Page } from "../platform/http/list.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { users } from "../identity/schema.js";
import { isStaffRole, type Role } from "../identity/permissions.js";
import { carrierBalances, carrierSpend24h } from "../ledger/balances.js";
import { recordHierarchyChange } from "./change.js";
import { carriers, interconnects, services } from "./schema.js";
import type { CarrierCreate, CarrierPatch } from "./model.js";

type CarrierRow = typeof carriers.$inferSelect;

/** Row → API shape: money columns lose their `Micros` suffix (the codec makes them decimals). */
export function carrierToDto(
  row: CarrierRow,
  extra: { interconnectCount: number; serviceCount: number; accountManagerName: string | null; customerBalance: bigint; supplierBalance: bigint },
) {
  const { customerCreditLimitMicros, bilateralLimitMicros, customerSpendLimit24hMicros, supplierSpendLimit24hMicros, tenantId: _t, deletedAt: _d, ...rest } = row;
  return {
    ...rest,
    customerCreditLimit: customerCreditLimitMicros,
    bilateralLimit: bilateralLimitMicros,
    customerSpendLimit24h: customerSpendLimit24hMicros,
    supplierSpendLimit24h: supplierSpendLimit24hMicros,
    ...extra,
  };
}
export type CarrierDto = ReturnType<typeof carrierToDto>;

function toColumns(input: CarrierPatch) {
  const { customerCreditLimit, bilateralLimit, customerSpendLimit24h, supplierSpendLimit24h, ...rest } = input;
  return {
    ...rest,
    ...(customerCreditLimit !== undefined ? { customerCreditLimitMicros: customerCreditLimit } : {}),
    ...(bilateralLimit !== undefined ? { bilateralLimitMicros: bilateralLimit } : {}),
    ...(customerSpendLimit24h !== undefined ? { customerSpendLimit24hMicros: customerSpendLimit24h } : {}),
    ...(supplierSpendLimit24h !== undefined ? { supplierSpendLimit24hMicros: supplierSpendLimit24h } : {}),
  };
}

const liveCarrier = (tenantId: string) => and(eq(carriers.tenantId, tenantId), isNull(carriers.deletedAt));

export const carrierCurrencies = (c: Pick<CarrierRow, "primaryCurrency" | "currency2" | "currency3">) =>
  [c.primaryCurrency, c.currency2, c.currency3].filter((x): x is string => !!x);

async function withCounts(db: Db, tenantId: string, rows: CarrierRow[]): Promise<CarrierDto[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  // Sequential on purpose: `db` may be a transaction's single connection.
  const ics = await db
    .select({ carrierId: interconnects.carrierId, n: count() })
    .from(interconnects)
    .where(and(eq(interconnects.tenantId, tenantId), inArray(interconnects.carrierId, ids), isNull(interconnects.deletedAt)))
    .groupBy(interconnects.carrierId);
  const svcs = await db
    .select({ carrierId: services.carrierId, n: count() })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), inArray(services.carrierId, ids), isNull(services.deletedAt)))
    .groupBy(services.carrierId);
  const managerIds = rows.map((r) => r.accountManagerUserId).filter((x): x is string => !!x);
  const managers = managerIds.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, managerIds)))
    : [];
  // Balances in each carrier's primary currency, from the ledger (zero before postings).
  const balances = await carrierBalances(db, { tenantId, carrierIds: ids });
  const balanceOf = (r: CarrierRow) => balances.find((b) => b.carrierId === r.id && b.currency === r.primaryCurrency);
  const ic = new Map(ics.map((x) => [x.carrierId, x.n]));
  const sv = new Map(svcs.map((x) => [x.carrierId, x.n]));
  const mg = new Map(managers.map((x) => [x.id, x.name]));
  return rows.map((r) =>
    carrierToDto(r, {
      interconnectCount: ic.get(r.id) ?? 0,
      serviceCount: sv.get(r.id) ?? 0,
      accountManagerName: r.accountManagerUserId ? (mg.get(r.accountManagerUserId) ?? null) : null,
      customerBalance: balanceOf(r)?.customerBalanceMicros ?? 0n,
      supplierBalance: balanceOf(r)?.supplierBalanceMicros ?? 0n,
    }),
  );
}

export async function listCarriers(
  db: Db,
  params: { tenantId: string; query: ListQuery & { type?: CarrierRow["type"]; status?: CarrierRow["status"]; currency?: string } },
): Promise<Page<CarrierDto>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [liveCarrier(tenantId)];
  if (query.q) f.push(or(ilike(carriers.name, likePattern(query.q)), ilike(carriers.customerAccountNumber, likePattern(query.q)), ilike(carriers.supplierAccountNumber, likePattern(query.q))));
  if (query.type) f.push(eq(carriers.type, query.type));
  if (query.status) f.push(eq(carriers.status, query.status));
  if (query.currency) f.push(eq(carriers.primaryCurrency, query.currency));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(carriers)
      .where(where)
      .orderBy(orderBy(query.sort, { name: carriers.name, type: carriers.type, status: carriers.status, primaryCurrency: carriers.primaryCurrency, createdAt: carriers.createdAt }, sql`lower(${carriers.name})`), carriers.id)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db.select({ n: count() }).from(carriers).where(where),
  ]);
  return { rows: await withCounts(db, tenantId, rows), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function getCarrierRow(db: Db, params: { tenantId: string; id: string }): Promise<CarrierRow> {
  const [row] = await db.select().from(carriers).where(and(liveCarrier(params.tenantId), eq(carriers.id, params.id)));
  if (!row) throw notFound("Carrier");
  return row;
}

export async function getCarrier(db: Db, params: { tenantId: string; id: string }): Promise<CarrierDto> {
  const [dto] = await withCounts(db, params.tenantId, [await getCarrierRow(db, params)]);
  return dto!;
}

async function validateCarrier(tx: TxDb, tenantId: string, next: CarrierCreate, id: string | null) {
  const fields: Record<string, string[]> = {};
  const currencies = [next.primaryCurrency, next.currency2, next.currency3].filter(Boolean);
  if (new Set(currencies).size !== currencies.length) (fields.currency2 ??= []).push("currencies must be different");
  if (next.currency3 && !next.currency2) (fields.currency3 ??= []).push("set Currency 2 first");
  if (next.type === "supplier" && next.bilateralLimit !== null) (fields.bilateralLimit ??= []).push("only for bilateral carriers");
  if (next.type === "customer" && next.bilateralLimit !== null) (fields.bilateralLimit ??= []).push("only for bilateral carriers");
  if (next.accountManagerUserId) {
    const [m] = await tx
      .select({ role: users.role })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, next.accountManagerUserId), isNull(users.deletedAt)));
    if (!m || !isStaffRole(m.role as Role)) (fields.accountManagerUserId ??= []).push("must be a staff user of this tenant");
  }
  if (Object.keys(fields).length) throw badRequest("The carrier has invalid fields", fields);
  const [dup] = await tx
    .select({ id: carriers.id })
    .from(carriers)
    .where(and(liveCarrier(tenantId), sql`lower(${carriers.name}) = lower(${next.name})`));
  if (dup && dup.id !== id) throw conflict(`A carrier named "${next.name}" already exists`, { name: ["already in use"] });
  if (id) {
    // The hierarchy must stay consistent with the new type and currencies.
    const live = await tx
      .select({ name: interconnects.name, direction: interconnects.direction, currency: interconnects.currency })
      .from(interconnects)
      .where(and(eq(interconnects.tenantId, tenantId), eq(interconnects.carrierId, id), isNull(interconnects.deletedAt)));
    const badDirection = live.filter((i) => (next.type === "customer" && i.direction === "egress") || (next.type === "supplier" && i.direction === "ingress"));
    if (badDirection.length) {
      throw conflict(`A ${next.type} carrier cannot keep ${badDirection[0]!.direction} interconnects (${badDirection.map((i) => i.name).join(", ")})`, { type: ["conflicts with live interconnects"] });
    }
    const orphaned = live.filter((i) => !currencies.includes(i.currency));
    if (orphaned.length) {
      throw conflict(`Interconnects still use ${orphaned[0]!.currency}: ${orphaned.map((i) => i.name).join(", ")}`, { primaryCurrency: ["in use by interconnects"] });
    }
  }
}

export async function createCarrier(tx: TxDb, actor: Actor, jobs: JobQueue, input: CarrierCreate): Promise<CarrierDto> {
  await validateCarrier(tx, actor.tenantId, input, null);
  const columns = toColumns(input) as Omit<typeof carriers.$inferInsert, "id" | "tenantId">;
  const [row] = await tx.insert(carriers).values({ id: newId(), tenantId: actor.tenantId, ...columns }).returning();
  const dto = carrierToDto(row!, { interconnectCount: 0, serviceCount: 0, accountManagerName: null, customerBalance: 0n, supplierBalance: 0n });
  await recordHierarchyChange(tx, actor, jobs, { entityType: "carrier", entityId: row!.id, action: "create", after: dto });
  return getCarrier(tx, { tenantId: actor.tenantId, id: row!.id });
}

export async function updateCarrier(tx: TxDb, actor: Actor, jobs: JobQueue, id: string, patch: CarrierPatch): Promise<CarrierDto> {
  const beforeRow = await getCarrierRow(tx, { tenantId: actor.tenantId, id });
  const before = await getCarrier(tx, { tenantId: actor.tenantId, id });
  const { customerCreditLimitMicros, bilateralLimitMicros, customerSpendLimit24hMicros, supplierSpendLimit24hMicros, ...plain } = beforeRow;
  const current: CarrierCreate = {
    ...(plain as unknown as CarrierCreate),
    customerCreditLimit: customerCreditLimitMicros,
    bilateralLimit: bilateralLimitMicros,
    customerSpendLimit24h: customerSpendLimit24hMicros,
    supplierSpendLimit24h: supplierSpendLimit24hMicros,
  };
  const next = { ...current, ...patch } as CarrierCreate;
  // A carrier that stops being bilateral drops its bilateral limit.
  if (patch.type && patch.type !== "bilateral" && patch.bilateralLimit === undefined) next.bilateralLimit = null;
  await validateCarrier(tx, actor.tenantId, next, id);
  await tx
    .update(carriers)
    .set({ ...toColumns({ ...patch, ...(next.bilateralLimit === null ? { bilateralLimit: null } : {}) }), updatedAt: new Date() })
    .where(and(liveCarrier(actor.tenantId), eq(carriers.id, id)));
  const after = await getCarrier(tx, { tenantId: actor.tenantId, id });
  await recordHierarchyChange(tx, actor, jobs, { entityType: "carrier", entityId: id, action: "update", before, after });
  return after;
}

/** Soft delete, refused while the carrier has live interconnects. */
export async function deleteCarrier(tx: TxDb, actor: Actor, jobs: JobQueue, id: string): Promise<void> {
  const before = await getCarrier(tx, { tenantId: actor.tenantId, id });
  const live = await tx
    .select({ name: interconnects.name })
    .from(interconnects)
    .where(and(eq(interconnects.tenantId, actor.tenantId), eq(interconnects.carrierId, id), isNull(interconnects.deletedAt)));
  if (live.length) {
    throw conflict(`${before.name} has ${live.length} active interconnect${live.length > 1 ? "s" : ""} (${live.map((i) => i.name).join(", ")}); delete them first`);
  }
  await tx.update(carriers).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(liveCarrier(actor.tenantId), eq(carriers.id, id)));
  await recordHierarchyChange(tx, actor, jobs, { entityType: "carrier", entityId: id, action: "delete", before });
}

/** Reset of the 24-hour spend counter for one direction (the Reset button). */
export async function resetSpend(tx: TxDb, actor: Actor, id: string, direction: "customer" | "supplier"): Promise<void> {
  const before = await getCarrierRow(tx, { tenantId: actor.tenantId, id });
  const now = new Date();
  await tx
    .update(carriers)
    .set(direction === "customer" ? { customerSpendResetAt: now } : { supplierSpendResetAt: now })
    .where(and(liveCarrier(actor.tenantId), eq(carriers.id, id)));
  await recordAudit(tx, actor, {
    action: "carrier.reset_spend",
    entityType: "carrier",
    entityId: id,
    before: { direction, resetAt: direction === "customer" ? before.customerSpendResetAt : before.supplierSpendResetAt },
    after: { direction, resetAt: now },
  });
}

/**
 * The carrier's Credit Control and 24 Hour Spend tables, from the ledger. One row per
 * currency the carrier uses (its primary currency always appears, at zero if idle).
 */
export async function creditControl(db: Db, params: { tenantId: string; id: string }) {
  const c = await getCarrierRow(db, params);
  const [balances, spend] = await Promise.all([
    carrierBalances(db, { tenantId: params.tenantId, carrierIds: [c.id] }),
    carrierSpend24h(db, { tenantId: params.tenantId, carrierId: c.id, customerSince: c.customerSpendResetAt, supplierSince: c.supplierSpendResetAt }),
  ]);
  const currencies = [...new Set([...carrierCurrencies(c), ...balances.map((b) => b.currency)])];
  const isCustomer = c.type !== "supplier";
  const isSupplier = c.type !== "customer";
  return {
    carrierType: c.type,
    currencies: currencies.map((currency) => {
      const b = balances.find((x) => x.currency === currency);
      const s = spend.find((x) => x.currency === currency);
      const customer = b?.customerBalanceMicros ?? 0n;
      const supplier = b?.supplierBalanceMicros ?? 0n;
      const net = customer - supplier;
      const primary = currency === c.primaryCurrency;
      return {
        currency,
        customer: isCustomer
          ? {
              balance: customer,
              pending: b?.customerPendingMicros ?? 0n,
              // Limits are set in the primary currency only.
              limit: primary && (c.customerCreditType === "postpaid" || c.customerCreditLimitMicros > 0n) ? -c.customerCreditLimitMicros : null,
              remaining: primary && (c.customerCreditType === "postpaid" || c.customerCreditLimitMicros > 0n) ? customer + c.customerCreditLimitMicros : null,
            }
          : null,
        supplier: isSupplier ? { balance: supplier } : null,
        bilateral:
          c.type === "bilateral"
            ? {
                netExposure: net,
                limit: primary && c.bilateralLimitMicros !== null ? -c.bilateralLimitMicros : null,
                remaining: primary && c.bilateralLimitMicros !== null ? net + c.bilateralLimitMicros : null,
              }
            : null,
        spend24h: {
          customer: isCustomer
            ? { spend: s?.customerMicros ?? 0n, limit: primary ? c.customerSpendLimit24hMicros : null, remaining: primary && c.customerSpendLimit24hMicros !== null ? c.customerSpendLimit24hMicros - (s?.customerMicros ?? 0n) : null }
            : null,
          supplier: isSupplier
            ? { spend: s?.supplierMicros ?? 0n, limit: primary ? c.supplierSpendLimit24hMicros : null, remaining: primary && c.supplierSpendLimit24hMicros !== null ? c.supplierSpendLimit24hMicros - (s?.supplierMicros ?? 0n) : null }
            : null,
        },
      };
    }),
    customerSpendResetAt: c.customerSpendResetAt,
    supplierSpendResetAt: c.supplierSpendResetAt,
  };
}
