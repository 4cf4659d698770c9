import type pg from "pg";
import type { z } from "zod";
import { inTransaction, type TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { AppError } from "../platform/http/errors.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { cdrInput, type CdrInput } from "./model.js";
import { ensurePartitions } from "./partitions.js";
import { normalizeNumber, serviceByTechPrefix } from "./engine/normalize.js";
import { fastCdrInput } from "./engine/validate.js";
import { RATE_CDRS_QUEUE } from "./rate.js";

/**
 * CDR ingest: all or nothing. Every row is validated (shape, times, references into the
 * caller's tenant) before anything is written; one bad row rejects the batch with every
 * bad row listed. (switch, call id, attempt) is the idempotency key, kept in `cdr_keys`:
 * an attempt seen before is counted as a duplicate and changes nothing. New CDRs are
 * stored `pending` and a `cdrs.rate` job is enqueued in the same transaction.
 */
export interface IngestSource {
  kind: "api" | "csv" | `pull:${string}`;
  fileName?: string | null;
}
export interface IngestResult {
  batchId: string;
  received: number;
  inserted: number;
  duplicates: number;
  message: string;
}
export interface RowError {
  /** 1-based row number in the batch, or line number of a CSV file. */
  row: number;
  reason: string;
}
const MAX_KEPT_ERRORS = 500;

function issuesOf(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** Validates rows; `rowNumber` maps an index to what the user knows the row as. */
export function validateRows(rows: readonly unknown[], rowNumber: (i: number) => number = (i) => i + 1): { valid: CdrInput[]; errors: RowError[]; errorCount: number } {
  const valid: CdrInput[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  rows.forEach((r, i) => {
    const fast = fastCdrInput(r);
    if (fast) return void valid.push(fast);
    const parsed = cdrInput.safeParse(r);
    if (parsed.success) valid.push(parsed.data);
    else {
      errorCount++;
      if (errors.length < MAX_KEPT_ERRORS) errors.push({ row: rowNumber(i), reason: issuesOf(parsed.error) });
    }
  });
  return { valid, errors, errorCount };
}

export function batchRejected(errors: RowError[], errorCount: number, what = "row"): AppError {
  const fields: Record<string, string[]> = {};
  for (const e of errors) (fields[`${what} ${e.row}`] ??= []).push(e.reason);
  const more = errorCount > errors.length ? ` (the first ${errors.length} are listed)` : "";
  return new AppError(422, "cdrs_rejected", `The batch was rejected: ${errorCount} bad ${what}${errorCount === 1 ? "" : "s"}${more}; nothing was ingested`, fields);
}

interface ServiceRef {
  id: string;
  carrierId: string;
  interconnectId: string;
  techPrefix: string;
}
interface InterconnectRef {
  id: string;
  carrierId: string;
  direction: "ingress" | "egress";
}

/** Services and interconnects the rows name, in the tenant (deleted ones too: a CDR is history). */
async function loadRefs(client: pg.PoolClient, tenantId: string, rows: readonly CdrInput[]) {
  const serviceIds = new Set<string>();
  const interconnectIds = new Set<string>();
  for (const r of rows) {
    if (r.serviceId) serviceIds.add(r.serviceId);
    if (r.ingressInterconnectId) interconnectIds.add(r.ingressInterconnectId);
    if (r.egressInterconnectId) interconnectIds.add(r.egressInterconnectId);
  }
  const services = await client.query<ServiceRef>(
    `SELECT id, carrier_id AS "carrierId", interconnect_id AS "interconnectId", tech_prefix AS "techPrefix"
     FROM services WHERE tenant_id = $1 AND (id = ANY($2::uuid[]) OR (interconnect_id = ANY($3::uuid[]) AND deleted_at IS NULL))`,
    [tenantId, [...serviceIds], [...interconnectIds]],
  );
  const interconnects = await client.query<InterconnectRef>(
    `SELECT id, carrier_id AS "carrierId", direction FROM interconnects WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tenantId, [...interconnectIds]],
  );
  const byInterconnect = new Map<string, ServiceRef[]>();
  for (const s of services.rows) byInterconnect.set(s.interconnectId, [...(byInterconnect.get(s.interconnectId) ?? []), s]);
  return { services: new Map(services.rows.map((s) => [s.id, s])), interconnects: new Map(interconnects.rows.map((i) => [i.id, i])), byInterconnect };
}

interface ResolvedRow {
  id: string;
  input: CdrInput;
  serviceId: string | null;
  ingressInterconnectId: string | null;
  customerCarrierId: string | null;
  supplierCarrierId: string | null;
  callingNumber: string;
  calledNumber: string;
}

/** Checks references and derives carriers and normalized numbers; reference errors are row errors. */
function resolveRows(rows: readonly CdrInput[], refs: Awaited<ReturnType<typeof loadRefs>>, rowNumber: (i: number) => number) {
  const out: ResolvedRow[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (i: number, reason: string) => {
    errorCount++;
    if (errors.length < MAX_KEPT_ERRORS) errors.push({ row: rowNumber(i), reason });
  };
  rows.forEach((r, i) => {
    const ingress = r.ingressInterconnectId ? refs.interconnects.get(r.ingressInterconnectId) : null;
    const egress = r.egressInterconnectId ? refs.interconnects.get(r.egressInterconnectId) : null;
    let service = r.serviceId ? refs.services.get(r.serviceId) : null;
    if (r.ingressInterconnectId && (!ingress || ingress.direction !== "ingress")) return fail(i, `ingressInterconnectId: no ingress interconnect ${r.ingressInterconnectId}`);
    if (r.egressInterconnectId && (!egress || egress.direction !== "egress")) return fail(i, `egressInterconnectId: no egress interconnect ${r.egressInterconnectId}`);
    if (r.serviceId && !service) return fail(i, `serviceId: no service ${r.serviceId}`);
    if (service && ingress && service.interconnectId !== ingress.id) return fail(i, "serviceId: the service is not on the ingress interconnect");
    // No service named: the ingress interconnect's service whose tech prefix the dialled number carries.
    if (!service && ingress) service = serviceByTechPrefix(refs.byInterconnect.get(ingress.id) ?? [], r.calledNumber.trim());
    out.push({
      id: newId(),
      input: r,
      serviceId: service?.id ?? null,
      ingressInterconnectId: ingress?.id ?? service?.interconnectId ?? null,
      customerCarrierId: service?.carrierId ?? ingress?.carrierId ?? null,
      supplierCarrierId: egress?.carrierId ?? null,
      callingNumber: normalizeNumber(r.callingNumber),
      calledNumber: normalizeNumber(r.calledNumber, service?.techPrefix),
    });
  });
  return { rows: out, errors, errorCount };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Inserts the rows whose idempotency key is new; returns how many were. */
async function insertNew(client: pg.PoolClient, tenantId: string, batchId: string, rows: readonly ResolvedRow[]): Promise<number> {
  if (!rows.length) return 0;
  const col = <T>(f: (r: ResolvedRow) => T) => rows.map(f);
  // Keys first: only rows whose key is new come back, and only those become CDRs.
  const fresh = await client.query<{ cdr_id: string }>(
    `INSERT INTO cdr_keys (tenant_id, switch_id, call_id, attempt, cdr_id, start_at)
     SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::int[], $5::uuid[], $6::timestamptz[]) AS u
     ON CONFLICT DO NOTHING RETURNING cdr_id`,
    [tenantId, col((r) => r.input.switchId), col((r) => r.input.callId), col((r) => r.input.attempt), col((r) => r.id), col((r) => iso(r.input.startAt))],
  );
  if (!fresh.rowCount) return 0;
  const keep = new Set(fresh.rows.map((r) => r.cdr_id));
  const ins = rows.filter((r) => keep.has(r.id));
  const c = <T>(f: (r: ResolvedRow) => T) => ins.map(f);
  await client.query(
    `INSERT INTO cdrs (id, tenant_id, switch_id, call_id, attempt, ingest_batch_id, ingress_interconnect_id, service_id, customer_carrier_id,
                       egress_interconnect_id, supplier_carrier_id, calling_raw, called_raw, calling_number, called_number,
                       start_at, answer_at, end_at, duration_s, pdd_ms, sip_status, q850_cause, disposition, codec, reservation_id)
     SELECT u.id, $1, u.switch_id, u.call_id, u.attempt, $2, u.ingress, u.service, u.customer, u.egress, u.supplier, u.calling_raw, u.called_raw,
            u.calling, u.called, u.start_at, u.answer_at, u.end_at, u.duration_s, u.pdd_ms, u.sip_status, u.q850, u.disposition, u.codec, u.reservation_id
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::int[], $7::uuid[], $8::uuid[], $9::uuid[], $10::uuid[], $11::uuid[], $12::text[], $13::text[],
                 $14::text[], $15::text[], $16::timestamptz[], $17::timestamptz[], $18::timestamptz[], $19::int[], $20::int[], $21::int[], $22::int[],
                 $23::text[], $24::text[], $25::uuid[])
          AS u(id, switch_id, call_id, attempt, ingress, service, customer, egress, supplier, calling_raw, called_raw, calling, called,
               start_at, answer_at, end_at, duration_s, pdd_ms, sip_status, q850, disposition, codec, reservation_id)`,
    [
      tenantId,
      batchId,
      c((r) => r.id),
      c((r) => r.input.switchId),
      c((r) => r.input.callId),
      c((r) => r.input.attempt),
      c((r) => r.ingressInterconnectId),
      c((r) => r.serviceId),
      c((r) => r.customerCarrierId),
      c((r) => r.input.egressInterconnectId),
      c((r) => r.supplierCarrierId),
      c((r) => r.input.callingNumber),
      c((r) => r.input.calledNumber),
      c((r) => r.callingNumber),
      c((r) => r.calledNumber),
      c((r) => iso(r.input.startAt)),
      c((r) => iso(r.input.answerAt)),
      c((r) => iso(r.input.endAt)),
      c((r) => r.input.durationS),
      c((r) => r.input.pddMs),
      c((r) => r.input.sipStatus),
      c((r) => r.input.q850Cause),
      c((r) => r.input.disposition),
      c((r) => r.input.codec),
      c((r) => r.input.reservationId),
    ],
  );
  return ins.length;
}

/**
 * Ingests validated rows in chunks, all in one transaction: reference errors in any chunk
 * reject the whole batch. `chunks` yields rows with their row numbers, so a CSV file can
 * be streamed without holding it all in memory.
 */
export async function ingestChunks(
  pool: pg.Pool,
  jobs: JobQueue,
  actor: Actor,
  source: IngestSource,
  chunks: AsyncIterable<{ rows: CdrInput[]; rowNumber: (i: number) => number }>,
): Promise<IngestResult> {
  return inTransaction(pool, (tx) => ingestInTransaction(tx, pool, jobs, actor, source, chunks));
}

/** The same, inside the caller's transaction (the switch's CDR puller deletes its spool rows in it). */
export async function ingestInTransaction(
  tx: TxDb,
  pool: pg.Pool,
  jobs: JobQueue,
  actor: Actor,
  source: IngestSource,
  chunks: AsyncIterable<{ rows: CdrInput[]; rowNumber: (i: number) => number }>,
): Promise<IngestResult> {
  const batchId = newId();
  const client = tx.$client;
  let received = 0;
  let inserted = 0;
  const errors: RowError[] = [];
  let errorCount = 0;
  // The next chunk is parsed and validated while this one is written: Node's work overlaps PostgreSQL's.
  const it = chunks[Symbol.asyncIterator]();
  let next = it.next();
  next.catch(() => {}); // awaited below; a rejection must not count as unhandled meanwhile
  try {
    for (;;) {
      const step = await next;
      if (step.done) break;
      next = it.next();
      next.catch(() => {});
      const chunk = step.value;
      received += chunk.rows.length;
      const refs = await loadRefs(client, actor.tenantId, chunk.rows);
      const resolved = resolveRows(chunk.rows, refs, chunk.rowNumber);
      errorCount += resolved.errorCount;
      errors.push(...resolved.errors.slice(0, MAX_KEPT_ERRORS - errors.length));
      if (errorCount) continue; // keep collecting every bad row; nothing more is written
      await ensurePartitions(client, resolved.rows.map((r) => r.input.startAt.getTime()), pool);
      inserted += await insertNew(client, actor.tenantId, batchId, resolved.rows);
    }
  } finally {
    // Stops the source (e.g. the upload stream) when a write failed mid-way.
    void it.return?.(undefined).catch(() => {});
  }
  if (errorCount) throw batchRejected(errors, errorCount, source.kind === "csv" ? "line" : "row");
  return recordBatch(tx, jobs, actor, { batchId, source, received, inserted });
}

async function recordBatch(tx: TxDb, jobs: JobQueue, actor: Actor, b: { batchId: string; source: IngestSource; received: number; inserted: number }): Promise<IngestResult> {
  const duplicates = b.received - b.inserted;
  await tx.$client.query(
    `INSERT INTO cdr_batches (id, tenant_id, source, file_name, received_count, inserted_count, duplicate_count, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [b.batchId, actor.tenantId, b.source.kind, b.source.fileName ?? null, b.received, b.inserted, duplicates, actor.label],
  );
  if (b.inserted) await jobs.enqueue(tx, RATE_CDRS_QUEUE, { tenantId: actor.tenantId, batchId: b.batchId });
  const message = b.inserted === 0 ? `all ${b.received} CDRs had been ingested before; nothing changed` : `${b.inserted} new CDRs${duplicates ? `, ${duplicates} already ingested (unchanged)` : ""}; rating queued`;
  await recordAudit(tx, actor, {
    action: "cdr_batch.ingest",
    entityType: "cdr_batch",
    entityId: b.batchId,
    after: { source: b.source.kind, fileName: b.source.fileName ?? null, received: b.received, inserted: b.inserted, duplicates },
  });
  return { batchId: b.batchId, received: b.received, inserted: b.inserted, duplicates, message };
}

/** Validated rows already in memory, as the one chunk the ingest functions read. */
export async function* oneChunk(rows: CdrInput[]) {
  yield { rows, rowNumber: (i: number) => i + 1 };
}

/** Ingests one JSON batch (validated here, so every bad row is listed together). */
export async function ingestBatch(pool: pg.Pool, jobs: JobQueue, actor: Actor, rows: readonly unknown[], source: IngestSource = { kind: "api" }): Promise<IngestResult> {
  const { valid, errors, errorCount } = validateRows(rows);
  if (errorCount) throw batchRejected(errors, errorCount);
  return ingestChunks(pool, jobs, actor, source, oneChunk(valid));
}
