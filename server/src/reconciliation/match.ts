import { finished } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type pg from "pg";
import { inTransaction, type TxDb } from "../platform/db/client.js";
import type { JobContext, JobData } from "../platform/jobs/boss.js";
import { recordAudit, systemActor } from "../audit/audit.js";
import { formatMoney } from "../platform/money.js";
import { parseTheirRow, resolveColumns, type ColumnMapping } from "./engine/mapping.js";
import type { RowError } from "./schema.js";
import { advanceInvoice } from "./invoices.js";
import { copyText } from "./upload.js";

export const RECONCILE_QUEUE = "reconciliation.run";
/** Bad rows kept on the run for the page (all are counted). */
export const MAX_KEPT_ERRORS = 1000;
const READ_BATCH = 50_000;
/**
 * Rounds of mutual-nearest pairing per pass. Each round pairs at least the globally
 * nearest remaining pair, and real files settle in 1–3; rows still contested after this
 * (thousands of look-alike calls) are reported unmatched rather than looping on.
 */
const MAX_ROUNDS = 25;

export const reconcileTuning = { readBatch: READ_BATCH };

interface RunRow {
  id: string;
  carrier_id: string;
  invoice_id: string | null;
  currency: string;
  period_from: string;
  period_to: string;
  start_tolerance_s: number;
  duration_tolerance_s: number;
  amount_tolerance: string;
  status: string;
  header: string[];
  mapping: ColumnMapping;
}

const copyOrNull = (v: string | null) => (v === null ? "\\N" : copyText(v));

/**
 * Reads their uploaded records back (the mapped columns only, in line order, by keyset),
 * parses each with the run's mapping and COPYs the good ones into `recon_theirs`.
 */
async function loadTheirs(client: pg.PoolClient, run: RunRow, ctx: JobContext): Promise<{ rows: number; errors: RowError[]; errorCount: number }> {
  const resolved = resolveColumns(run.header, run.mapping);
  if ("errors" in resolved) throw new Error(`mapping no longer fits the file: ${JSON.stringify(resolved.errors)}`);
  const { columns } = resolved;
  const { rows: size } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM reconciliation_upload_rows WHERE run_id = $1", [run.id]);
  const total = Math.max(1, size[0]!.n);
  // Unmapped fields read fields[0], which is NULL.
  const pick = [columns.callId, columns.calledNumber, columns.startAt, columns.durationS, columns.amount, columns.destination].map((i) => i + 1);
  const errors: RowError[] = [];
  let errorCount = 0;
  let rows = 0;
  let last = 0;
  let inFlight: Promise<void> = Promise.resolve();
  for (;;) {
    const r = await client.query<[number, string | null, string | null, string | null, string | null, string | null, string | null]>({
      text: `SELECT line, fields[$3], fields[$4], fields[$5], fields[$6], fields[$7], fields[$8] FROM reconciliation_upload_rows
             WHERE run_id = $1 AND line > $2 ORDER BY line LIMIT ${reconcileTuning.readBatch}`,
      values: [run.id, last, ...pick],
      rowMode: "array",
    });
    if (!r.rows.length) break;
    let text = "";
    const byIndex = { callId: 0, calledNumber: 1, startAt: 2, durationS: 3, amount: 4, destination: 5 };
    for (const [line, ...cells] of r.rows) {
      const parsed = parseTheirRow(cells, byIndex, run.mapping);
      if ("errors" in parsed) {
        errorCount++;
        if (errors.length < MAX_KEPT_ERRORS) errors.push({ line, reason: parsed.errors.join("; ") });
        continue;
      }
      rows++;
      text += `${line}\t${copyOrNull(parsed.callId)}\t${parsed.calledNumber}\t${parsed.startMs}\t${parsed.durationS}\t${parsed.amountMicros ?? 0n}\t${copyOrNull(parsed.destination)}\n`;
    }
    last = r.rows[r.rows.length - 1]![0];
    await inFlight;
    inFlight = text
      ? (async () => {
          const copy = client.query(copyFrom("COPY recon_theirs (line, call_id, called, start_ms, duration_s, amount_micros, destination) FROM STDIN"));
          copy.end(text);
          await finished(copy);
        })()
      : Promise.resolve();
    await ctx.progress(5 + Math.round((45 * (rows + errorCount)) / total), `reading their file: ${rows + errorCount} of ${total} rows`);
  }
  await inFlight;
  return { rows, errors, errorCount };
}

/**
 * Pairs unpaired rows of `recon_theirs` (t) and `recon_ours` (o) that satisfy `on`,
 * nearest start first, one-to-one: each round keeps the pairs that are each side's
 * nearest (ties by line / CDR id, one total order, so the nearest remaining pair is
 * always kept and every round makes progress).
 */
async function pairPass(client: pg.PoolClient, by: "call_id" | "number_time", on: string, params: unknown[]): Promise<number> {
  let paired = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = await client.query(
      `INSERT INTO recon_pairs (their_line, our_id, by)
       SELECT their_line, our_id, '${by}' FROM (
         SELECT t.line AS their_line, o.id AS our_id,
           row_number() OVER (PARTITION BY t.line ORDER BY abs(t.start_ms - o.start_ms), o.id) AS rt,
           row_number() OVER (PARTITION BY o.id ORDER BY abs(t.start_ms - o.start_ms), t.line) AS ro
         FROM recon_theirs t JOIN recon_ours o ON ${on}
         WHERE NOT EXISTS (SELECT FROM recon_pairs p WHERE p.their_line = t.line) AND NOT EXISTS (SELECT FROM recon_pairs p WHERE p.our_id = o.id)
       ) c WHERE rt = 1 AND ro = 1`,
      params,
    );
    paired += r.rowCount ?? 0;
    if (!r.rowCount) break;
    await client.query("ANALYZE recon_pairs");
  }
  return paired;
}

const CLASS = `CASE WHEN o.id IS NULL THEN 'only_theirs' WHEN t.line IS NULL THEN 'only_ours'
  WHEN abs(t.duration_s - o.duration_s) > $3 THEN 'duration_mismatch'
  WHEN abs(t.amount_micros - o.amount_micros) > $4 THEN 'amount_mismatch' ELSE 'matched' END`;

/** The job: parse their rows, load ours, pair in two set-based passes, classify, total. One transaction. */
async function reconcile(tx: TxDb, run: RunRow, ctx: JobContext, tenantId: string) {
  const client = tx.$client;
  await client.query("SET LOCAL work_mem = '256MB'");
  await client.query("DELETE FROM reconciliation_results WHERE run_id = $1", [run.id]);
  await client.query("DELETE FROM reconciliation_destination_totals WHERE run_id = $1", [run.id]);
  await client.query(
    `CREATE TEMP TABLE recon_theirs (line int PRIMARY KEY, call_id text, called text NOT NULL, start_ms bigint NOT NULL, duration_s int NOT NULL,
       amount_micros bigint NOT NULL, destination text) ON COMMIT DROP`,
  );
  await ctx.progress(5, "reading their file");
  const theirs = await loadTheirs(client, run, ctx);

  await ctx.progress(50, "reading our CDRs");
  const tolMs = run.start_tolerance_s * 1000;
  // Ours: the supplier's answered calls in the period, widened by the tolerance so that a
  // call on the period's edge can still pair; unpaired ones outside the period are dropped.
  const ours = await client.query(
    `CREATE TEMP TABLE recon_ours ON COMMIT DROP AS
     SELECT c.id, c.call_id, c.called_number AS called, (extract(epoch FROM c.start_at) * 1000)::bigint AS start_ms,
       coalesce(c.supplier_billable_s, c.duration_s) AS duration_s, coalesce(c.supplier_cost_micros, 0) AS amount_micros,
       c.supplier_destination AS destination, c.start_at >= $4::date::timestamptz AND c.start_at < ($5::date + 1)::timestamptz AS in_period
     FROM cdrs c
     WHERE c.tenant_id = $1 AND c.supplier_carrier_id = $2 AND coalesce(c.supplier_currency, $3) = $3 AND c.disposition = 'answered'
       AND c.start_at >= $4::date::timestamptz - $6 * interval '1 millisecond' AND c.start_at < ($5::date + 1)::timestamptz + $6 * interval '1 millisecond'`,
    [tenantId, run.carrier_id, run.currency, run.period_from, run.period_to, tolMs],
  );
  await client.query("ALTER TABLE recon_ours ADD PRIMARY KEY (id)");
  await client.query("CREATE TEMP TABLE recon_pairs (their_line int PRIMARY KEY, our_id uuid NOT NULL UNIQUE, by text NOT NULL) ON COMMIT DROP");
  await client.query("ANALYZE recon_theirs");
  await client.query("ANALYZE recon_ours");

  await ctx.progress(60, "matching by call id");
  const byCallId = await pairPass(client, "call_id", "o.call_id = t.call_id", []);
  await ctx.progress(70, "matching by number and start time");
  const byNumber = await pairPass(client, "number_time", "o.called = t.called AND o.start_ms BETWEEN t.start_ms - $1 AND t.start_ms + $1", [tolMs]);

  await ctx.progress(80, "recording results");
  // Pairs, their unpaired rows and our unpaired in-period CDRs, in one full join.
  await client.query(
    `INSERT INTO reconciliation_results (tenant_id, run_id, seq, class, matched_by, their_line, their_call_id, our_cdr_id, our_call_id, called_number, destination,
       their_start_at, our_start_at, their_duration_s, our_duration_s, their_amount_micros, our_amount_micros, difference_micros)
     SELECT $1, $2, row_number() OVER (ORDER BY coalesce(o.start_ms, t.start_ms), t.line, o.id), ${CLASS}, p.by, t.line, t.call_id, o.id, o.call_id,
       coalesce(o.called, t.called), coalesce(o.destination, t.destination),
       timestamptz 'epoch' + t.start_ms * interval '1 millisecond', timestamptz 'epoch' + o.start_ms * interval '1 millisecond',
       t.duration_s, o.duration_s, t.amount_micros, o.amount_micros, coalesce(t.amount_micros, 0) - coalesce(o.amount_micros, 0)
     FROM (recon_theirs t LEFT JOIN recon_pairs p ON p.their_line = t.line) FULL JOIN recon_ours o ON o.id = p.our_id
     WHERE t.line IS NOT NULL OR o.in_period`,
    [tenantId, run.id, run.duration_tolerance_s, run.amount_tolerance],
  );
  await ctx.progress(92, "totalling by destination");
  await client.query(
    `INSERT INTO reconciliation_destination_totals (tenant_id, run_id, destination, their_calls, their_duration_s, their_amount_micros, our_calls, our_duration_s, our_amount_micros, difference_micros)
     SELECT $1, $2, coalesce(destination, '(unknown)'), count(their_line)::int, coalesce(sum(their_duration_s), 0), coalesce(sum(their_amount_micros), 0),
       count(our_cdr_id)::int, coalesce(sum(our_duration_s), 0), coalesce(sum(our_amount_micros), 0), sum(difference_micros)
     FROM reconciliation_results WHERE run_id = $2 GROUP BY coalesce(destination, '(unknown)')`,
    [tenantId, run.id],
  );
  const classes = await client.query<{ class: string; rows: number; theirs: string; ours: string }>(
    `SELECT class, count(*)::int AS rows, coalesce(sum(their_amount_micros), 0)::text AS theirs, coalesce(sum(our_amount_micros), 0)::text AS ours
     FROM reconciliation_results WHERE run_id = $1 GROUP BY class`,
    [run.id],
  );
  const summary: Record<string, { rows: number; theirAmount: string; ourAmount: string }> = {};
  for (const c of ["matched", "duration_mismatch", "amount_mismatch", "only_theirs", "only_ours"]) summary[c] = { rows: 0, theirAmount: "0", ourAmount: "0" };
  for (const c of classes.rows) summary[c.class] = { rows: c.rows, theirAmount: formatMoney(BigInt(c.theirs)), ourAmount: formatMoney(BigInt(c.ours)) };
  return { theirs, ours: ours.rowCount ?? 0, byCallId, byNumber, summary };
}

/** pg-boss handler: runs a queued reconciliation; a failure marks the run failed with its message. */
export async function reconcileJob(pool: pg.Pool, data: JobData & { runId?: string; requestedBy?: string }, ctx: JobContext) {
  if (!data.tenantId || !data.runId) throw new Error(`${RECONCILE_QUEUE} needs tenantId and runId`);
  const { tenantId, runId } = data;
  const actor = systemActor(tenantId, `${RECONCILE_QUEUE}${data.requestedBy ? ` for ${data.requestedBy}` : ""}`);
  try {
    // Committed at once, so the page shows it running while the long transaction works.
    const started = await pool.query("UPDATE reconciliation_runs SET status = 'running' WHERE tenant_id = $1 AND id = $2 AND status = 'queued' RETURNING id", [tenantId, runId]);
    if (!started.rowCount) return { skipped: true };
    const outcome = await inTransaction(pool, async (tx) => {
      const { rows } = await tx.$client.query<RunRow>(
        `SELECT id, carrier_id, invoice_id, currency, period_from::text, period_to::text, start_tolerance_s, duration_tolerance_s, amount_tolerance_micros::text AS amount_tolerance,
           status, header, mapping FROM reconciliation_runs WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, runId],
      );
      const run = rows[0];
      if (!run) throw new Error(`run ${runId} not found`);
      if (run.status !== "running") return { skipped: run.status };
      const r = await reconcile(tx, run, ctx, tenantId);
      await tx.$client.query(
        `UPDATE reconciliation_runs SET status = 'done', summary = $3, error_count = $4, errors = $5, failure_message = NULL, completed_at = clock_timestamp()
         WHERE tenant_id = $1 AND id = $2`,
        [tenantId, runId, JSON.stringify(r.summary), r.theirs.errorCount, JSON.stringify(r.theirs.errors)],
      );
      if (run.invoice_id) await advanceInvoice(tx, actor, { id: run.invoice_id, from: ["received", "reconciling"], to: "reconciled" });
      const after = { status: "done", theirRows: r.theirs.rows, badRows: r.theirs.errorCount, ourCdrs: r.ours, pairedByCallId: r.byCallId, pairedByNumberTime: r.byNumber, summary: r.summary };
      await recordAudit(tx, actor, { action: "reconciliation_run.complete", entityType: "reconciliation_run", entityId: runId, before: { status: "queued" }, after });
      return after;
    });
    await ctx.progress(100, "done");
    return outcome;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    await inTransaction(pool, async (tx) => {
      const r = await tx.$client.query(
        "UPDATE reconciliation_runs SET status = 'failed', failure_message = $3 WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'running') RETURNING id",
        [tenantId, runId, message.slice(0, 1000)],
      );
      if (r.rowCount) await recordAudit(tx, actor, { action: "reconciliation_run.fail", entityType: "reconciliation_run", entityId: runId, after: { status: "failed", failureMessage: message } });
    }).catch(() => {});
    throw err;
  }
}
