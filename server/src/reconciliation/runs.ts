import { sql, type SQL } from "drizzle-orm";
import { recordAudit, type Actor } from "../audit/audit.js";
import type { Db, TxDb } from "../platform/db/client.js";
import { AppError, badRequest, conflict, notFound } from "../platform/http/errors.js";
import { offsetOf, type Page } from "../platform/http/list.js";
import { newId } from "../platform/ids.js";
import { parseMoney } from "../platform/money.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import { resolveColumns } from "./engine/mapping.js";
import { checkSupplier, getInvoice, advanceInvoice } from "./invoices.js";
import { RECONCILE_QUEUE } from "./match.js";
import { stageUpload } from "./upload.js";
import type { DestinationDto, DestinationQuery, MappingInput, ResultDto, ResultQuery, RunCreate, RunDto, RunQuery } from "./model.js";

type RawRun = {
  id: string;
  carrier_id: string;
  carrier_name: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  currency: string;
  period_from: string;
  period_to: string;
  start_tolerance_s: number;
  duration_tolerance_s: number;
  amount_tolerance: string;
  status: RunDto["status"];
  file_name: string | null;
  file_rows: number | null;
  header: string[] | null;
  sample: string[][] | null;
  mapping: MappingInput | null;
  saved_mapping: MappingInput | null;
  job_id: string | null;
  percent: number | null;
  message: string | null;
  summary: Record<string, { rows: number; theirAmount: string; ourAmount: string }> | null;
  error_count: number;
  errors: { line: number; reason: string }[];
  failure_message: string | null;
  created_by: string;
  created_at: Date;
  completed_at: Date | null;
};

async function selectRuns(db: Db, where: SQL, tail: SQL = sql``): Promise<RunDto[]> {
  const r = await db.execute<RawRun>(sql`
    SELECT r.id, r.carrier_id, c.name AS carrier_name, r.invoice_id, i.invoice_number, r.currency, r.period_from::text AS period_from, r.period_to::text AS period_to,
      r.start_tolerance_s, r.duration_tolerance_s, r.amount_tolerance_micros::text AS amount_tolerance, r.status, r.file_name, r.file_rows, r.header, r.sample, r.mapping,
      m.mapping AS saved_mapping, r.job_id, jp.percent, jp.message, r.summary, r.error_count, r.errors, r.failure_message, r.created_by, r.created_at, r.completed_at
    FROM reconciliation_runs r
    LEFT JOIN carriers c ON c.id = r.carrier_id AND c.tenant_id = r.tenant_id
    LEFT JOIN supplier_invoices i ON i.id = r.invoice_id AND i.tenant_id = r.tenant_id
    LEFT JOIN reconciliation_mappings m ON m.tenant_id = r.tenant_id AND m.carrier_id = r.carrier_id
    LEFT JOIN job_progress jp ON jp.job_id = r.job_id AND jp.tenant_id = r.tenant_id
    WHERE ${where} ${tail}`);
  return r.rows.map((x) => ({
    id: x.id,
    carrierId: x.carrier_id,
    carrierName: x.carrier_name,
    invoiceId: x.invoice_id,
    invoiceNumber: x.invoice_number,
    currency: x.currency,
    periodFrom: x.period_from,
    periodTo: x.period_to,
    startToleranceS: x.start_tolerance_s,
    durationToleranceS: x.duration_tolerance_s,
    amountTolerance: BigInt(x.amount_tolerance),
    status: x.status,
    fileName: x.file_name,
    fileRows: x.file_rows,
    header: x.header,
    sample: x.sample,
    mapping: x.mapping,
    savedMapping: x.saved_mapping,
    jobId: x.job_id,
    progress: x.percent === null ? null : { percent: x.percent, message: x.message },
    summary: x.summary ? Object.fromEntries(Object.entries(x.summary).map(([k, v]) => [k, { rows: v.rows, theirAmount: parseMoney(v.theirAmount), ourAmount: parseMoney(v.ourAmount) }])) : null,
    errorCount: x.error_count,
    errors: x.errors,
    failureMessage: x.failure_message,
    createdBy: x.created_by,
    createdAt: new Date(x.created_at),
    completedAt: x.completed_at ? new Date(x.completed_at) : null,
  })) as RunDto[];
}

export async function getRun(db: Db, params: { tenantId: string; id: string; lock?: boolean }): Promise<RunDto> {
  if (params.lock) await db.execute(sql`SELECT 1 FROM reconciliation_runs WHERE tenant_id = ${params.tenantId} AND id = ${params.id} FOR UPDATE`);
  const [run] = await selectRuns(db, sql`r.tenant_id = ${params.tenantId} AND r.id = ${params.id}`);
  if (!run) throw notFound("Reconciliation run");
  return run;
}

const SORT = { createdAt: sql`r.created_at`, periodFrom: sql`r.period_from` };

export async function listRuns(db: Db, params: { tenantId: string; query: RunQuery }): Promise<Page<RunDto>> {
  const { tenantId, query } = params;
  const f = [sql`r.tenant_id = ${tenantId}`];
  if (query.carrierId) f.push(sql`r.carrier_id = ${query.carrierId}`);
  if (query.invoiceId) f.push(sql`r.invoice_id = ${query.invoiceId}`);
  if (query.status) f.push(sql`r.status = ${query.status}`);
  const where = sql.join(f, sql` AND `);
  const [field, dir] = query.sort.split(":") as [keyof typeof SORT, string];
  const d = sql.raw(dir === "desc" ? "DESC" : "ASC");
  const [rows, total] = await Promise.all([
    selectRuns(db, where, sql`ORDER BY ${SORT[field]} ${d}, r.id ${d} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM reconciliation_runs r WHERE ${where}`),
  ]);
  // The list does not carry the file's sample.
  return { rows: rows.map((r) => ({ ...r, sample: null, errors: [] })), total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

export async function createRun(tx: TxDb, actor: Actor, input: RunCreate): Promise<RunDto> {
  const tenantId = actor.tenantId;
  let { carrierId, currency, periodFrom, periodTo } = input;
  if (input.invoiceId) {
    const invoice = await getInvoice(tx, { tenantId, id: input.invoiceId }).catch(() => {
      throw badRequest("No such supplier invoice", { invoiceId: ["no such invoice"] });
    });
    if (carrierId && carrierId !== invoice.carrierId) throw badRequest("The invoice is from another carrier", { carrierId: ["not the invoice's carrier"] });
    carrierId = invoice.carrierId;
    currency ??= invoice.currency;
    periodFrom ??= invoice.periodFrom;
    periodTo ??= invoice.periodTo;
    await advanceInvoice(tx, actor, { id: invoice.id, from: ["received"], to: "reconciling" });
  }
  if (periodFrom! > periodTo!) throw badRequest("The period ends before it starts", { periodTo: ["must not be before the start of the period"] });
  await checkSupplier(tx, { tenantId, carrierId: carrierId!, currency: currency! });
  const id = newId();
  await tx.execute(sql`
    INSERT INTO reconciliation_runs (id, tenant_id, carrier_id, invoice_id, currency, period_from, period_to, start_tolerance_s, duration_tolerance_s, amount_tolerance_micros, created_by)
    VALUES (${id}, ${tenantId}, ${carrierId}, ${input.invoiceId}, ${currency}, ${periodFrom}, ${periodTo}, ${input.startToleranceS}, ${input.durationToleranceS},
      ${input.amountTolerance}, ${actor.label})`);
  const run = await getRun(tx, { tenantId, id });
  await recordAudit(tx, actor, {
    action: "reconciliation_run.create",
    entityType: "reconciliation_run",
    entityId: id,
    after: { carrierId, invoiceId: input.invoiceId, currency, periodFrom, periodTo, startToleranceS: input.startToleranceS, durationToleranceS: input.durationToleranceS, amountTolerance: input.amountTolerance },
  });
  return run;
}

const busy = () => conflict("The run is being matched; wait for it to finish");

/** Stages their CDR file (replacing an earlier upload and its results); the run then waits for its mapping. */
export async function uploadFile(tx: TxDb, actor: Actor, id: string, input: { fileName: string; source: AsyncIterable<Buffer> }): Promise<RunDto> {
  const tenantId = actor.tenantId;
  const before = await getRun(tx, { tenantId, id, lock: true });
  if (before.status === "queued" || before.status === "running") throw busy();
  const client = tx.$client;
  for (const table of ["reconciliation_upload_rows", "reconciliation_results", "reconciliation_destination_totals"]) await client.query(`DELETE FROM ${table} WHERE run_id = $1`, [id]);
  const staged = await stageUpload(client, { tenantId, runId: id, source: input.source });
  await tx.execute(sql`
    UPDATE reconciliation_runs SET status = 'awaiting_mapping', file_name = ${input.fileName}, file_rows = ${staged.rows}, header = ${JSON.stringify(staged.header)}::jsonb,
      sample = ${JSON.stringify(staged.sample)}::jsonb, mapping = NULL, summary = NULL, error_count = 0, errors = '[]'::jsonb, failure_message = NULL, job_id = NULL, completed_at = NULL
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "reconciliation_run.upload", entityType: "reconciliation_run", entityId: id, before: { status: before.status, fileName: before.fileName }, after: { status: "awaiting_mapping", fileName: input.fileName, rows: staged.rows } });
  return getRun(tx, { tenantId, id });
}

/** Saves the mapping (for this run and, for next time, the supplier) and queues the matching job. */
export async function mapAndRun(tx: TxDb, actor: Actor, jobs: JobQueue, id: string, mapping: MappingInput): Promise<{ jobId: string; run: RunDto }> {
  const tenantId = actor.tenantId;
  const before = await getRun(tx, { tenantId, id, lock: true });
  if (before.status === "queued" || before.status === "running") throw busy();
  if (!before.header) throw conflict("Upload their CDR file first", { file: ["no file uploaded"] });
  const resolved = resolveColumns(before.header, mapping);
  if ("errors" in resolved) throw new AppError(400, "validation_failed", "The mapping does not fit the file's columns", resolved.errors);
  const json = JSON.stringify(mapping);
  await tx.execute(sql`
    INSERT INTO reconciliation_mappings (tenant_id, carrier_id, mapping) VALUES (${tenantId}, ${before.carrierId}, ${json}::jsonb)
    ON CONFLICT (tenant_id, carrier_id) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = clock_timestamp()`);
  const jobId = await jobs.enqueue(tx, RECONCILE_QUEUE, { tenantId, runId: id, requestedBy: actor.label });
  await tx.execute(sql`
    UPDATE reconciliation_runs SET status = 'queued', mapping = ${json}::jsonb, job_id = ${jobId}, summary = NULL, failure_message = NULL, completed_at = NULL
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
  await recordAudit(tx, actor, { action: "reconciliation_run.map", entityType: "reconciliation_run", entityId: id, before: { status: before.status, mapping: before.mapping }, after: { status: "queued", mapping, jobId } });
  return { jobId, run: await getRun(tx, { tenantId, id }) };
}

type RawResult = {
  seq: number;
  class: ResultDto["class"];
  matched_by: ResultDto["matchedBy"];
  their_line: number | null;
  their_call_id: string | null;
  our_cdr_id: string | null;
  our_call_id: string | null;
  called_number: string;
  destination: string | null;
  their_start_at: Date | null;
  our_start_at: Date | null;
  their_duration_s: number | null;
  our_duration_s: number | null;
  their: string | null;
  ours: string | null;
  difference: string;
};

const big = (v: string | null) => (v === null ? null : BigInt(v));

export async function listResults(db: Db, params: { tenantId: string; runId: string; query: ResultQuery }): Promise<Page<ResultDto>> {
  const { tenantId, runId, query } = params;
  await getRun(db, { tenantId, id: runId });
  const f = [sql`tenant_id = ${tenantId}`, sql`run_id = ${runId}`];
  if (query.class) f.push(sql`class = ${query.class}`);
  if (query.q) f.push(sql`(called_number LIKE ${`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} OR their_call_id = ${query.q} OR our_call_id = ${query.q})`);
  const where = sql.join(f, sql` AND `);
  const [rows, total] = await Promise.all([
    db.execute<RawResult>(sql`
      SELECT seq, class, matched_by, their_line, their_call_id, our_cdr_id, our_call_id, called_number, destination, their_start_at, our_start_at, their_duration_s, our_duration_s,
        their_amount_micros::text AS their, our_amount_micros::text AS ours, difference_micros::text AS difference
      FROM reconciliation_results WHERE ${where} ORDER BY seq LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM reconciliation_results WHERE ${where}`),
  ]);
  return {
    rows: rows.rows.map((x) => ({
      seq: x.seq,
      class: x.class,
      matchedBy: x.matched_by,
      theirLine: x.their_line,
      theirCallId: x.their_call_id,
      ourCdrId: x.our_cdr_id,
      ourCallId: x.our_call_id,
      calledNumber: x.called_number,
      destination: x.destination,
      theirStartAt: x.their_start_at ? new Date(x.their_start_at) : null,
      ourStartAt: x.our_start_at ? new Date(x.our_start_at) : null,
      theirDurationS: x.their_duration_s,
      ourDurationS: x.our_duration_s,
      theirAmount: big(x.their),
      ourAmount: big(x.ours),
      difference: BigInt(x.difference),
    })),
    total: total.rows[0]!.n,
    page: query.page,
    pageSize: query.pageSize,
  };
}

const DEST_SORT: Record<DestinationQuery["sort"], SQL> = {
  "destination:asc": sql`destination ASC`,
  "destination:desc": sql`destination DESC`,
  "difference:asc": sql`difference_micros ASC, destination`,
  "difference:desc": sql`difference_micros DESC, destination`,
  "theirAmount:desc": sql`their_amount_micros DESC, destination`,
  "ourAmount:desc": sql`our_amount_micros DESC, destination`,
};

export async function listDestinationTotals(db: Db, params: { tenantId: string; runId: string; query: DestinationQuery }): Promise<Page<DestinationDto> & { totals: Omit<DestinationDto, "destination"> }> {
  const { tenantId, runId, query } = params;
  await getRun(db, { tenantId, id: runId });
  const cols = sql`their_calls, their_duration_s::text AS their_duration_s, their_amount_micros::text AS their, our_calls, our_duration_s::text AS our_duration_s,
    our_amount_micros::text AS ours, difference_micros::text AS difference`;
  type Raw = { destination: string; their_calls: number; their_duration_s: string; their: string; our_calls: number; our_duration_s: string; ours: string; difference: string };
  const toDto = (x: Omit<Raw, "destination">) => ({
    theirCalls: Number(x.their_calls),
    theirDurationS: Number(x.their_duration_s),
    theirAmount: BigInt(x.their),
    ourCalls: Number(x.our_calls),
    ourDurationS: Number(x.our_duration_s),
    ourAmount: BigInt(x.ours),
    difference: BigInt(x.difference),
  });
  const where = sql`tenant_id = ${tenantId} AND run_id = ${runId}`;
  const [rows, sums] = await Promise.all([
    db.execute<Raw>(sql`SELECT destination, ${cols} FROM reconciliation_destination_totals WHERE ${where} ORDER BY ${DEST_SORT[query.sort]} LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
    db.execute<Omit<Raw, "destination"> & { n: number }>(sql`
      SELECT count(*)::int AS n, coalesce(sum(their_calls), 0)::int AS their_calls, coalesce(sum(their_duration_s), 0)::text AS their_duration_s,
        coalesce(sum(their_amount_micros), 0)::text AS their, coalesce(sum(our_calls), 0)::int AS our_calls, coalesce(sum(our_duration_s), 0)::text AS our_duration_s,
        coalesce(sum(our_amount_micros), 0)::text AS ours, coalesce(sum(difference_micros), 0)::text AS difference
      FROM reconciliation_destination_totals WHERE ${where}`),
  ]);
  const s = sums.rows[0]!;
  return { rows: rows.rows.map((x) => ({ destination: x.destination, ...toDto(x) })), total: s.n, page: query.page, pageSize: query.pageSize, totals: toDto(s) };
}
