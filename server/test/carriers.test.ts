import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, countRows, type TestContext, type Session } from "./harness.js";

/** The carrier hierarchy's rules, enforced by the API: each violation → 4xx naming the field, nothing written. */
let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

const TABLES = ["carriers", "interconnects", "services", "carrier_contacts", "credit_alerts", "audit_events", "switch_sync_events", "pgboss.job"];
async function nothingWritten<T>(fn: () => Promise<T>): Promise<T> {
  const before = await Promise.all(TABLES.map((x) => countRows(t.pool, x)));
  const r = await fn();
  expect(await Promise.all(TABLES.map((x) => countRows(t.pool, x)))).toEqual(before);
  return r;
}
async function refused(method: "POST" | "PATCH" | "DELETE", url: string, body: unknown, status: number, field?: string) {
  const r = await nothingWritten(() => admin.request(method, url, body));
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  if (field) expect(Object.keys(r.json.error.fields ?? {})).toContain(field);
  return r.json.error;
}

let seq = 0;
const uniq = (s: string) => `${s} ${++seq}`;
async function mkCarrier(body: Record<string, unknown>) {
  const r = await admin.request("POST", "/api/carriers", { primaryCurrency: "USD", ...body, name: uniq(String(body.name ?? "Carrier")) });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json;
}
const egressRouting = { sendTo: [{ address: "192.0.2.200", port: 5060, transport: "udp" }] };

describe("carriers", () => {
  it("creates a bilateral carrier with money as exact decimal strings, audited and synced", async () => {
    const c = await mkCarrier({ name: "Bilat", type: "bilateral", currency2: "EUR", customerCreditLimit: "1234.567891", bilateralLimit: "3000", customerSpendLimit24h: "99.99" });
    expect(c).toMatchObject({ type: "bilateral", customerCreditLimit: "1234.567891", bilateralLimit: "3000.000000", customerSpendLimit24h: "99.990000", interconnectCount: 0 });
    const stored = await t.pool.query("SELECT customer_credit_limit_micros FROM carriers WHERE id = $1", [c.id]);
    expect(stored.rows[0].customer_credit_limit_micros).toBe("1234567891");
    expect(await countRows(t.pool, "audit_events", `entity_id = '${c.id}' AND action = 'carrier.create'`)).toBe(1);
    const sync = await admin.request("GET", `/api/switch-sync?entityType=carrier&entityId=${c.id}`);
    expect(sync.json.rows).toHaveLength(1);
    expect(sync.json.rows[0]).toMatchObject({ action: "create", status: "pending" });
  });

  it("refuses a duplicate name, duplicate currencies, bad money and a non-staff account manager", async () => {
    const c = await mkCarrier({ name: "Unique", type: "customer" });
    await refused("POST", "/api/carriers", { name: c.name.toUpperCase(), type: "customer", primaryCurrency: "USD" }, 409, "name");
    await refused("POST", "/api/carriers", { name: "X1", type: "customer", primaryCurrency: "USD", currency2: "USD" }, 400, "currency2");
    await refused("POST", "/api/carriers", { name: "X2", type: "customer", primaryCurrency: "usd" }, 400, "primaryCurrency");
    await refused("POST", "/api/carriers", { name: "X3", type: "customer", primaryCurrency: "USD", customerCreditLimit: "-5" }, 400, "customerCreditLimit");
    await refused("POST", "/api/carriers", { name: "X4", type: "customer", primaryCurrency: "USD", customerCreditLimit: 12.5 }, 400, "customerCreditLimit");
    await refused("POST", "/api/carriers", { name: "X5", type: "customer", primaryCurrency: "USD", customerCreditLimit: "1.1234567" }, 400, "customerCreditLimit");
    await refused("POST", "/api/carriers", { name: "X6", type: "customer", primaryCurrency: "USD", bilateralLimit: "10" }, 400, "bilateralLimit");
    const customerUser = (await t.pool.query("SELECT id FROM users WHERE email = 'customer@demo.didtron.local'")).rows[0].id;
    await refused("POST", "/api/carriers", { name: "X7", type: "customer", primaryCurrency: "USD", accountManagerUserId: customerUser }, 400, "accountManagerUserId");
    await refused("POST", "/api/carriers", { name: "X8", type: "wholesaler", primaryCurrency: "USD" }, 400, "type");
    await refused("POST", "/api/carriers", { name: "X9", type: "customer", primaryCurrency: "USD", timeZone: "Nowhere/City" }, 400, "timeZone");
  });

  it("edits credit settings and accounting details, recording before/after", async () => {
    const c = await mkCarrier({ name: "Editable", type: "customer" });
    const r = await admin.request("PATCH", `/api/carriers/${c.id}`, { customerCreditType: "postpaid", customerCreditLimit: "2500.50", taxCode: "VAT-GB", billTo: "1 High St" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ customerCreditType: "postpaid", customerCreditLimit: "2500.500000", taxCode: "VAT-GB" });
    const audit = await admin.request("GET", `/api/audit-events?entityId=${c.id}&action=carrier.update`);
    expect(audit.json.rows[0].changes.customerCreditLimit).toEqual(["0.000000", "2500.500000"]);
  });
});

describe("interconnects", () => {
  it("ingress only on customer/bilateral, egress only on supplier/bilateral", async () => {
    const customer = await mkCarrier({ name: "OnlyCust", type: "customer" });
    const supplier = await mkCarrier({ name: "OnlySupp", type: "supplier" });
    await refused("POST", `/api/carriers/${customer.id}/interconnects`, { name: "E", direction: "egress", currency: "USD", egressRouting }, 400, "direction");
    await refused("POST", `/api/carriers/${supplier.id}/interconnects`, { name: "I", direction: "ingress", currency: "USD" }, 400, "direction");
    const ok1 = await admin.request("POST", `/api/carriers/${customer.id}/interconnects`, { name: "I", direction: "ingress", currency: "USD" });
    expect(ok1.status).toBe(201);
    // Defaults for every tab of the direction, none of the other direction's.
    expect(ok1.json.media.codecs).toEqual(["PCMA", "PCMU", "G729"]);
    expect(ok1.json.ingressValidation.ipValidation).toBe(true);
    expect(ok1.json.egressRouting).toBeNull();
    expect(ok1.json.monitoring).toBeNull();
    const ok2 = await admin.request("POST", `/api/carriers/${supplier.id}/interconnects`, { name: "E", direction: "egress", currency: "USD", egressRouting });
    expect(ok2.status).toBe(201);
    expect(ok2.json.monitoring.optionsIntervalS).toBe(30);
  });

  it("currency must be one of the carrier's; settings of the other direction are refused; direction cannot change", async () => {
    const c = await mkCarrier({ name: "Cur", type: "bilateral", currency2: "EUR" });
    await refused("POST", `/api/carriers/${c.id}/interconnects`, { name: "G", direction: "ingress", currency: "GBP" }, 400, "currency");
    await refused("POST", `/api/carriers/${c.id}/interconnects`, { name: "G", direction: "ingress", currency: "USD", egressRouting }, 400, "egressRouting");
    await refused("POST", `/api/carriers/${c.id}/interconnects`, { name: "G", direction: "egress", currency: "EUR" }, 400, "egressRouting.sendTo");
    await refused("POST", `/api/carriers/${c.id}/interconnects`, { name: "G", direction: "ingress", currency: "USD", addresses: [{ address: "not-an-ip" }] }, 400);
    await refused("POST", `/api/carriers/${c.id}/interconnects`, { name: "G", direction: "ingress", currency: "USD", media: { codecs: ["PCMA", "PCMA"] } }, 400);
    const eur = await admin.request("POST", `/api/carriers/${c.id}/interconnects`, { name: "EUR in", direction: "ingress", currency: "EUR" });
    expect(eur.status).toBe(201);
    await refused("PATCH", `/api/interconnects/${eur.json.id}`, { direction: "egress" }, 400, "direction");
    // The carrier cannot drop a currency an interconnect uses, nor become a supplier with ingress trunks.
    await refused("PATCH", `/api/carriers/${c.id}`, { currency2: null }, 409, "primaryCurrency");
    await refused("PATCH", `/api/carriers/${c.id}`, { type: "supplier" }, 409, "type");
  });

  it("refuses a rating plan that does not exist, with a clear message", async () => {
    const s = await mkCarrier({ name: "PlanSupp", type: "supplier" });
    const e = await refused("POST", `/api/carriers/${s.id}/interconnects`, { name: "E", direction: "egress", currency: "USD", egressRouting, supplierRatingPlanId: "0190aaaa-0000-7000-8000-000000000000" }, 400, "supplierRatingPlanId");
    expect(e.message).toMatch(/no such rating plan/i);
  });

  it("deleting a carrier with live interconnects is refused and says so; soft delete then works", async () => {
    const c = await mkCarrier({ name: "Parent", type: "customer" });
    const i = (await admin.request("POST", `/api/carriers/${c.id}/interconnects`, { name: "Trunk A", direction: "ingress", currency: "USD" })).json;
    const e = await refused("DELETE", `/api/carriers/${c.id}`, undefined, 409);
    expect(e.message).toMatch(/1 active interconnect \(Trunk A\)/);
    expect((await admin.request("DELETE", `/api/interconnects/${i.id}`)).status).toBe(200);
    expect((await admin.request("DELETE", `/api/carriers/${c.id}`)).status).toBe(200);
    expect((await admin.request("GET", `/api/carriers/${c.id}`)).status).toBe(404);
    const bin = await admin.request("GET", `/api/recycle-bin?entityType=carrier&q=${encodeURIComponent(c.name)}`);
    expect(bin.json.rows).toHaveLength(1);
    // The interconnect cannot come back before its carrier.
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "interconnect", id: i.id })).status).toBe(409);
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "carrier", id: c.id })).status).toBe(200);
    expect((await admin.request("POST", "/api/recycle-bin/restore", { entityType: "interconnect", id: i.id })).status).toBe(200);
  });
});

describe("services", () => {
  async function ingress(addresses: { address: string; port: number | null }[], techPrefix = "") {
    const c = await mkCarrier({ name: "SvcCust", type: "bilateral" });
    const i = await admin.request("POST", `/api/carriers/${c.id}/interconnects`, { name: "In", direction: "ingress", currency: "USD", addresses, ingressValidation: { techPrefix } });
    expect(i.status).toBe(201);
    return { carrier: c, ic: i.json };
  }

  it("belongs to an ingress interconnect and inherits its currency", async () => {
    const { carrier, ic } = await ingress([{ address: "100.64.0.1", port: null }]);
    const r = await admin.request("POST", `/api/interconnects/${ic.id}/services`, { name: "Std" });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ currency: "USD", carrierId: carrier.id, carrierName: carrier.name, routingPlanId: null, ratingPlanId: null });
    await refused("POST", `/api/interconnects/${ic.id}/services`, { name: "Eur", currency: "EUR" }, 400, "currency");
    const eg = await admin.request("POST", `/api/carriers/${carrier.id}/interconnects`, { name: "Out", direction: "egress", currency: "USD", egressRouting });
    await refused("POST", `/api/interconnects/${eg.json.id}/services`, { name: "OnEgress" }, 400, "interconnectId");
    // Routing straight back to the same carrier is circular routing, disabled by default.
    await refused("POST", `/api/interconnects/${ic.id}/services`, { name: "Loop", techPrefix: "9#", routingMethod: "interconnect", routeToInterconnectId: eg.json.id }, 400, "routeToInterconnectId");
    await refused("POST", `/api/interconnects/${ic.id}/services`, { name: "NoTarget", routingMethod: "interconnect" }, 400, "routeToInterconnectId");
    await admin.request("PATCH", `/api/carriers/${carrier.id}`, { circularRouting: true });
    const loop = { name: "Loop", techPrefix: "9#", routingMethod: "interconnect", routeToInterconnectId: eg.json.id };
    expect((await admin.request("POST", `/api/interconnects/${ic.id}/services`, loop)).status).toBe(201);
    // …and that egress interconnect cannot be deleted while a service routes to it.
    await refused("DELETE", `/api/interconnects/${eg.json.id}`, undefined, 409);
  });

  it("refuses a service that makes (source IP, tech prefix, destination) ambiguous, naming the other service", async () => {
    const a = await ingress([{ address: "100.64.1.0/24", port: null }]);
    const b = await ingress([{ address: "100.64.1.77", port: 5060 }]);
    expect((await admin.request("POST", `/api/interconnects/${a.ic.id}/services`, { name: "Alpha", techPrefix: "55#" })).status).toBe(201);
    const e = await refused("POST", `/api/interconnects/${b.ic.id}/services`, { name: "Beta", techPrefix: "55#" }, 409, "techPrefix");
    expect(e.message).toContain('"Alpha"');
    // Distinguishable by tech prefix or by destination prefix: allowed.
    expect((await admin.request("POST", `/api/interconnects/${b.ic.id}/services`, { name: "Beta", techPrefix: "56#" })).status).toBe(201);
    expect((await admin.request("POST", `/api/interconnects/${b.ic.id}/services`, { name: "Gamma", techPrefix: "55#", destinationMatch: ["44"] })).status).toBe(201);
    // An edit that would collide is refused too, and changes nothing.
    const delta = (await admin.request("POST", `/api/interconnects/${b.ic.id}/services`, { name: "Delta", techPrefix: "57#" })).json;
    await refused("PATCH", `/api/services/${delta.id}`, { techPrefix: "55#" }, 409);
    expect((await admin.request("GET", `/api/services/${delta.id}`)).json.techPrefix).toBe("57#");
    // Moving an interconnect's addresses onto another's can collide as well.
    const c = await ingress([{ address: "100.64.9.9", port: null }]);
    expect((await admin.request("POST", `/api/interconnects/${c.ic.id}/services`, { name: "Eps", techPrefix: "55#" })).status).toBe(201);
    await refused("PATCH", `/api/interconnects/${c.ic.id}`, { addresses: [{ address: "100.64.1.5", port: null }] }, 409);
  });

  it("services inherit the interconnect tech prefix when they have none", async () => {
    const a = await ingress([{ address: "100.64.2.1", port: null }], "88#");
    const b = await ingress([{ address: "100.64.2.1", port: null }]);
    expect((await admin.request("POST", `/api/interconnects/${a.ic.id}/services`, { name: "Inherit" })).status).toBe(201);
    await refused("POST", `/api/interconnects/${b.ic.id}/services`, { name: "Explicit", techPrefix: "88#" }, 409);
  });

  it("deleting an interconnect with services is refused", async () => {
    const a = await ingress([{ address: "100.64.3.1", port: null }]);
    await admin.request("POST", `/api/interconnects/${a.ic.id}/services`, { name: "Keep" });
    const e = await refused("DELETE", `/api/interconnects/${a.ic.id}`, undefined, 409);
    expect(e.message).toContain("Keep");
  });

  it("global search finds carriers, interconnects and services of the caller's tenant only", async () => {
    const r = await admin.request("GET", "/api/search?q=acme");
    const kinds = r.json.hits.map((h: { kind: string; title: string }) => `${h.kind}:${h.title}`);
    expect(kinds).toEqual(expect.arrayContaining(["carrier:Acme Telecom", "interconnect:Acme IN", "service:Acme Premium"]));
    expect(kinds).not.toContain("carrier:Acme Retail Customer");
  });

  it("the Services view lists services across carriers, searchable", async () => {
    const r = await admin.request("GET", "/api/services?q=Acme&pageSize=50");
    expect(r.json.rows.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(["Acme Premium", "Acme UK Direct"]));
  });
});

describe("contacts, credit alerts, trunk groups, blacklists, release causes", () => {
  it("contacts and alerts: recipients must be the carrier's contacts; an alert's recipient cannot be deleted", async () => {
    const c = await mkCarrier({ name: "Alerts", type: "customer" });
    const other = await mkCarrier({ name: "Other", type: "customer" });
    await refused("POST", `/api/carriers/${c.id}/contacts`, { name: "No roles", roles: [] }, 400, "roles");
    await refused("POST", `/api/carriers/${c.id}/contacts`, { name: "Bad mail", roles: ["noc"], email: "nope" }, 400, "email");
    const k = (await admin.request("POST", `/api/carriers/${c.id}/contacts`, { name: "Kim", roles: ["billing"], email: "kim@x.example" })).json;
    const foreign = (await admin.request("POST", `/api/carriers/${other.id}/contacts`, { name: "Lee", roles: ["billing"] })).json;
    const alert = { type: "low_balance", threshold: "-100", currency: "USD", template: "Low balance", recipientContactIds: [k.id] };
    await refused("POST", `/api/carriers/${c.id}/credit-alerts`, { ...alert, recipientContactIds: [foreign.id] }, 400, "recipientContactIds");
    await refused("POST", `/api/carriers/${c.id}/credit-alerts`, { ...alert, currency: "JPY" }, 400, "currency");
    await refused("POST", `/api/carriers/${c.id}/credit-alerts`, { ...alert, resetThreshold: "-200" }, 400, "resetThreshold");
    const created = await admin.request("POST", `/api/carriers/${c.id}/credit-alerts`, { ...alert, resetThreshold: "-50" });
    expect(created.status).toBe(201);
    expect(created.json.threshold).toBe("-100.000000");
    await refused("DELETE", `/api/carriers/${c.id}/contacts/${k.id}`, undefined, 409);
    // A contact of carrier A is not reachable through carrier B's URL.
    expect((await admin.request("PATCH", `/api/carriers/${other.id}/contacts/${k.id}`, { name: "x" })).status).toBe(404);
  });

  it("trunk groups hold interconnects of one direction", async () => {
    const s = await mkCarrier({ name: "TG", type: "bilateral" });
    const eg = (await admin.request("POST", `/api/carriers/${s.id}/interconnects`, { name: "E1", direction: "egress", currency: "USD", egressRouting })).json;
    const ing = (await admin.request("POST", `/api/carriers/${s.id}/interconnects`, { name: "I1", direction: "ingress", currency: "USD" })).json;
    await refused("POST", "/api/trunk-groups", { name: "Mixed", direction: "egress", interconnectIds: [eg.id, ing.id] }, 400, "interconnectIds");
    const g = await admin.request("POST", "/api/trunk-groups", { name: uniq("Egress TG"), direction: "egress", interconnectIds: [eg.id] });
    expect(g.status).toBe(201);
    expect(g.json.members.map((m: { name: string }) => m.name)).toEqual(["E1"]);
    // Referenced from an interconnect's Egress Routing tab, it cannot be deleted.
    expect((await admin.request("PATCH", `/api/interconnects/${eg.id}`, { egressRouting: { ...egressRouting, trunkGroupId: g.json.id } })).status).toBe(200);
    await refused("PATCH", `/api/interconnects/${ing.id}`, { ingressValidation: { trunkGroupId: g.json.id } }, 400, "ingressValidation.trunkGroupId");
    await refused("DELETE", `/api/trunk-groups/${g.json.id}`, undefined, 409);
  });

  it("blacklist entries validate their scope", async () => {
    await refused("POST", "/api/blacklist", { list: "destination", matchType: "prefix", value: "1900", scope: "service" }, 400, "serviceId");
    await refused("POST", "/api/blacklist", { list: "destination", matchType: "prefix", value: "19a", scope: "global" }, 400, "value");
    const ok = await admin.request("POST", "/api/blacklist", { list: "destination", matchType: "prefix", value: "1900", scope: "global", note: "premium rate" });
    expect(ok.status).toBe(201);
    await refused("POST", "/api/blacklist", { list: "destination", matchType: "prefix", value: "1900", scope: "global" }, 409, "value");
    expect((await admin.request("GET", "/api/blacklist?q=190")).json.total).toBe(1);
    expect((await admin.request("DELETE", `/api/blacklist/${ok.json.id}`)).status).toBe(200);
  });

  it("release cause mapping is seeded with RFC 3398 and editable", async () => {
    const r = await admin.request("GET", "/api/release-causes");
    const byCode = Object.fromEntries(r.json.rows.map((x: { sipCode: number }) => [x.sipCode, x]));
    expect(byCode[486]).toMatchObject({ q850Cause: 17, failover: false });
    expect(byCode[503]).toMatchObject({ q850Cause: 41, failover: true });
    expect(byCode[404]).toMatchObject({ q850Cause: 1, failover: false });
    expect(byCode[408]).toMatchObject({ q850Cause: 102, failover: true });
    await refused("POST", "/api/release-causes", { sipCode: 486, q850Cause: 17, description: "dup", failover: true }, 409, "sipCode");
    await refused("POST", "/api/release-causes", { sipCode: 200, q850Cause: 16, description: "ok?", failover: false }, 400, "sipCode");
    expect((await admin.request("PATCH", `/api/release-causes/${byCode[486].id}`, { failover: true })).json.failover).toBe(true);
    const reset = await admin.request("POST", "/api/release-causes/reset");
    expect(reset.json.rows.find((x: { sipCode: number }) => x.sipCode === 486).failover).toBe(false);
  });
});

describe("credit control from the ledger", () => {
  it("shows zero balances until postings exist, then the ledger's figures", async () => {
    const c = await mkCarrier({ name: "Ledgered", type: "bilateral", customerCreditType: "postpaid", customerCreditLimit: "5000", bilateralLimit: "3000" });
    const empty = await admin.request("GET", `/api/carriers/${c.id}/credit-control`);
    expect(empty.json.currencies[0]).toMatchObject({ currency: "USD", customer: { balance: "0.000000", limit: "-5000.000000", remaining: "5000.000000" }, supplier: { balance: "0.000000" } });
    // Postings arrive with the ledger module; write accounts directly to prove the read path.
    const tenant = admin.me.tenant.id;
    await t.pool.query(
      `INSERT INTO ledger_accounts (id, tenant_id, kind, carrier_id, currency, debits_posted_micros, credits_posted_micros)
       VALUES (gen_random_uuid(), $1, 'customer', $2, 'USD', 4658600000, 0), (gen_random_uuid(), $1, 'supplier', $2, 'USD', 0, 2925540000)`,
      [tenant, c.id],
    );
    const r = await admin.request("GET", `/api/carriers/${c.id}/credit-control`);
    expect(r.json.currencies[0]).toMatchObject({
      customer: { balance: "-4658.600000", remaining: "341.400000" },
      supplier: { balance: "-2925.540000" },
      bilateral: { netExposure: "-1733.060000", limit: "-3000.000000", remaining: "1266.940000" },
    });
  });

  it("the 24-hour spend Reset is audited", async () => {
    const c = await mkCarrier({ name: "Spender", type: "customer", customerSpendLimit24h: "100" });
    const r = await admin.request("POST", `/api/carriers/${c.id}/spend-reset`, { direction: "customer" });
    expect(r.status).toBe(200);
    expect(r.json.customerSpendResetAt).not.toBeNull();
    expect(r.json.currencies[0].spend24h.customer).toMatchObject({ spend: "0.000000", limit: "100.000000", remaining: "100.000000" });
    expect(await countRows(t.pool, "audit_events", `entity_id = '${c.id}' AND action = 'carrier.reset_spend'`)).toBe(1);
  });
});

describe("PATCH changes only what it names", () => {
  it("omitted fields keep their values (no defaults re-applied) on carriers, interconnects, services and contacts", async () => {
    const c = await mkCarrier({ name: "Patchy", type: "bilateral", currency2: "EUR", timeZone: "Europe/Paris", customerCreditLimit: "700" });
    const p1 = await admin.request("PATCH", `/api/carriers/${c.id}`, { taxCode: "FR-1" });
    expect(p1.json).toMatchObject({ currency2: "EUR", timeZone: "Europe/Paris", customerCreditLimit: "700.000000", taxCode: "FR-1" });
    const ic = (await admin.request("POST", `/api/carriers/${c.id}/interconnects`, { name: "P-in", direction: "ingress", currency: "USD", capacity: 42, status: "testing", addresses: [{ address: "100.64.7.7", port: 5060 }] })).json;
    const p2 = await admin.request("PATCH", `/api/interconnects/${ic.id}`, { media: { codecs: ["G722", "PCMA"], ptimeMs: 30 } });
    expect(p2.json).toMatchObject({ capacity: 42, status: "testing", addresses: [{ address: "100.64.7.7", port: 5060 }] });
    expect(p2.json.media).toMatchObject({ codecs: ["G722", "PCMA"], ptimeMs: 30 });
    const svc = (await admin.request("POST", `/api/interconnects/${ic.id}/services`, { name: "P-svc", techPrefix: "61#", priority: 7, destinationMatch: ["33"] })).json;
    const p3 = await admin.request("PATCH", `/api/services/${svc.id}`, { name: "P-svc renamed" });
    expect(p3.json).toMatchObject({ name: "P-svc renamed", techPrefix: "61#", priority: 7, destinationMatch: ["33"] });
    const k = (await admin.request("POST", `/api/carriers/${c.id}/contacts`, { name: "Pat", roles: ["noc"], email: "pat@x.example", phone: "+33 1 23 45" })).json;
    const p4 = await admin.request("PATCH", `/api/carriers/${c.id}/contacts/${k.id}`, { name: "Patricia" });
    expect(p4.json).toMatchObject({ name: "Patricia", email: "pat@x.example", phone: "+33 1 23 45" });
  });
});

describe("carrier boundaries", () => {
  it("another tenant's carriers, interconnects and services are 404 for reads and writes", async () => {
    const acme = await login(t.app, "admin@acme.example");
    const demoCarrier = (await admin.request("GET", "/api/carriers?q=Acme Telecom")).json.rows[0];
    const demoIc = (await admin.request("GET", "/api/interconnects?q=Acme IN")).json.rows[0];
    const demoSvc = (await admin.request("GET", "/api/services?q=Acme Premium")).json.rows[0];
    await nothingWritten(async () => {
      for (const [m, url, body] of [
        ["GET", `/api/carriers/${demoCarrier.id}`],
        ["PATCH", `/api/carriers/${demoCarrier.id}`, { name: "Stolen" }],
        ["DELETE", `/api/carriers/${demoCarrier.id}`],
        ["GET", `/api/carriers/${demoCarrier.id}/credit-control`],
        ["GET", `/api/carriers/${demoCarrier.id}/contacts`],
        ["POST", `/api/carriers/${demoCarrier.id}/contacts`, { name: "Spy", roles: ["noc"] }],
        ["POST", `/api/carriers/${demoCarrier.id}/interconnects`, { name: "Tap", direction: "ingress", currency: "USD" }],
        ["GET", `/api/interconnects/${demoIc.id}`],
        ["PATCH", `/api/interconnects/${demoIc.id}`, { capacity: 1 }],
        ["POST", `/api/interconnects/${demoIc.id}/services`, { name: "Hijack" }],
        ["GET", `/api/services/${demoSvc.id}`],
        ["PATCH", `/api/services/${demoSvc.id}`, { priority: 1 }],
        ["DELETE", `/api/services/${demoSvc.id}`],
      ] as const) {
        const r = await acme.request(m, url, body);
        expect(r.status, `${m} ${url}`).toBe(404);
      }
    });
    expect((await acme.request("GET", "/api/carriers?pageSize=500")).json.rows.map((c: { name: string }) => c.name)).toEqual(["Acme Retail Customer"]);
    expect((await acme.request("GET", "/api/services")).json.total).toBe(0);
  });

  it("read-only staff can view carriers but not change them; billing cannot write", async () => {
    const ro = await login(t.app, "readonly@demo.didtron.local");
    expect((await ro.request("GET", "/api/carriers")).status).toBe(200);
    const billing = await login(t.app, "billing@demo.didtron.local");
    await nothingWritten(async () => {
      expect((await ro.request("POST", "/api/carriers", { name: "RO", type: "customer", primaryCurrency: "USD" })).status).toBe(403);
      expect((await billing.request("POST", "/api/carriers", { name: "B", type: "customer", primaryCurrency: "USD" })).status).toBe(403);
    });
  });
});
