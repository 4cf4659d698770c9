import type { TxDb } from "../platform/db/client.js";
import type { JobQueue } from "../platform/jobs/boss.js";
import type { Actor } from "../audit/audit.js";
import { carrierCreate, contactInput, creditAlertInput, interconnectCreate, serviceCreate, trunkGroupInput } from "./model.js";
import { createCarrier } from "./carriers.js";
import { createInterconnect } from "./interconnects.js";
import { createService } from "./services.js";
import { createContact, createCreditAlert } from "./contacts.js";
import { createTrunkGroup } from "./trunk-groups.js";

/** Demo hierarchy, created through the same operations (and rules) as the API. */
export async function seedDemoCarriers(
  tx: TxDb,
  demo: Actor,
  acme: Actor,
  jobs: JobQueue,
  accountManagers: string[],
): Promise<{ portalCarrierId: string }> {
  const manager = (i: number) => accountManagers[i % accountManagers.length] ?? null;
  const carrier = (a: Actor, input: Record<string, unknown>) => createCarrier(tx, a, jobs, carrierCreate.parse(input));
  // Demo suppliers sit on documentation addresses (RFC 5737): OPTIONS pings would leave the
  // machine and mark every demo supplier down within minutes, so their monitoring is off.
  const ic = (a: Actor, carrierId: string, input: Record<string, unknown>) =>
    createInterconnect(tx, a, jobs, carrierId, interconnectCreate.parse(input.direction === "egress" && !input.monitoring ? { ...input, monitoring: { optionsPing: false } } : input));
  const svc = (a: Actor, interconnectId: string, input: Record<string, unknown>) => createService(tx, a, jobs, interconnectId, serviceCreate.parse(input));

  const acmeTel = await carrier(demo, {
    name: "Acme Telecom",
    type: "bilateral",
    accountManagerUserId: manager(0),
    timeZone: "America/New_York",
    primaryCurrency: "USD",
    currency2: "EUR",
    routingCapacity: 500,
    customerCreditType: "postpaid",
    customerCreditLimit: "5000",
    bilateralLimit: "3000",
    bilateralLimitBreach: "block",
    customerSpendLimit24h: "1500",
    customerSpendBreach: "alert",
    customerAccountNumber: "CUST-10042",
    supplierAccountNumber: "SUPP-20017",
    taxCode: "US-EXEMPT",
    billTo: "Acme Telecom Inc.\n100 Main Street\nNew York, NY 10001\nUSA",
  });
  const acmeIn = await ic(demo, acmeTel.id, {
    name: "Acme IN",
    direction: "ingress",
    currency: "USD",
    capacity: 200,
    addresses: [{ address: "203.0.113.10", port: 5060 }, { address: "203.0.113.11", port: 5060 }],
    ingressValidation: { techPrefix: "1001#", maxCps: 30 },
  });
  await ic(demo, acmeTel.id, {
    name: "Acme OUT",
    direction: "egress",
    currency: "USD",
    capacity: 150,
    addresses: [{ address: "203.0.113.20", port: 5060 }],
    egressRouting: { sendTo: [{ address: "203.0.113.20", port: 5060, transport: "udp" }], maxCps: 25 },
  });
  await svc(demo, acmeIn.id, { name: "Acme Premium", destinationMatch: [], capacity: 150, priority: 10 });
  await svc(demo, acmeIn.id, { name: "Acme UK Direct", techPrefix: "1002#", destinationMatch: ["44"], priority: 20 });
  const contacts = [
    await createContact(tx, demo, acmeTel.id, contactInput.parse({ name: "Maria Lopez", roles: ["billing"], email: "billing@acme-telecom.example", phone: "+1 212 555 0101" })),
    await createContact(tx, demo, acmeTel.id, contactInput.parse({ name: "NOC Desk", roles: ["noc", "technical"], email: "noc@acme-telecom.example", phone: "+1 212 555 0199" })),
    await createContact(tx, demo, acmeTel.id, contactInput.parse({ name: "Tom Reed", roles: ["rates", "sales"], email: "rates@acme-telecom.example", phone: null })),
  ];
  await createCreditAlert(
    tx,
    demo,
    acmeTel.id,
    creditAlertInput.parse({ type: "low_balance", threshold: "-4000", resetThreshold: "-3500", currency: "USD", template: "{{carrier}} balance is {{balance}} {{currency}}, below {{threshold}}.", recipientContactIds: [contacts[0]!.id, contacts[1]!.id] }),
  );

  const gv = await carrier(demo, { name: "GlobalVoice Ltd", type: "customer", accountManagerUserId: manager(1), timeZone: "Europe/London", primaryCurrency: "GBP", customerCreditType: "prepaid", customerCreditLimit: "250", customerSpendLimit24h: "800", customerSpendBreach: "block", customerAccountNumber: "CUST-10077" });
  const gvIn = await ic(demo, gv.id, { name: "GV London", direction: "ingress", currency: "GBP", capacity: 120, addresses: [{ address: "198.51.100.0/28", port: null }] });
  await svc(demo, gvIn.id, { name: "GV CLI Route", techPrefix: "2001#", priority: 10 });
  await svc(demo, gvIn.id, { name: "GV Standard", techPrefix: "2002#", priority: 20 });
  await createContact(tx, demo, gv.id, contactInput.parse({ name: "Priya Shah", roles: ["billing", "management"], email: "accounts@globalvoice.example", phone: "+44 20 7946 0000" }));

  const tac = await carrier(demo, { name: "TransAtlantic Carrier", type: "supplier", accountManagerUserId: manager(0), primaryCurrency: "USD", supplierSpendLimit24h: "5000", supplierAccountNumber: "SUPP-20003" });
  const tacEgress = [
    await ic(demo, tac.id, { name: "TAC Primary", direction: "egress", currency: "USD", capacity: 400, addresses: [{ address: "192.0.2.50", port: 5060 }], egressRouting: { techPrefix: "77#", sendTo: [{ address: "192.0.2.50", port: 5060, transport: "udp" }] } }),
    await ic(demo, tac.id, { name: "TAC Backup", direction: "egress", currency: "USD", capacity: 200, addresses: [{ address: "192.0.2.51", port: 5060 }], egressRouting: { techPrefix: "77#", sendTo: [{ address: "192.0.2.51", port: 5060, transport: "tcp" }] } }),
  ];
  const orion = await carrier(demo, { name: "Orion Networks", type: "supplier", timeZone: "Europe/Berlin", primaryCurrency: "EUR", supplierAccountNumber: "SUPP-20044" });
  const orionEgress = await ic(demo, orion.id, { name: "Orion FRA", direction: "egress", currency: "EUR", capacity: 300, addresses: [{ address: "192.0.2.80", port: 5060 }], egressRouting: { sendTo: [{ address: "192.0.2.80", port: 5061, transport: "tls" }] } });
  await createTrunkGroup(tx, demo, trunkGroupInput.parse({ name: "Tier-1 Suppliers", direction: "egress", description: "Premium CLI routes", interconnectIds: [tacEgress[0]!.id, orionEgress.id] }));

  // Enough carriers to sort, filter and page through.
  const names = ["Nordic Voice", "Pacific Link", "Sahara Telecom", "Andes Carrier", "Baltic Connect", "Cedar Networks", "Delta Wholesale", "Everest Telco", "Fjord Communications", "Granite Voice", "Horizon Telecom", "Indigo Carrier", "Jade Networks", "Kestrel Voice", "Lagoon Telecom", "Meridian Link", "Nimbus Carrier", "Onyx Communications", "Prairie Voice", "Quartz Telecom"];
  const types = ["customer", "supplier", "bilateral"] as const;
  const currencies = ["USD", "EUR", "GBP"] as const;
  for (const [i, name] of names.entries()) {
    await carrier(demo, { name, type: types[i % 3], primaryCurrency: currencies[i % 3], accountManagerUserId: manager(i), status: i % 7 === 6 ? "suspended" : "active", customerCreditType: i % 2 ? "postpaid" : "prepaid", customerCreditLimit: String((i + 1) * 250) });
  }

  await carrier(acme, { name: "Acme Retail Customer", type: "customer", primaryCurrency: "GBP" });
  return { portalCarrierId: gv.id };
}
