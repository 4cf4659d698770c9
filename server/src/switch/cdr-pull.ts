import type pg from "pg";
import { inTransaction } from "../platform/db/client.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import { AppError } from "../platform/http/errors.js";
import { systemActor } from "../audit/audit.js";
import { ingestInTransaction, oneChunk, validateRows } from "../cdrs/ingest.js";
import type { CdrInput } from "../cdrs/model.js";

/**
 * Moves Kamailio's spooled call attempts into CDR ingest. One transaction takes a batch
 * (`FOR UPDATE SKIP LOCKED`: pullers on several platform processes never share a row),
 * ingests it per tenant and deletes it, so each attempt becomes exactly one CDR: a crash
 * before the commit leaves the rows in the spool, and (switch, call id, attempt) makes a
 * replay a no-op anyway. A row that cannot become a CDR is kept with its error.
 */
export interface SpoolRow {
  id: string;
  tenant_id: string;
  switch_id: string;
  call_id: string;
  attempt: number;
  /** The decision's reservation id ('' when the call reserved nothing). */
  decision_ref: string | null;
  final: boolean;
  ingress_interconnect_id: string | null;
  service_id: string | null;
  egress_interconnect_id: string | null;
  calling: string;
  called: string;
  start_at: Date;
  ring_at: Date | null;
  answer_at: Date | null;
  end_at: Date;
  sip_status: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SIP final status → CDR disposition. */
export function dispositionOf(sipStatus: number): CdrInput["disposition"] {
  if (sipStatus >= 200 && sipStatus < 300) return "answered";
  if (sipStatus === 486 || sipStatus === 600) return "busy";
  if (sipStatus === 408 || sipStatus === 480) return "no_answer";
  if (sipStatus === 487) return "cancelled";
  return "failed";
}

/** The tenant's release cause mapping as CDRs record it: SIP final status → Q.850 cause. */
export async function q850Causes(db: pg.Pool | pg.PoolClient, params: { tenantId: string }): Promise<Map<number, number>> {
  const { rows } = await db.query<{ sip_code: number; q850_cause: number }>("SELECT sip_code, q850_cause FROM release_cause_mappings WHERE tenant_id = $1", [params.tenantId]);
  return new Map(rows.map((c) => [c.sip_code, c.q850_cause]));
}

/** The CDR of one spooled attempt; Q.850 from the tenant's release cause mapping. */
export function spoolToCdr(r: SpoolRow, q850BySip: ReadonlyMap<number, number>): Record<string, unknown> {
  const answered = r.sip_status >= 200 && r.sip_status < 300 && r.answer_at !== null;
  const firstResponse = r.ring_at ?? r.answer_at;
  return {
    switchId: r.switch_id,
    callId: r.call_id,
    attempt: r.attempt,
    serviceId: r.service_id,
    ingressInterconnectId: r.ingress_interconnect_id,
    egressInterconnectId: r.egress_interconnect_id,
    callingNumber: r.calling.slice(0, 64),
    calledNumber: r.called.slice(0, 64),
    startAt: r.start_at.toISOString(),
    answerAt: answered ? r.answer_at!.toISOString() : null,
    endAt: r.end_at.toISOString(),
    // Billing counts every started second.
    durationS: answered ? Math.ceil((r.end_at.getTime() - r.answer_at!.getTime()) / 1000) : 0,
    pddMs: firstResponse ? Math.max(0, firstResponse.getTime() - r.start_at.getTime()) : null,
    sipStatus: r.sip_status,
    q850Cause: answered ? 16 : (q850BySip.get(r.sip_status) ?? null),
    disposition: answered ? "answered" : dispositionOf(r.sip_status),
    // Only the call's last attempt ends its reservation; a failed-over attempt leaves it held.
    reservationId: r.final && r.decision_ref && UUID.test(r.decision_ref) ? r.decision_ref : null,
  };
}

export async function pullSpool(pool: pg.Pool, jobs: JobQueue, opts: { limit?: number } = {}): Promise<{ moved: number; failed: number }> {
  return inTransaction(pool, async (tx) => {
    const client = tx.$client;
    const { rows } = await client.query<SpoolRow>(
      `SELECT id::text, tenant_id, switch_id, call_id, attempt, decision_ref, final, ingress_interconnect_id, service_id, egress_interconnect_id,
              calling, called, start_at, ring_at, answer_at, end_at, sip_status
       FROM switch_cdr_spool WHERE error IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [opts.limit ?? 5000],
    );
    if (!rows.length) return { moved: 0, failed: 0 };
    const byTenant = new Map<string, SpoolRow[]>();
    for (const r of rows) {
      const list = byTenant.get(r.tenant_id);
      if (list) list.push(r);
      else byTenant.set(r.tenant_id, [r]);
    }
    let moved = 0;
    let failed = 0;
    for (const [tenantId, list] of byTenant) {
      const q850 = await q850Causes(client, { tenantId });
      const raw = list.map((r) => spoolToCdr(r, q850));
      // Rows that fail validation are set aside one by one; the rest go in together.
      const checked = validateRows(raw);
      const bad = new Map(checked.errors.map((e) => [list[e.row - 1]!.id, e.reason]));
      const good = list.filter((r) => !bad.has(r.id));
      await client.query("SAVEPOINT tenant_ingest");
      try {
        if (good.length) await ingestInTransaction(tx, pool, jobs, systemActor(tenantId, `switch ${list[0]!.switch_id}`), { kind: `pull:${list[0]!.switch_id}` }, oneChunk(checked.valid));
        await client.query("RELEASE SAVEPOINT tenant_ingest");
        moved += good.length;
      } catch (err) {
        await client.query("ROLLBACK TO SAVEPOINT tenant_ingest");
        const reason = err instanceof AppError ? `${err.message} ${JSON.stringify(err.fields ?? {})}` : String(err);
        for (const r of good) bad.set(r.id, reason);
      }
      if (bad.size) {
        failed += bad.size;
        await client.query("UPDATE switch_cdr_spool SET error = u.reason FROM unnest($1::bigint[], $2::text[]) AS u(id, reason) WHERE switch_cdr_spool.id = u.id", [[...bad.keys()], [...bad.values()].map((x) => x.slice(0, 2000))]);
      }
      await client.query("DELETE FROM switch_cdr_spool WHERE id = ANY($1::bigint[])", [good.filter((r) => !bad.has(r.id)).map((r) => r.id)]);
    }
    return { moved, failed };
  });
}

/** Polls the spool every `intervalMs` until stopped. */
export function startSpoolPuller(pool: pg.Pool, jobs: JobQueue, opts: { intervalMs?: number; log?: (m: string) => void } = {}): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    try {
      for (let r = await pullSpool(pool, jobs); r.moved + r.failed > 0 && !stopped; r = await pullSpool(pool, jobs));
    } catch (err) {
      opts.log?.(`CDR spool pull failed: ${(err as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void (running = tick()), opts.intervalMs ?? 1000);
  };
  let timer = setTimeout(() => void (running = tick()), 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
