import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, createPool } from "../src/platform/db/client.js";
import { postTransfers } from "../src/ledger/post.js";
import { evaluateCarrierAlerts, sweepCreditAlerts } from "../src/credit/alerts.js";
import { createTestApp, countRows, login, type Session, type TestContext } from "./harness.js";

/** Credit alerts fired by real postings: once per crossing, re-armed past the reset threshold, exactly once across processes. */
let t: TestContext;
let admin: Session;
let billing: Session;
let tenantId: string;
const U = 1_000_000n;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
  billing = await login(t.app, "billing@demo.didtron.local");
  tenantId = admin.me.tenant.id;
});
afterAll(async () => t?.close());

/** A customer carrier with three contacts (one without e-mail) and one alert sending to all of them. */
async function carrierWithAlert(name: string, alert: Record<string, unknown>) {
  const c = await admin.request("POST", "/api/carriers", { name, type: "customer", primaryCurrency: "USD" });
  expect(c.status).toBe(201);
  const contact = async (n: string, email: string | null) => (await admin.request("POST", `/api/carriers/${c.json.id}/contacts`, { name: n, roles: ["billing"], email })).json.id as string;
  const recipients = [await contact("Ann", "ann@alerting.example"), await contact("Bob", "bob@alerting.example"), await contact("Phone Only", null)];
  const a = await admin.request("POST", `/api/carriers/${c.json.id}/credit-alerts`, { currency: "USD", template: "{{carrier}} balance is {{balance}} {{currency}}, threshold {{threshold}}.", recipientContactIds: recipients, ...alert });
  expect(a.status).toBe(201);
  return { carrierId: c.json.id as string, alertId: a.json.id as string };
}

/** Posts and waits until credit control has heard of it and the alert watcher has evaluated it. */
async function posted(fn: () => Promise<unknown>) {
  const since = Date.now();
  await fn();
  const until = Date.now() + 5_000;
  while (t.app.credit.status().lastNoticeAt < since) {
    if (Date.now() > until) throw new Error("no ledger notice");
    await new Promise((r) => setTimeout(r, 5));
  }
  await t.app.creditAlerts.idle();
}
const charge = (carrierId: string, amount: bigint) =>
  posted(() => inTransaction(t.pool, (tx) => postTransfers(tx, { tenantId, transfers: [{ op: "call_charge", key: `alert-test-${++seq}`, carrierId, currency: "USD", amountMicros: amount * U }] })));
const pay = (carrierId: string, amount: string) =>
  posted(async () => expect((await billing.request("POST", "/api/payments", { carrierId, direction: "customer", method: "bank_transfer", paidOn: new Date().toISOString().slice(0, 10), amount, currency: "USD" })).status).toBe(201));

async function fired(alertId: string, carrierName: string) {
  const notifications = await countRows(t.pool, "notifications", `tenant_id = '${tenantId}' AND title LIKE '%${carrierName}'`);
  const mails = await t.pool.query<{ to_addresses: string[]; subject: string; text_body: string }>(`SELECT to_addresses, subject, text_body FROM mail_outbox WHERE related_type = 'credit_alert' AND related_id = $1 ORDER BY created_at`, [alertId]);
  const state = (await t.pool.query<{ state: string }>(`SELECT state FROM credit_alert_states WHERE alert_id = $1`, [alertId])).rows[0]?.state ?? null;
  return { notifications, mails: mails.rows, state };
}

describe("credit alerts", () => {
  it("low balance fires once per crossing, re-arms only past the reset threshold", async () => {
    const { carrierId, alertId } = await carrierWithAlert("Alerting Low Co", { type: "low_balance", threshold: "-10", resetThreshold: "-5" });
    await charge(carrierId, 8n); // −8
    expect(await fired(alertId, "Alerting Low Co")).toMatchObject({ notifications: 0, mails: [], state: "armed" });

    await charge(carrierId, 3n); // −11: crosses
    let f = await fired(alertId, "Alerting Low Co");
    expect(f).toMatchObject({ notifications: 1, state: "fired" });
    expect(f.mails).toHaveLength(1);
    expect(f.mails[0]!.to_addresses.sort()).toEqual(["ann@alerting.example", "bob@alerting.example"]);
    expect(f.mails[0]!.subject).toBe("Low balance: Alerting Low Co (-11.00 USD)");
    expect(f.mails[0]!.text_body.trim()).toBe("Alerting Low Co balance is -11.00 USD, threshold -10.00.");

    // The carrier's Credit Alerts tab shows it fired, and when.
    const listed = (await admin.request("GET", `/api/carriers/${carrierId}/credit-alerts`)).json.rows;
    expect(listed).toEqual([expect.objectContaining({ id: alertId, state: "fired", firedAt: expect.any(String) })]);

    await charge(carrierId, 5n); // −16: still below, no new alert
    await pay(carrierId, "8"); // −8: above the threshold but below the reset: still fired
    f = await fired(alertId, "Alerting Low Co");
    expect(f).toMatchObject({ notifications: 1, state: "fired" });
    expect(f.mails).toHaveLength(1);

    await pay(carrierId, "4"); // −4: past the reset, re-armed
    expect((await fired(alertId, "Alerting Low Co")).state).toBe("armed");
    expect((await admin.request("GET", `/api/carriers/${carrierId}/credit-alerts`)).json.rows[0]).toMatchObject({ state: "armed" });
    await charge(carrierId, 10n); // −14: crosses again
    f = await fired(alertId, "Alerting Low Co");
    expect(f).toMatchObject({ notifications: 2, state: "fired" });
    expect(f.mails).toHaveLength(2);
    expect(await countRows(t.pool, "audit_events", `entity_id = '${alertId}' AND action = 'credit_alert.fire'`)).toBe(2);
    expect(await countRows(t.pool, "audit_events", `entity_id = '${alertId}' AND action = 'credit_alert.rearm'`)).toBe(1);
    // Its delivery is queued in the same transaction.
    expect(await countRows(t.pool, "pgboss.job", `name = 'mail.deliver' AND data->>'tenantId' = '${tenantId}'`)).toBeGreaterThanOrEqual(2);
  });

  it("a restart (or the sweep) does not fire a fired alert again", async () => {
    const { carrierId, alertId } = await carrierWithAlert("Alerting Restart Co", { type: "low_balance", threshold: "-1" });
    await charge(carrierId, 2n);
    expect((await fired(alertId, "Alerting Restart Co")).notifications).toBe(1);
    const r = await evaluateCarrierAlerts(t.pool, t.jobs, { tenantId, carrierId });
    expect(r).toEqual({ fired: [], rearmed: [] });
    await sweepCreditAlerts(t.pool, t.jobs, {}, { jobId: "x", progress: async () => {} });
    expect(await fired(alertId, "Alerting Restart Co")).toMatchObject({ notifications: 1, state: "fired" });
    expect((await fired(alertId, "Alerting Restart Co")).mails).toHaveLength(1);
  });

  it("fires exactly once when several processes evaluate the same crossing at once", async () => {
    const { carrierId, alertId } = await carrierWithAlert("Alerting Race Co", { type: "low_balance", threshold: "-1" });
    // Two more "servers": their own connection pools evaluating beside the app's watcher.
    const pools = [createPool(t.url, 4), createPool(t.url, 4)];
    try {
      await inTransaction(t.pool, (tx) => postTransfers(tx, { tenantId, transfers: [{ op: "call_charge", key: `race-${++seq}`, carrierId, currency: "USD", amountMicros: 5n * U }] }));
      const results = await Promise.all(pools.flatMap((p) => Array.from({ length: 4 }, () => evaluateCarrierAlerts(p, t.jobs, { tenantId, carrierId }))));
      await new Promise((r) => setTimeout(r, 100));
      await t.app.creditAlerts.idle();
      expect(results.reduce((n, r) => n + r.fired.length, 0)).toBeLessThanOrEqual(1);
      const f = await fired(alertId, "Alerting Race Co");
      expect(f).toMatchObject({ notifications: 1, state: "fired" });
      expect(f.mails).toHaveLength(1);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it("high balance and 24-hour spend breach fire on their own crossings", async () => {
    const high = await carrierWithAlert("Alerting High Co", { type: "high_balance", threshold: "100", resetThreshold: "50" });
    await pay(high.carrierId, "99");
    expect((await fired(high.alertId, "Alerting High Co")).notifications).toBe(0);
    await pay(high.carrierId, "2"); // 101
    expect(await fired(high.alertId, "Alerting High Co")).toMatchObject({ notifications: 1, state: "fired" });

    const spend = await carrierWithAlert("Alerting Spend Co", { type: "spend_24h_breach", threshold: "20", resetThreshold: "10" });
    await pay(spend.carrierId, "1000"); // a payment is not spend
    await charge(spend.carrierId, 15n);
    expect((await fired(spend.alertId, "Alerting Spend Co")).notifications).toBe(0);
    await charge(spend.carrierId, 6n); // 21 in 24 hours
    const f = await fired(spend.alertId, "Alerting Spend Co");
    expect(f).toMatchObject({ notifications: 1, state: "fired" });
    expect(f.mails[0]!.subject).toBe("24-hour spend breach: Alerting Spend Co (21.00 USD)");
  });

  it("a disabled alert does not fire", async () => {
    const { carrierId, alertId } = await carrierWithAlert("Alerting Off Co", { type: "low_balance", threshold: "-1", enabled: false });
    await charge(carrierId, 5n);
    expect(await fired(alertId, "Alerting Off Co")).toMatchObject({ notifications: 0, mails: [], state: null });
  });
});
