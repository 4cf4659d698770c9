import { sql, type SQL } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { AppError, badRequest, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { divRoundHalfUp, formatMinorUnits, formatMoney } from "../platform/money.js";
import { buildFxSeries, convertAt, formatFxRate, fxIndexAt, FX_SCALE, type FxRateData, type FxSeries } from "../routing/engine/fx.js";
import { postDocumentTransfers, reverseDocumentTransfers } from "../ledger/operations.js";
import type { InvoiceLeg, TransferRequest } from "../ledger/engine/index.js";
import { computeInvoice, MissingFxRateError, type BillableCdr, type FxAt } from "./engine/invoice.js";
import { lastClosedPeriod, localDay, periodOfDate, type Period } from "./engine/cycle.js";
import { carrierBillingInfo, cycleOf } from "./settings.js";
import { nextNumber } from "./numbering.js";
import type { InvoiceDetailDto, InvoiceDto, InvoiceQuery } from "./model.js";

const DAY_MS = 86_400_000;
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The tenant's FX rates as the invoice engine's lookup (routing's series: the same rates and rounding as rating). */
export async function loadInvoiceFx(db: Db, tenantId: string): Promise<FxAt> {
  const { rows } = await db.execute<{ base: string; quote: string; nanos: string; from_ms: string }>(
    sql`SELECT base, quote, rate_nanos::text AS nanos, (extract(epoch FROM effective_from) * 1000)::bigint::text AS from_ms FROM fx_rates WHERE tenant_id = ${tenantId}`,
  );
  const rates: FxRateData[] = rows.map((r) => ({ base: r.base, quote: r.quote, rateNanos: BigInt(r.nanos), effectiveFrom: Number(r.from_ms) }));
  const series = new Map<string, FxSeries | null>();
  return (from, to, atMs) => {
    const key = `${from}>${to}`;
    if (!series.has(key)) series.set(key, buildFxSeries(rates, from, to));
    const s = series.get(key);
    const i = s ? fxIndexAt(s, atMs) : -1;
    if (!s || i < 0) return null;
    return { rateNanos: divRoundHalfUp(s.num[i]! * FX_SCALE, s.den[i]!), convert: (amount) => convertAt(amount, s, i) };
  };
}

type RawInvoice = {
  id: string;
  number: number | null;
  status: InvoiceDto["status"];
  carrier_id: string;
  carrier_name: string;
  currency: string;
  period_start: Date;
  period_end: Date;
  first_day: string;
  last_day: string;
  time_zone: string;
  usage: string;
  rounding: string;
  subtotal: string;
  tax_code: string | null;
  tax_name: string | null;
  tax_rate_ppm: number;
  tax: string;
  total: string;
  credited: string;
  credited_tax: string;
  paid: string;
  issued_at: Date | null;
  due_on: string | null;
  voided_at: Date | null;
  void_reason: string | null;
  payment_terms_days: number;
  created_by: string;
  created_at: Date;
};

export type InvoiceRow = InvoiceDto & { taxName: string | null; creditedTax: bigint; paymentTermsDays: number };

const INVOICE_SELECT = sql`
  SELECT i.id, i.number, i.status, i.carrier_id, c.name AS carrier_name, i.currency, i.period_start, i.period_end, i.first_day::text AS first_day, i.last_day::text AS last_day,
    i.time_zone, i.usage_micros::text AS usage, i.rounding_micros::text AS rounding, i.subtotal_micros::text AS subtotal, i.tax_code, i.tax_name, i.tax_rate_ppm,
    i.tax_micros::text AS tax, i.total_micros::text AS total,
    coalesce((SELECT sum(n.total_micros) FROM credit_notes n WHERE n.invoice_id = i.id), 0)::text AS credited,
    coalesce((SELECT sum(n.tax_micros) FROM credit_notes n WHERE n.invoice_id = i.id), 0)::text AS credited_tax,
    coalesce((SELECT sum(a.amount_micros) FROM invoice_allocations a WHERE a.invoice_id = i.id), 0)::text AS paid,
    i.issued_at, i.due_on::text AS due_on, i.voided_at, i.void_reason, i.payment_terms_days, i.created_by, i.created_at
  FROM invoices i JOIN carriers c ON c.id = i.carrier_id AND c.tenant_id = i.tenant_id`;

const toInvoice = (r: RawInvoice): InvoiceRow => {
  const total = BigInt(r.total);
  const credited = BigInt(r.credited);
  const paid = BigInt(r.paid);
  const open = r.status === "issued" || r.status === "partially_paid";
  const outstanding = open ? total - credited - paid : 0n;
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    carrierId: r.carrier_id,
    carrierName: r.carrier_name,
    currency: r.currency,
    periodStart: new Date(r.period_start),
    periodEnd: new Date(r.period_end),
    firstDay: r.first_day,
    lastDay: r.last_day,
    timeZone: r.time_zone,
    usage: BigInt(r.usage),
    rounding: BigInt(r.rounding),
    subtotal: BigInt(r.subtotal),
    taxCode: r.tax_code,
    taxName: r.tax_name,
    taxRate: r.tax_rate_ppm,
    tax: BigInt(r.tax),
    total,
    credited,
    creditedTax: BigInt(r.credited_tax),
    paid,
    outstanding: outstanding > 0n ? outstanding : 0n,
    issuedAt: r.issued_at && new Date(r.issued_at),
    dueOn: r.due_on,
    voidedAt: r.voided_at && new Date(r.voided_at),
    voidReason: r.void_reason,
    paymentTermsDays: r.payment_terms_days,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  };
};

async function selectInvoices(db: Db, where: SQL, tail: SQL = sql``): Promise<InvoiceRow[]> {
  const r = await db.execute<RawInvoice>(sql`${INVOICE_SELECT} WHERE ${where} ${tail}`);
  return r.rows.map(toInvoice);
}

export async function getInvoiceRow(db: Db, params: { tenantId: string; id: string }): Promise<InvoiceRow> {
  const [row] = await selectInvoices(db, sql`i.tenant_id = ${params.tenantId} AND i.id = ${params.id}`);
  if (!row) throw notFound("Invoice");
  return row;
}

const stripInternal = ({ taxName: _n, creditedTax: _c, paymentTermsDays: _p, ...dto }: InvoiceRow): InvoiceDto => dto;

const INVOICE_SORT: Record<string, SQL> = {
  createdAt: sql`i.created_at`,
  number: sql`i.number`,
  periodStart: sql`i.period_start`,
  total: sql`i.total_micros`,
  dueOn: sql`i.due_on`,
};

export async function listInvoices(db: Db, params: { tenantId: string; query: InvoiceQuery }): Promise<Page<InvoiceDto>> {
  const { tenantId, query } = params;
  const f: SQL[] = [sql`i.tenant_id = ${tenantId}`];
  if (query.status) f.push(sql`i.status = ${query.status}`);
  if (query.carrierId) f.push(sql`i.carrier_id = ${query.carrierId}`);
  if (query.currency) f.push(sql`i.currency = ${query.currency}`);
  if (query.from) f.push(sql`i.last_day >= ${query.from}`);
  if (query.to) f.push(sql`i.first_day <= ${query.to}`);
  if (query.number) f.push(sql`i.number = ${query.number}`);
  if (query.q) f.push(sql`c.name ILIKE ${`%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [string, "asc" | "desc"];
  const d = sql.raw(dir === "desc" ? "DESC NULLS LAST" : "ASC NULLS FIRST");
  const [rows, total] = await Promise.all([
    selectInvoices(db, where, sql`ORDER BY ${INVOICE_SORT[field]!} ${d}, i.created_at DESC, i.id LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM invoices i JOIN carriers c ON c.id = i.carrier_id AND c.tenant_id = i.tenant_id WHERE ${where}`),
  ]);
  return { rows: rows.map(stripInternal), total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

/** Billable seconds as minutes with 2 decimals (display only). */
const minutesOf = (billableS: bigint) => {
  const hundredths = divRoundHalfUp(billableS * 100n, 60n);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, "0")}`;
};

export async function getInvoice(db: Db, params: { tenantId: string; id: string }): Promise<InvoiceDetailDto> {
  const inv = await getInvoiceRow(db, params);
  const lines = await db.execute<{ position: number; destination: string; calls: number; billable_s: string; rate: string | null; rated_currency: string; rated: string; fx: string | null; amount: string }>(sql`
    SELECT position, destination, calls, billable_s::text AS billable_s, rate_micros_per_minute::text AS rate, rated_currency, rated_amount_micros::text AS rated,
      fx_rate_nanos::text AS fx, amount_micros::text AS amount
    FROM invoice_lines WHERE tenant_id = ${params.tenantId} AND invoice_id = ${params.id} ORDER BY position`);
  const cdrs = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM invoice_cdrs WHERE tenant_id = ${params.tenantId} AND invoice_id = ${params.id}`);
  const usage = lines.rows.map((l) => ({
    position: l.position,
    kind: "usage" as const,
    destination: l.destination,
    calls: l.calls,
    minutes: minutesOf(BigInt(l.billable_s)),
    rate: l.rate === null ? null : BigInt(l.rate),
    ratedCurrency: l.rated_currency,
    ratedAmount: BigInt(l.rated),
    fxRate: l.fx === null ? null : formatFxRate(BigInt(l.fx)),
    amount: BigInt(l.amount),
    amountRounded: formatMinorUnits(BigInt(l.amount), inv.currency),
  }));
  // The rounding is a line of its own, never folded silently into the others.
  const rounding = inv.rounding === 0n
    ? []
    : [{ position: usage.length + 1, kind: "rounding" as const, destination: "Rounding", calls: 0, minutes: "0.00", rate: null, ratedCurrency: inv.currency, ratedAmount: inv.rounding, fxRate: null, amount: inv.rounding, amountRounded: formatMoney(inv.rounding) }];
  return { ...stripInternal(inv), lines: [...usage, ...rounding], cdrCount: cdrs.rows[0]!.n };
}

export interface GenerateResult {
  invoice: InvoiceDto;
  created: boolean;
}

/** The period to bill: the one containing `periodDate`, or the carrier's last closed period. It must have ended. */
export function billingPeriod(settings: Parameters<typeof cycleOf>[0] & { timeZone: string }, now: Date, periodDate?: string): Period {
  const cycle = cycleOf(settings);
  const period = periodDate ? periodOfDate(periodDate, cycle, settings.timeZone) : lastClosedPeriod(now.getTime(), cycle, settings.timeZone);
  if (period.end.getTime() > now.getTime()) throw badRequest(`The period ${period.firstDay} – ${period.lastDay} has not ended yet in ${settings.timeZone}`, { periodDate: ["the period has not ended yet"] });
  return period;
}

/**
 * Calls re-rated after the invoice that bills them was issued: what each is billed so far
 * (the sum of its live invoice rows) differs from what it now costs (0 when it re-rated
 * into an error: its charge was reversed). The difference, either sign, is billed on the
 * next invoice on a line naming the invoice it corrects. Only CDRs re-rated at least once
 * (`rating_version > 0`, a partial index) are looked at; one being re-rated right now
 * (pending) waits, and so does one whose rated currency changed.
 */
async function rerateAdjustments(tx: TxDb, params: { tenantId: string; carrierId: string; currency: string; before: Date }): Promise<(BillableCdr & { adjusts: string })[]> {
  const r = await tx.execute<{ id: string; start_at: Date; dest: string; cur: string; delta: string; rate: string; invoice_id: string; number: number }>(sql`
    WITH billed AS (
      SELECT ic.cdr_id, ic.start_at, sum(ic.rated_cost_micros) AS billed, min(ic.rated_currency) AS cur, count(DISTINCT ic.rated_currency) AS currencies,
        (array_agg(ic.invoice_id) FILTER (WHERE ic.kind = 'call'))[1] AS call_invoice
      FROM cdrs c
      JOIN invoice_cdrs ic ON ic.tenant_id = c.tenant_id AND ic.cdr_id = c.id AND ic.released_at IS NULL
      WHERE c.tenant_id = ${params.tenantId} AND c.customer_carrier_id = ${params.carrierId} AND c.rating_version > 0 AND c.start_at < ${params.before}
      GROUP BY ic.cdr_id, ic.start_at
    ), now_costs AS (
      SELECT b.*, c.customer_destination, c.customer_prefix, c.customer_rate_micros_per_minute, c.rating_status, c.customer_currency,
        CASE WHEN c.rating_status = 'rated' AND c.posted_version IS NOT NULL THEN c.customer_cost_micros ELSE 0 END AS cost
      FROM billed b JOIN cdrs c ON c.tenant_id = ${params.tenantId} AND c.start_at = b.start_at AND c.id = b.cdr_id
    )
    SELECT n.cdr_id AS id, n.start_at, coalesce(n.customer_destination, n.customer_prefix, 'Other') AS dest, n.cur, (n.cost - n.billed)::text AS delta,
      coalesce(n.customer_rate_micros_per_minute, 0)::text AS rate, i.id AS invoice_id, i.number
    FROM now_costs n
    JOIN invoices i ON i.tenant_id = ${params.tenantId} AND i.id = n.call_invoice AND i.status NOT IN ('draft', 'void') AND i.currency = ${params.currency}
    WHERE n.currencies = 1 AND n.rating_status IN ('rated', 'error') AND (n.rating_status = 'error' OR n.customer_currency = n.cur) AND n.cost <> n.billed
    ORDER BY n.start_at, n.cdr_id`);
  return r.rows.map((x) => ({
    id: x.id,
    startMs: new Date(x.start_at).getTime(),
    destination: `${x.dest} (re-rated, invoice ${x.number})`,
    ratedCurrency: x.cur,
    costMicros: BigInt(x.delta),
    billableS: 0,
    rateMicrosPerMinute: BigInt(x.rate),
    adjusts: x.invoice_id,
  }));
}

/**
 * Creates the draft invoice of a carrier's cycle period: every rated, posted, not yet
 * invoiced call of the carrier that started in the period (in the carrier's time zone),
 * plus late calls — uninvoiced calls of an earlier period that already has an invoice
 * (a CDR ingested or rated after that invoice was made), on lines of their own — all
 * converted to its primary currency. Drafts have no number; `issue` issues at once.
 * 409 when the period has an invoice already; 422 when there is nothing to bill.
 */
export async function generateInvoice(tx: TxDb, actor: Actor, input: { carrierId: string; periodDate?: string; issue: boolean }, now = new Date()): Promise<InvoiceDto> {
  const tenantId = actor.tenantId;
  const info = await carrierBillingInfo(tx, { tenantId, carrierId: input.carrierId }).catch((err: unknown) => {
    if (err instanceof AppError && err.statusCode === 404) throw badRequest("No such carrier", { carrierId: ["no such carrier"] });
    throw err;
  });
  if (info.type === "supplier") throw badRequest("A supplier is not invoiced by us", { carrierId: ["a supplier carrier has no customer invoices"] });
  const period = billingPeriod(info, now, input.periodDate);
  // Generations of one carrier queue here: the period check below then sees the other's invoice.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`invoice:${tenantId}:${input.carrierId}`}))`);
  const existing = await tx.execute<{ id: string }>(sql`
    SELECT id FROM invoices WHERE tenant_id = ${tenantId} AND carrier_id = ${input.carrierId} AND currency = ${info.currency} AND period_start = ${period.start} AND status <> 'void'`);
  if (existing.rows[0]) throw conflict(`The period ${period.firstDay} – ${period.lastDay} is invoiced already`, { periodDate: ["already invoiced"] });

  const found = await tx.execute<{ id: string; start_at: Date; dest: string; currency: string; cost: string; billable_s: number; rate: string }>(sql`
    SELECT c.id, c.start_at, coalesce(c.customer_destination, c.customer_prefix, 'Other') AS dest,
      c.customer_currency AS currency, c.customer_cost_micros::text AS cost,
      coalesce(c.customer_billable_s, 0) AS billable_s, coalesce(c.customer_rate_micros_per_minute, 0)::text AS rate
    FROM cdrs c
    WHERE c.tenant_id = ${tenantId} AND c.customer_carrier_id = ${input.carrierId} AND c.start_at < ${period.end}
      AND (c.start_at >= ${period.start} OR EXISTS (
        SELECT 1 FROM invoices i WHERE i.tenant_id = c.tenant_id AND i.carrier_id = c.customer_carrier_id AND i.currency = ${info.currency}
          AND i.status <> 'void' AND c.start_at >= i.period_start AND c.start_at < i.period_end))
      AND c.rating_status = 'rated' AND c.posted_version IS NOT NULL AND c.customer_cost_micros > 0
      AND NOT EXISTS (SELECT 1 FROM invoice_cdrs ic WHERE ic.tenant_id = c.tenant_id AND ic.cdr_id = c.id AND ic.released_at IS NULL AND ic.kind = 'call')
    ORDER BY c.start_at, c.id`);
  const rerated = await rerateAdjustments(tx, { tenantId, carrierId: input.carrierId, currency: info.currency, before: period.end });
  if (!found.rows.length && !rerated.length) throw new AppError(422, "nothing_to_invoice", `${info.carrierName} has no uninvoiced rated calls from ${period.firstDay} to ${period.lastDay}`);
  if (info.taxMissing) throw new AppError(422, "tax_rate_missing", `The carrier's tax code ${info.taxCode} is not in the tax table`);
  const cdrs: (BillableCdr & { adjusts: string | null })[] = [
    ...found.rows.map((r) => ({
      id: r.id,
      startMs: new Date(r.start_at).getTime(),
      // A late call (of an earlier, already invoiced period) gets a line of its own.
      destination: new Date(r.start_at) < period.start ? `${r.dest} (earlier period)` : r.dest,
      ratedCurrency: r.currency,
      costMicros: BigInt(r.cost),
      billableS: r.billable_s,
      rateMicrosPerMinute: BigInt(r.rate),
      adjusts: null,
    })),
    ...rerated,
  ];
  let computed;
  try {
    computed = computeInvoice(cdrs, { currency: info.currency, taxRatePpm: info.taxRate ?? 0, fx: await loadInvoiceFx(tx, tenantId) });
  } catch (err) {
    if (err instanceof MissingFxRateError) throw new AppError(422, "fx_rate_missing", err.message);
    throw err;
  }

  const id = newId();
  await tx.execute(sql`
    INSERT INTO invoices (id, tenant_id, carrier_id, currency, status, period_start, period_end, first_day, last_day, time_zone, usage_micros, rounding_micros, subtotal_micros,
      tax_code, tax_name, tax_rate_ppm, tax_micros, total_micros, payment_terms_days, created_by)
    VALUES (${id}, ${tenantId}, ${input.carrierId}, ${info.currency}, 'draft', ${period.start}, ${period.end}, ${period.firstDay}, ${period.lastDay}, ${info.timeZone},
      ${computed.usageMicros}, ${computed.roundingMicros}, ${computed.subtotalMicros}, ${info.taxCode}, ${info.taxName}, ${info.taxRate ?? 0}, ${computed.taxMicros},
      ${computed.totalMicros}, ${info.paymentTermsDays}, ${actor.label})`);
  const client = tx.$client;
  const lines = computed.lines;
  await client.query(
    `INSERT INTO invoice_lines (id, tenant_id, invoice_id, position, destination, calls, billable_s, rate_micros_per_minute, rated_currency, rated_amount_micros, fx_rate_nanos, amount_micros)
     SELECT id, $1, $2, pos, dest, calls, bill, rate, cur, rated, fx, amount
     FROM unnest($3::uuid[], $4::int[], $5::text[], $6::int[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[])
       AS u(id, pos, dest, calls, bill, rate, cur, rated, fx, amount)`,
    [
      tenantId,
      id,
      lines.map(() => newId()),
      lines.map((_, i) => i + 1),
      lines.map((l) => l.destination),
      lines.map((l) => l.calls),
      lines.map((l) => String(l.billableS)),
      lines.map((l) => (l.rateMicrosPerMinute === null ? null : String(l.rateMicrosPerMinute))),
      lines.map((l) => l.ratedCurrency),
      lines.map((l) => String(l.ratedAmountMicros)),
      lines.map((l) => (l.fxRateNanos === null ? null : String(l.fxRateNanos))),
      lines.map((l) => String(l.amountMicros)),
    ],
  );
  await client.query(
    `INSERT INTO invoice_cdrs (tenant_id, invoice_id, cdr_id, start_at, kind, adjusts_invoice_id, rated_currency, rated_cost_micros, amount_micros)
     SELECT $1, $2, id, start_at, CASE WHEN adjusts IS NULL THEN 'call' ELSE 'rerate' END, adjusts, cur, cost, amount
     FROM unnest($3::uuid[], $4::timestamptz[], $5::uuid[], $6::text[], $7::bigint[], $8::bigint[]) AS u(id, start_at, adjusts, cur, cost, amount)`,
    [
      tenantId,
      id,
      cdrs.map((c) => c.id),
      cdrs.map((c) => new Date(c.startMs).toISOString()),
      cdrs.map((c) => c.adjusts),
      cdrs.map((c) => c.ratedCurrency),
      cdrs.map((c) => String(c.costMicros)),
      computed.cdrAmounts.map(String),
    ],
  );
  const draft = await getInvoiceRow(tx, { tenantId, id });
  await recordAudit(tx, actor, { action: "invoice.generate", entityType: "invoice", entityId: id, after: { ...stripInternal(draft), calls: cdrs.length } });
  return input.issue ? issueInvoice(tx, actor, id, now) : stripInternal(draft);
}

/** The transfers an invoice posts at issue: tax, rounding and FX conversion (its usage is already on the customer account). */
function issueTransfers(inv: InvoiceRow, fxLegs: { ratedCurrency: string; ratedMicros: bigint; convertedMicros: bigint }[]): TransferRequest[] {
  const base = { carrierId: inv.carrierId, reference: { type: "invoice", id: inv.id } };
  const out: TransferRequest[] = [];
  // Amounts can be negative (re-rating credits): a negative leg is its opposite leg, positive.
  const push = (positive: InvoiceLeg, negative: InvoiceLeg, key: string, currency: string, amountMicros: bigint) => {
    if (amountMicros > 0n) out.push({ ...base, op: "invoice", leg: positive, key, currency, amountMicros });
    if (amountMicros < 0n) out.push({ ...base, op: "invoice", leg: negative, key, currency, amountMicros: -amountMicros });
  };
  for (const leg of fxLegs) {
    // fx_out takes rated usage off the customer in its currency; fx_in puts it back converted.
    push("fx_out", "fx_in", `invoice:${inv.id}:fx-out:${leg.ratedCurrency}`, leg.ratedCurrency, leg.ratedMicros);
    push("fx_in", "fx_out", `invoice:${inv.id}:fx-in:${leg.ratedCurrency}`, inv.currency, leg.convertedMicros);
  }
  push("rounding_charge", "rounding_credit", `invoice:${inv.id}:rounding`, inv.currency, inv.rounding);
  push("tax", "tax_credit", `invoice:${inv.id}:tax`, inv.currency, inv.tax);
  return out;
}

async function lockInvoice(tx: TxDb, tenantId: string, id: string): Promise<InvoiceRow> {
  const locked = await tx.execute(sql`SELECT id FROM invoices WHERE tenant_id = ${tenantId} AND id = ${id} FOR UPDATE`);
  if (!locked.rows.length) throw notFound("Invoice");
  return getInvoiceRow(tx, { tenantId, id });
}

/**
 * Issues a draft, in the caller's one transaction: checks its calls still cost what the
 * draft says, posts its transfers (code `invoice`), takes the next gapless number,
 * sets it issued with a due date (payment terms from the issue date in the carrier's
 * time zone), audits, and allocates payments.
 */
export async function issueInvoice(tx: TxDb, actor: Actor, id: string, now = new Date()): Promise<InvoiceDto> {
  const tenantId = actor.tenantId;
  const inv = await lockInvoice(tx, tenantId, id);
  if (inv.status !== "draft") throw conflict(`Invoice is ${inv.status}, only a draft can be issued`);
  const stale = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM invoice_cdrs ic
    LEFT JOIN cdrs c ON c.tenant_id = ic.tenant_id AND c.start_at = ic.start_at AND c.id = ic.cdr_id
    WHERE ic.tenant_id = ${tenantId} AND ic.invoice_id = ${id}
      AND (c.id IS NULL OR CASE WHEN ic.kind = 'call'
        THEN c.rating_status <> 'rated' OR c.customer_currency IS DISTINCT FROM ic.rated_currency OR c.customer_cost_micros IS DISTINCT FROM ic.rated_cost_micros
        -- a rerate row is stale when the CDR's live rows no longer add up to what it costs now
        ELSE c.rating_status = 'pending' OR CASE WHEN c.rating_status = 'rated' AND c.posted_version IS NOT NULL THEN c.customer_cost_micros ELSE 0 END
          <> (SELECT sum(o.rated_cost_micros) FROM invoice_cdrs o WHERE o.tenant_id = ic.tenant_id AND o.cdr_id = ic.cdr_id AND o.released_at IS NULL) END)`);
  if (stale.rows[0]!.n) throw new AppError(409, "stale_draft", `${stale.rows[0]!.n} of the draft's calls were re-rated since it was made: void it and generate it again`);
  const legs = await tx.execute<{ cur: string; rated: string; amount: string }>(sql`
    SELECT rated_currency AS cur, sum(rated_cost_micros)::text AS rated, sum(amount_micros)::text AS amount
    FROM invoice_cdrs WHERE tenant_id = ${tenantId} AND invoice_id = ${id} AND rated_currency <> ${inv.currency} GROUP BY rated_currency ORDER BY rated_currency`);
  const fxLegs = legs.rows.map((r) => ({ ratedCurrency: r.cur, ratedMicros: BigInt(r.rated), convertedMicros: BigInt(r.amount) }));
  await postDocumentTransfers(tx, { tenantId, transfers: issueTransfers(inv, fxLegs) });
  const number = await nextNumber(tx, { tenantId, kind: "invoice" });
  const dueOn = isoOfDay(localDay(now.getTime(), inv.timeZone) + inv.paymentTermsDays);
  await tx.execute(sql`UPDATE invoices SET status = 'issued', number = ${number}, issued_at = ${now}, due_on = ${dueOn}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "invoice.issue", entityType: "invoice", entityId: id, before: { status: "draft" }, after: { status: "issued", number, dueOn, total: formatMoney(inv.total) } });
  await allocate(tx, { tenantId, carrierId: inv.carrierId, currency: inv.currency });
  return stripInternal(await getInvoiceRow(tx, { tenantId, id }));
}

/**
 * Voids an invoice: reverses every transfer it posted, releases its calls for a new
 * invoice and its payment allocations. An issued invoice keeps its number (numbers are
 * never reused). One with credit notes is refused: credit it fully instead.
 */
export async function voidInvoice(tx: TxDb, actor: Actor, id: string, reason: string): Promise<InvoiceDto> {
  const tenantId = actor.tenantId;
  const inv = await lockInvoice(tx, tenantId, id);
  if (inv.status === "void") throw conflict("Invoice is void already");
  if (inv.credited > 0n) throw conflict("Invoice has credit notes: it cannot be voided");
  const adjusted = await tx.execute<{ number: number | null }>(sql`
    SELECT DISTINCT i.number FROM invoice_cdrs ic JOIN invoices i ON i.id = ic.invoice_id
    WHERE ic.tenant_id = ${tenantId} AND ic.adjusts_invoice_id = ${id} AND ic.released_at IS NULL`);
  if (adjusted.rows.length) {
    const names = adjusted.rows.map((r) => (r.number === null ? "a draft" : `invoice ${r.number}`)).join(", ");
    throw conflict(`Re-rating corrections of this invoice's calls are billed on ${names}: void that first`);
  }
  const reversed = await reverseDocumentTransfers(tx, { tenantId, reference: { type: "invoice", id } });
  await tx.execute(sql`UPDATE invoice_cdrs SET released_at = now() WHERE tenant_id = ${tenantId} AND invoice_id = ${id} AND released_at IS NULL`);
  const allocations = await tx.execute(sql`DELETE FROM invoice_allocations WHERE tenant_id = ${tenantId} AND invoice_id = ${id} RETURNING payment_id, amount_micros::text AS amount`);
  await tx.execute(sql`UPDATE invoices SET status = 'void', voided_at = now(), void_reason = ${reason}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, {
    action: "invoice.void",
    entityType: "invoice",
    entityId: id,
    before: { status: inv.status, allocations: allocations.rows },
    after: { status: "void", reason, reversedTransfers: reversed },
  });
  if (allocations.rows.length) await allocate(tx, { tenantId, carrierId: inv.carrierId, currency: inv.currency });
  return stripInternal(await getInvoiceRow(tx, { tenantId, id }));
}

/** Sets issued / partially_paid / paid from what was credited and allocated. */
export async function refreshStatus(tx: TxDb, params: { tenantId: string; id: string }): Promise<void> {
  await tx.execute(sql`
    UPDATE invoices i SET status = CASE WHEN s.settled >= i.total_micros THEN 'paid' WHEN s.paid > 0 THEN 'partially_paid' ELSE 'issued' END, updated_at = now()
    FROM (SELECT coalesce((SELECT sum(amount_micros) FROM invoice_allocations WHERE invoice_id = ${params.id}), 0) AS paid,
                 coalesce((SELECT sum(amount_micros) FROM invoice_allocations WHERE invoice_id = ${params.id}), 0)
               + coalesce((SELECT sum(total_micros) FROM credit_notes WHERE invoice_id = ${params.id}), 0) AS settled) s
    WHERE i.tenant_id = ${params.tenantId} AND i.id = ${params.id} AND i.status IN ('issued', 'partially_paid', 'paid')`);
}

/**
 * Allocates a carrier's customer payments in one currency to its open invoices, oldest
 * due first (then lowest number). A payment's money is already on the customer account:
 * an allocation only records which invoice it settled. Prepaid customers (billing model
 * individual / small business) have no payments to match: an invoice is marked paid
 * from the prepaid balance when the account (after the invoice) is not negative.
 */
export async function allocate(tx: TxDb, params: { tenantId: string; carrierId: string; currency: string }): Promise<number> {
  const { tenantId, carrierId, currency } = params;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`allocate:${tenantId}:${carrierId}:${currency}`}))`);
  const open = await selectInvoices(tx, sql`i.tenant_id = ${tenantId} AND i.carrier_id = ${carrierId} AND i.currency = ${currency} AND i.status IN ('issued', 'partially_paid')`, sql`ORDER BY i.due_on, i.number`);
  if (!open.length) return 0;
  const info = await carrierBillingInfo(tx, { tenantId, carrierId }).catch(() => null);
  const made: { invoiceId: string; paymentId: string | null; amount: bigint }[] = [];
  if (info?.prepaid) {
    const bal = await tx.execute<{ b: string | null }>(sql`
      SELECT (credits_posted_micros - debits_posted_micros)::text AS b FROM ledger_accounts WHERE tenant_id = ${tenantId} AND kind = 'customer' AND carrier_id = ${carrierId} AND currency = ${currency}`);
    if (BigInt(bal.rows[0]?.b ?? "0") >= 0n) for (const inv of open) if (inv.outstanding > 0n) made.push({ invoiceId: inv.id, paymentId: null, amount: inv.outstanding });
  } else {
    const payments = await tx.execute<{ id: string; left: string }>(sql`
      SELECT p.id, (p.amount_micros - coalesce((SELECT sum(a.amount_micros) FROM invoice_allocations a WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id), 0))::text AS left
      FROM payments p
      WHERE p.tenant_id = ${tenantId} AND p.carrier_id = ${carrierId} AND p.currency = ${currency} AND p.direction = 'customer' AND p.kind = 'payment'
        AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.reverses_id = p.transfer_id)
      ORDER BY p.paid_on, p.created_at, p.id`);
    const avail = payments.rows.map((p) => ({ id: p.id, left: BigInt(p.left) })).filter((p) => p.left > 0n);
    for (const inv of open) {
      let need = inv.outstanding;
      for (const p of avail) {
        if (need <= 0n) break;
        const take = p.left < need ? p.left : need;
        if (take <= 0n) continue;
        made.push({ invoiceId: inv.id, paymentId: p.id, amount: take });
        p.left -= take;
        need -= take;
      }
    }
  }
  for (const a of made) {
    await tx.execute(sql`
      INSERT INTO invoice_allocations (id, tenant_id, invoice_id, source, payment_id, amount_micros)
      VALUES (${newId()}, ${tenantId}, ${a.invoiceId}, ${a.paymentId ? "payment" : "prepaid"}, ${a.paymentId}, ${a.amount})`);
  }
  for (const id of new Set(made.map((a) => a.invoiceId))) await refreshStatus(tx, { tenantId, id });
  return made.length;
}

/** The explicit allocate API: audited, returns how many allocations were made. */
export async function allocatePayments(tx: TxDb, actor: Actor, input: { carrierId: string; currency: string }): Promise<{ allocations: number }> {
  await carrierBillingInfo(tx, { tenantId: actor.tenantId, carrierId: input.carrierId });
  const n = await allocate(tx, { tenantId: actor.tenantId, ...input });
  await recordAudit(tx, actor, { action: "invoice.allocate", entityType: "carrier", entityId: input.carrierId, after: { currency: input.currency, allocations: n } });
  return { allocations: n };
}

export async function listAllocations(db: Db, params: { tenantId: string; invoiceId: string }) {
  await getInvoiceRow(db, { tenantId: params.tenantId, id: params.invoiceId });
  const r = await db.execute<{ id: string; invoice_id: string; source: "payment" | "prepaid"; payment_id: string | null; amount: string; created_at: Date }>(sql`
    SELECT id, invoice_id, source, payment_id, amount_micros::text AS amount, created_at FROM invoice_allocations
    WHERE tenant_id = ${params.tenantId} AND invoice_id = ${params.invoiceId} ORDER BY created_at, id`);
  return r.rows.map((a) => ({ id: a.id, invoiceId: a.invoice_id, source: a.source, paymentId: a.payment_id, amount: BigInt(a.amount), createdAt: new Date(a.created_at) }));
}

/**
 * A customer payment was recorded or reversed: a reversed (bounced) payment no longer
 * pays anything, so its allocations are undone, then the carrier's open invoices are
 * allocated again from what remains. Runs in the payment's transaction, so an invoice's
 * status never disagrees with the ledger.
 */
export async function reallocateAfterPayment(tx: TxDb, actor: Actor, params: { transferId: string }): Promise<void> {
  const tenantId = actor.tenantId;
  const p = await tx.execute<{ id: string; carrier_id: string; currency: string; reversed: boolean }>(sql`
    SELECT p.id, p.carrier_id, p.currency, EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.tenant_id = p.tenant_id AND r.reverses_id = p.transfer_id) AS reversed
    FROM payments p WHERE p.tenant_id = ${tenantId} AND p.transfer_id = ${params.transferId} AND p.direction = 'customer' AND p.kind = 'payment'`);
  const payment = p.rows[0];
  if (!payment) return;
  if (payment.reversed) {
    const undone = await tx.execute<{ invoice_id: string; amount: string }>(sql`
      DELETE FROM invoice_allocations WHERE tenant_id = ${tenantId} AND payment_id = ${payment.id} RETURNING invoice_id, amount_micros::text AS amount`);
    for (const id of new Set(undone.rows.map((r) => r.invoice_id))) await refreshStatus(tx, { tenantId, id });
    if (undone.rows.length)
      await recordAudit(tx, actor, { action: "invoice.unallocate", entityType: "payment", entityId: payment.id, before: { allocations: undone.rows }, after: { reason: "payment reversed" } });
  }
  await allocate(tx, { tenantId, carrierId: payment.carrier_id, currency: payment.currency });
}
