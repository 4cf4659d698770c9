import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import type { JobContext, JobData, JobQueue } from "../platform/jobs/boss.js";
import { AppError, conflict, notFound } from "../platform/http/errors.js";
import { timestamp } from "../platform/http/schemas.js";
import { formatMoney } from "../platform/money.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { cdrListQuery, refinePeriod } from "./model.js";
import { SELECT, selectCdrs, toDto, where, type CdrDto, type Raw } from "./queries.js";
import { RATE_CDRS_QUEUE } from "./rate.js";

/**
 * CDR CSV export as a job: the request only enqueues `cdrs.export`; the job reads the
 * matching CDRs in keyset-paginated chunks on (start_at, id) inside one read-only
 * REPEATABLE READ transaction (the file is one consistent snapshot and the row count
 * used for progress is exact), appends them to `<data dir>/exports/<tenant>/<job>.csv.part`
 * and renames it to `.csv` when complete, so a download never sees half a file. The job
 * id is the handle: its pg-boss payload names the tenant, its output the file.
 */
export const EXPORT_CDRS_QUEUE = "cdrs.export";
export const EXPORT_CHUNK = 5000;
/** Export files older than this are deleted (pg-boss forgets the jobs after 7 days too). */
export const EXPORT_RETENTION_DAYS = 7;

export const cdrExportInput = cdrListQuery
  .pick({ carrierId: true, number: true, disposition: true, ratingStatus: true })
  .extend({ from: timestamp, to: timestamp })
  .superRefine(refinePeriod);
export type CdrExportInput = z.output<typeof cdrExportInput>;

/** What the job records as its output (pg-boss keeps it with the job). */
interface ExportOutput {
  file: string;
  fileName: string;
  rows: number;
  bytes: number;
}

export const exportsDir = (dataDir: string) => path.join(dataDir, "exports");

const csvField = (v: string) => (/[",;\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v);
const str = (v: string | number | null) => (v === null ? "" : csvField(String(v)));
const iso = (v: Date | null) => (v ? v.toISOString() : "");
const amount = (v: bigint | null) => (v === null ? "" : formatMoney(v));

/** The file's columns, in order: every stored field of a CDR, money as decimal strings. */
const COLUMNS: [string, (c: CdrDto) => string][] = [
  ["id", (c) => c.id],
  ["switch_id", (c) => str(c.switchId)],
  ["call_id", (c) => str(c.callId)],
  ["attempt", (c) => str(c.attempt)],
  ["start_at", (c) => iso(c.startAt)],
  ["answer_at", (c) => iso(c.answerAt)],
  ["end_at", (c) => iso(c.endAt)],
  ["duration_s", (c) => str(c.durationS)],
  ["pdd_ms", (c) => str(c.pddMs)],
  ["calling_raw", (c) => str(c.callingRaw)],
  ["called_raw", (c) => str(c.calledRaw)],
  ["calling_number", (c) => str(c.callingNumber)],
  ["called_number", (c) => str(c.calledNumber)],
  ["customer_carrier_id", (c) => str(c.customerCarrierId)],
  ["customer_carrier", (c) => str(c.customerCarrierName)],
  ["ingress_interconnect_id", (c) => str(c.ingressInterconnectId)],
  ["service_id", (c) => str(c.serviceId)],
  ["service", (c) => str(c.serviceName)],
  ["supplier_carrier_id", (c) => str(c.supplierCarrierId)],
  ["supplier_carrier", (c) => str(c.supplierCarrierName)],
  ["egress_interconnect_id", (c) => str(c.egressInterconnectId)],
  ["sip_status", (c) => str(c.sipStatus)],
  ["q850_cause", (c) => str(c.q850Cause)],
  ["disposition", (c) => c.disposition],
  ["codec", (c) => str(c.codec)],
  ["rating_status", (c) => c.ratingStatus],
  ["rating_error", (c) => str(c.ratingError)],
  ["rating_version", (c) => str(c.ratingVersion)],
  ["rated_at", (c) => iso(c.ratedAt)],
  ["customer_currency", (c) => str(c.customerCurrency)],
  ["customer_prefix", (c) => str(c.customerPrefix)],
  ["customer_destination", (c) => str(c.customerDestination)],
  ["customer_rate_per_minute", (c) => amount(c.customerRate)],
  ["customer_billable_s", (c) => str(c.customerBillableS)],
  ["customer_cost", (c) => amount(c.customerCost)],
  ["supplier_currency", (c) => str(c.supplierCurrency)],
  ["supplier_prefix", (c) => str(c.supplierPrefix)],
  ["supplier_destination", (c) => str(c.supplierDestination)],
  ["supplier_rate_per_minute", (c) => amount(c.supplierRate)],
  ["supplier_billable_s", (c) => str(c.supplierBillableS)],
  ["supplier_cost", (c) => amount(c.supplierCost)],
  ["fx_rate", (c) => amount(c.fxRate)],
  ["margin", (c) => amount(c.margin)],
];
export const EXPORT_HEADER = COLUMNS.map(([h]) => h).join(",");
const csvLine = (c: CdrDto) => COLUMNS.map(([, f]) => f(c)).join(",");

/**
 * The CSV (export columns) of the CDRs an invoice bills, in start order, chunk by chunk:
 * a download streams it, a mail attachment collects it. Rows are those linked to the
 * invoice (`invoice_cdrs`, joined on the partition key so each chunk prunes).
 */
export async function* invoiceCdrsCsv(db: Db, params: { tenantId: string; invoiceId: string }): AsyncGenerator<string> {
  yield `${EXPORT_HEADER},invoice_line,invoice_amount\r\n`;
  const base = `${selectCdrs(`ic.kind AS "invoiceLine", ic.amount_micros::text AS "invoiceAmount"`)}
    JOIN invoice_cdrs ic ON ic.tenant_id = c.tenant_id AND ic.cdr_id = c.id AND ic.start_at = c.start_at WHERE ic.tenant_id = $1 AND ic.invoice_id = $2`;
  let last: { startAt: Date; id: string } | null = null;
  for (;;) {
    type Row = Raw & { invoiceLine: string; invoiceAmount: string };
    const page: { rows: Row[] } = last
      ? await db.$client.query<Row>(`${base} AND (c.start_at, c.id) > ($3, $4) ORDER BY c.start_at, c.id LIMIT ${EXPORT_CHUNK}`, [params.tenantId, params.invoiceId, last.startAt, last.id])
      : await db.$client.query<Row>(`${base} ORDER BY c.start_at, c.id LIMIT ${EXPORT_CHUNK}`, [params.tenantId, params.invoiceId]);
    if (!page.rows.length) return;
    const dtos = page.rows.map(toDto);
    // The call's own fields, then what this invoice bills for it (a re-rate row bills a difference).
    yield `${page.rows.map((r, i) => `${csvLine(dtos[i]!)},${r.invoiceLine},${amount(BigInt(r.invoiceAmount))}`).join("\r\n")}\r\n`;
    const tail = dtos[dtos.length - 1]!;
    last = { startAt: tail.startAt, id: tail.id };
    if (page.rows.length < EXPORT_CHUNK) return;
  }
}

/** Job payloads are JSON: the filter travels with its instants as ISO strings. */
interface ExportJobData extends JobData {
  tenantId: string;
  filter: Omit<CdrExportInput, "from" | "to"> & { from: string; to: string };
}

/** Starts an export (audited; the job is enqueued in the same transaction). */
export async function requestExport(tx: TxDb, actor: Actor, jobs: JobQueue, input: CdrExportInput): Promise<{ jobId: string }> {
  const filter = { ...input, from: input.from.toISOString(), to: input.to.toISOString() };
  const jobId = await jobs.enqueue<ExportJobData>(tx, EXPORT_CDRS_QUEUE, { tenantId: actor.tenantId, filter });
  await recordAudit(tx, actor, { action: "cdrs.export", entityType: "job", entityId: jobId, after: filter });
  return { jobId };
}

const stamp = (iso: string) => iso.slice(0, 16).replace(/[-:]/g, "").replace("T", "-");

/** Job: writes the file, reporting progress per chunk. */
export async function exportCdrsJob(pool: pg.Pool, dataDir: string, data: JobData, ctx: JobContext): Promise<ExportOutput> {
  const { tenantId, filter } = data as ExportJobData;
  if (!tenantId || !filter) throw new Error(`${EXPORT_CDRS_QUEUE} needs tenantId and filter`);
  const dir = path.join(exportsDir(dataDir), tenantId);
  await fs.promises.mkdir(dir, { recursive: true });
  await removeExpired(dir);
  const file = path.join(dir, `${ctx.jobId}.csv`);
  const part = `${file}.part`;
  const w = where({ tenantId, query: { ...filter, from: new Date(filter.from), to: new Date(filter.to) } });
  const out = await fs.promises.open(part, "w");
  const client = await pool.connect();
  let rows = 0;
  let bytes = 0;
  const append = async (text: string) => {
    const buf = Buffer.from(text, "utf8");
    await out.write(buf);
    bytes += buf.length;
  };
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const count = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM cdrs c WHERE ${w.sql}`, w.args);
    const total = count.rows[0]?.n ?? 0;
    await append(`${EXPORT_HEADER}\r\n`);
    const after = w.args.length;
    let last: { startAt: Date; id: string } | null = null;
    for (;;) {
      // Keyset: the next chunk starts after the last (start_at, id) written, so each chunk is an index range scan.
      const page: { rows: Raw[] } = last
        ? await client.query<Raw>(`${SELECT} WHERE ${w.sql} AND (c.start_at, c.id) > ($${after + 1}, $${after + 2}) ORDER BY c.start_at, c.id LIMIT ${EXPORT_CHUNK}`, [...w.args, last.startAt, last.id])
        : await client.query<Raw>(`${SELECT} WHERE ${w.sql} ORDER BY c.start_at, c.id LIMIT ${EXPORT_CHUNK}`, w.args);
      if (!page.rows.length) break;
      const dtos = page.rows.map(toDto);
      await append(`${dtos.map(csvLine).join("\r\n")}\r\n`);
      rows += dtos.length;
      const tail = dtos[dtos.length - 1]!;
      last = { startAt: tail.startAt, id: tail.id };
      await ctx.progress(total ? Math.min(99, (rows * 100) / total) : 99, `${rows.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} CDRs written`);
      if (page.rows.length < EXPORT_CHUNK) break;
    }
    await client.query("COMMIT");
    await out.sync();
    await out.close();
    await fs.promises.rename(part, file);
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    await out.close().catch(() => {});
    await fs.promises.rm(part, { force: true });
    throw err;
  } finally {
    client.release();
  }
  return { file, fileName: `cdrs-${stamp(filter.from)}-${stamp(filter.to)}.csv`, rows, bytes };
}

async function removeExpired(dir: string, now = Date.now()) {
  const cutoff = now - EXPORT_RETENTION_DAYS * 86_400_000;
  for (const name of await fs.promises.readdir(dir)) {
    const p = path.join(dir, name);
    const st = await fs.promises.stat(p).catch(() => null);
    if (st?.isFile() && st.mtimeMs < cutoff) await fs.promises.rm(p, { force: true });
  }
}

const JOB_QUEUES = [EXPORT_CDRS_QUEUE, RATE_CDRS_QUEUE];
export const cdrJobDto = z.object({
  id: z.uuid(),
  queue: z.string(),
  state: z.string(),
  percent: z.number().int(),
  message: z.string().nullable(),
  error: z.string().nullable(),
  createdOn: timestamp,
  completedOn: timestamp.nullable(),
  /** Set on a completed export. */
  export: z.object({ fileName: z.string(), rows: z.number().int(), bytes: z.number().int() }).nullable(),
});
type CdrJob = z.output<typeof cdrJobDto> & { file: string | null };

/**
 * A CDR job (export or rating) of the tenant: its state and progress. Another tenant's
 * job, or a job of another queue, is not found.
 */
export async function getCdrJob(db: Db, params: { tenantId: string; id: string }): Promise<CdrJob> {
  const cols = "id, name, state::text AS state, data, output, created_on, completed_on";
  const r = await db.$client.query<{
    id: string;
    queue: string;
    state: string;
    output: (Partial<ExportOutput> & { message?: string }) | null;
    created_on: Date;
    completed_on: Date | null;
    percent: number | null;
    message: string | null;
  }>(
    `SELECT j.id, j.name AS queue, j.state, j.output, j.created_on, j.completed_on, p.percent, p.message
     FROM (SELECT ${cols} FROM pgboss.job WHERE id = $1 UNION ALL SELECT ${cols} FROM pgboss.archive WHERE id = $1) j
     LEFT JOIN job_progress p ON p.job_id = j.id
     WHERE j.name = ANY($2::text[]) AND j.data->>'tenantId' = $3
     LIMIT 1`,
    [params.id, JOB_QUEUES, params.tenantId],
  );
  const j = r.rows[0];
  if (!j) throw notFound("Job");
  const done = j.state === "completed";
  const out = done && j.queue === EXPORT_CDRS_QUEUE && j.output?.file ? (j.output as ExportOutput) : null;
  return {
    id: j.id,
    queue: j.queue,
    state: j.state,
    percent: done ? 100 : (j.percent ?? 0),
    message: j.message,
    error: j.state === "failed" ? (j.output?.message ?? "The job failed") : null,
    createdOn: j.created_on,
    completedOn: j.completed_on,
    export: out && { fileName: out.fileName, rows: out.rows, bytes: out.bytes },
    file: out?.file ?? null,
  };
}

/** The finished export file of a tenant's export job, for streaming. */
export async function exportFile(db: Db, params: { tenantId: string; id: string }): Promise<{ stream: fs.ReadStream; fileName: string; bytes: number }> {
  const job = await getCdrJob(db, params);
  if (job.queue !== EXPORT_CDRS_QUEUE) throw notFound("Export");
  if (job.state !== "completed") throw conflict(`The export is not ready (it is ${job.state})`);
  // The output names the file the job wrote; only a file of this job's name is served.
  if (!job.file || !job.export || path.basename(job.file) !== `${job.id}.csv`) throw notFound("Export file");
  const st = await fs.promises.stat(job.file).catch(() => null);
  if (!st) throw new AppError(410, "gone", `The export file was deleted (exports are kept ${EXPORT_RETENTION_DAYS} days); export again`);
  return { stream: fs.createReadStream(job.file), fileName: job.export.fileName, bytes: st.size };
}
