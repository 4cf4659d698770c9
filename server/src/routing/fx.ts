import { and, count, desc, eq, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { fxRates } from "./schema.js";
import { formatFxRate, parseFxRate } from "./engine/index.js";
import type { FxRateCreate, fxListQuery } from "./model.js";

type Row = typeof fxRates.$inferSelect;
const toDto = ({ tenantId: _t, rateNanos, ...r }: Row) => ({ ...r, rate: formatFxRate(rateNanos) });
export type FxRateDto = ReturnType<typeof toDto>;

/** The tenant's FX rates, newest effective date first. */
export async function listFxRates(db: Db, params: { tenantId: string; query: z.infer<typeof fxListQuery> }): Promise<Page<FxRateDto>> {
  const { tenantId, query } = params;
  const f: (SQL | undefined)[] = [eq(fxRates.tenantId, tenantId)];
  if (query.base) f.push(eq(fxRates.base, query.base));
  if (query.quote) f.push(eq(fxRates.quote, query.quote));
  const where = and(...f);
  const [rows, [total]] = await Promise.all([
    db.select().from(fxRates).where(where).orderBy(desc(fxRates.effectiveFrom), fxRates.base, fxRates.quote, fxRates.id).limit(query.pageSize).offset(offsetOf(query)),
    db.select({ n: count() }).from(fxRates).where(where),
  ]);
  return { rows: rows.map(toDto), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function createFxRate(tx: TxDb, actor: Actor, input: FxRateCreate): Promise<FxRateDto> {
  const [dup] = await tx
    .select({ id: fxRates.id })
    .from(fxRates)
    .where(and(eq(fxRates.tenantId, actor.tenantId), eq(fxRates.base, input.base), eq(fxRates.quote, input.quote), eq(fxRates.effectiveFrom, input.effectiveFrom)));
  if (dup) throw conflict(`${input.base}→${input.quote} already has a rate from ${input.effectiveFrom.toISOString()}`, { effectiveFrom: ["already has a rate"] });
  const [row] = await tx
    .insert(fxRates)
    .values({ id: newId(), tenantId: actor.tenantId, base: input.base, quote: input.quote, rateNanos: parseFxRate(input.rate), effectiveFrom: input.effectiveFrom })
    .returning();
  const dto = toDto(row!);
  await recordAudit(tx, actor, { action: "fx_rate.create", entityType: "fx_rate", entityId: row!.id, after: dto });
  return dto;
}

/** A wrong rate is removed (audited) and entered again: rates are facts with dates, not edited in place. */
export async function deleteFxRate(tx: TxDb, actor: Actor, id: string): Promise<void> {
  const [row] = await tx.delete(fxRates).where(and(eq(fxRates.tenantId, actor.tenantId), eq(fxRates.id, id))).returning();
  if (!row) throw notFound("FX rate");
  await recordAudit(tx, actor, { action: "fx_rate.delete", entityType: "fx_rate", entityId: id, before: toDto(row), after: null });
}
