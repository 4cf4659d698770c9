import type { Db, TxDb } from "../platform/db/client.js";
import { conflict, notFound } from "../platform/http/errors.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { rpcCall } from "./kamailio/runner.js";

/**
 * The switch as the console sees it: which Kamailio nodes are connected (a node that
 * has not reported for CONNECTED_WITHIN_MS is not), and the live calls a tenant has on
 * them, read from Kamailio's dialog list (each dialog carries its tenant and
 * interconnects as dialog variables set at decision time).
 */
export const CONNECTED_WITHIN_MS = 10_000;

interface NodeRow {
  id: string;
  sip_address: string;
  sip_port: number;
  rpc_url: string;
  version: string | null;
  config_generation: string;
  status: string;
  active_calls: number;
  last_error: string | null;
  started_at: Date;
  last_seen_at: Date;
}

export async function switchNodes(db: Db) {
  const { rows } = await db.$client.query<NodeRow>("SELECT * FROM switch_nodes ORDER BY id");
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    sipAddress: r.sip_address,
    sipPort: r.sip_port,
    version: r.version,
    configGeneration: r.config_generation,
    status: r.status,
    connected: r.status === "running" && now - r.last_seen_at.getTime() < CONNECTED_WITHIN_MS,
    activeCalls: r.active_calls,
    lastError: r.last_error,
    startedAt: r.started_at,
    lastSeenAt: r.last_seen_at,
    rpcUrl: r.rpc_url,
  }));
}

export async function switchStatus(db: Db, params: { tenantId: string }) {
  const nodes = await switchNodes(db);
  const spool = await db.$client.query<{ pending: number; failed: number }>(
    "SELECT count(*) FILTER (WHERE error IS NULL)::int AS pending, count(*) FILTER (WHERE error IS NOT NULL)::int AS failed FROM switch_cdr_spool WHERE tenant_id = $1",
    [params.tenantId],
  );
  const sync = await db.$client.query<{ status: string; n: number; last: Date | null }>(
    "SELECT status, count(*)::int AS n, max(coalesce(processed_at, created_at)) AS last FROM switch_sync_events WHERE tenant_id = $1 GROUP BY status",
    [params.tenantId],
  );
  const health = await db.$client.query<{ state: string; n: number }>("SELECT state, count(*)::int AS n FROM interconnect_health WHERE tenant_id = $1 GROUP BY state", [params.tenantId]);
  return {
    connected: nodes.some((n) => n.connected),
    nodes: nodes.map(({ rpcUrl: _r, activeCalls: _a, ...n }) => n),
    spool: { pending: spool.rows[0]?.pending ?? 0, failed: spool.rows[0]?.failed ?? 0 },
    sync: sync.rows.map((s) => ({ status: s.status, count: s.n, lastAt: s.last })),
    monitoring: { up: health.rows.find((h) => h.state === "up")?.n ?? 0, down: health.rows.find((h) => h.state === "down")?.n ?? 0 },
  };
}

interface RpcDialog {
  h_entry: number;
  h_id: number;
  "call-id": string;
  from_uri: string;
  to_uri: string;
  state: number;
  start_ts: number;
  init_ts: number;
  caller: { cseq: string | null };
  variables?: Record<string, string>[];
}

const vars = (d: RpcDialog) => Object.assign({}, ...(d.variables ?? [])) as Record<string, string | undefined>;

export interface ActiveCall {
  switchId: string;
  callId: string;
  state: "ringing" | "answered";
  from: string;
  to: string;
  startedAt: Date;
  answeredAt: Date | null;
  durationS: number;
  ingressInterconnectId: string | null;
  serviceId: string | null;
  egressInterconnectId: string | null;
  attempt: number | null;
}

/** Kamailio keeps an ended dialog a moment in state 5 (deleted): it is not a call any more. */
const isLive = (d: RpcDialog) => d.state >= 1 && d.state <= 4;

/** A tenant's live calls on every connected switch. */
export async function activeCalls(db: Db, params: { tenantId: string }): Promise<ActiveCall[]> {
  const out: ActiveCall[] = [];
  for (const node of (await switchNodes(db)).filter((n) => n.connected)) {
    const dialogs = (await rpcCall<RpcDialog[] | undefined>(node.rpcUrl, "dlg.list").catch(() => [])) ?? [];
    for (const d of dialogs.filter(isLive)) {
      const v = vars(d);
      if (v.tenant !== params.tenantId) continue;
      const answered = v.answer ? new Date(Number(v.answer) * 1000) : null;
      out.push({
        switchId: node.id,
        callId: d["call-id"],
        state: d.state >= 4 ? "answered" : "ringing",
        from: d.from_uri,
        to: d.to_uri,
        startedAt: new Date((d.init_ts || d.start_ts) * 1000),
        answeredAt: answered,
        durationS: answered ? Math.max(0, Math.floor((Date.now() - answered.getTime()) / 1000)) : 0,
        ingressInterconnectId: v.ing ?? null,
        serviceId: v.svc ?? null,
        egressInterconnectId: v.egress ?? null,
        attempt: v.attempt ? Number(v.attempt) : null,
      });
    }
  }
  return out.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/**
 * Ends a live call; refuses another tenant's call. Kamailio 5.6 cannot do it alone:
 * `dlg.end_dlg` refuses a dialog not yet answered, and for an answered one it sends the
 * caller's BYE, then checks the dialog's state again before the callee's BYE and before
 * running `dialog:end`; when the caller's 200 has been processed in between (by another
 * worker) the dialog is already deleted, so the callee gets no BYE and no script runs:
 * the call wrote no CDR. So the attempt's spool row is written here, from the dialog's
 * variables (ingest keeps one CDR per switch, call and attempt, so the row `dialog:end`
 * also writes when it does run changes nothing), and:
 * - ringing: 487 to the caller on the INVITE's transaction, which CANCELs the supplier
 *   (a reply of the proxy's own runs no failure_route, so nothing else writes the row);
 * - answered: `dlg.end_dlg` (BYE both ways, the callee's subject to that race).
 */
export async function hangUp(tx: TxDb, actor: Actor, params: { switchId: string; callId: string }) {
  const node = (await switchNodes(tx)).find((n) => n.id === params.switchId && n.connected);
  if (!node) throw notFound("Connected switch");
  const dialogs = (await rpcCall<RpcDialog[] | undefined>(node.rpcUrl, "dlg.list")) ?? [];
  const d = dialogs.find((x) => isLive(x) && x["call-id"] === params.callId && vars(x).tenant === actor.tenantId);
  if (!d) throw notFound("Active call");
  const answered = d.state >= 3;
  await spoolEndedCall(tx, node.id, d, answered ? 200 : 487);
  if (answered) {
    await rpcCall(node.rpcUrl, "dlg.end_dlg", [d.h_entry, d.h_id]);
  } else {
    await rpcCall(node.rpcUrl, "tm.reply_callid", [487, "Request Terminated", d["call-id"], d.caller.cseq ?? "1", ".", "."]).catch((err: Error) => {
      // Answered meanwhile: the INVITE's transaction has its final reply already.
      throw conflict(`The call was answered while it was being hung up; hang it up again (${err.message})`);
    });
  }
  await recordAudit(tx, actor, { action: "call.hang_up", entityType: "call", entityId: null, before: { switchId: node.id, callId: params.callId, from: d.from_uri, to: d.to_uri, state: answered ? "answered" : "ringing" }, after: null });
  return { ok: true as const };
}

/** The hung-up attempt's spool row, as `dialog:end` (answered) or failure_route (ringing) writes it. */
async function spoolEndedCall(tx: TxDb, switchId: string, d: RpcDialog, sipStatus: number) {
  const v = vars(d);
  const seconds = (x: string | undefined) => (x && Number(x) > 0 ? Number(x) : null);
  await tx.$client.query(
    `INSERT INTO switch_cdr_spool (tenant_id, switch_id, call_id, attempt, decision_ref, ingress_interconnect_id, service_id, egress_interconnect_id,
                                   calling, called, start_at, ring_at, answer_at, end_at, sip_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11), to_timestamp($12), to_timestamp($13), now(), $14)`,
    [v.tenant, switchId, d["call-id"], Number(v.attempt ?? 1), v.ref ?? "", v.ing ?? null, v.svc ?? null, v.egress ?? null, v.fU ?? "", v.rU ?? "", seconds(v.start) ?? d.init_ts, seconds(v.ring), sipStatus < 300 ? seconds(v.answer) : null, sipStatus],
  );
}
