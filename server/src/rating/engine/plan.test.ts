import { describe, expect, it } from "vitest";
import {
  compilePlan,
  lookup,
  lookupBatch,
  lookupVersion,
  memoryStats,
  rateCall,
  rateCalls,
  type CallToRate,
  type Rate,
  type RatingPlan,
  type TimeClass,
} from "./plan.js";
import { ZoneClock, zonedTimeToEpochMs } from "./zone.js";

const T0 = Date.UTC(2024, 0, 1); // rates in these tests are effective from here unless stated
const NOW = Date.UTC(2025, 0, 15, 12); // Wednesday 2025-01-15 12:00 UTC

function rate(prefix: string, rateMicrosPerMinute: bigint, over: Partial<Rate> = {}): Rate {
  return {
    prefix,
    destination: `dest ${prefix}`,
    rateMicrosPerMinute,
    connectionFeeMicros: null,
    increments: null,
    timeClass: null,
    effectiveFrom: T0,
    effectiveTo: null,
    ...over,
  };
}

function plan(rates: Rate[], over: Partial<RatingPlan> = {}): RatingPlan {
  return {
    id: "p1",
    currency: "USD",
    timeZone: "UTC",
    defaults: {
      increments: { firstS: 60, nextS: 60 },
      minimumDurationS: 0,
      gracePeriodS: 0,
      connectionFeeMicros: 0n,
      precisionMicros: 1n,
    },
    timeClasses: [],
    rates,
    ...over,
  };
}

/** The matched prefix, or null. */
const matchOf = (p: RatingPlan, number: string, atMs = NOW): string | null => lookup(compilePlan(p), number, atMs)?.prefix ?? null;

describe("longest-prefix lookup", () => {
  const nested = plan([rate("1", 10n), rate("12", 20n), rate("123", 30n), rate("1234", 40n), rate("44", 50n)]);
  const compiled = compilePlan(nested);

  it.each([
    ["12399", "123"],
    ["123", "123"],
    ["1234", "1234"],
    ["1234567", "1234"],
    ["1299", "12"],
    ["12", "12"],
    ["19", "1"],
    ["1", "1"],
    ["4420", "44"],
    ["2", null],
    ["4", null],
    ["", null],
    ["abc", null],
  ])("%s → %s", (number, prefix) => {
    expect(lookup(compiled, number, NOW)?.prefix ?? null).toBe(prefix);
  });

  it("returns the matched rate with destination, plan defaults and source row", () => {
    expect(lookup(compiled, "12399", NOW)).toEqual({
      prefix: "123",
      destination: "dest 123",
      rateMicrosPerMinute: 30n,
      connectionFeeMicros: 0n,
      increments: { firstS: 60, nextS: 60 },
      minimumDurationS: 0,
      gracePeriodS: 0,
      precisionMicros: 1n,
      timeClass: null,
      effectiveFrom: T0,
      effectiveTo: null,
      rateIndex: 2,
    });
  });

  it.each([
    ["+12399", "123"],
    ["0012399", "123"],
    [" +1 (23) 99", "123"],
    ["00 1-2-3-9-9", "123"],
    ["+44 20 7946 0000", "44"],
    ["0044", "44"],
    ["044", null], // a single 0 is not an international prefix
    ["+0012399", null], // only one of "+" / "00" is stripped
  ])("normalizes %j → %s", (number, prefix) => {
    expect(lookup(compiled, number, NOW)?.prefix ?? null).toBe(prefix);
  });

  it("keeps working with the rates given in any order", () => {
    const shuffled = plan([rate("1234", 40n), rate("1", 10n), rate("123", 30n), rate("12", 20n)]);
    expect(matchOf(shuffled, "12399")).toBe("123");
    expect(matchOf(shuffled, "12345")).toBe("1234");
  });

  it("an empty plan matches nothing", () => {
    expect(lookup(compilePlan(plan([])), "12345", NOW)).toBeNull();
    expect(rateCall(compilePlan(plan([])), { number: "12345", atMs: NOW, durationS: 60 })).toBeNull();
  });

  it("the compiled plan is frozen", () => {
    expect(Object.isFrozen(compiled)).toBe(true);
  });
});

describe("effective dates", () => {
  const SWITCH = Date.UTC(2025, 0, 10, 13, 37, 42, 123);
  const FUTURE = Date.UTC(2026, 0, 1);
  const p = plan([
    rate("44", 100n, { effectiveTo: SWITCH }),
    rate("44", 110n, { effectiveFrom: SWITCH }),
    rate("44", 999n, { effectiveFrom: FUTURE }),
    rate("4420", 200n, { effectiveFrom: FUTURE }), // not live yet
    rate("4430", 300n, { effectiveTo: Date.UTC(2024, 6, 1) }), // expired
    rate("33", 50n, { effectiveFrom: Date.UTC(2025, 0, 1) }),
  ]);
  const compiled = compilePlan(p);
  const rateAt = (number: string, atMs: number): bigint | null => lookup(compiled, number, atMs)?.rateMicrosPerMinute ?? null;

  it("switches over at the exact instant (from inclusive, to exclusive)", () => {
    expect(rateAt("447700", SWITCH - 1)).toBe(100n);
    expect(rateAt("447700", SWITCH)).toBe(110n);
    expect(rateAt("447700", SWITCH + 1)).toBe(110n);
  });

  it("a newer open-ended rate supersedes the older one, and a future rate is not used yet", () => {
    expect(rateAt("447700", FUTURE - 1)).toBe(110n);
    expect(rateAt("447700", FUTURE)).toBe(999n);
  });

  it("skips a longer prefix whose only rate is in the future, then uses it once live", () => {
    expect(lookup(compiled, "442079", NOW)?.prefix).toBe("44");
    expect(lookup(compiled, "442079", FUTURE)?.prefix).toBe("4420");
  });

  it("skips a longer prefix whose rate has expired", () => {
    expect(lookup(compiled, "443012", NOW)?.prefix).toBe("44");
    expect(lookup(compiled, "443012", Date.UTC(2024, 5, 30))?.prefix).toBe("4430");
  });

  it("effectiveTo is exclusive even with no successor", () => {
    const end = Date.UTC(2024, 6, 1);
    expect(lookup(compiled, "443012", end - 1)?.prefix).toBe("4430");
    expect(lookup(compiled, "443012", end)?.prefix).toBe("44");
    const only = compilePlan(plan([rate("5", 1n, { effectiveTo: end })]));
    expect(lookup(only, "55", end - 1)?.prefix).toBe("5");
    expect(lookup(only, "55", end)).toBeNull();
  });

  it("matches nothing before the first rate is effective", () => {
    expect(rateAt("3312", Date.UTC(2024, 11, 31, 23, 59, 59, 999))).toBeNull();
    expect(rateAt("3312", Date.UTC(2025, 0, 1))).toBe(50n);
  });

  it("reports the version's effective window", () => {
    expect(lookup(compiled, "447700", SWITCH - 1)).toMatchObject({ effectiveFrom: T0, effectiveTo: SWITCH });
    expect(lookup(compiled, "447700", SWITCH)).toMatchObject({ effectiveFrom: SWITCH, effectiveTo: null });
  });

  it("a change effective at local midnight in the plan's zone (Europe/London)", () => {
    // 2025-07-01 00:00 in London is 2025-06-30 23:00 UTC (BST); 2025-01-01 00:00 is 00:00 UTC (GMT).
    const summerMidnight = zonedTimeToEpochMs("Europe/London", 2025, 7, 1);
    const winterMidnight = zonedTimeToEpochMs("Europe/London", 2025, 1, 1);
    expect(summerMidnight).toBe(Date.UTC(2025, 5, 30, 23));
    expect(winterMidnight).toBe(Date.UTC(2025, 0, 1));
    const london = compilePlan(
      plan([rate("49", 10n, { effectiveTo: summerMidnight }), rate("49", 20n, { effectiveFrom: summerMidnight })], {
        timeZone: "Europe/London",
      }),
    );
    expect(lookup(london, "4930", Date.UTC(2025, 5, 30, 22, 59, 59, 999))?.rateMicrosPerMinute).toBe(10n);
    expect(lookup(london, "4930", Date.UTC(2025, 5, 30, 23))?.rateMicrosPerMinute).toBe(20n);
  });
});

describe("time classes", () => {
  const classes: TimeClass[] = [
    { name: "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" },
    { name: "offpeak", days: [1, 2, 3, 4, 5], start: "19:00", end: "08:00" }, // wraps past midnight
    { name: "weekend", days: [0, 6], start: "00:00", end: "24:00" },
  ];
  const p = plan(
    [
      rate("33", 100n), // all classes
      rate("33", 200n, { timeClass: "peak" }),
      rate("33", 50n, { timeClass: "offpeak" }),
      rate("33", 30n, { timeClass: "weekend" }),
      rate("336", 400n, { timeClass: "peak" }), // class-specific only
    ],
    { timeClasses: classes },
  );
  const compiled = compilePlan(p);
  // 2025-01-13 is a Monday.
  const at = (day: number, hh: number, mm = 0): number => Date.UTC(2025, 0, 13 + day, hh, mm);

  it.each([
    ["Wed 12:00 → peak", at(2, 12), 200n, "peak"],
    ["Wed 08:00 → peak (start inclusive)", at(2, 8), 200n, "peak"],
    ["Wed 18:59 → peak", at(2, 18, 59), 200n, "peak"],
    ["Wed 19:00 → offpeak (peak end exclusive)", at(2, 19), 50n, "offpeak"],
    ["Wed 23:59 → offpeak", at(2, 23, 59), 50n, "offpeak"],
    ["Thu 02:00 → offpeak (Wed night wrapping past midnight)", at(3, 2), 50n, "offpeak"],
    ["Thu 07:59 → offpeak", at(3, 7, 59), 50n, "offpeak"],
    ["Mon 03:00 → all-classes rate (Sunday starts no off-peak night)", at(0, 3), 100n, null],
    ["Sat 03:00 → offpeak (Friday night wraps into Saturday; earlier row wins the tie with weekend)", at(5, 3), 50n, "offpeak"],
    ["Sat 08:00 → weekend", at(5, 8), 30n, "weekend"],
    ["Sun 23:59 → weekend", at(6, 23, 59), 30n, "weekend"],
  ])("%s", (_name, atMs, expected, timeClass) => {
    const match = lookup(compiled, "3312", atMs);
    expect(match?.rateMicrosPerMinute).toBe(expected);
    expect(match?.timeClass).toBe(timeClass);
  });

  it("a prefix with only a class-specific rate falls back to a shorter prefix outside the band", () => {
    expect(lookup(compiled, "33612", at(2, 12))).toMatchObject({ prefix: "336", rateMicrosPerMinute: 400n });
    expect(lookup(compiled, "33612", at(2, 20))).toMatchObject({ prefix: "33", rateMicrosPerMinute: 50n });
  });

  it("a class-specific rate beats an all-classes one even when the latter is newer", () => {
    const newer = compilePlan(
      plan([rate("7", 200n, { timeClass: "peak" }), rate("7", 100n, { effectiveFrom: Date.UTC(2024, 11, 1) })], { timeClasses: classes }),
    );
    expect(lookup(newer, "7495", at(2, 12))?.rateMicrosPerMinute).toBe(200n);
    expect(lookup(newer, "7495", at(2, 20))?.rateMicrosPerMinute).toBe(100n);
  });

  describe("across DST in Europe/London", () => {
    const london = compilePlan(
      plan(
        [
          rate("44", 100n),
          rate("44", 200n, { timeClass: "peak" }),
          rate("44", 10n, { timeClass: "sunday-night" }),
        ],
        {
          timeZone: "Europe/London",
          timeClasses: [
            { name: "peak", days: [0, 1, 2, 3, 4, 5, 6], start: "08:00", end: "19:00" },
            { name: "sunday-night", days: [0], start: "00:00", end: "04:00" },
          ],
        },
      ),
    );
    const classAt = (atMs: number): string | null | undefined => lookup(london, "4420", atMs)?.timeClass;

    it.each([
      // Spring forward: Sunday 2025-03-30, 01:00 GMT → 02:00 BST at 01:00 UTC.
      ["Sat 29 Mar 08:30 UTC = 08:30 GMT", Date.UTC(2025, 2, 29, 8, 30), "peak"],
      ["Sat 29 Mar 07:30 UTC = 07:30 GMT", Date.UTC(2025, 2, 29, 7, 30), null],
      ["Mon 31 Mar 07:30 UTC = 08:30 BST", Date.UTC(2025, 2, 31, 7, 30), "peak"],
      ["Mon 31 Mar 18:30 UTC = 19:30 BST", Date.UTC(2025, 2, 31, 18, 30), null],
      ["Sun 30 Mar 00:30 UTC = 00:30 GMT", Date.UTC(2025, 2, 30, 0, 30), "sunday-night"],
      ["Sun 30 Mar 00:59:59.999 UTC = just before the change", Date.UTC(2025, 2, 30, 0, 59, 59, 999), "sunday-night"],
      ["Sun 30 Mar 01:00 UTC = 02:00 BST (01:00–02:00 local never happens)", Date.UTC(2025, 2, 30, 1), "sunday-night"],
      ["Sun 30 Mar 02:59 UTC = 03:59 BST", Date.UTC(2025, 2, 30, 2, 59), "sunday-night"],
      ["Sun 30 Mar 03:00 UTC = 04:00 BST: the band was 3 real hours that night", Date.UTC(2025, 2, 30, 3), null],
      ["Sun 23 Mar 03:00 UTC = 03:00 GMT", Date.UTC(2025, 2, 23, 3), "sunday-night"],
      // Fall back: Sunday 2025-10-26, 02:00 BST → 01:00 GMT at 01:00 UTC.
      ["Sat 25 Oct 23:30 UTC = Sun 00:30 BST", Date.UTC(2025, 9, 25, 23, 30), "sunday-night"],
      ["Sun 26 Oct 03:30 UTC = 03:30 GMT: the band was 5 real hours that night", Date.UTC(2025, 9, 26, 3, 30), "sunday-night"],
      ["Sun 26 Oct 04:00 UTC = 04:00 GMT", Date.UTC(2025, 9, 26, 4), null],
      ["Sun 26 Oct 07:30 UTC = 07:30 GMT", Date.UTC(2025, 9, 26, 7, 30), null],
      ["Sun 26 Oct 08:00 UTC = 08:00 GMT", Date.UTC(2025, 9, 26, 8), "peak"],
    ])("%s → %s", (_name, atMs, timeClass) => {
      expect(classAt(atMs)).toBe(timeClass);
    });
  });
});

describe("plan defaults vs per-rate overrides", () => {
  const p = plan(
    [
      rate("1", 60_000n),
      rate("2", 60_000n, { connectionFeeMicros: 5_000n, increments: { firstS: 1, nextS: 1 } }),
      rate("3", 60_000n, { connectionFeeMicros: 0n }), // explicit 0 overrides a non-zero default
    ],
    {
      defaults: {
        increments: { firstS: 30, nextS: 6 },
        minimumDurationS: 10,
        gracePeriodS: 2,
        connectionFeeMicros: 1_000n,
        precisionMicros: 10_000n,
      },
    },
  );
  const compiled = compilePlan(p);

  it("fills in plan defaults", () => {
    expect(lookup(compiled, "100", NOW)).toMatchObject({
      connectionFeeMicros: 1_000n,
      increments: { firstS: 30, nextS: 6 },
      minimumDurationS: 10,
      gracePeriodS: 2,
      precisionMicros: 10_000n,
    });
  });

  it("per-rate fee and increments override the defaults", () => {
    expect(lookup(compiled, "200", NOW)).toMatchObject({ connectionFeeMicros: 5_000n, increments: { firstS: 1, nextS: 1 } });
    expect(lookup(compiled, "300", NOW)?.connectionFeeMicros).toBe(0n);
  });

  it.each<[string, number, number, bigint]>([
    // 1 000 micros/s. Defaults: 30/6, fee 1 000, minimum 10, grace 2, rounded to cents.
    ["1", 2, 0, 0n], // within grace: free
    ["1", 3, 30, 30_000n], // min 10 → first block 30: 1 000 + 30 000 = 31 000 → 0.031 → 3 cents
    ["1", 31, 36, 40_000n], // 1 000 + 36 000 = 37 000 → 4 cents
    ["2", 3, 10, 20_000n], // 1/1, min 10: 5 000 + 10 000 = 15 000 → exactly 1.5 cents → 2 cents
    ["2", 14, 14, 20_000n], // 5 000 + 14 000 = 19 000 → 2 cents
  ])("rateCall prefix %s, %i s → billable %i s, cost %s", (number, durationS, billableS, costMicros) => {
    const rated = rateCall(compiled, { number: `${number}555`, atMs: NOW, durationS });
    expect(rated?.cost.billableS).toBe(billableS);
    expect(rated?.cost.costMicros).toBe(costMicros);
    expect(rated?.match.prefix).toBe(number);
  });
});

describe("lookupBatch / rateCalls", () => {
  const p = plan(
    [
      rate("1", 10n),
      rate("12", 20n),
      rate("123", 30n),
      rate("1234", 40n, { effectiveFrom: Date.UTC(2030, 0, 1) }), // future: falls back to 123
      rate("44", 50n),
      rate("4420", 60n, { timeClass: "peak" }),
    ],
    { timeClasses: [{ name: "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" }] },
  );
  const compiled = compilePlan(p);
  const numbers = ["12399", "+12345", "0044 20 1234", "442012", "9", "", "1", "00", "+", "1299", "44", "4420", "12 3"];
  const times = [NOW, NOW + 8 * 3_600_000, NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW];

  it("gives the same answers as lookupVersion, in any batch length", () => {
    for (let n = 0; n <= numbers.length; n++) {
      const slice = numbers.slice(0, n);
      const atMs = Float64Array.from(times.slice(0, n));
      const out = new Int32Array(n);
      const ends = new Int32Array(n);
      lookupBatch(compiled, slice, atMs, out, ends);
      for (let k = 0; k < n; k++) {
        const expected = lookupVersion(compiled, slice[k]!, atMs[k]!);
        expect(out[k], `${slice[k]} in a batch of ${n}`).toBe(expected);
        if (expected >= 0) expect(ends[k]).toBe(compiled.scratch[1]);
        else expect(ends[k]).toBe(-1);
      }
    }
  });

  it("rateCalls equals rateCall call by call", () => {
    const calls: CallToRate[] = numbers.map((number, k) => ({ number, atMs: times[k]!, durationS: 7 * k }));
    expect(rateCalls(compiled, calls)).toEqual(calls.map((call) => rateCall(compiled, call)));
    expect(rateCalls(compiled, calls)[2]?.match).toMatchObject({ prefix: "4420", timeClass: "peak" });
    expect(rateCalls(compiled, calls)[1]?.match.prefix).toBe("123");
  });

  it("rejects output arrays that are too short", () => {
    expect(() => lookupBatch(compiled, ["1", "2"], new Float64Array(1), new Int32Array(2))).toThrow(RangeError);
  });
});

describe("against a naive reference on a random deck", () => {
  // Small seeded PRNG (no Math.random: failures must reproduce).
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
  const classes: TimeClass[] = [
    { name: "day", days: [1, 2, 3, 4, 5], start: "08:00", end: "18:00" },
    { name: "night", days: [0, 1, 2, 3, 4, 5, 6], start: "22:00", end: "06:00" },
  ];
  const prefixes = new Set<string>();
  while (prefixes.size < 4000) {
    const parents = [...prefixes];
    const parent = parents.length > 0 && random() < 0.8 ? parents[Math.floor(random() * parents.length)]! : "";
    if (parent.length <= 10) prefixes.add(parent + digits(1 + Math.floor(random() * 3)));
  }
  const BASE = Date.UTC(2025, 0, 1);
  const DAY = 86_400_000;
  const rates: Rate[] = [];
  for (const prefix of prefixes) {
    const versions = 1 + Math.floor(random() * 3);
    for (let v = 0; v < versions; v++) {
      const from = BASE + Math.floor(random() * 60) * DAY + v; // + v: never a duplicate (class, from)
      rates.push(
        rate(prefix, BigInt(1 + Math.floor(random() * 1e6)), {
          effectiveFrom: from,
          effectiveTo: random() < 0.3 ? from + Math.floor(1 + random() * 30) * DAY : null,
          timeClass: random() < 0.2 ? classes[Math.floor(random() * 2)]!.name : null,
        }),
      );
    }
  }
  const p = plan(rates, { timeZone: "Europe/Paris", timeClasses: classes });

  /** The rules, written the obvious way. */
  function reference(number: string, atMs: number): number {
    let s = number.trimStart();
    if (s.startsWith("+")) s = s.slice(1);
    else if (s.startsWith("00")) s = s.slice(2);
    s = s.replace(/[^0-9]/g, "");
    const local = new Date(atMs + new ZoneClock("Europe/Paris").rawOffsetMs(atMs)); // straight from Intl, no cache
    const weekday = local.getUTCDay();
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    const inClass = (name: string): boolean => {
      const tc = classes.find((c) => c.name === name)!;
      const [sh, sm] = tc.start.split(":").map(Number);
      const [eh, em] = tc.end.split(":").map(Number);
      const start = sh! * 60 + sm!;
      const end = eh! * 60 + em!;
      if (start < end) return tc.days.includes(weekday) && minute >= start && minute < end;
      return (tc.days.includes(weekday) && minute >= start) || (tc.days.includes((weekday + 6) % 7) && minute < end);
    };
    for (let length = s.length; length > 0; length--) {
      const candidates = rates
        .map((r, index) => ({ r, index }))
        .filter(({ r }) => r.prefix === s.slice(0, length))
        .filter(({ r }) => r.effectiveFrom <= atMs && (r.effectiveTo === null || atMs < r.effectiveTo))
        .filter(({ r }) => r.timeClass === null || inClass(r.timeClass));
      if (candidates.length === 0) continue;
      candidates.sort(
        (a, b) =>
          (a.r.timeClass === null ? 1 : 0) - (b.r.timeClass === null ? 1 : 0) || b.r.effectiveFrom - a.r.effectiveFrom || a.index - b.index,
      );
      return candidates[0]!.index;
    }
    return -1;
  }

  const numbers: string[] = [];
  const times: number[] = [];
  const prefixList = [...prefixes];
  for (let k = 0; k < 1500; k++) {
    const base = random() < 0.9 ? prefixList[Math.floor(random() * prefixList.length)]! : digits(2);
    const form = random();
    numbers.push(`${form < 0.2 ? "+" : form < 0.3 ? "00" : ""}${base}${digits(Math.floor(random() * 6))}`);
    times.push(BASE + Math.floor(random() * 100 * DAY));
  }
  const expected = numbers.map((number, k) => reference(number, times[k]!));

  it.each([
    ["default layout", {}],
    ["all blocks (shallow top = 1 level)", { shallowBytes: 0 }],
    ["a small shallow top", { shallowBytes: 2048 }],
  ])("lookup, lookupVersion and lookupBatch agree with it (%s)", (_name, options) => {
    const compiled = compilePlan(p, options);
    const out = new Int32Array(numbers.length);
    lookupBatch(compiled, numbers, Float64Array.from(times), out);
    numbers.forEach((number, k) => {
      const match = lookup(compiled, number, times[k]!);
      expect(match?.rateIndex ?? -1, `${number} at ${new Date(times[k]!).toISOString()}`).toBe(expected[k]);
      if (match) expect(number.replace(/[^0-9]/g, "").replace(/^00/, "").startsWith(match.prefix)).toBe(true);
      expect(out[k]).toBe(lookupVersion(compiled, number, times[k]!));
    });
    expect(expected.filter((index) => index >= 0).length).toBeGreaterThan(1000);
  });
});

describe("memoryStats", () => {
  it("counts nodes, prefixes, versions and bytes", () => {
    const compiled = compilePlan(plan([rate("1", 1n), rate("12", 1n), rate("123", 1n), rate("1234", 1n), rate("1234", 2n, { effectiveFrom: NOW })]));
    const stats = memoryStats(compiled);
    expect(stats).toMatchObject({ nodeCount: 5, prefixCount: 4, versionCount: 5, destinationCount: 4 });
    expect(stats.arrays.trieNodeRows).toBe(5 * 16);
    expect(stats.arrays.trieVersionRecords).toBe(5 * 48);
    expect(stats.typedArrayBytes).toBeGreaterThanOrEqual(5 * 16 + 5 * 48);
    expect(stats.bytesPerPrefix).toBe(stats.typedArrayBytes / 4);
  });
});

describe("compilePlan validation", () => {
  it.each<[string, RatingPlan]>([
    ["a non-digit prefix", plan([rate("12a", 1n)])],
    ["an empty prefix", plan([rate("", 1n)])],
    ["a prefix longer than 32 digits", plan([rate("1".repeat(33), 1n)])],
    ["an unknown time class", plan([rate("1", 1n, { timeClass: "nope" })])],
    ["a duplicate version", plan([rate("1", 1n), rate("1", 2n)])],
    ["effectiveTo not after effectiveFrom", plan([rate("1", 1n, { effectiveTo: T0 })])],
    ["a non-finite effectiveFrom", plan([rate("1", 1n, { effectiveFrom: Number.NaN })])],
    ["a rate beyond 64 bits", plan([rate("1", 2n ** 63n)])],
    ["zero increments", plan([rate("1", 1n, { increments: { firstS: 0, nextS: 1 } })])],
    ["an unknown time zone", plan([], { timeZone: "Mars/Olympus_Mons" })],
    ["a bad HH:MM", plan([], { timeClasses: [{ name: "x", days: [1], start: "8:00", end: "09:00" }] })],
    ["an empty band", plan([], { timeClasses: [{ name: "x", days: [1], start: "08:00", end: "08:00" }] })],
    ["a band starting at 24:00", plan([], { timeClasses: [{ name: "x", days: [1], start: "24:00", end: "08:00" }] })],
    ["a day out of range", plan([], { timeClasses: [{ name: "x", days: [7], start: "08:00", end: "09:00" }] })],
    [
      "duplicate time class names",
      plan([], {
        timeClasses: [
          { name: "x", days: [1], start: "08:00", end: "09:00" },
          { name: "x", days: [2], start: "08:00", end: "09:00" },
        ],
      }),
    ],
  ])("rejects %s", (_name, p) => {
    expect(() => compilePlan(p)).toThrow(RangeError);
  });

  it("names the offending row", () => {
    expect(() => compilePlan(plan([rate("1", 1n), rate("2x", 1n)]))).toThrow(/rates\[1\] \(prefix "2x"\)/);
  });

  it("allows the same prefix in different time classes and effective dates", () => {
    expect(() =>
      compilePlan(
        plan([rate("1", 1n), rate("1", 2n, { timeClass: "x" }), rate("1", 3n, { effectiveFrom: NOW })], {
          timeClasses: [{ name: "x", days: [1], start: "08:00", end: "24:00" }],
        }),
      ),
    ).not.toThrow();
  });
});
