/**
 * A small rated-traffic setup made through the API (so it works against `app.inject`
 * and a real server alike): a 30/6 USD sell plan (44, 4420) and a 60/60 buy plan (44),
 * a customer with an ingress interconnect and a service (tech prefix 9001#) on the sell
 * plan, and a supplier with an egress interconnect on the buy plan.
 */
export type Requester = (method: "GET" | "POST", url: string, body?: unknown) => Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Traffic {
  customerPlanId: string;
  supplierPlanId: string;
  customerCarrierId: string;
  supplierCarrierId: string;
  ingressId: string;
  serviceId: string;
  egressId: string;
}

function expectStatus(r: { status: number; json: unknown }, status: number, what: string) {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
}

export async function importAndApply(request: Requester, planId: string, csv: string): Promise<void> {
  const p = await request("POST", `/api/rating-plans/${planId}/imports`, { fileName: "deck.csv", csv, mode: "partial", noticePolicy: "reject" });
  expectStatus(p, 201, "deck preview");
  expectStatus(await request("POST", `/api/rating-revisions/${p.json.revision.id}/apply`), 202, "deck apply");
  for (let i = 0; i < 600; i++) {
    const r = await request("GET", `/api/rating-revisions/${p.json.revision.id}`);
    if (r.json.revision.status === "applied") return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("deck not applied");
}

export async function createTraffic(request: Requester, names = "CDR"): Promise<Traffic> {
  const post = async (url: string, body: unknown) => {
    const r = await request("POST", url, body);
    expectStatus(r, 201, url);
    return r.json.id as string;
  };
  const customerPlanId = await post("/api/rating-plans", { name: `${names} sell`, kind: "customer", currency: "USD", incrementFirstS: 30, incrementNextS: 6, noticeDays: 0 });
  const supplierPlanId = await post("/api/rating-plans", { name: `${names} buy`, kind: "supplier", currency: "USD", noticeDays: 0 });
  await importAndApply(request, customerPlanId, "prefix,destination,rate,effective_date\n44,United Kingdom,0.0150,2024-01-01\n4420,UK London,0.0100,2024-01-01\n");
  await importAndApply(request, supplierPlanId, "prefix,destination,rate,effective_date\n44,United Kingdom,0.0060,2024-01-01\n");
  const customerCarrierId = await post("/api/carriers", { name: `${names} Customer`, type: "customer", primaryCurrency: "USD" });
  const ingressId = await post(`/api/carriers/${customerCarrierId}/interconnects`, { name: `${names} in`, direction: "ingress", currency: "USD", addresses: [{ address: "100.64.77.1", port: null }] });
  const serviceId = await post(`/api/interconnects/${ingressId}/services`, { name: `${names} svc`, techPrefix: "9001#", ratingPlanId: customerPlanId });
  const supplierCarrierId = await post("/api/carriers", { name: `${names} Supplier`, type: "supplier", primaryCurrency: "USD" });
  const egressId = await post(`/api/carriers/${supplierCarrierId}/interconnects`, {
    name: `${names} out`,
    direction: "egress",
    currency: "USD",
    supplierRatingPlanId: supplierPlanId,
    egressRouting: { sendTo: [{ address: "192.0.2.177", port: 5060, transport: "udp" }] },
  });
  return { customerPlanId, supplierPlanId, customerCarrierId, supplierCarrierId, ingressId, serviceId, egressId };
}

/** One answered call attempt to London on the traffic above; `over` changes any field. */
export const cdrOf = (t: Traffic, over: Record<string, unknown> = {}) => ({
  switchId: "sw1",
  callId: "call-1",
  attempt: 1,
  ingressInterconnectId: t.ingressId,
  egressInterconnectId: t.egressId,
  callingNumber: "+12125550100",
  calledNumber: "9001#442071234567",
  startAt: "2026-11-20T10:00:00Z",
  answerAt: "2026-11-20T10:00:03Z",
  endAt: "2026-11-20T10:00:40Z",
  durationS: 37,
  pddMs: 2100,
  sipStatus: 200,
  q850Cause: 16,
  disposition: "answered",
  codec: "PCMA",
  ...over,
});
