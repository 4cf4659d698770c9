import { describe, expect, it } from "vitest";
import { cdrInput } from "../model.js";
import { fastCdrInput } from "./validate.js";

const base = {
  switchId: " sw1 ",
  callId: "call-1",
  serviceId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  egressInterconnectId: "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5C",
  callingNumber: "+12125550100",
  calledNumber: " 9001#441612345678 ",
  startAt: "2026-11-21T08:00:00Z",
  answerAt: "2026-11-21T08:00:01.5+00:00",
  endAt: "2026-11-21T08:02:01.000Z",
  durationS: 120,
  sipStatus: 200,
  disposition: "answered",
};

describe("fastCdrInput", () => {
  it("returns exactly what the zod contract returns for ordinary rows", () => {
    const rows = [
      base,
      { ...base, attempt: 3, pddMs: 1200, q850Cause: 16, codec: " PCMA ", reservationId: "0190a1b2-c3d4-7e5f-9a9b-0c1d2e3f4a5d", extra: "dropped" },
      { ...base, codec: "  ", pddMs: null, q850Cause: null, serviceId: null, ingressInterconnectId: "0190a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5e" },
      { ...base, disposition: "busy", answerAt: null, durationS: 0, sipStatus: 486, startAt: "2024-02-29T23:59:59.123456789-05:30", endAt: "2024-03-01T05:30:00Z" },
      { ...base, disposition: "no_answer", answerAt: undefined, durationS: 0, callingNumber: "" },
    ];
    for (const row of rows) {
      const fast = fastCdrInput(row);
      expect(fast, JSON.stringify(row)).not.toBeNull();
      expect(fast).toEqual(cdrInput.parse(row));
    }
    // Blanks are trimmed to the contract's values too.
    expect(fastCdrInput(base)).toMatchObject({ switchId: "sw1", calledNumber: "9001#441612345678", attempt: 1, ingressInterconnectId: null, codec: null, pddMs: null });
  });

  it("leaves every row zod rejects to zod (null), so the reason is zod's", () => {
    const bad: Record<string, unknown>[] = [
      { ...base, switchId: "" },
      { ...base, switchId: 7 },
      { ...base, callId: "x".repeat(201) },
      { ...base, attempt: 0 },
      { ...base, attempt: null },
      { ...base, attempt: 1.5 },
      { ...base, serviceId: "not-a-uuid" },
      { ...base, serviceId: "0190a1b2-c3d4-0e5f-8a9b-0c1d2e3f4a5b" },
      { ...base, calledNumber: "  " },
      { ...base, callingNumber: undefined },
      { ...base, startAt: "2026-02-30T00:00:00Z" },
      { ...base, startAt: "2026-11-21T24:00:00Z" },
      { ...base, startAt: "2026-11-21 08:00:00Z" },
      { ...base, endAt: "2026-11-21T07:00:00Z" },
      { ...base, answerAt: "2026-11-21T09:00:00Z" },
      { ...base, answerAt: null },
      { ...base, answerAt: "" },
      { ...base, durationS: -1 },
      { ...base, durationS: "120" },
      { ...base, durationS: Number.NaN },
      { ...base, sipStatus: 99 },
      { ...base, q850Cause: 128 },
      { ...base, pddMs: 600_001 },
      { ...base, disposition: "ANSWERED" },
      { ...base, disposition: "busy", answerAt: null, durationS: 5 },
      { ...base, codec: "x".repeat(33) },
      { ...base, codec: 5 },
    ];
    for (const row of bad) {
      expect(cdrInput.safeParse(row).success, JSON.stringify(row)).toBe(false);
      expect(fastCdrInput(row), JSON.stringify(row)).toBeNull();
    }
    for (const row of [null, "x", [], 5]) expect(fastCdrInput(row)).toBeNull();
  });

  it("agrees with zod on 5 000 randomly mutated rows: whatever it accepts, zod returns identically", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const values: Record<string, unknown[]> = {
      attempt: [undefined, 1, 100, 101, 0, null, "1", 2.5],
      serviceId: [undefined, null, base.serviceId, "", "0190a1b2-c3d4-7e5f-7a9b-0c1d2e3f4a5b"],
      callingNumber: ["", " 1 ", "9".repeat(64), "9".repeat(65), null],
      startAt: ["2026-11-21T08:00:00Z", "2026-11-21T08:00:00+23:59", "2026-11-21T08:00:00+0100", "2025-02-29T08:00:00Z", "2026-11-21T08:00Z", 0],
      answerAt: [undefined, null, "2026-11-21T08:00:01Z", "2026-11-21T08:00:00Z", "2026-11-21T08:02:02Z"],
      durationS: [0, 1, 172_800, 172_801, -0, undefined],
      pddMs: [undefined, null, 0, 600_000, -1],
      disposition: ["answered", "busy", "failed", "cancelled", "other", undefined],
      codec: [undefined, null, "", " G729 ", "x".repeat(32)],
    };
    const keys = Object.keys(values);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const row: Record<string, unknown> = { ...base };
      for (let k = 0; k < 3; k++) {
        const key = keys[rand(keys.length)]!;
        row[key] = values[key]![rand(values[key]!.length)];
      }
      const fast = fastCdrInput(row);
      if (!fast) continue;
      accepted++;
      expect(fast, JSON.stringify(row)).toEqual(cdrInput.parse(row));
    }
    expect(accepted).toBeGreaterThan(200);
  });
});
