import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type pg from "pg";
import { inTransaction, type TxDb } from "../platform/db/client.js";
import { formatMoney } from "../platform/money.js";
import type { JobContext, JobQueue } from "../platform/jobs/boss.js";
import { recordAudit, systemActor } from "../audit/audit.js";
import { notify } from "../notifications/notifications.js";
import { enqueueMail } from "../mail/mail.js";
import { carrierBalances, carrierSpend24h } from "../ledger/balances.js";
import { carriers, contacts, creditAlerts } from "../carriers/schema.js";
import { creditAlertStates } from "./schema.js";
import { renderAlertTemplate, stepAlert, watchedValue, type AlertState, type AlertType } from "./engine/alerts.js";

export const CREDIT_ALERTS_QUEUE = "credit.alerts";

const TYPE_LABEL: Record<AlertType, string> = { low_balance: "Low balance", high_balance: "High balance", spend_24h_breach: "24-hour spend breach" };

export interface AlertEvaluation {
  fired: string[];
  rearmed: string[];
}

/**
 * Evaluates one carrier's enabled credit alerts against its balance and 24-hour spend
 * now, in one transaction. A firing alert writes its state, one in-app notification,
 * one mail to its recipient contacts and an audit row together. The state rows are
 * locked first (FOR UPDATE), so two evaluations of the same carrier — in one process or
 * two — run one after the other and the second sees the first's state: an alert fires
 * exactly once per crossing.
 *
 * The watched value of a customer or bilateral carrier is its customer balance (credits
 * − debits) and customer 24-hour spend; of a supplier, its supplier balance and spend —
 * the figures of the carrier's Credit Control table, in the alert's currency.
 */
export async function evaluateCarrierAlerts(pool: pg.Pool, jobs: JobQueue, params: { tenantId: string; carrierId: string }): Promise<AlertEvaluation> {
  return inTransaction(pool, async (tx) => {
    const { tenantId, carrierId } = params;
    const alerts = await tx
      .select()
      .from(creditAlerts)
      .where(and(eq(creditAlerts.tenantId, tenantId), eq(creditAlerts.carrierId, carrierId), isNull(creditAlerts.deletedAt), eq(creditAlerts.enabled, true)))
      .orderBy(creditAlerts.id);
    const out: AlertEvaluation = { fired: [], rearmed: [] };
    if (!alerts.length) return out;
    const ids = alerts.map((a) => a.id);
    await tx
      .insert(creditAlertStates)
      .values(ids.map((alertId) => ({ alertId, tenantId })))
      .onConflictDoNothing();
    // The lock orders concurrent evaluations; the figures are read after it, so they are the latest committed.
    const states = await tx.select().from(creditAlertStates).where(and(eq(creditAlertStates.tenantId, tenantId), inArray(creditAlertStates.alertId, ids))).orderBy(creditAlertStates.alertId).for("update");
    const stateOf = new Map(states.map((s) => [s.alertId, s.state as AlertState]));

    const [carrier] = await tx
      .select({ name: carriers.name, type: carriers.type, customerSince: carriers.customerSpendResetAt, supplierSince: carriers.supplierSpendResetAt })
      .from(carriers)
      .where(and(eq(carriers.tenantId, tenantId), eq(carriers.id, carrierId)));
    if (!carrier) return out;
    const side = carrier.type === "supplier" ? "supplier" : "customer";
    const [balances, spend] = await Promise.all([
      carrierBalances(tx, { tenantId, carrierIds: [carrierId] }),
      carrierSpend24h(tx, { tenantId, carrierId, customerSince: carrier.customerSince, supplierSince: carrier.supplierSince }),
    ]);
    const figures = (currency: string) => {
      const b = balances.find((x) => x.currency === currency);
      const s = spend.find((x) => x.currency === currency);
      return {
        balanceMicros: (side === "customer" ? b?.customerBalanceMicros : b?.supplierBalanceMicros) ?? 0n,
        spend24hMicros: (side === "customer" ? s?.customerMicros : s?.supplierMicros) ?? 0n,
      };
    };

    const now = new Date();
    for (const alert of alerts) {
      const type = alert.type as AlertType;
      const f = figures(alert.currency);
      const value = watchedValue(type, f);
      const prev = stateOf.get(alert.id) ?? "armed";
      const step = stepAlert({ type, thresholdMicros: alert.thresholdMicros, resetThresholdMicros: alert.resetThresholdMicros }, prev, value);
      if (!step.transition) continue;
      const changed = await tx
        .update(creditAlertStates)
        .set(step.transition === "fire" ? { state: "fired", valueMicros: value, firedAt: now, updatedAt: now } : { state: "armed", valueMicros: value, rearmedAt: now, updatedAt: now })
        .where(and(eq(creditAlertStates.tenantId, tenantId), eq(creditAlertStates.alertId, alert.id), eq(creditAlertStates.state, prev)))
        .returning({ alertId: creditAlertStates.alertId });
      if (!changed.length) continue;
      const actor = systemActor(tenantId, "credit alerts");
      const audit = { type, currency: alert.currency, value: formatMoney(value, 2), threshold: formatMoney(alert.thresholdMicros, 2) };
      if (step.transition === "rearm") {
        out.rearmed.push(alert.id);
        await recordAudit(tx, actor, { action: "credit_alert.rearm", entityType: "credit_alert", entityId: alert.id, before: { state: "fired" }, after: { state: "armed", ...audit } });
        continue;
      }
      out.fired.push(alert.id);
      await fire(tx, jobs, { tenantId, carrierId, carrierName: carrier.name, alert: { id: alert.id, type, currency: alert.currency, template: alert.template, recipientContactIds: alert.recipientContactIds, thresholdMicros: alert.thresholdMicros }, figures: f, value });
      await recordAudit(tx, actor, { action: "credit_alert.fire", entityType: "credit_alert", entityId: alert.id, before: { state: "armed" }, after: { state: "fired", ...audit } });
    }
    return out;
  });
}

async function fire(
  tx: TxDb,
  jobs: JobQueue,
  p: {
    tenantId: string;
    carrierId: string;
    carrierName: string;
    alert: { id: string; type: AlertType; currency: string; template: string; recipientContactIds: string[]; thresholdMicros: bigint };
    figures: { balanceMicros: bigint; spend24hMicros: bigint };
    value: bigint;
  },
) {
  const money = (m: bigint) => formatMoney(m, 2);
  const vars = { carrier: p.carrierName, balance: money(p.figures.balanceMicros), spend: money(p.figures.spend24hMicros), value: money(p.value), threshold: money(p.alert.thresholdMicros), currency: p.alert.currency, type: TYPE_LABEL[p.alert.type] };
  const message = renderAlertTemplate(p.alert.template, vars);
  const title = `${TYPE_LABEL[p.alert.type]}: ${p.carrierName}`;
  await notify(tx, { tenantId: p.tenantId, severity: "warning", title, body: message, link: `/carriers/${p.carrierId}?tab=alerts` });
  const recipients = await tx
    .select({ email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.tenantId, p.tenantId), eq(contacts.carrierId, p.carrierId), inArray(contacts.id, p.alert.recipientContactIds), isNull(contacts.deletedAt), sql`${contacts.email} IS NOT NULL`));
  const to = [...new Set(recipients.map((r) => r.email!))];
  // A recipient without an e-mail address still gets the in-app notification.
  if (to.length) await enqueueMail(tx, jobs, { tenantId: p.tenantId, to, subject: `${title} (${vars.value} ${p.alert.currency})`, text: `${message}\n`, related: { type: "credit_alert", id: p.alert.id } });
}

/** Every carrier of every tenant with an enabled alert: the sweep catches what no posting announces (spend ageing out of the window, missed notices). */
export async function sweepCreditAlerts(pool: pg.Pool, jobs: JobQueue, _data: unknown, ctx: JobContext): Promise<{ carriers: number; fired: number }> {
  const r = await pool.query<{ tenant_id: string; carrier_id: string }>(`SELECT DISTINCT tenant_id, carrier_id FROM credit_alerts WHERE deleted_at IS NULL AND enabled ORDER BY 1, 2`);
  let fired = 0;
  for (const [i, c] of r.rows.entries()) {
    fired += (await evaluateCarrierAlerts(pool, jobs, { tenantId: c.tenant_id, carrierId: c.carrier_id })).fired.length;
    if (i % 50 === 49) await ctx.progress((100 * (i + 1)) / r.rows.length, `${i + 1} of ${r.rows.length} carriers`);
  }
  return { carriers: r.rows.length, fired };
}

/**
 * Follows credit control's account notices and evaluates the changed carriers' alerts
 * in the background, one carrier at a time, coalescing bursts of postings.
 */
export class CreditAlertWatcher {
  private readonly pending = new Map<string, { tenantId: string; carrierId: string }>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly jobs: JobQueue,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** A carrier's accounts changed. */
  changed(tenantId: string, carrierId: string): void {
    if (this.stopped) return;
    this.pending.set(`${tenantId}|${carrierId}`, { tenantId, carrierId });
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  /** Resolves when every carrier announced so far has been evaluated. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    await this.idle();
  }

  private async drain(): Promise<void> {
    // Let a burst of notices gather before the first evaluation.
    await new Promise((r) => setImmediate(r));
    while (this.pending.size && !this.stopped) {
      const [k, c] = this.pending.entries().next().value!;
      this.pending.delete(k);
      await evaluateCarrierAlerts(this.pool, this.jobs, c).catch(this.onError);
    }
  }
}
