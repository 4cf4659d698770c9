import { describe, expect, it } from "vitest";
import { compilePlan, lookup, lookupVersion, type CompiledPlan, type Rate, type RatingPlan, type TimeClass } from "./plan.js";
import { compilePlanUnion, lookupUnion, MAX_UNION_PLANS, unionConnectionFee, unionRate } from "./plan-union.js";

const T0 = Date.UTC(2024, 0, 1);
const NOW = Date.UTC(2025, 0, 15, 12); // Wednesday 12:00 UTC
const classes: TimeClass[] = [
  { name: "day", days: [1, 2, 3, 4, 5], start: "08:00", end: "18:00" },
  { name: "night", days: [0, 1, 2, 3, 4, 5, 6], start: "22:00", end: "06:00" },
];

function rate(prefix: string, rateMicrosPerMinute: bigint, over: Partial<Rate> = {}): Rate {
  return { prefix, destination: `dest ${prefix}`, rateMicrosPerMinute, connectionFeeMicros: null, increments: null, timeClass: null, effectiveFrom: T0, effectiveTo: null, ...over };
}

function plan(id: string, rates: Rate[], over: Partial<RatingPlan> = {}): CompiledPlan {
  return compilePlan({
    id,
    currency: "USD",
    timeZone: "UTC",
    defaults: { increments: { firstS: 60, nextS: 60 }, minimumDurationS: 0, gracePeriodS: 0, connectionFeeMicros: 0n, precisionMicros: 1n },
    timeClasses: classes,
    rates,
    ...over,
  });
}

const allBits = (n: number) => (n === 31 ? 0x7fffffff : (1 << n) - 1);

/**
 * Every plan, every subset mask given, compared with lookupVersion; where the union
 * answers from its own copy of the record, the rate and fee are lookup()'s. Returns how
 * many answers came from that copy and how many from the plans' records.
 */
function expectSameAsLookupVersion(plans: CompiledPlan[], numbers: string[], times: number[], masks: number[]): { copied: number; fromPlan: number } {
  const union = compilePlanUnion(plans);
  const out = new Int32Array(32);
  const outRef = new Int32Array(32);
  const seen = { copied: 0, fromPlan: 0 };
  for (const at of times) {
    for (const number of numbers) {
      for (const bits of masks) {
        out.fill(-2);
        outRef.fill(-2);
        lookupUnion(union, bits, number, at, out, outRef);
        for (let k = 0; k < plans.length; k++) {
          if ((bits & (1 << k)) === 0) {
            expect(out[k], "a plan not asked for is left alone").toBe(-2);
            expect(outRef[k]).toBe(-2);
            continue;
          }
          const what = `"${number}" in plan ${k}, bits ${bits.toString(2)}`;
          expect(out[k], what).toBe(lookupVersion(plans[k]!, number, at));
          if (out[k]! < 0) expect(outRef[k], what).toBe(-1);
          if (outRef[k]! < 0) {
            if (out[k]! >= 0) seen.fromPlan++;
            continue;
          }
          seen.copied++;
          const match = lookup(plans[k]!, number, at)!;
          expect(unionRate(union, outRef[k]!), what).toBe(match.rateMicrosPerMinute);
          expect(unionConnectionFee(union, outRef[k]!), what).toBe(match.connectionFeeMicros);
        }
      }
    }
  }
  return seen;
}

describe("lookupUnion", () => {
  // Plans of different shapes: one trie ending where another goes on, a future version,
  // a time class, a prefix only one plan has.
  const plans = [
    plan("a", [rate("1", 10n), rate("12", 20n), rate("123", 30n), rate("1234", 40n, { effectiveFrom: Date.UTC(2030, 0, 1) }), rate("44", 50n), rate("4420", 60n, { timeClass: "day" })]),
    plan("b", [rate("1", 11n), rate("44", 51n), rate("442012", 52n)]),
    plan("c", [rate("9", 1n)]),
    plan("d", [rate("12", 21n), rate("1239", 31n), rate("4", 41n), rate("4420", 61n, { timeClass: "night" }), rate("4420", 62n)]),
  ];
  const numbers = ["12399", "+12345", "0044 20 1234", "442012", "9", "", "1", "00", "+", "1299", "44", "4420", "12 3", "x", "4420999"];

  it("answers each plan asked for as lookupVersion does, for every subset of plans", () => {
    expectSameAsLookupVersion(plans, numbers, [NOW, NOW + 8 * 3_600_000, NOW + 12 * 3_600_000], Array.from({ length: 16 }, (_, m) => m));
  });

  it("finds a version deeper in one plan and falls back to a shorter prefix in another", () => {
    const union = compilePlanUnion(plans);
    const out = new Int32Array(4);
    lookupUnion(union, 0b1011, "+12345", NOW, out, new Int32Array(4));
    expect(out[0]).toBe(lookupVersion(plans[0]!, "123", NOW)); // 1234 is future: 123
    expect(out[1]).toBe(lookupVersion(plans[1]!, "1", NOW));
    expect(out[3]).toBe(lookupVersion(plans[3]!, "12", NOW));
  });

  it("refuses more than MAX_UNION_PLANS plans and a plan listed twice", () => {
    expect(() => compilePlanUnion(Array.from({ length: MAX_UNION_PLANS + 1 }, (_, k) => plan(`p${k}`, [rate("1", 1n)])))).toThrow(RangeError);
    expect(() => compilePlanUnion([plans[0]!, plans[0]!])).toThrow(RangeError);
  });

  it("an empty union and an empty plan find nothing", () => {
    const out = new Int32Array(2).fill(7);
    lookupUnion(compilePlanUnion([]), 0, "123", NOW, out, new Int32Array(2));
    expect([...out]).toEqual([7, 7]);
    lookupUnion(compilePlanUnion([plan("e", []), plans[2]!]), 0b11, "9123", NOW, out, new Int32Array(2));
    expect(out[0]).toBe(-1);
    expect(out[1]).toBe(lookupVersion(plans[2]!, "9", NOW));
  });

  it("matches lookupVersion on random overlapping decks (31 plans, random subsets, dates and time classes)", () => {
    let seed = 424242;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
    const shared: string[] = [];
    while (shared.length < 600) {
      const parent = shared.length > 0 && random() < 0.8 ? shared[Math.floor(random() * shared.length)]! : "";
      if (parent.length <= 9) shared.push(parent + digits(1 + Math.floor(random() * 3)));
    }
    const BASE = Date.UTC(2025, 0, 1);
    const DAY = 86_400_000;
    const random31 = Array.from({ length: MAX_UNION_PLANS }, (_, k) => {
      // Each deck: most of the shared prefixes, some of its own.
      const prefixes = new Set(shared.filter(() => random() < 0.7));
      for (let i = 0; i < 50; i++) prefixes.add(digits(1 + Math.floor(random() * 8)));
      const rates: Rate[] = [];
      for (const prefix of prefixes) {
        const versions = 1 + Math.floor(random() * 3);
        for (let v = 0; v < versions; v++) {
          const from = BASE + Math.floor(random() * 60) * DAY + v;
          rates.push(
            rate(prefix, BigInt(1 + Math.floor(random() * 1e6)), {
              effectiveFrom: from,
              effectiveTo: random() < 0.3 ? from + Math.floor(1 + random() * 30) * DAY : null,
              timeClass: random() < 0.2 ? classes[Math.floor(random() * 2)]!.name : null,
              connectionFeeMicros: random() < 0.5 ? BigInt(Math.floor(random() * 1e5)) : null,
            }),
          );
        }
      }
      return plan(`r${k}`, rates, { timeZone: k % 2 ? "Europe/Paris" : "America/New_York" });
    });
    const numbers = Array.from({ length: 300 }, () => {
      const p = shared[Math.floor(random() * shared.length)]!;
      return random() < 0.2 ? `+${p}${digits(6)}` : random() < 0.5 ? p + digits(Math.floor(random() * 8)) : digits(1 + Math.floor(random() * 12));
    });
    const times = Array.from({ length: 4 }, () => BASE + Math.floor(random() * 90 * DAY));
    const masks = [allBits(31), 1, 1 << 30, ...Array.from({ length: 6 }, () => Math.floor(random() * 0x7fffffff))];
    const seen = expectSameAsLookupVersion(random31, numbers, times, masks);
    // Both paths taken: the union's copy of the preferred record, and the plans' records.
    expect(seen.copied).toBeGreaterThan(1000);
    expect(seen.fromPlan).toBeGreaterThan(100);
  });
});
