import type pg from "pg";
import { inTransaction } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import type { JobContext } from "../platform/jobs/boss.js";
import { recordAudit, systemActor } from "../audit/audit.js";
import { fxRates } from "./schema.js";
import { formatFxRate, parseFxRate } from "./engine/index.js";

export const FX_REFRESH_QUEUE = "fx.refresh";

/** A source of FX rates: the latest rates of `quotes` against `base`, as decimal strings, and when they were taken. */
export interface FxProvider {
  /** Recorded on every rate it supplies (`fx_rates.source`). */
  readonly source: string;
  latest(base: string, quotes: string[]): Promise<{ at: Date; rates: Map<string, string> }>;
}

/** A JSON number as a decimal string of at most 9 decimals (an FX rate, not money). */
function decimal(n: unknown): string | null {
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) return null;
  const plain = String(n);
  return /^\d+(\.\d{1,9})?$/.test(plain) ? plain : n.toFixed(9);
}

/**
 * Open Exchange Rates (`GET latest.json?app_id=…&base=…&symbols=…`). The free plan
 * serves only base USD; the caller then asks for USD and the routing engine inverts a
 * pair it lacks. Answers `{ timestamp, base, rates: { EUR: 0.91, … } }`.
 */
export function openExchangeRates(opts: { appId: string; url: string; timeoutMs?: number }): FxProvider {
  return {
    source: "oxr",
    async latest(base, quotes) {
      const url = new URL(opts.url);
      url.searchParams.set("app_id", opts.appId);
      url.searchParams.set("base", base);
      url.searchParams.set("symbols", quotes.join(","));
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
      const body = (await res.json().catch(() => null)) as { timestamp?: unknown; base?: unknown; rates?: Record<string, unknown>; description?: unknown } | null;
      if (!res.ok || !body) throw new Error(`Open Exchange Rates answered ${res.status}${body?.description ? `: ${String(body.description)}` : ""}`);
      if (body.base !== base || typeof body.timestamp !== "number" || !body.rates) throw new Error("Open Exchange Rates answered an unexpected document");
      const rates = new Map<string, string>();
      for (const q of quotes) {
        const d = decimal(body.rates[q]);
        if (d !== null) rates.set(q, d);
      }
      return { at: new Date(body.timestamp * 1000), rates };
    },
  };
}

/**
 * Job: for every tenant, asks the provider for the pairs the tenant already keeps rates
 * for (grouped by base) and inserts each rate as a new effective-dated row with the
 * provider as its source. A rate already stored for that instant is left alone, so a
 * repeated run adds nothing. Each insert is audited as the system.
 */
export async function refreshFxRates(pool: pg.Pool, provider: FxProvider, _data: unknown, ctx: JobContext): Promise<{ inserted: number }> {
  const pairs = await pool.query<{ tenant_id: string; base: string; quotes: string[] }>(
    `SELECT tenant_id, base, array_agg(DISTINCT quote ORDER BY quote) AS quotes FROM fx_rates GROUP BY tenant_id, base ORDER BY tenant_id, base`,
  );
  const byBase = new Map<string, { quotes: Set<string>; tenants: { tenantId: string; quotes: string[] }[] }>();
  for (const p of pairs.rows) {
    const e = byBase.get(p.base) ?? { quotes: new Set<string>(), tenants: [] };
    p.quotes.forEach((q) => e.quotes.add(q));
    e.tenants.push({ tenantId: p.tenant_id, quotes: p.quotes });
    byBase.set(p.base, e);
  }
  let inserted = 0;
  let done = 0;
  const failures: string[] = [];
  for (const [base, e] of byBase) {
    // One base failing (e.g. a plan that serves only USD) does not stop the others; the job fails at the end.
    const latest = await provider.latest(base, [...e.quotes]).catch((err: Error) => {
      failures.push(`${base}: ${err.message}`);
      return null;
    });
    if (!latest) continue;
    for (const t of e.tenants) {
      const rows = t.quotes.filter((q) => latest.rates.has(q)).map((q) => ({ id: newId(), tenantId: t.tenantId, base, quote: q, rateNanos: parseFxRate(latest.rates.get(q)!), effectiveFrom: latest.at, source: provider.source }));
      if (!rows.length) continue;
      inserted += await inTransaction(pool, async (tx) => {
        const added = await tx.insert(fxRates).values(rows).onConflictDoNothing().returning();
        for (const r of added)
          await recordAudit(tx, systemActor(t.tenantId, `FX provider ${provider.source}`), { action: "fx_rate.create", entityType: "fx_rate", entityId: r.id, after: { base: r.base, quote: r.quote, rate: formatFxRate(r.rateNanos), effectiveFrom: r.effectiveFrom, source: r.source } });
        return added.length;
      });
    }
    await ctx.progress((100 * ++done) / byBase.size, `${base}: ${latest.rates.size} rates`);
  }
  if (failures.length) throw new Error(`FX refresh failed for ${failures.join("; ")} (${inserted} rates added)`);
  return { inserted };
}
