import { finished } from "node:stream/promises";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Db, TxDb } from "../platform/db/client.js";
import { createDb, inTransaction } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { AppError, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import type { JobContext, JobData, JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, systemActor, type Actor } from "../audit/audit.js";
import { zonedTimeToEpochMs } from "./engine/index.js";
import { getPlanRow, type PlanRow } from "./plans.js";
import { refreshCompiledPlan } from "./compiled.js";
import { MAX_KEPT_ERRORS, readDeck, type DeckSink, type DeckSource, type DeckSummary } from "./deck.js";
import { rateRevisionRows, rateRevisions } from "./schema.js";
import { CHANGE_KINDS, type ImportOptions } from "./model.js";

/**
 * Deck import: a CSV of rates, streamed → a previewed revision (rows staged with their
 * diff against what is live) → applied by the `rating.apply-revision` job. All or
 * nothing: one bad row rejects the whole deck and nothing is staged or applied.
 */
export const APPLY_REVISION_QUEUE = "rating.apply-revision";
const DAY_MS = 86_400_000;

type RevisionRow = typeof rateRevisions.$inferSelect;
export function revisionToDto(row: RevisionRow) {
  const { tenantId: _t, mode, noticePolicy, status, ...rest } = row;
  return {
    ...rest,
    mode: mode as ImportOptions["mode"],
    noticePolicy: noticePolicy as ImportOptions["noticePolicy"],
    status: status as "previewed" | "applying" | "applied" | "failed" | "rejected",
  };
}
export type RevisionDto = ReturnType<typeof revisionToDto>;

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

/** Hash joins and sorts over a whole deck stay in memory (the default 4 MB would spill to disk). */
const BULK_WORK_MEM = "SET LOCAL work_mem = '128MB'";
/** Same prefix and time class (null = all classes; a class name is never empty). */
const SAME_KEY = (a: string, b: string) => `${a}.prefix = ${b}.prefix AND coalesce(${a}.time_class, '') = coalesce(${b}.time_class, '')`;
/** The change a deck rate `s` makes to the live rate `p` (null: nothing live). */
const CHANGE = (s: string, p: string) => `CASE WHEN ${p} IS NULL THEN 'new' WHEN ${s} > ${p} THEN 'increase' WHEN ${s} < ${p} THEN 'decrease' ELSE 'unchanged' END`;

/** COPY text format: a backslash, tab, newline or carriage return in a value is escaped. */
const copyText = (v: string) => (/[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v);
const copyOrNull = (v: string | number | bigint | null) => (v === null ? "\\N" : String(v));

/** Rows per staged batch: big enough for set-based SQL, small enough that the last one (not overlapped) is quick. */
const STAGE_BATCH_ROWS = 25_000;
const STAGE_BATCH_BYTES = 4 * 1024 * 1024;
const STAGE_COLUMNS = "seq, line, prefix, destination, rate_micros, connection_fee_micros, increment_first_s, increment_next_s, time_class, effective_from_ms";

export const importTuning = {
  /** Above this many rate versions in the plan, the deck is diffed in one join once it is all in (see batchStager). */
  oneJoinAbove: 100_000,
};

interface Staging {
  tenantId: string;
  revisionId: string;
  planId: string;
  /** Increases effective before this (ISO) have too little notice. */
  cutoff: string;
  /** Diff each batch as it comes (a small plan), or the whole deck at the end (a big one). */
  perBatch: boolean;
}

/**
 * Inserts the rows of `rating_deck_batch` into rate_revision_rows with their diff against
 * the version of their prefix + time class live at their date, and the notice flag; counts
 * the changes. The live version is found per row by a probe of the (plan, prefix,
 * effective_from) index (`lateral`), or by a join the planner may hash (versions never overlap).
 */
function stageDiff(live: "lateral" | "join") {
  const from =
    live === "lateral"
      ? `s LEFT JOIN LATERAL (
           SELECT r.rate_micros_per_minute FROM rates r
           WHERE r.plan_id = $3 AND r.prefix = s.prefix AND r.effective_from <= s.eff AND r.tenant_id = $1
             AND coalesce(r.time_class, '') = coalesce(s.time_class, '') AND (r.effective_to IS NULL OR r.effective_to > s.eff)
           ORDER BY r.effective_from DESC LIMIT 1) p ON true`
      : `s LEFT JOIN rates p ON p.plan_id = $3 AND p.tenant_id = $1 AND ${SAME_KEY("p", "s")}
                               AND p.effective_from <= s.eff AND (p.effective_to IS NULL OR p.effective_to > s.eff)`;
  return `WITH s AS (SELECT d.*, timestamptz 'epoch' + d.effective_from_ms * interval '1 millisecond' AS eff FROM rating_deck_batch d),
    ins AS (
      INSERT INTO rate_revision_rows (tenant_id, revision_id, seq, line, prefix, destination, rate_micros, connection_fee_micros,
                                      increment_first_s, increment_next_s, time_class, effective_from, change, previous_rate_micros, notice_violation)
      SELECT $1, $2, s.seq, s.line, s.prefix, s.destination, s.rate_micros, s.connection_fee_micros, s.increment_first_s, s.increment_next_s, s.time_class, s.eff,
             ${CHANGE("s.rate_micros", "p.rate_micros_per_minute")}, p.rate_micros_per_minute,
             coalesce(s.rate_micros > p.rate_micros_per_minute AND s.eff < $4, false)
      FROM ${from}
      RETURNING change, notice_violation)
    SELECT change, count(*)::int AS n, (count(*) FILTER (WHERE notice_violation))::int AS late FROM ins GROUP BY change`;
}

/**
 * The sink of a preview: valid rows are copied in batches into the `rating_deck_batch`
 * temp table (`COPY … FROM STDIN`) while the reader parses on (one batch in flight:
 * PostgreSQL stores batch n while batch n+1 is parsed). Into a small plan each batch is
 * diffed and staged at once, by index probes (work that overlaps the parsing); into a big
 * plan, probes cost more than one hash join over the plan, so the whole deck is diffed at
 * the end (hashing the plan for every batch would cost more still).
 */
function batchStager(client: pg.PoolClient, at: Staging) {
  // The batch's COPY text is written into a Buffer (outside the JS heap): kept as strings
  // until sent, 25 000 rows would survive into the old generation and cost a major GC each.
  let text = Buffer.allocUnsafe(STAGE_BATCH_BYTES);
  let length = 0;
  let rows = 0;
  let seq = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const counts = new Map<string, number>();
  let late = 0;

  const stage = async (batch: Buffer) => {
    const copy = client.query(copyFrom(`COPY rating_deck_batch (${STAGE_COLUMNS}) FROM STDIN`));
    copy.end(batch);
    await finished(copy);
    if (at.perBatch) await diff("lateral");
  };
  const diff = async (live: "lateral" | "join") => {
    const r = await client.query<{ change: string; n: number; late: number }>(stageDiff(live), [at.tenantId, at.revisionId, at.planId, at.cutoff]);
    await client.query("TRUNCATE rating_deck_batch");
    for (const c of r.rows) {
      counts.set(c.change, (counts.get(c.change) ?? 0) + c.n);
      late += c.late;
    }
  };
  const flush = async () => {
    await inFlight;
    if (failure) throw failure;
    if (!rows) return;
    const batch = text.subarray(0, length);
    text = Buffer.allocUnsafe(STAGE_BATCH_BYTES);
    length = 0;
    rows = 0;
    inFlight = stage(batch).catch((err: unknown) => void (failure ??= err));
  };
  const sink: DeckSink = {
    row(r) {
      const line = `${++seq}\t${r.line}\t${r.prefix}\t${copyText(r.destination)}\t${r.rateMicros}\t${copyOrNull(r.connectionFeeMicros)}\t${copyOrNull(r.incrementFirstS)}\t${copyOrNull(r.incrementNextS)}\t${r.timeClass === null ? "\\N" : copyText(r.timeClass)}\t${r.effectiveFromMs}\n`;
      // A UTF-8 byte per UTF-16 unit, up to three: grow (rarely) before writing.
      if (length + line.length * 3 > text.length) text = Buffer.concat([text.subarray(0, length), Buffer.allocUnsafe(Math.max(text.length, line.length * 3))]);
      length += text.write(line, length);
      rows++;
    },
    drain: () => (rows >= STAGE_BATCH_ROWS ? flush() : Promise.resolve()),
  };
  return {
    sink,
    /** Stages what is left; resolves with the diff's counts once every row is in. */
    finish: async () => {
      await flush();
      await inFlight;
      if (failure) throw failure;
      if (!at.perBatch) {
        await client.query("ANALYZE rating_deck_batch");
        await diff("join");
      }
      return { counts, late };
    },
    /** Lets the batch in flight end (its rows go with the savepoint). */
    settle: () => inFlight,
  };
}

/**
 * Streams, validates and stages a deck as a previewed revision with its diff. A deck with
 * bad rows (or, under the reject policy, increases with too little notice) is recorded
 * as a `rejected` revision listing them, with nothing staged; the caller answers 422.
 */
export async function previewImport(
  tx: TxDb,
  actor: Actor,
  planId: string,
  input: ImportOptions,
  source: DeckSource,
): Promise<{ revision: RevisionDto; rejected: boolean }> {
  const plan = await getPlanRow(tx, { tenantId: actor.tenantId, id: planId, lock: true });
  const client = tx.$client;
  const id = newId();
  const cutoff = Date.now() + plan.noticeDays * DAY_MS;
  const earliest = nextLocalMidnight(cutoff, plan.timeZone);
  await client.query(BULK_WORK_MEM);
  await client.query(
    `CREATE TEMP TABLE rating_deck_batch (seq int NOT NULL, line int NOT NULL, prefix text NOT NULL, destination text NOT NULL, rate_micros bigint NOT NULL,
       connection_fee_micros bigint, increment_first_s int, increment_next_s int, time_class text, effective_from_ms bigint NOT NULL) ON COMMIT DROP`,
  );
  // A rejected deck leaves nothing staged: back to here.
  await client.query("SAVEPOINT staged");
  const big = importTuning.oneJoinAbove;
  const { rows: size } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM (SELECT FROM rates WHERE plan_id = $1 LIMIT $2) r", [planId, big + 1]);
  const stager = batchStager(client, { tenantId: actor.tenantId, revisionId: id, planId, cutoff: iso(cutoff), perBatch: size[0]!.n <= big });
  let deck: DeckSummary;
  try {
    deck = await readDeck(source, input, { timeZone: plan.timeZone, timeClassNames: plan.timeClasses.map((c) => c.name), incrementFirstS: plan.incrementFirstS, incrementNextS: plan.incrementNextS }, stager.sink);
  } catch (err) {
    await stager.settle();
    throw err;
  }
  const base = { id, tenantId: actor.tenantId, planId, fileName: input.fileName, mode: input.mode, noticePolicy: input.noticePolicy, createdBy: actor.label };
  const rejectDeck = async (values: Omit<typeof rateRevisions.$inferInsert, "status" | keyof typeof base>) => {
    await stager.settle();
    await client.query("ROLLBACK TO SAVEPOINT staged");
    return reject(tx, actor, { ...base, ...values });
  };
  if (deck.errorCount) return rejectDeck({ rowCount: deck.rowCount + deck.errorCount, errorCount: deck.errorCount, errors: deck.errors });
  const { counts, late } = await stager.finish();

  if (late && input.noticePolicy === "reject") {
    const rows = await client.query<{ line: number; prefix: string; from: Date }>(
      "SELECT line, prefix, effective_from AS from FROM rate_revision_rows WHERE revision_id = $1 AND notice_violation ORDER BY seq LIMIT $2",
      [id, MAX_KEPT_ERRORS],
    );
    const errors = rows.rows.map((r) => ({ line: r.line, reason: `increase for ${r.prefix} effective ${r.from.toISOString()} has less than the plan's ${plan.noticeDays} days' notice (earliest ${iso(earliest)})` }));
    return rejectDeck({ rowCount: deck.rowCount, errorCount: late, errors, noticeViolationCount: late });
  }
  if (late) {
    // Deferred to the earliest allowed date, where a later row of the deck for the same code must not start first.
    // (The rows just staged have no statistics yet: a nested loop over them could go quadratic.)
    await client.query("SET LOCAL enable_nestloop = off");
    const clash = await client.query<{ line: number; prefix: string; other: number; from: Date }>(
      `SELECT a.line, a.prefix, b.line AS other, b.effective_from AS from
       FROM rate_revision_rows a JOIN rate_revision_rows b ON b.revision_id = $1 AND ${SAME_KEY("b", "a")} AND b.seq <> a.seq AND b.effective_from > a.effective_from AND b.effective_from <= $2
       WHERE a.revision_id = $1 AND a.notice_violation ORDER BY a.seq, b.seq LIMIT $3`,
      [id, iso(earliest), MAX_KEPT_ERRORS],
    );
    await client.query("SET LOCAL enable_nestloop = on");
    if (clash.rowCount) {
      const errors = clash.rows.map((r) => ({
        line: r.line,
        reason: `increase for ${r.prefix} deferred to ${iso(earliest)} (notice) would start after line ${r.other}'s rate effective ${r.from.toISOString()}; date it ${iso(earliest)} or later`,
      }));
      return rejectDeck({ rowCount: deck.rowCount, errorCount: errors.length, errors, noticeViolationCount: late });
    }
    // …and compared again with what is live then: it may no longer be an increase.
    const moved = await client.query<{ change: string }>(
      `UPDATE rate_revision_rows s SET effective_from_adjusted = $4, previous_rate_micros = p.rate, change = ${CHANGE("s.rate_micros", "p.rate")}
       FROM (SELECT a.seq, r.rate_micros_per_minute AS rate
             FROM rate_revision_rows a
             LEFT JOIN rates r ON r.tenant_id = $1 AND r.plan_id = $3 AND ${SAME_KEY("r", "a")} AND r.effective_from <= $4 AND (r.effective_to IS NULL OR r.effective_to > $4)
             WHERE a.revision_id = $2 AND a.notice_violation) p
       WHERE s.revision_id = $2 AND s.seq = p.seq
       RETURNING s.change`,
      [actor.tenantId, id, planId, iso(earliest)],
    );
    counts.set("increase", (counts.get("increase") ?? 0) - late);
    for (const r of moved.rows) counts.set(r.change, (counts.get(r.change) ?? 0) + 1);
  }

  // Full mode: every version of a code absent from the deck that is live at the deck's date ends then; one that starts later is cancelled.
  if (input.mode === "full") {
    const closed = await client.query(
      `INSERT INTO rate_revision_rows (tenant_id, revision_id, seq, line, prefix, destination, rate_micros, time_class, effective_from, change, previous_rate_micros)
       SELECT $1, $2, $4::int + row_number() OVER (ORDER BY r.prefix, r.time_class NULLS FIRST, r.effective_from), NULL, r.prefix, r.destination, NULL, r.time_class,
              greatest(r.effective_from, $5), 'closed', r.rate_micros_per_minute
       FROM rates r
       WHERE r.tenant_id = $1 AND r.plan_id = $3 AND (r.effective_to IS NULL OR r.effective_to > $5)
         AND r.prefix NOT IN (SELECT prefix FROM rate_revision_rows WHERE revision_id = $2)`,
      [actor.tenantId, id, planId, deck.rowCount, iso(deck.minEffectiveFromMs)],
    );
    counts.set("closed", closed.rowCount ?? 0);
  }

  const n = (c: string) => counts.get(c) ?? 0;
  // created_at is on the database's clock, like the plan's updated_at: the staleness check compares them.
  const [row] = await tx
    .insert(rateRevisions)
    .values({
      ...base,
      status: "previewed",
      rowCount: deck.rowCount,
      effectiveFrom: new Date(deck.minEffectiveFromMs),
      newCount: n("new"),
      increaseCount: n("increase"),
      decreaseCount: n("decrease"),
      unchangedCount: n("unchanged"),
      closedCount: n("closed"),
      noticeViolationCount: late,
      createdAt: sql`clock_timestamp()`,
    })
    .returning();
  await client.query("RELEASE SAVEPOINT staged");
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

/** A revision's diff rows in deck order; `change` and `notice` (increases with too little notice) filter them. */
export async function listDiffRows(db: Db, params: { tenantId: string; revisionId: string; page: number; pageSize: number; change?: (typeof CHANGE_KINDS)[number]; notice?: boolean }) {
  const f: SQL[] = [eq(rateRevisionRows.tenantId, params.tenantId), eq(rateRevisionRows.revisionId, params.revisionId)];
  if (params.change) f.push(eq(rateRevisionRows.change, params.change));
  if (params.notice !== undefined) f.push(eq(rateRevisionRows.noticeViolation, params.notice));
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

/** A preview is a diff against the plan as it was: once the plan changed (an edit, another revision applied), it is stale. */
function assertFresh(rev: RevisionRow, plan: PlanRow) {
  if (plan.updatedAt > rev.createdAt) throw conflict("The plan changed after this deck was previewed (a revision was applied or the plan edited); import the deck again to preview it against the current rates");
}

/** Marks a previewed revision `applying` and enqueues its job, in the caller's transaction. */
export async function requestApply(tx: TxDb, actor: Actor, jobs: JobQueue, revisionId: string): Promise<{ jobId: string; revision: RevisionDto }> {
  const row = await getRevisionRow(tx, { tenantId: actor.tenantId, id: revisionId, lock: true });
  if (row.status !== "previewed") throw conflict(`The revision is ${row.status}; only a previewed revision can be applied`);
  assertFresh(row, await getPlanRow(tx, { tenantId: actor.tenantId, id: row.planId, lock: true }));
  const jobId = await jobs.enqueue(tx, APPLY_REVISION_QUEUE, { tenantId: actor.tenantId, revisionId, requestedBy: actor.label });
  const [updated] = await tx
    .update(rateRevisions)
    .set({ status: "applying", jobId })
    .where(and(eq(rateRevisions.tenantId, actor.tenantId), eq(rateRevisions.id, revisionId)))
    .returning();
  await recordAudit(tx, actor, { action: "rating_revision.apply_requested", entityType: "rating_revision", entityId: revisionId, before: { status: row.status }, after: { status: "applying", jobId } });
  return { jobId, revision: revisionToDto(updated!) };
}

/**
 * The revision's deck rows (`revision`: its parameter) sorted by code and date, with each
 * row's neighbours in the deck (same prefix and class) and its rank in that order.
 */
const deckInOrder = (revision: string) => `
  SELECT s.*, lag(s.eff) OVER w AS prev_in_deck, lead(s.eff) OVER w AS next_in_deck, row_number() OVER (ORDER BY s.prefix, s.tc, s.eff) AS rn
  FROM (SELECT s.seq, s.prefix, s.time_class, coalesce(s.time_class, '') AS tc, s.destination, s.rate_micros, s.connection_fee_micros, s.increment_first_s, s.increment_next_s,
               coalesce(s.effective_from_adjusted, s.effective_from) AS eff
        FROM rate_revision_rows s WHERE s.revision_id = ${revision} AND s.change <> 'closed') s
  WINDOW w AS (PARTITION BY s.prefix, s.tc ORDER BY s.eff)
  ORDER BY rn`;
const SAME_APPLY_KEY = "r.prefix = s.prefix AND coalesce(r.time_class, '') = s.tc";
/**
 * Inserts the deck rows of `from` (as `s`, in its order: (prefix, class, date), which
 * suits the index), each running until `to`. Ids are the revision's id with the row's
 * rank in its last 48 bits: unique (one revision, applied once) and increasing.
 */
const insertRates = (from: string, to: string) => `
  INSERT INTO rates (id, tenant_id, plan_id, prefix, destination, rate_micros_per_minute, connection_fee_micros,
                     increment_first_s, increment_next_s, time_class, effective_from, effective_to, revision_id)
  SELECT (left($3::text, 24) || lpad(to_hex(s.rn), 12, '0'))::uuid, $1, $2, s.prefix, s.destination, s.rate_micros, s.connection_fee_micros,
         s.increment_first_s, s.increment_next_s, s.time_class, s.eff, ${to}, $3::uuid
  FROM ${from}`;

/**
 * Job: writes a revision's staged rows into `rates` in one transaction, each step one
 * set-based statement. A deck row replaces a version of its prefix + time class starting
 * at the same instant, ends the versions open at its date (effective_to = its date), and
 * runs until the next later version (if any). Full mode: versions of absent codes live at
 * the deck's date end then; those starting at or after it are cancelled (deleted).
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
      assertFresh(rev, await getPlanRow(tx, { tenantId, id: rev.planId, lock: true }));
      const client = tx.$client;
      await client.query(BULK_WORK_MEM);
      let cancelled = 0;
      let ended = 0;
      if (rev.closedCount) {
        await ctx.progress(5, "closing codes absent from the deck");
        const closed = `SELECT DISTINCT prefix, coalesce(time_class, '') AS tc FROM rate_revision_rows WHERE revision_id = $3 AND change = 'closed'`;
        const dropped = await client.query(
          `DELETE FROM rates r USING (${closed}) s
           WHERE r.tenant_id = $1 AND r.plan_id = $2 AND ${SAME_APPLY_KEY} AND r.effective_from >= $4`,
          [tenantId, rev.planId, revisionId, rev.effectiveFrom],
        );
        const cut = await client.query(
          `UPDATE rates r SET effective_to = $4 FROM (${closed}) s
           WHERE r.tenant_id = $1 AND r.plan_id = $2 AND ${SAME_APPLY_KEY} AND r.effective_from < $4 AND (r.effective_to IS NULL OR r.effective_to > $4)`,
          [tenantId, rev.planId, revisionId, rev.effectiveFrom],
        );
        cancelled = dropped.rowCount ?? 0;
        ended = cut.rowCount ?? 0;
      }
      let replaced = 0;
      let superseded = 0;
      let inserted = 0;
      const { rows: plan } = await client.query<{ empty: boolean }>("SELECT NOT EXISTS (SELECT FROM rates WHERE plan_id = $1) AS empty", [rev.planId]);
      if (plan[0]!.empty) {
        // A plan's first deck: nothing to replace or end, no version after any row: straight in.
        await ctx.progress(25, "inserting rates");
        inserted = (await client.query(insertRates(`(${deckInOrder("$3")}) s`, "s.next_in_deck"), [tenantId, rev.planId, revisionId])).rowCount ?? 0;
      } else {
        // Read once into a temp table with statistics: the staged rows have none yet, and a nested loop over them goes quadratic.
        await ctx.progress(15, "reading the deck");
        await client.query(`CREATE TEMP TABLE rating_apply ON COMMIT DROP AS ${deckInOrder("$1")}`, [revisionId]);
        await client.query("ANALYZE rating_apply");
        const inPlan = [tenantId, rev.planId];
        await ctx.progress(25, "replacing versions that start at the same instant");
        replaced = (await client.query(`DELETE FROM rates r USING rating_apply s WHERE r.tenant_id = $1 AND r.plan_id = $2 AND ${SAME_APPLY_KEY} AND r.effective_from = s.eff`, inPlan)).rowCount ?? 0;
        await ctx.progress(35, "ending superseded rates");
        // A version ends at the first deck date after its start: the deck row whose previous row (if any) is not after the start.
        const ended = await client.query(
          `UPDATE rates r SET effective_to = s.eff FROM rating_apply s
           WHERE r.tenant_id = $1 AND r.plan_id = $2 AND ${SAME_APPLY_KEY} AND r.effective_from < s.eff AND (s.prev_in_deck IS NULL OR r.effective_from >= s.prev_in_deck)
             AND (r.effective_to IS NULL OR r.effective_to > s.eff)`,
          inPlan,
        );
        superseded = ended.rowCount ?? 0;
        await ctx.progress(55, "inserting rates");
        // Each runs to the next version of its code: in the deck or already in the plan.
        const later = `rating_apply s LEFT JOIN (
           SELECT s.seq, min(r.effective_from) AS next_from
           FROM rating_apply s JOIN rates r ON r.tenant_id = $1 AND r.plan_id = $2 AND ${SAME_APPLY_KEY} AND r.effective_from > s.eff
           GROUP BY s.seq) later ON later.seq = s.seq`;
        inserted = (await client.query(insertRates(later, "LEAST(s.next_in_deck, later.next_from)"), [tenantId, rev.planId, revisionId])).rowCount ?? 0;
      }
      await ctx.progress(90, "recording");
      await tx.update(rateRevisions).set({ status: "applied", appliedAt: sql`clock_timestamp()`, failureMessage: null }).where(and(eq(rateRevisions.tenantId, tenantId), eq(rateRevisions.id, revisionId)));
      await client.query("UPDATE rating_plans SET updated_at = clock_timestamp() WHERE tenant_id = $1 AND id = $2", [tenantId, rev.planId]);
      const outcome = { inserted, replaced, superseded, closed: ended, cancelled };
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
