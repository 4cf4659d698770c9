import { describe, expect, it } from "vitest";
import { compilePlan, lookup, lookupVersion } from "../../rating/engine/index.js";
import { buildFxSeries, convertAt, describeFxRate, formatFxRate, fxIndexAt, parseFxRate } from "./fx.js";
import { IpIndex, parseIpv4 } from "./ip.js";
import { PrefixSet } from "./prefix-set.js";
import { versionConnectionFee, versionDestination, versionRate } from "./rates.js";

describe("PrefixSet", () => {
  const set = PrefixSet.build([
    { value: "44", exact: false },
    { value: "4420", exact: false },
    { value: "331234", exact: true },
  ])!;
  it.each<[string, number, number]>([
    ["442071234567", 2, 4],
    ["4471", 2, 2],
    ["331234", 6, -1],
    ["3312345", -1, -1],
    ["49", -1, -1],
    ["4", -1, -1],
  ])("%s → first %i, longest prefix %i", (n, first, longest) => {
    expect(set.first(n)).toBe(first);
    expect(set.longest(n)).toBe(longest);
  });
  it("matches from an offset and stops at non-digits", () => {
    expect(set.first("7#4420", 2)).toBe(2);
    expect(set.longest("7#4420", 2)).toBe(4);
    expect(set.first("#44")).toBe(-1);
    expect(PrefixSet.build([])).toBeNull();
  });
});

describe("PrefixSet against a scan of its entries", () => {
  it("first and longest agree on random sets and numbers (one-digit, exact, offsets, non-digits)", () => {
    let seed = 99;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const digits = (n: number) => Array.from({ length: n }, () => String(random(10))).join("");
    for (let round = 0; round < 200; round++) {
      const entries = Array.from({ length: 1 + random(6) }, () => ({ value: digits(1 + random(round % 2 ? 2 : 5)), exact: random(3) === 0 }));
      const set = PrefixSet.build(entries)!;
      for (let probe = 0; probe < 200; probe++) {
        const start = random(3);
        const body = random(4) === 0 ? entries[random(entries.length)]!.value + digits(random(3)) : digits(random(6));
        const number = "#7".slice(0, start) + body + (random(8) === 0 ? "#1" : "");
        const rest = number.slice(start);
        const digitsOnly = rest.match(/^[0-9]*/)![0];
        const hits = entries.filter((e) => (e.exact ? rest === e.value : digitsOnly.startsWith(e.value)));
        const first = hits.length ? Math.min(...hits.map((e) => e.value.length)) : -1;
        const prefixes = entries.filter((e) => !e.exact && digitsOnly.startsWith(e.value));
        const longest = prefixes.length ? Math.max(...prefixes.map((e) => e.value.length)) : -1;
        expect(set.first(number, start), `${JSON.stringify(entries)} ${number} from ${start}`).toBe(first);
        expect(set.longest(number, start), `${JSON.stringify(entries)} ${number} from ${start}`).toBe(longest);
      }
    }
  });
});

describe("IPv4 and the IP index", () => {
  it.each<[string, number]>([
    ["0.0.0.0", 0],
    ["203.0.113.7", 203 * 2 ** 24 + 113 * 256 + 7],
    ["255.255.255.255", 2 ** 32 - 1],
    ["256.0.0.1", -1],
    ["1.2.3", -1],
    ["1.2.3.4.5", -1],
    ["01.2.3.4", -1],
    ["1..2.3", -1],
    ["::1", -1],
  ])("parseIpv4(%j) = %i", (ip, value) => expect(parseIpv4(ip)).toBe(value));

  it("finds exact addresses, CIDR ranges and IPv6 ranges", () => {
    const index = new IpIndex<string>();
    index.add("203.0.113.7", "exact");
    index.add("203.0.113.0/24", "net");
    index.add("2001:db8::/32", "v6");
    expect(index.add("not-an-ip", "x")).toBe(false);
    const seen = (ip: string) => {
      const out: string[] = [];
      index.forEach(ip, (x) => out.push(x));
      return out;
    };
    expect(seen("203.0.113.7")).toEqual(["exact", "net"]);
    expect(seen("203.0.113.99")).toEqual(["net"]);
    expect(seen("203.0.114.1")).toEqual([]);
    expect(seen("2001:db8:1::5")).toEqual(["v6"]);
    expect(seen("2001:db9::5")).toEqual([]);
  });

  it("visits what a scan of every address would, in the same order (random nested CIDRs of every length)", () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const dotted = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
    // Addresses near a few bases, so ranges nest, repeat and overlap.
    const bases = [0x0a000000, 0xac100000, 0xcb007100, 0xffffff00, 0];
    const near = () => (bases[random(bases.length)]! + random(4096)) >>> 0;
    const index = new IpIndex<number>();
    const reference: { first: number; last: number; items: number[] }[] = [];
    const exact = new Map<number, number[]>();
    for (let item = 0; item < 400; item++) {
      const bits = random(5) === 0 ? 32 : random(33);
      const v = near();
      const hostBits = 32 - bits;
      const first = hostBits === 32 ? 0 : Math.floor(v / 2 ** hostBits) * 2 ** hostBits;
      const last = first + 2 ** hostBits - 1;
      expect(index.add(`${dotted(v)}/${bits}`, item)).toBe(true);
      if (first === last) exact.set(first, [...(exact.get(first) ?? []), item]);
      else {
        const r = reference.find((x) => x.first === first && x.last === last);
        if (r) r.items.push(item);
        else reference.push({ first, last, items: [item] });
      }
    }
    for (let probe = 0; probe < 3000; probe++) {
      const v = probe % 10 === 0 ? random(2 ** 32) : near();
      const expected = [...(exact.get(v) ?? []), ...reference.filter((r) => r.first <= v && v <= r.last).flatMap((r) => r.items)];
      const got: number[] = [];
      index.forEach(dotted(v), (x) => got.push(x));
      expect(got, dotted(v)).toEqual(expected);
    }
  });
});

describe("FX", () => {
  const T0 = Date.UTC(2025, 0, 1);
  const rates = [
    { base: "EUR", quote: "USD", rateNanos: parseFxRate("1.1"), effectiveFrom: T0 },
    { base: "EUR", quote: "USD", rateNanos: parseFxRate("1.25"), effectiveFrom: T0 + 86_400_000 },
  ];
  it("parses and formats rates exactly", () => {
    expect(parseFxRate("1.08")).toBe(1_080_000_000n);
    expect(parseFxRate("0.000000001")).toBe(1n);
    expect(formatFxRate(1_080_000_000n)).toBe("1.08");
    expect(formatFxRate(2_000_000_000n)).toBe("2.0");
    expect(() => parseFxRate("1e3")).toThrow(RangeError);
    expect(() => parseFxRate("1.0000000001")).toThrow(RangeError);
  });
  it("converts at the rate in force, and through the inverse pair", () => {
    const eurUsd = buildFxSeries(rates, "EUR", "USD")!;
    const usdEur = buildFxSeries(rates, "USD", "EUR")!;
    expect(buildFxSeries(rates, "GBP", "USD")).toBeNull();
    expect(fxIndexAt(eurUsd, T0 - 1)).toBe(-1);
    expect(fxIndexAt(eurUsd, T0)).toBe(0);
    expect(fxIndexAt(eurUsd, T0 + 86_400_000)).toBe(1);
    expect(convertAt(40_000n, eurUsd, 0)).toBe(44_000n);
    expect(convertAt(40_000n, eurUsd, 1)).toBe(50_000n);
    // 100 000 / 1.1 = 90 909.09… → 90 909; 5 / 1.1 = 4.545… → 5 (half away from zero).
    expect(convertAt(100_000n, usdEur, 0)).toBe(90_909n);
    expect(convertAt(5n, usdEur, 0)).toBe(5n);
    expect(usdEur.inverse).toBe(true);
    expect(describeFxRate(usdEur, 0)).toBe("0.909090909");
    expect(describeFxRate(eurUsd, 1)).toBe("1.25");
  });
});

describe("rating version readers", () => {
  it("agree with the rating engine's lookup()", () => {
    const plan = compilePlan({
      id: "p",
      currency: "USD",
      timeZone: "UTC",
      defaults: { increments: { firstS: 60, nextS: 60 }, minimumDurationS: 0, gracePeriodS: 0, connectionFeeMicros: 7n, precisionMicros: 1n },
      timeClasses: [],
      rates: [
        { prefix: "44", destination: "UK", rateMicrosPerMinute: 11n, connectionFeeMicros: null, increments: null, timeClass: null, effectiveFrom: 0, effectiveTo: null },
        { prefix: "447", destination: "UK Mobile", rateMicrosPerMinute: 22n, connectionFeeMicros: 3n, increments: null, timeClass: null, effectiveFrom: 0, effectiveTo: null },
      ],
    });
    for (const n of ["4420", "4477"]) {
      const h = lookupVersion(plan, n, 1);
      const m = lookup(plan, n, 1)!;
      expect([versionRate(plan, h), versionConnectionFee(plan, h), versionDestination(plan, h)]).toEqual([m.rateMicrosPerMinute, m.connectionFeeMicros, m.destination]);
    }
  });
});

describe("the engine is pure", () => {
  it("imports nothing that does I/O (no database, HTTP, files or clock of its own)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const offenders = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .flatMap((f) => {
        const text = fs.readFileSync(path.join(dir, f), "utf8");
        const imports = [...text.matchAll(/from "([^"]+)"/g)].map((m) => m[1]!);
        const bad = imports.filter((i) => /drizzle|^pg$|fastify|node:fs|node:http|platform\/db|platform\/http|\.\.\/(service|load|routes|plans|entries|fx)\.js/.test(i));
        return [...bad.map((b) => `${f} imports ${b}`), ...(/Date\.now\(\)|new Date\(\)/.test(text) ? [`${f} reads the clock`] : [])];
      });
    expect(offenders).toEqual([]);
  });
});
