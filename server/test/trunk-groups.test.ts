import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestContext, type Session } from "./harness.js";

/** Group membership and an interconnect's "Trunk Group" setting are one fact. */
let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await login(t.app, "admin@demo.didtron.local");
});
afterAll(async () => t?.close());

const egressRouting = { sendTo: [{ address: "192.0.2.210", port: 5060, transport: "udp" }] };

describe("trunk group membership", () => {
  it("joining a group through either side shows on both, and an interconnect is in one group at most", async () => {
    const carrier = (await admin.request("POST", "/api/carriers", { name: "TG Sync Supplier", type: "supplier", primaryCurrency: "USD" })).json;
    const mk = async (name: string) => (await admin.request("POST", `/api/carriers/${carrier.id}/interconnects`, { name, direction: "egress", currency: "USD", egressRouting })).json;
    const e1 = await mk("E1");
    const e2 = await mk("E2");
    const g1 = (await admin.request("POST", "/api/trunk-groups", { name: "Group One", direction: "egress", interconnectIds: [e1.id, e2.id] })).json;
    // The group's members now carry the setting.
    for (const e of [e1, e2]) expect((await admin.request("GET", `/api/interconnects/${e.id}`)).json.egressRouting.trunkGroupId).toBe(g1.id);

    // Setting E2's trunk group to another group moves it there.
    const g2 = (await admin.request("POST", "/api/trunk-groups", { name: "Group Two", direction: "egress" })).json;
    const moved = await admin.request("PATCH", `/api/interconnects/${e2.id}`, { egressRouting: { ...egressRouting, trunkGroupId: g2.id } });
    expect(moved.status).toBe(200);
    expect((await admin.request("GET", `/api/trunk-groups/${g1.id}`)).json.members.map((m: { name: string }) => m.name)).toEqual(["E1"]);
    expect((await admin.request("GET", `/api/trunk-groups/${g2.id}`)).json.members.map((m: { name: string }) => m.name)).toEqual(["E2"]);

    // Editing group two's members to take E1 removes E1 from group one; E2 leaving clears its setting.
    expect((await admin.request("PATCH", `/api/trunk-groups/${g2.id}`, { interconnectIds: [e1.id] })).status).toBe(200);
    expect((await admin.request("GET", `/api/trunk-groups/${g1.id}`)).json.members).toEqual([]);
    expect((await admin.request("GET", `/api/interconnects/${e1.id}`)).json.egressRouting.trunkGroupId).toBe(g2.id);
    expect((await admin.request("GET", `/api/interconnects/${e2.id}`)).json.egressRouting.trunkGroupId).toBeNull();

    // A group that still has members cannot be deleted; an empty one can.
    expect((await admin.request("DELETE", `/api/trunk-groups/${g2.id}`)).status).toBe(409);
    expect((await admin.request("DELETE", `/api/trunk-groups/${g1.id}`)).status).toBe(200);
  });

  it("the demo's Tier-1 group and its members agree", async () => {
    const groups = (await admin.request("GET", "/api/trunk-groups?q=Tier-1")).json.rows;
    expect(groups).toHaveLength(1);
    for (const m of groups[0].members) {
      expect((await admin.request("GET", `/api/interconnects/${m.interconnectId}`)).json.egressRouting.trunkGroupId).toBe(groups[0].id);
    }
  });
});
