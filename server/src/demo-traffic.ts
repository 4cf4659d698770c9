import type pg from "pg";
import type { FastifyInstance } from "fastify";
import { inTransaction } from "./platform/db/client.js";
import { formatMoney } from "./platform/money.js";
import type { JobQueue } from "./platform/jobs/boss.js";
import { systemActor } from "./audit/audit.js";
import { oneChunk, ingestChunks } from "./cdrs/ingest.js";
import type { CdrInput } from "./cdrs/model.js";
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
  const cdrs: CdrInput[] = [];
  for (let i = 0; i < total; i++) {
    // The last 60 calls fall in the last hour: the dashboard's live figures.
    const startMs = i >= total - 60 ? now.getTime() - Math.floor(rng() * 3_300_000) - 120_000 : lastMonth.getTime() + Math.floor(rng() * (span - 3_600_000));
    const r = rng();
    const source = r < SOURCES[0]!.share ? SOURCES[0]! : r < SOURCES[0]!.share + SOURCES[1]!.share ? SOURCES[1]! : SOURCES[2]!;
    const prefix = source.onlyUk ? pick(prefixes.filter((p) => p.prefix.startsWith("44")).map((p) => p.prefix)) : pick(prefixes.map((p) => p.prefix));
    const number = `${prefix}${digits(Math.max(6, 11 - prefix.length))}`;
    const decision = await app.routingService.decide(tenantId, { sourceIp: source.ip, dialled: `${source.techPrefix}${number}`, calling: `1212555${digits(4)}`, at: new Date(startMs) });
    if (decision.outcome !== "route" || !decision.routes.length) continue;
    const callId = `demo-${i}`;
    const base = { switchId: "demo", callId, serviceId: decision.service!.id, ingressInterconnectId: decision.ingress!.interconnect.id, callingNumber: decision.numbers.calling, calledNumber: `${source.techPrefix}${number}`, codec: "PCMA" };
    let attempt = 1;
    let at = startMs;
    // One in eight calls fails over from its first route.
    if (decision.routes.length > 1 && rng() < 0.125) {
      const pdd = 800 + Math.floor(rng() * 1500);
      cdrs.push(cdr({ ...base, attempt, egress: decision.routes[0]!.interconnect.id, startMs: at, pddMs: pdd, answeredS: null, status: 503 }));
      attempt = 2;
      at += pdd + 50;
    }
    const route = decision.routes[attempt - 1]!;
    const pdd = 900 + Math.floor(rng() * 2600);
    const answered = rng() < 0.58;
    const durationS = answered ? Math.max(3, Math.round(-Math.log(1 - rng()) * 170)) : null;
    cdrs.push(cdr({ ...base, attempt, egress: route.interconnect.id, startMs: at, pddMs: pdd, answeredS: durationS, status: answered ? 200 : pick([486, 480, 487, 404]) }));
  }
  const result = await ingestChunks(pool, jobs, actor, { kind: "api" }, oneChunk(cdrs));
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

function cdr(c: {
  switchId: string;
  callId: string;
  attempt: number;
  serviceId: string;
  ingressInterconnectId: string;
  egress: string;
  callingNumber: string;
  calledNumber: string;
  codec: string;
  startMs: number;
  pddMs: number;
  answeredS: number | null;
  status: number;
}): CdrInput {
  const answerMs = c.startMs + c.pddMs + 4000;
  const endMs = c.answeredS === null ? c.startMs + c.pddMs + 200 : answerMs + c.answeredS * 1000;
  return {
    switchId: c.switchId,
    callId: c.callId,
    attempt: c.attempt,
    serviceId: c.serviceId,
    ingressInterconnectId: c.ingressInterconnectId,
    egressInterconnectId: c.egress,
    callingNumber: c.callingNumber,
    calledNumber: c.calledNumber,
    startAt: new Date(c.startMs),
    answerAt: c.answeredS === null ? null : new Date(answerMs),
    endAt: new Date(endMs),
    durationS: c.answeredS ?? 0,
    pddMs: c.pddMs,
    sipStatus: c.status,
    q850Cause: c.answeredS === null ? ({ 503: 34, 486: 17, 480: 18, 487: 16, 404: 1 } as Record<number, number>)[c.status] ?? 16 : 16,
    disposition: c.answeredS !== null ? "answered" : c.status === 486 ? "busy" : c.status === 480 ? "no_answer" : c.status === 487 ? "cancelled" : "failed",
    codec: c.codec,
    reservationId: null,
  };
}
