import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { compileSerializer } from "../src/platform/http/compiled-serializer.js";
import { money, timestamp } from "../src/platform/http/schemas.js";
import { decideInput, decisionDto } from "../src/routing/model.js";
import { createTestApp, login, type Session, type TestContext } from "./harness.js";

/** The default serializer of every other route: zod's encode, then JSON.stringify. */
const viaZod = (schema: z.ZodType, value: unknown) => JSON.stringify(z.encode(schema, value as never));

describe("compileSerializer", () => {
  const schema = z.object({
    id: z.uuid(),
    name: z.string().trim(),
    amount: money,
    fee: money.nullable(),
    at: timestamp,
    count: z.number().int(),
    ratio: z.number(),
    ok: z.boolean(),
    kind: z.enum(["a", "b"]),
    fixed: z.literal(true),
    note: z.string().optional(),
    port: z.number().int().default(5060),
    tags: z.array(z.object({ k: z.string(), v: z.string().nullable() })),
  });
  const good = {
    id: "8f6c2c43-3f55-4f63-9a6a-0b7b1f6f1e11",
    name: '  "quoted" ünïcode \u2028 ',
    amount: -1_234_567n,
    fee: null,
    at: new Date("2026-01-15T12:00:00.123Z"),
    count: 3,
    ratio: 0.25,
    ok: false,
    kind: "b",
    fixed: true,
    port: 5060,
    tags: [{ k: "x", v: null }, { k: "y", v: "z" }],
    extra: "left out",
  };

  it("writes the same bytes as zod's encode + JSON.stringify", () => {
    const write = compileSerializer(schema);
    for (const v of [good, { ...good, note: "n", fee: 5n, port: 5061, tags: [] }]) {
      expect(write(v)).toBe(viaZod(schema, v));
    }
  });

  it.each([
    ["a wrong type", { ...good, count: "3" }, /count: expected an integer/],
    ["a fraction for an integer", { ...good, count: 1.5 }, /count: expected an integer/],
    ["null where not nullable", { ...good, amount: null }, /amount/],
    ["a value outside the enum", { ...good, kind: "c" }, /kind: expected one of a, b/],
    ["a bad uuid", { ...good, id: "nope" }, /id: expected a string matching/],
    ["a missing field", { ...good, ok: undefined }, /ok: expected boolean/],
    ["a missing field with a default", { ...good, port: undefined }, /port: expected an integer/],
    ["a bad element", { ...good, tags: [{ k: 1, v: null }] }, /tags\[0\]\.k/],
  ])("refuses %s, as zod does", (_what, value, message) => {
    expect(() => compileSerializer(schema)(value)).toThrow(message);
    expect(() => viaZod(schema, value)).toThrow();
  });

  it("refuses a schema it does not know at compile time", () => {
    expect(() => compileSerializer(z.object({ u: z.union([z.string(), z.number()]) }))).toThrow(/not supported/);
  });
});

describe("the route decision's answer", () => {
  let t: TestContext;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await login(t.app, "admin@demo.didtron.local");
  });
  afterAll(async () => t?.close());

  // The README's demo calls: routed (LCR, weighted, circular and loss drops), blocked, no rate, unknown source, by service id, what-if state.
  const calls = [
    { sourceIp: "203.0.113.10", sourcePort: 5060, dialled: "1002#442071234567", calling: "+12125550100" },
    { sourceIp: "203.0.113.10", sourcePort: 5060, dialled: "1001#2348031234567" },
    { sourceIp: "203.0.113.10", sourcePort: 5060, dialled: "1001#19005551234" },
    { sourceIp: "198.51.100.5", dialled: "2001#447700900123", seed: 7 },
    { sourceIp: "198.51.100.5", dialled: "2001#8613800138000" },
    { sourceIp: "192.0.2.99", dialled: "442071234567" },
  ];

  it("is byte for byte what zod would have written, for routed and refused calls", async () => {
    const tenantId = admin.me.tenant.id;
    const inputs = calls.map((c) => decideInput.parse({ at: "2026-01-15T12:00:00Z", ...c }));
    const services = (await t.pool.query<{ id: string }>("SELECT id FROM services WHERE tenant_id = $1 AND deleted_at IS NULL LIMIT 2", [tenantId])).rows;
    const interconnects = (await t.pool.query<{ id: string }>("SELECT id FROM interconnects WHERE tenant_id = $1 AND direction <> 'ingress' LIMIT 2", [tenantId])).rows;
    for (const s of services) inputs.push(decideInput.parse({ serviceId: s.id, dialled: "442071234567" }));
    inputs.push(decideInput.parse({ ...calls[0], simulate: { down: [interconnects[0]!.id], channels: { [interconnects[1]!.id]: 5 }, quality: [] } }));
    const write = compileSerializer(decisionDto);
    const outcomes = new Set<string>();
    for (const input of inputs) {
      const dto = await t.app.routingService.decide(tenantId, input);
      outcomes.add(dto.rejection?.reason ?? `route ×${dto.routes.length}, dropped ×${dto.dropped.length}`);
      expect(write(dto)).toBe(viaZod(decisionDto, dto));
    }
    expect(outcomes.size).toBeGreaterThanOrEqual(5);
  });

  it("is what the route answers", async () => {
    const r = await t.app.inject({ method: "POST", url: "/api/routing/decide", headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf }, payload: { at: "2026-01-15T12:00:00Z", seed: 1, ...calls[0] } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.routes.length).toBeGreaterThan(0);
    expect(body.customerRate.rate).toMatch(/^\d+\.\d+$/);
    expect(() => decisionDto.decode(body)).not.toThrow();
  });
});
