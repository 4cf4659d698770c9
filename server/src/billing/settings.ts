import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { newId } from "../platform/ids.js";
import { carrierBilling, taxRates } from "./schema.js";
import { PREPAID_MODELS, type BillingSettingsDto, type BillingSettingsInput, type TaxRateCreate, type TaxRateDto, type TaxRatePatch } from "./model.js";
import type { Cycle } from "./engine/cycle.js";
import { refuseTakenOnRestore, type SoftDeletable } from "../recycle-bin/registry.js";

type TaxRow = typeof taxRates.$inferSelect;
const taxDto = (r: TaxRow): TaxRateDto => ({ id: r.id, code: r.code, name: r.name, rate: r.ratePpm, createdAt: r.createdAt, updatedAt: r.updatedAt });

export async function listTaxRates(db: Db, params: { tenantId: string }): Promise<TaxRateDto[]> {
  const rows = await db.select().from(taxRates).where(and(eq(taxRates.tenantId, params.tenantId), isNull(taxRates.deletedAt))).orderBy(asc(taxRates.code));
  return rows.map(taxDto);
}

async function liveTaxRate(db: Db, params: { tenantId: string; id: string }): Promise<TaxRow> {
  const [row] = await db.select().from(taxRates).where(and(eq(taxRates.tenantId, params.tenantId), eq(taxRates.id, params.id), isNull(taxRates.deletedAt)));
  if (!row) throw notFound("Tax rate");
  return row;
}

export const getTaxRate = async (db: Db, params: { tenantId: string; id: string }) => taxDto(await liveTaxRate(db, params));

async function assertCodeFree(tx: TxDb, tenantId: string, code: string, exceptId: string | null) {
  const r = await tx.execute<{ id: string }>(sql`SELECT id FROM tax_rates WHERE tenant_id = ${tenantId} AND lower(code) = lower(${code}) AND deleted_at IS NULL`);
  if (r.rows.some((x) => x.id !== exceptId)) throw conflict(`Tax code ${code} exists already`, { code: ["already exists"] });
}

export async function createTaxRate(tx: TxDb, actor: Actor, input: TaxRateCreate): Promise<TaxRateDto> {
  await assertCodeFree(tx, actor.tenantId, input.code, null);
  const [row] = await tx.insert(taxRates).values({ id: newId(), tenantId: actor.tenantId, code: input.code, name: input.name, ratePpm: input.rate }).returning();
  const dto = taxDto(row!);
  await recordAudit(tx, actor, { action: "tax_rate.create", entityType: "tax_rate", entityId: row!.id, after: dto });
  return dto;
}

/** Invoices keep the code, name and rate they were issued with: changing a rate affects later invoices only. */
export async function updateTaxRate(tx: TxDb, actor: Actor, id: string, input: TaxRatePatch): Promise<TaxRateDto> {
  const before = await liveTaxRate(tx, { tenantId: actor.tenantId, id });
  if (input.code !== undefined) await assertCodeFree(tx, actor.tenantId, input.code, id);
  const [row] = await tx
    .update(taxRates)
    .set({ ...(input.code !== undefined && { code: input.code }), ...(input.name !== undefined && { name: input.name }), ...(input.rate !== undefined && { ratePpm: input.rate }), updatedAt: new Date() })
    .where(and(eq(taxRates.tenantId, actor.tenantId), eq(taxRates.id, id)))
    .returning();
  const dto = taxDto(row!);
  await recordAudit(tx, actor, { action: "tax_rate.update", entityType: "tax_rate", entityId: id, before: taxDto(before), after: dto });
  return dto;
}

/** Deleted tax rates wait in the Recycle Bin; a restore may not take a code reused meanwhile. */
export const taxRatesSoftDelete: SoftDeletable = {
  entityType: "tax_rate",
  label: "Tax rate",
  table: "tax_rates",
  titleColumn: "code",
  beforeRestore: refuseTakenOnRestore({ table: "tax_rates", column: "code", error: () => conflict("A live tax rate now has this code; delete or rename it first", { code: ["in use"] }) }),
};

export async function deleteTaxRate(tx: TxDb, actor: Actor, id: string): Promise<void> {
  const before = await liveTaxRate(tx, { tenantId: actor.tenantId, id });
  await tx.update(taxRates).set({ deletedAt: new Date() }).where(and(eq(taxRates.tenantId, actor.tenantId), eq(taxRates.id, id)));
  await recordAudit(tx, actor, { action: "tax_rate.delete", entityType: "tax_rate", entityId: id, before: taxDto(before), after: null });
}

/** What billing needs of a carrier: its own record's fields plus the billing settings (or their defaults). */
export interface CarrierBillingInfo extends BillingSettingsDto {
  type: string;
  billTo: string | null;
  accountNumber: string | null;
  taxName: string | null;
  /** The carrier names a tax code the tax table does not have. */
  taxMissing: boolean;
}

export const DEFAULT_SETTINGS = { billingModel: "wholesaler", cycle: "monthly", cycleStartDay: 1, cycleDays: null, cycleAnchor: null, paymentTermsDays: 30 } as const;

export async function carrierBillingInfo(db: Db, params: { tenantId: string; carrierId: string }): Promise<CarrierBillingInfo> {
  const r = await db.execute<{
    id: string;
    name: string;
    type: string;
    time_zone: string;
    customer_billing: string;
    primary_currency: string;
    tax_code: string | null;
    bill_to: string | null;
    customer_account_number: string | null;
    billing_model: string | null;
    cycle: string | null;
    cycle_start_day: number | null;
    cycle_days: number | null;
    cycle_anchor: string | null;
    payment_terms_days: number | null;
    tax_rate_ppm: number | null;
    tax_name: string | null;
  }>(sql`
    SELECT c.id, c.name, c.type, c.time_zone, c.customer_billing, c.primary_currency, c.tax_code, c.bill_to, c.customer_account_number,
      b.billing_model, b.cycle, b.cycle_start_day, b.cycle_days, b.cycle_anchor::text AS cycle_anchor, b.payment_terms_days, t.rate_ppm AS tax_rate_ppm, t.name AS tax_name
    FROM carriers c
    LEFT JOIN carrier_billing b ON b.carrier_id = c.id AND b.tenant_id = c.tenant_id
    LEFT JOIN tax_rates t ON t.tenant_id = c.tenant_id AND lower(t.code) = lower(c.tax_code) AND t.deleted_at IS NULL
    WHERE c.tenant_id = ${params.tenantId} AND c.id = ${params.carrierId} AND c.deleted_at IS NULL`);
  const c = r.rows[0];
  if (!c) throw notFound("Carrier");
  const saved = c.billing_model !== null;
  const s = saved
    ? { billingModel: c.billing_model!, cycle: c.cycle!, cycleStartDay: c.cycle_start_day!, cycleDays: c.cycle_days, cycleAnchor: c.cycle_anchor, paymentTermsDays: c.payment_terms_days! }
    : DEFAULT_SETTINGS;
  return {
    carrierId: c.id,
    carrierName: c.name,
    type: c.type,
    ...(s as Pick<BillingSettingsDto, "billingModel" | "cycle" | "cycleStartDay" | "cycleDays" | "cycleAnchor" | "paymentTermsDays">),
    prepaid: PREPAID_MODELS.includes(s.billingModel),
    timeZone: c.time_zone,
    customerBilling: c.customer_billing,
    currency: c.primary_currency,
    taxCode: c.tax_code,
    taxRate: c.tax_rate_ppm,
    taxName: c.tax_name,
    taxMissing: c.tax_code !== null && c.tax_rate_ppm === null,
    billTo: c.bill_to,
    accountNumber: c.customer_account_number,
    saved,
  };
}

export const toSettingsDto = ({ type: _t, billTo: _b, accountNumber: _a, taxName: _n, taxMissing: _m, ...dto }: CarrierBillingInfo): BillingSettingsDto => dto;

export function cycleOf(s: Pick<BillingSettingsDto, "cycle" | "cycleStartDay" | "cycleDays" | "cycleAnchor">): Cycle {
  switch (s.cycle) {
    case "daily":
    case "semi_monthly":
      return { kind: s.cycle };
    case "weekly":
    case "monthly":
      return { kind: s.cycle, startDay: s.cycleStartDay };
    default:
      return { kind: "custom", days: s.cycleDays ?? 30, anchor: s.cycleAnchor ?? "2000-01-01" };
  }
}

export async function putBillingSettings(tx: TxDb, actor: Actor, carrierId: string, input: BillingSettingsInput): Promise<BillingSettingsDto> {
  const before = await carrierBillingInfo(tx, { tenantId: actor.tenantId, carrierId });
  if (before.type === "supplier") throw badRequest("A supplier is not invoiced by us", { carrierId: ["a supplier carrier has no customer billing"] });
  const values = {
    billingModel: input.billingModel,
    cycle: input.cycle,
    cycleStartDay: input.cycle === "weekly" || input.cycle === "monthly" ? input.cycleStartDay : 1,
    cycleDays: input.cycle === "custom" ? input.cycleDays : null,
    cycleAnchor: input.cycle === "custom" ? input.cycleAnchor : null,
    paymentTermsDays: input.paymentTermsDays,
    updatedAt: new Date(),
  };
  await tx
    .insert(carrierBilling)
    .values({ carrierId, tenantId: actor.tenantId, ...values })
    .onConflictDoUpdate({ target: carrierBilling.carrierId, set: values });
  const after = toSettingsDto(await carrierBillingInfo(tx, { tenantId: actor.tenantId, carrierId }));
  await recordAudit(tx, actor, { action: "billing_settings.put", entityType: "carrier", entityId: carrierId, before: before.saved ? toSettingsDto(before) : null, after });
  return after;
}
