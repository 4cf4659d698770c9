import { parse } from "csv-parse";
import { and, asc, count, desc, eq, type SQL } from "drizzle-orm";
import type pg from "pg";
import type { Db, TxDb } from "../platform/db/client.js";
import { createDb, inTransaction } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { AppError, badRequest, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import { parseMoney } from "../platform/money.js";
import type { JobContext, JobData, JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, systemActor, type Actor } from "../audit/audit.js";
import { zonedTimeToEpochMs } from "./engine/index.js";
import { getPlanRow, type PlanRow } from "./plans.js";
import { refreshCompiledPlan } from "./compiled.js";
import { rateRevisionRows, rateRevisions, type DeckError } from "./schema.js";
import { CHANGE_KINDS, DECK_FIELDS, type DeckField, type ImportInput } from "./model.js";

/**
 * Deck import: a CSV of rates → a previewed revision (rows staged with their diff against
 * what is live) → applied by the `rating.apply-revision` job. All or nothing: one bad
 * row rejects the whole deck and nothing is staged or applied.
 */
export const APPLY_REVISION_QUEUE = "rating.apply-revision";
const MAX_KEPT_ERRORS = 1000;
const MAX_ROWS = 2_000_000;
const DAY_MS = 86_400_000;

type RevisionRow = typeof rateRevisions.$inferSelect;
export function revisionToDto(row: RevisionRow) {
  const { tenantId: _t, mode, noticePolicy, status, ...rest } = row;
  return {
    ...rest,
    mode: mode as ImportInput["mode"],
    noticePolicy: noticePolicy as ImportInput["noticePolicy"],
    status: status as "previewed" | "applying" | "applied" | "failed" | "rejected",
  };
}
export type RevisionDto = ReturnType<typeof revisionToDto>;

// ── Parsing and validation (pure) ──

/** Header names each field is recognised by (case-insensitive), unless a mapping names the column. */
const ALIASES: Record<DeckField, string[]> = {
  prefix: ["prefix", "code", "dial_code", "dialcode"],
  destination: ["destination", "description", "name"],
  rate: ["rate", "price"],
  effective_date: ["effective_date", "effective_from", "effective", "date"],
  first_increment: ["first_increment", "increment_first", "first_increment_s"],
  next_increment: ["next_increment", "increment_next", "next_increment_s"],
  increments: ["increments", "increment", "billing_increments"],
  connection_fee: ["connection_fee", "setup_fee"],
  time_class: ["time_class", "timeclass", "period"],
};

/** The validated deck: column arrays, ready for one `unnest` insert. */
export interface ParsedDeck {
  count: number;
  line: number[];
  prefix: string[];
  destination: string[];
  rate: bigint[];
  fee: (bigint | null)[];
  first: (number | null)[];
  next: (number | null)[];
  timeClass: (string | null)[];
  effectiveFrom: number[];
  minEffectiveFrom: number;
}

export interface DeckPlan {
  timeZone: string;
  timeClassNames: readonly string[];
  incrementFirstS: number;
  incrementNextS: number;
}

const normHeader = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, "_");
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Epoch ms, or an error message. A bare date is 00:00 in the plan's zone, as is a datetime without offset. */
export function parseEffective(value: string, timeZone: string): number | string {
  const d = DATE.exec(value);
  const dt = d ? null : DATETIME.exec(value);
  const m = d ?? dt;
  if (!m) return `effective date "${value}" is not an ISO date (YYYY-MM-DD) or datetime`;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s, ms] = dt ? [Number(dt[4]), Number(dt[5]), Number(dt[6] ?? 0), Number((dt[7] ?? "0").padEnd(3, "0"))] : [0, 0, 0, 0];
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || da < 1 || da > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return `effective date "${value}" does not exist`;
  const zone = dt?.[8];
  if (zone) {
    const offsetMin = zone.toUpperCase() === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    return Date.UTC(y, mo - 1, da, h, mi, s, ms) - offsetMin * 60_000;
  }
  return zonedTimeToEpochMs(timeZone, y, mo, da, h, mi, s) + ms;
}

const INCREMENT = /^\d{1,4}$/;
function parseIncrement(v: string): number | null {
  if (!INCREMENT.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= 3600 ? n : null;
}

function moneyError(what: string, v: string): string | null {
  if (/^-\s*\d/.test(v)) return `${what} "${v}" is negative`;
  if (/^\d+\.\d{7,}$/.test(v)) return `${what} "${v}" has more than 6 decimals`;
  if (!/^\d{1,15}(\.\d{1,6})?$/.test(v)) return `${what} "${v}" is not a decimal number`;
  return null;
}

function detectDelimiter(csv: string): "," | ";" {
  const end = csv.indexOf("\n");
  const first = end < 0 ? csv : csv.slice(0, end);
  return (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
}

/**
 * Parses and validates a deck. Throws 400 for a deck that cannot be read at all (no
 * header, a missing column, broken quoting); returns every bad row otherwise.
 */
export async function parseDeck(input: Pick<ImportInput, "csv" | "mapping" | "delimiter">, plan: DeckPlan): Promise<{ deck: ParsedDeck; errors: DeckError[]; errorCount: number }> {
  const csv = input.csv.charCodeAt(0) === 0xfeff ? input.csv.slice(1) : input.csv;
  const delimiter = input.delimiter ?? detectDelimiter(csv);
  const parser = parse(csv, {
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  });
  const deck: ParsedDeck = { count: 0, line: [], prefix: [], destination: [], rate: [], fee: [], first: [], next: [], timeClass: [], effectiveFrom: [], minEffectiveFrom: Infinity };
  const errors: DeckError[] = [];
  let errorCount = 0;
  const fail = (line: number, reason: string) => {
    errorCount++;
    if (errors.length < MAX_KEPT_ERRORS) errors.push({ line, reason });
  };
  // In ;-separated decks a decimal comma is common: "0,0123".
  const decimal = (v: string) => (delimiter === ";" && /^-?\d+,\d+$/.test(v) ? v.replace(",", ".") : v);
  const classes = new Set(plan.timeClassNames);
  const dates = new Map<string, number | string>();
  const seen = new Map<string, number>();
  let col: Partial<Record<DeckField, number>> | null = null;
  let width = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!col) {
        col = {};
        width = record.length;
        const headers = record.map(normHeader);
        for (const field of DECK_FIELDS) {
          const mapped = input.mapping?.[field];
          const names = mapped ? [normHeader(mapped)] : ALIASES[field];
          const at = headers.findIndex((h) => names.includes(h));
          if (at >= 0) col[field] = at;
          else if (mapped) throw badRequest(`The deck has no column "${mapped}" (mapped to ${field})`, { [`mapping.${field}`]: ["no such column in the header"] });
        }
        const missing = (["prefix", "rate", "effective_date"] as const).filter((f) => col![f] === undefined);
        if (missing.length) throw badRequest(`The deck's header lacks ${missing.join(", ")} (header: ${record.join(delimiter)})`, { csv: missing.map((f) => `missing column ${f}`) });
        continue;
      }
      if (deck.count + errorCount >= MAX_ROWS) throw badRequest(`A deck may have at most ${MAX_ROWS} rows`, { csv: ["too many rows"] });
      const get = (f: DeckField) => (col![f] === undefined ? "" : (record[col![f]!] ?? ""));
      const before = errorCount;
      if (record.length !== width) fail(line, `has ${record.length} columns, the header has ${width}`);
      const prefix = get("prefix");
      if (!/^[0-9]{1,32}$/.test(prefix)) fail(line, prefix ? `prefix "${prefix}" is not 1–32 digits` : "prefix is empty");
      const destination = get("destination");
      if (destination.length > 200) fail(line, "destination is longer than 200 characters");
      const rateText = decimal(get("rate"));
      const rateErr = moneyError("rate", rateText);
      if (rateErr) fail(line, rateErr);
      const feeText = decimal(get("connection_fee"));
      const feeErr = feeText ? moneyError("connection fee", feeText) : null;
      if (feeErr) fail(line, feeErr);
      let first: number | null = null;
      let next: number | null = null;
      const inc = get("increments");
      const firstText = get("first_increment");
      const nextText = get("next_increment");
      if (inc) {
        const m = /^(\d+)\s*\/\s*(\d+)$/.exec(inc);
        first = m ? parseIncrement(m[1]!) : null;
        next = m ? parseIncrement(m[2]!) : null;
        if (first === null || next === null) fail(line, `increments "${inc}" are not "first/next" seconds (1–3600)`);
      } else if (firstText || nextText) {
        first = firstText ? parseIncrement(firstText) : plan.incrementFirstS;
        next = nextText ? parseIncrement(nextText) : plan.incrementNextS;
        if (first === null) fail(line, `first increment "${firstText}" is not 1–3600 seconds`);
        if (next === null) fail(line, `next increment "${nextText}" is not 1–3600 seconds`);
      }
      const tc = get("time_class") || null;
      if (tc !== null && !classes.has(tc)) fail(line, `unknown time class "${tc}"${classes.size ? ` (the plan has ${[...classes].join(", ")})` : " (the plan has none)"}`);
      const dateText = get("effective_date");
      let at = dates.get(dateText);
      if (at === undefined) {
        at = dateText ? parseEffective(dateText, plan.timeZone) : "effective date is empty";
        dates.set(dateText, at);
      }
      if (typeof at === "string") fail(line, at);
      if (errorCount !== before) continue;
      const key = `${prefix}|${at as number}|${tc ?? ""}`;
      const dup = seen.get(key);
      if (dup !== undefined) {
        fail(line, `duplicate of line ${dup} (same prefix ${prefix}, effective date and time class)`);
        continue;
      }
      seen.set(key, line);
      deck.line.push(line);
      deck.prefix.push(prefix);
      deck.destination.push(destination);
      deck.rate.push(parseMoney(rateText));
      deck.fee.push(feeText ? parseMoney(feeText) : null);
      deck.first.push(first);
      deck.next.push(next);
      deck.timeClass.push(tc);
      deck.effectiveFrom.push(at as number);
      if ((at as number) < deck.minEffectiveFrom) deck.minEffectiveFrom = at as number;
      deck.count++;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    throw badRequest(`The deck is not valid CSV${e.lines ? ` (line ${e.lines})` : ""}: ${e.message ?? "unreadable"}`, { csv: [e.message ?? "unreadable"] });
  }
  if (!col) throw badRequest("The deck is empty", { csv: ["no header row"] });
  if (!deck.count && !errorCount) throw badRequest("The deck has a header but no rows", { csv: ["no rows"] });
  return { deck, errors, errorCount };
}

// ── Preview ──

const iso = (ms: number) => new Date(ms).toISOString();

/** The earliest local midnight in the plan's zone at or after `ms`. */
function nextLocalMidnight(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms).split("-").map(Number);
  const [y, m, d] = parts as [number, number, number];
  const midnight = zonedTimeToEpochMs(timeZone, y, m, d);
  if (midnight >= ms) return midnight;
  const tomorrow = new Date(Date.UTC(y, m - 1, d + 1));
  return zonedTimeToEpochMs(timeZone, tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate());
}

async function stage(client: pg.PoolClient, tenantId: string, revisionId: string, deck: ParsedDeck) {
  const CHUNK = 100_000;
  for (let start = 0; start < deck.count; start += CHUNK) {
    const end = Math.min(deck.count, start + CHUNK);
    const seq = Array.from({ length: end - start }, (_, i) => start + i + 1);
    await client.query(
      `INSERT INTO rate_revision_rows (tenant_id, revision_id, seq, line, prefix, destination, rate_micros, connection_fee_micros,
                                       increment_first_s, increment_next_s, time_class, effective_from, change)
       SELECT $1::uuid, $2::uuid, u.*, 'new'
       FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::int[], $10::int[], $11::text[], $12::timestamptz[]) AS u`,
      [
        tenantId,
        revisionId,
        seq,
        deck.line.slice(start, end),
        deck.prefix.slice(start, end),
        deck.destination.slice(start, end),
        deck.rate.slice(start, end).map(String),
        deck.fee.slice(start, end).map((f) => (f === null ? null : String(f))),
        deck.first.slice(start, end),
        deck.next.slice(start, end),
        deck.timeClass.slice(start, end),
        deck.effectiveFrom.slice(start, end).map(iso),
      ],
    );
  }
}

/**
 * Parses, validates and stages a deck as a previewed revision with its diff. A deck with
 * bad rows (or, under the reject policy, increases with too little notice) is recorded
 * as a `rejected` revision listing them, with nothing staged; the caller answers 422.
 */
export async function previewImport(tx: TxDb, actor: Actor, planId: string, input: ImportInput): Promise<{ revision: RevisionDto; rejected: boolean }> {
  const plan = await getPlanRow(tx, { tenantId: actor.tenantId, id: planId, lock: true });
  const { deck, errors, errorCount } = await parseDeck(input, {
    timeZone: plan.timeZone,
    timeClassNames: plan.timeClasses.map((c) => c.name),
    incrementFirstS: plan.incrementFirstS,
    incrementNextS: plan.incrementNextS,
  });
  const id = newId();
  const base = { id, tenantId: actor.tenantId, planId, fileName: input.fileName, mode: input.mode, noticePolicy: input.noticePolicy, createdBy: actor.label };
  if (errorCount) return reject(tx, actor, { ...base, rowCount: deck.count + errorCount, errorCount, errors });

  await tx.insert(rateRevisions).values({ ...base, status: "previewed", rowCount: deck.count, effectiveFrom: new Date(deck.minEffectiveFrom) });
  const client = tx.$client;
  await stage(client, actor.tenantId, id, deck);

  // The diff: each row against the version of its prefix + time class live at its date.
  await client.query(
    `UPDATE rate_revision_rows s
     SET previous_rate_micros = p.rate,
         change = CASE WHEN s.rate_micros > p.rate THEN 'increase' WHEN s.rate_micros < p.rate THEN 'decrease' ELSE 'unchanged' END
     FROM (SELECT s2.seq,
                  (SELECT r.rate_micros_per_minute FROM rates r
                   WHERE r.tenant_id = $1 AND r.plan_id = $2 AND r.prefix = s2.prefix AND r.time_class IS NOT DISTINCT FROM s2.time_class
                     AND r.effective_from <= s2.effective_from AND (r.effective_to IS NULL OR r.effective_to > s2.effective_from)
                   ORDER BY r.effective_from DESC LIMIT 1) AS rate
           FROM rate_revision_rows s2 WHERE s2.revision_id = $3) p
     WHERE s.revision_id = $3 AND s.seq = p.seq AND p.rate IS NOT NULL`,
    [actor.tenantId, planId, id],
  );

  // Notice: an increase needs notice_days; too soon → rejected, or deferred to the earliest allowed local midnight.
  const now = Date.now();
  const cutoff = now + plan.noticeDays * DAY_MS;
  const earliest = nextLocalMidnight(cutoff, plan.timeZone);
  const late = await client.query<{ line: number; prefix: string; previous: string; rate: string; from: Date }>(
    `UPDATE rate_revision_rows SET notice_violation = true${input.noticePolicy === "defer" ? ", effective_from_adjusted = $3" : ""}
     WHERE revision_id = $1 AND change = 'increase' AND effective_from < $2
     RETURNING line, prefix, previous_rate_micros::text AS previous, rate_micros::text AS rate, effective_from AS from`,
    input.noticePolicy === "defer" ? [id, iso(cutoff), iso(earliest)] : [id, iso(cutoff)],
  );
  if (late.rowCount && input.noticePolicy === "reject") {
    const noticeErrors = late.rows
      .sort((a, b) => a.line - b.line)
      .slice(0, MAX_KEPT_ERRORS)
      .map((r) => ({ line: r.line, reason: `increase for ${r.prefix} effective ${r.from.toISOString()} has less than the plan's ${plan.noticeDays} days' notice (earliest ${iso(earliest)})` }));
    await client.query("DELETE FROM rate_revision_rows WHERE revision_id = $1", [id]);
    await tx.delete(rateRevisions).where(and(eq(rateRevisions.tenantId, actor.tenantId), eq(rateRevisions.id, id)));
    return reject(tx, actor, { ...base, rowCount: deck.count, errorCount: late.rowCount, errors: noticeErrors, noticeViolationCount: late.rowCount });
  }

  // Full mode: every code live at the deck's date and absent from the deck is closed then.
  if (input.mode === "full") {
    await client.query(
      `INSERT INTO rate_revision_rows (tenant_id, revision_id, seq, line, prefix, destination, rate_micros, time_class, effective_from, change, previous_rate_micros)
       SELECT $1, $2, $4::int + row_number() OVER (ORDER BY r.prefix, r.time_class), NULL, r.prefix, r.destination, NULL, r.time_class, $5, 'closed', r.rate_micros_per_minute
       FROM (SELECT DISTINCT ON (prefix, time_class) prefix, destination, time_class, rate_micros_per_minute
             FROM rates WHERE tenant_id = $1 AND plan_id = $3 AND effective_from <= $5 AND (effective_to IS NULL OR effective_to > $5)
             ORDER BY prefix, time_class, effective_from DESC) r
       WHERE NOT EXISTS (SELECT 1 FROM rate_revision_rows s WHERE s.revision_id = $2 AND s.prefix = r.prefix)`,
      [actor.tenantId, id, planId, deck.count, iso(deck.minEffectiveFrom)],
    );
  }

  const counts = await client.query<{ change: string; n: number }>(
    "SELECT change, count(*)::int AS n FROM rate_revision_rows WHERE revision_id = $1 GROUP BY change",
    [id],
  );
  const n = (c: string) => counts.rows.find((r) => r.change === c)?.n ?? 0;
  const [row] = await tx
    .update(rateRevisions)
    .set({ newCount: n("new"), increaseCount: n("increase"), decreaseCount: n("decrease"), unchangedCount: n("unchanged"), closedCount: n("closed"), noticeViolationCount: late.rowCount ?? 0 })
    .where(and(eq(rateRevisions.tenantId, actor.tenantId), eq(rateRevisions.id, id)))
    .returning();
  const revision = revisionToDto(row!);
  await recordAudit(tx, actor, { action: "rating_revision.preview", entityType: "rating_revision", entityId: id, after: summary(revision, plan) });
  return { revision, rejected: false };
}

function summary(r: RevisionDto, plan: PlanRow) {
  const { errors: _e, ...rest } = r;
  return { ...rest, planName: plan.name };
}

async function reject(
  tx: TxDb,
  actor: Actor,
  values: Omit<typeof rateRevisions.$inferInsert, "status">,
): Promise<{ revision: RevisionDto; rejected: true }> {
  const [row] = await tx.insert(rateRevisions).values({ ...values, status: "rejected" }).returning();
  const revision = revisionToDto(row!);
  const { errors: _e, ...after } = revision;
  await recordAudit(tx, actor, { action: "rating_revision.reject", entityType: "rating_revision", entityId: row!.id, after });
  return { revision, rejected: true };
}

/** The 422 a rejected deck is answered with: every kept bad line as a field. */
export function deckRejected(r: RevisionDto): AppError {
  const fields: Record<string, string[]> = {};
  for (const e of r.errors) (fields[`line ${e.line}`] ??= []).push(e.reason);
  const more = r.errorCount > r.errors.length ? ` (the first ${r.errors.length} are listed)` : "";
  return new AppError(422, "deck_rejected", `The deck was rejected: ${r.errorCount} bad row${r.errorCount === 1 ? "" : "s"}${more}; nothing was imported (revision ${r.id})`, fields);
}

// ── Reading revisions ──

export async function getRevisionRow(db: Db, params: { tenantId: string; id: string; lock?: boolean }): Promise<RevisionRow> {
  const q = db.select().from(rateRevisions).where(and(eq(rateRevisions.tenantId, params.tenantId), eq(rateRevisions.id, params.id)));
  const [row] = params.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Rate revision");
  // A revision of a deleted plan goes with it.
  await getPlanRow(db, { tenantId: params.tenantId, id: row.planId });
  return row;
}

export async function listRevisions(db: Db, params: { tenantId: string; planId: string; page: number; pageSize: number }): Promise<Page<RevisionDto>> {
  await getPlanRow(db, { tenantId: params.tenantId, id: params.planId });
  const where = and(eq(rateRevisions.tenantId, params.tenantId), eq(rateRevisions.planId, params.planId));
  const rows = await db.select().from(rateRevisions).where(where).orderBy(desc(rateRevisions.createdAt), desc(rateRevisions.id)).limit(params.pageSize).offset(offsetOf(params));
  const [total] = await db.select({ n: count() }).from(rateRevisions).where(where);
  return { rows: rows.map(revisionToDto), total: total?.n ?? 0, page: params.page, pageSize: params.pageSize };
}

export async function listDiffRows(db: Db, params: { tenantId: string; revisionId: string; page: number; pageSize: number; change?: (typeof CHANGE_KINDS)[number] }) {
  const f: SQL[] = [eq(rateRevisionRows.tenantId, params.tenantId), eq(rateRevisionRows.revisionId, params.revisionId)];
  if (params.change) f.push(eq(rateRevisionRows.change, params.change));
  const where = and(...f);
  const rows = await db.select().from(rateRevisionRows).where(where).orderBy(asc(rateRevisionRows.seq)).limit(params.pageSize).offset(offsetOf(params));
  const [total] = await db.select({ n: count() }).from(rateRevisionRows).where(where);
  return {
    rows: rows.map((r) => ({
      line: r.line,
      prefix: r.prefix,
      destination: r.destination,
      change: r.change as (typeof CHANGE_KINDS)[number],
      rate: r.rateMicros,
      previousRate: r.previousRateMicros,
      connectionFee: r.connectionFeeMicros,
      incrementFirstS: r.incrementFirstS,
      incrementNextS: r.incrementNextS,
      timeClass: r.timeClass,
      effectiveFrom: r.effectiveFrom,
      effectiveFromAdjusted: r.effectiveFromAdjusted,
      noticeViolation: r.noticeViolation,
    })),
    total: total?.n ?? 0,
    page: params.page,
    pageSize: params.pageSize,
  };
}

// ── Apply ──

/** Marks a previewed revision `applying` and enqueues its job, in the caller's transaction. */
export async function requestApply(tx: TxDb, actor: Actor, jobs: JobQueue, revisionId: string): Promise<{ jobId: string; revision: RevisionDto }> {
  const row = await getRevisionRow(tx, { tenantId: actor.tenantId, id: revisionId, lock: true });
  if (row.status !== "previewed") throw conflict(`The revision is ${row.status}; only a previewed revision can be applied`);
  const jobId = await jobs.enqueue(tx, APPLY_REVISION_QUEUE, { tenantId: actor.tenantId, revisionId, requestedBy: actor.label });
  const [updated] = await tx
    .update(rateRevisions)
    .set({ status: "applying", jobId })
    .where(and(eq(rateRevisions.tenantId, actor.tenantId), eq(rateRevisions.id, revisionId)))
    .returning();
  await recordAudit(tx, actor, { action: "rating_revision.apply_requested", entityType: "rating_revision", entityId: revisionId, before: { status: row.status }, after: { status: "applying", jobId } });
  return { jobId, revision: revisionToDto(updated!) };
}

const EFF = "coalesce(s.effective_from_adjusted, s.effective_from)";

/**
 * Job: writes a revision's staged rows into `rates` in one transaction. A deck row
 * replaces a version of its prefix + time class starting at the same instant, closes the
 * versions open at its date (effective_to = its date), and runs until the next later
 * version (if any); full-mode closed codes get effective_to = the deck's date.
 */
export async function applyRevision(pool: pg.Pool, data: JobData & { revisionId?: string; requestedBy?: string }, ctx: JobContext) {
  if (!data.tenantId || !data.revisionId) throw new Error(`${APPLY_REVISION_QUEUE} needs tenantId and revisionId`);
  const { tenantId, revisionId } = data;
  const actor = systemActor(tenantId, `${APPLY_REVISION_QUEUE}${data.requestedBy ? ` for ${data.requestedBy}` : ""}`);
  let planId = "";
  try {
    const result = await inTransaction(pool, async (tx) => {
      const [rev] = await tx.select().from(rateRevisions).where(and(eq(rateRevisions.tenantId, tenantId), eq(rateRevisions.id, revisionId))).for("update");
      if (!rev) throw new Error(`revision ${revisionId} not found`);
      if (rev.status !== "applying") return { skipped: rev.status };
      planId = rev.planId;
      await getPlanRow(tx, { tenantId, id: rev.planId, lock: true });
      const client = tx.$client;
      const args = [tenantId, rev.planId, revisionId];
      await ctx.progress(10, "replacing versions that start at the same instant");
      const replaced = await client.query(
        `DELETE FROM rates r USING rate_revision_rows s
         WHERE s.revision_id = $3 AND s.change <> 'closed' AND r.tenant_id = $1 AND r.plan_id = $2
           AND r.prefix = s.prefix AND r.time_class IS NOT DISTINCT FROM s.time_class AND r.effective_from = ${EFF}`,
        args,
      );
      await ctx.progress(25, "closing superseded rates");
      const closed = await client.query(
        `UPDATE rates r SET effective_to = x.eff
         FROM (SELECT r2.id, min(${EFF}) AS eff
               FROM rates r2 JOIN rate_revision_rows s ON s.revision_id = $3 AND s.prefix = r2.prefix AND s.time_class IS NOT DISTINCT FROM r2.time_class AND ${EFF} > r2.effective_from
               WHERE r2.tenant_id = $1 AND r2.plan_id = $2
               GROUP BY r2.id) x
         WHERE r.id = x.id AND (r.effective_to IS NULL OR r.effective_to > x.eff)`,
        args,
      );
      await ctx.progress(50, "inserting rates");
      const [{ n }] = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM rate_revision_rows WHERE revision_id = $1 AND change <> 'closed'", [revisionId])).rows as [{ n: number }];
      const ids = Array.from({ length: n }, () => newId());
      const inserted = await client.query(
        `WITH s AS (
           SELECT s.*, ${EFF} AS eff, row_number() OVER (ORDER BY s.seq) AS rn,
                  lead(${EFF}) OVER (PARTITION BY s.prefix, s.time_class ORDER BY ${EFF}) AS next_in_deck
           FROM rate_revision_rows s WHERE s.revision_id = $3 AND s.change <> 'closed')
         INSERT INTO rates (id, tenant_id, plan_id, prefix, destination, rate_micros_per_minute, connection_fee_micros,
                            increment_first_s, increment_next_s, time_class, effective_from, effective_to, revision_id)
         SELECT ($4::uuid[])[s.rn], $1, $2, s.prefix, s.destination, s.rate_micros, s.connection_fee_micros,
                s.increment_first_s, s.increment_next_s, s.time_class, s.eff,
                LEAST(s.next_in_deck,
                      (SELECT min(r.effective_from) FROM rates r
                       WHERE r.tenant_id = $1 AND r.plan_id = $2 AND r.prefix = s.prefix AND r.time_class IS NOT DISTINCT FROM s.time_class AND r.effective_from > s.eff)),
                $3
         FROM s`,
        [...args, ids],
      );
      await ctx.progress(90, "recording");
      const now = new Date();
      await tx.update(rateRevisions).set({ status: "applied", appliedAt: now, failureMessage: null }).where(and(eq(rateRevisions.tenantId, tenantId), eq(rateRevisions.id, revisionId)));
      await client.query("UPDATE rating_plans SET updated_at = $3 WHERE tenant_id = $1 AND id = $2", [tenantId, rev.planId, now]);
      const outcome = { inserted: inserted.rowCount ?? 0, replaced: replaced.rowCount ?? 0, closed: closed.rowCount ?? 0 };
      await recordAudit(tx, actor, { action: "rating_revision.apply", entityType: "rating_revision", entityId: revisionId, before: { status: "applying" }, after: { status: "applied", planId: rev.planId, ...outcome } });
      return outcome;
    });
    if (planId) refreshCompiledPlan(createDb(pool), { tenantId, planId });
    await ctx.progress(100, "applied");
    return result;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    await inTransaction(pool, async (tx) => {
      const updated = await tx
        .update(rateRevisions)
        .set({ status: "failed", failureMessage: message.slice(0, 1000) })
        .where(and(eq(rateRevisions.tenantId, tenantId), eq(rateRevisions.id, revisionId), eq(rateRevisions.status, "applying")))
        .returning({ id: rateRevisions.id });
      if (updated.length) await recordAudit(tx, actor, { action: "rating_revision.fail", entityType: "rating_revision", entityId: revisionId, before: { status: "applying" }, after: { status: "failed", failureMessage: message } });
    }).catch(() => {});
    throw err;
  }
}
