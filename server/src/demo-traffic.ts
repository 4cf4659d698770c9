import type pg from "pg";
import type { FastifyInstance } from "fastify";
import { inTransaction } from "./platform/db/client.js";
import { formatMoney } from "./platform/money.js";
import type { JobQueue } from "./platform/jobs/boss.js";
import { systemActor } from "./audit/audit.js";
import { oneChunk, ingestChunks, validateRows } from "./cdrs/ingest.js";
import { q850Causes, spoolToCdr, type SpoolRow } from "./switch/cdr-pull.js";
import type { DecisionDto } from "./routing/model.js";
import { rateBatch } from "./cdrs/rate.js";
import { recordPayment } from "./ledger/operations.js";
import { paymentCreate } from "./ledger/model.js";
import { generateInvoice, reallocateAfterPayment } from "./billing/invoices.js";
import { seededRng } from "./routing/engine/index.js";
import { createFxRate } from "./routing/fx.js";
import { fxRateCreate } from "./routing/model.js";

/**
 * Demo traffic for a fresh `npm start` (not for tests, which want an empty demo ledger):
 * calls from the demo customers over last month and this month, routed by the real
 * routing service, ingested as CDRs, rated and posted like switch traffic, a prepaid
 * top-up, last month's invoices issued and one paid in part — so every page from the
 * dashboard to the statements has something true to show. Deterministic (seeded).
 */
const SOURCES = [
  { ip: "203.0.113.10", techPrefix: "1001#", share: 0.5 }, // Acme Telecom (postpaid, bilateral)
  { ip: "203.0.113.11", techPrefix: "1002#", share: 0.15, onlyUk: true },
  { ip: "198.51.100.1", techPrefix: "2001#", share: 0.35 }, // GlobalVoice (prepaid)
];

export async function seedDemoTraffic(pool: pg.Pool, jobs: JobQueue, app: FastifyInstance, opts: { calls?: number; now?: Date } = {}): Promise<{ cdrs: number; invoices: number }> {
  const now = opts.now ?? new Date();
  const { rows: tenant } = await pool.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'demo'");
  if (!tenant[0]) return { cdrs: 0, invoices: 0 };
  const tenantId = tenant[0].id;
  const actor = systemActor(tenantId, "demo traffic");
  const carrierId = async (name: string) => (await pool.query<{ id: string }>("SELECT id FROM carriers WHERE tenant_id = $1 AND name = $2", [tenantId, name])).rows[0]!.id;
  const globalVoice = await carrierId("GlobalVoice Ltd");
  const acme = await carrierId("Acme Telecom");
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));

  // GlobalVoice is prepaid: it tops up before it calls.
  await inTransaction(pool, (tx) =>
    recordPayment(tx, actor, paymentCreate.parse({ carrierId: globalVoice, direction: "customer", method: "bank_transfer", reference: "TOPUP-0001", paidOn: lastMonth.toISOString().slice(0, 10), amount: "1500", currency: "GBP" })),
  );

  // GlobalVoice (GBP) is routed to Orion (EUR) too: its margin needs EUR→GBP, which the
  // base demo lacks (rating would list those calls under Rating Errors).
  await inTransaction(pool, (tx) => createFxRate(tx, actor, fxRateCreate.parse({ base: "EUR", quote: "GBP", rate: "0.86", effectiveFrom: "2024-01-01T00:00:00Z" })));

  // Routing checks credit from memory: wait until credit control has seen the top-up.
  for (let i = 0; i < 100; i++) {
    const v = app.credit.check({ tenantId, carrierId: globalVoice, currency: "GBP", rateMicrosPerMinute: 100_000n, connectionFeeMicros: 0n, at: Date.now() });
    if (v.allowed) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const { rows: prefixes } = await pool.query<{ prefix: string }>(
    `SELECT DISTINCT r.prefix FROM rates r JOIN rating_plans p ON p.tenant_id = r.tenant_id AND p.id = r.plan_id
     WHERE r.tenant_id = $1 AND p.name = 'Retail USD' ORDER BY r.prefix`,
    [tenantId],
  );
  const draws = seededRng(20261101);
  const rng = () => draws.next();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join("");
  const total = opts.calls ?? 2400;
  const span = now.getTime() - lastMonth.getTime();
  // Each attempt is built as the switch's spool row would be and mapped by the same
  // spoolToCdr (dispositions, Q.850 from the tenant's release cause mapping, billed seconds).
  const q850 = await q850Causes(pool, { tenantId });
  const attempts: Record<string, unknown>[] = [];
  const push = (a: { callId: string; attempt: number; decision: DecisionDto; egressId: string; dialled: string; startMs: number; pddMs: number; answeredS: number | null; status: number }) => {
    const ring = a.startMs + a.pddMs;
    const answer = ring + 4000;
    const row: SpoolRow = {
      id: "0",
      tenant_id: tenantId,
      switch_id: "demo",
      call_id: a.callId,
      attempt: a.attempt,
      decision_ref: null,
      final: true,
      ingress_interconnect_id: a.decision.ingress!.interconnect.id,
      service_id: a.decision.service!.id,
      egress_interconnect_id: a.egressId,
      calling: a.decision.numbers.calling,
      called: a.dialled,
      start_at: new Date(a.startMs),
      ring_at: new Date(ring),
      answer_at: a.answeredS === null ? null : new Date(answer),
      end_at: new Date(a.answeredS === null ? ring + 200 : answer + a.answeredS * 1000),
      sip_status: a.status,
    };
    attempts.push(spoolToCdr(row, q850));
  };
  for (let i = 0; i < total; i++) {
    // The last 60 calls fall in the last hour: the dashboard's live figures.
    const startMs = i >= total - 60 ? now.getTime() - Math.floor(rng() * 3_300_000) - 120_000 : lastMonth.getTime() + Math.floor(rng() * (span - 3_600_000));
    const r = rng();
    const source = r < SOURCES[0]!.share ? SOURCES[0]! : r < SOURCES[0]!.share + SOURCES[1]!.share ? SOURCES[1]! : SOURCES[2]!;
    const prefix = source.onlyUk ? pick(prefixes.filter((p) => p.prefix.startsWith("44")).map((p) => p.prefix)) : pick(prefixes.map((p) => p.prefix));
    const number = `${prefix}${digits(Math.max(6, 11 - prefix.length))}`;
    const decision = await app.routingService.decide(tenantId, { sourceIp: source.ip, dialled: `${source.techPrefix}${number}`, calling: `1212555${digits(4)}`, at: new Date(startMs) });
    if (decision.outcome !== "route" || !decision.routes.length) continue;
    const call = { callId: `demo-${i}`, decision, dialled: `${source.techPrefix}${number}` };
    let attempt = 1;
    let at = startMs;
    // One in eight calls fails over from its first route.
    if (decision.routes.length > 1 && rng() < 0.125) {
      const pdd = 800 + Math.floor(rng() * 1500);
      push({ ...call, attempt, egressId: decision.routes[0]!.interconnect.id, startMs: at, pddMs: pdd, answeredS: null, status: 503 });
      attempt = 2;
      at += pdd + 50;
    }
    const answered = rng() < 0.58;
    const pddMs = 900 + Math.floor(rng() * 2600);
    const answeredS = answered ? Math.max(3, Math.round(-Math.log(1 - rng()) * 170)) : null;
    push({ ...call, attempt, egressId: decision.routes[attempt - 1]!.interconnect.id, startMs: at, pddMs, answeredS, status: answered ? 200 : pick([486, 480, 487, 404]) });
  }
  const checked = validateRows(attempts);
  if (checked.errorCount) throw new Error(`demo traffic: ${JSON.stringify(checked.errors.slice(0, 3))}`);
  const result = await ingestChunks(pool, jobs, actor, { kind: "api" }, oneChunk(checked.valid));
  while ((await rateBatch(pool, { tenantId })).taken);

  // Last month is a closed period: its invoices are issued; Acme pays part of its own.
  let invoices = 0;
  for (const carrier of [acme, globalVoice]) {
    const inv = await inTransaction(pool, (tx) => generateInvoice(tx, actor, { carrierId: carrier, periodDate: lastMonth.toISOString().slice(0, 10), issue: true }, now)).catch(() => null);
    if (!inv) continue;
    invoices++;
    if (carrier !== acme) continue;
    const half = (inv.total / 2n / 10_000n) * 10_000n;
    if (half <= 0n) continue;
    await inTransaction(pool, async (tx) => {
      const paid = await recordPayment(tx, actor, paymentCreate.parse({ carrierId: acme, direction: "customer", method: "bank_transfer", reference: "ACME-REMIT-1", paidOn: now.toISOString().slice(0, 10), amount: formatMoney(half), currency: inv.currency }));
      await reallocateAfterPayment(tx, actor, { transferId: paid.payment.transferId });
    });
  }
  return { cdrs: result.inserted, invoices };
}
