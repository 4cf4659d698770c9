/**
 * Deterministic synthetic rate decks and dialled numbers for benchmarks.
 *
 * `generateDeck(count, seed)` → a RatingPlan with `count` distinct prefixes: real-ish
 * country codes plus nested national prefixes (up to 12 digits). Most prefixes have one
 * open-ended rate; some have a superseded (expired) version plus the current one, a
 * future version, or peak/off-peak/weekend time-class versions over an all-classes rate.
 * `generateNumbers(count, seed, deck)` → dialled numbers, mostly under a deck prefix
 * (some with "+" or "00"), a few matching nothing. Same inputs → same output: the PRNG
 * is seeded (mulberry32), never Math.random.
 */
import type { Increments } from "../../server/src/rating/engine/cost.js";
import type { Rate, RatingPlan } from "../../server/src/rating/engine/plan.js";

/** mulberry32: small, fast, deterministic 32-bit PRNG. Returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRY_RANGES: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [7, 7],
  [20, 20],
  [27, 27],
  [30, 49],
  [44, 44],
  [49, 49],
  [52, 58],
  [60, 66],
  [81, 86],
  [90, 98],
  [212, 299],
  [350, 389],
  [420, 429],
  [500, 509],
  [590, 599],
  [670, 692],
  [850, 886],
  [960, 998],
];

/** Country codes of the synthetic world (deduplicated, in order). */
export const COUNTRY_CODES: readonly string[] = [
  ...new Set(COUNTRY_RANGES.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i)))),
];

/** Big markets get most of the prefixes, like a real wholesale deck. */
const BIG: Readonly<Record<string, number>> = { "1": 40, "44": 12, "49": 12, "33": 10, "7": 10, "86": 14, "91": 14, "52": 8, "55": 10, "39": 8, "34": 8, "61": 6, "81": 6 };

/** Weighted total lengths of prefixes (digits, country code included). */
const LENGTH_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [3, 2],
  [4, 4],
  [5, 7],
  [6, 10],
  [7, 14],
  [8, 16],
  [9, 14],
  [10, 10],
  [11, 6],
  [12, 4],
];

const KINDS = ["Fixed", "Mobile", "Mobile", "Fixed", "Fixed", "Premium", "Mobile", "Fixed", "Special", "Mobile"] as const;
const INCREMENT_CHOICES: ReadonlyArray<Increments | null> = [null, null, null, null, null, null, { firstS: 1, nextS: 1 }, { firstS: 30, nextS: 6 }, { firstS: 6, nextS: 6 }, { firstS: 60, nextS: 1 }];
const DAY_MS = 86_400_000;
/** Rates switch over at this instant (2025-01-01T00:00Z); benchmarks rate calls after it. */
export const DECK_SWITCHOVER_MS = Date.UTC(2025, 0, 1);
const DECK_START_MS = Date.UTC(2024, 0, 1);

export interface SyntheticDeck {
  plan: RatingPlan;
  /** The distinct prefixes, in generation order. */
  prefixes: string[];
  /** Country code of each prefix (parallel to `prefixes`). */
  countryOf: string[];
}

function pickWeighted<T>(random: () => number, items: ReadonlyArray<readonly [T, number]>, total: number): T {
  let x = random() * total;
  for (const [item, weight] of items) {
    x -= weight;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

function randomDigits(random: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(random() * 10));
  return s;
}

/**
 * A plan with `count` distinct prefixes (count ≥ number of country codes), time zone
 * Europe/London, time classes peak (Mon–Fri 08:00–19:00), offpeak (Mon–Fri 19:00–08:00)
 * and weekend (Sat–Sun all day).
 */
export function generateDeck(count: number, seed: number, onProgress?: (done: number) => void): SyntheticDeck {
  const random = createRandom(seed);
  const prefixes: string[] = [];
  const countryOf: string[] = [];
  const seen = new Set<string>();
  const add = (prefix: string, cc: string): boolean => {
    if (seen.has(prefix) || prefixes.length >= count) return false;
    seen.add(prefix);
    prefixes.push(prefix);
    countryOf.push(cc);
    if (onProgress && prefixes.length % 100_000 === 0) onProgress(prefixes.length);
    return true;
  };
  for (const cc of COUNTRY_CODES) add(cc, cc);

  // Share of the remaining prefixes per country: big markets by weight, the rest ~1–3 each.
  const weights: Array<readonly [string, number]> = COUNTRY_CODES.map((cc) => [cc, BIG[cc] ?? 0.5 + random() * 2.5] as const);
  const totalWeight = weights.reduce((sum, [, w]) => sum + w, 0);
  const lengthTotal = LENGTH_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const byCountry = new Map<string, string[]>(COUNTRY_CODES.map((cc) => [cc, [cc]]));
  let stall = 0;
  while (prefixes.length < count) {
    const cc = pickWeighted(random, weights, totalWeight);
    const own = byCountry.get(cc)!;
    let length = pickWeighted(random, LENGTH_WEIGHTS, lengthTotal);
    if (length <= cc.length) length = cc.length + 1 + Math.floor(random() * 3);
    // Nest under an existing prefix of the country: keep a part of it, then random digits.
    const parent = own[Math.floor(random() * own.length)]!;
    const keep = Math.min(parent.length, length - 1);
    const prefix = parent.slice(0, keep) + randomDigits(random, length - keep);
    if (add(prefix, cc)) {
      own.push(prefix);
      stall = 0;
    } else if (++stall > 1_000_000) {
      throw new Error(`cannot generate ${count} distinct prefixes`);
    }
  }

  const rates: Rate[] = [];
  for (let p = 0; p < prefixes.length; p++) {
    const prefix = prefixes[p]!;
    const cc = countryOf[p]!;
    const kind = KINDS[(prefix.charCodeAt(cc.length) || 48) - 48]!;
    const destination = `CC${cc} ${kind}`;
    const rate = BigInt(1_000 + Math.floor(random() * (kind === "Premium" ? 2_000_000 : 400_000)));
    const increments = INCREMENT_CHOICES[Math.floor(random() * INCREMENT_CHOICES.length)]!;
    const connectionFeeMicros = random() < 0.1 ? BigInt(Math.floor(random() * 50_000)) : null;
    const shape = random();
    const row = (over: Partial<Rate>): Rate => ({
      prefix,
      destination,
      rateMicrosPerMinute: rate,
      connectionFeeMicros,
      increments,
      timeClass: null,
      effectiveFrom: DECK_START_MS,
      effectiveTo: null,
      ...over,
    });
    if (shape < 0.8) {
      rates.push(row({}));
    } else if (shape < 0.9) {
      // Superseded: the old rate expired at the switchover, the new one took over.
      rates.push(row({ effectiveTo: DECK_SWITCHOVER_MS }));
      rates.push(row({ rateMicrosPerMinute: rate + 500n, effectiveFrom: DECK_SWITCHOVER_MS }));
    } else if (shape < 0.95) {
      // A future increase, not live yet at benchmark time.
      rates.push(row({}));
      rates.push(row({ rateMicrosPerMinute: rate * 2n, effectiveFrom: DECK_SWITCHOVER_MS + 3650 * DAY_MS }));
    } else {
      // Time classes over an all-classes fallback.
      rates.push(row({}));
      rates.push(row({ rateMicrosPerMinute: rate + 1_000n, timeClass: "peak" }));
      rates.push(row({ rateMicrosPerMinute: rate / 2n + 1n, timeClass: "offpeak" }));
      rates.push(row({ rateMicrosPerMinute: rate / 3n + 1n, timeClass: "weekend" }));
    }
  }

  const plan: RatingPlan = {
    id: `synthetic-${count}-${seed}`,
    currency: "USD",
    timeZone: "Europe/London",
    defaults: {
      increments: { firstS: 60, nextS: 60 },
      minimumDurationS: 0,
      gracePeriodS: 3,
      connectionFeeMicros: 0n,
      precisionMicros: 1n,
    },
    timeClasses: [
      { name: "peak", days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" },
      { name: "offpeak", days: [1, 2, 3, 4, 5], start: "19:00", end: "08:00" },
      { name: "weekend", days: [0, 6], start: "00:00", end: "24:00" },
    ],
    rates,
  };
  return { plan, prefixes, countryOf };
}

/** Leading digits no synthetic country code starts with (so these numbers match nothing). */
const UNASSIGNED = ["01", "02", "05", "08", "09", "510", "519", "800", "808", "890", "899", "693", "699", "999"] as const;

/**
 * `count` dialled numbers: ~95 % extend a random deck prefix to 10–13 digits (70 % plain,
 * 20 % "+", 10 % "00"); ~5 % start with an unassigned code and match nothing.
 */
export function generateNumbers(count: number, seed: number, deck: SyntheticDeck): string[] {
  const random = createRandom(seed);
  const numbers = new Array<string>(count);
  const prefixes = deck.prefixes;
  const codes: number[] = [];
  // Built from char codes so each number is one flat string, like a parsed CDR field
  // (not a rope of concatenations).
  const pushDigits = (n: number): void => {
    for (let i = 0; i < n; i++) codes.push(48 + Math.floor(random() * 10));
  };
  const pushText = (text: string): void => {
    for (let i = 0; i < text.length; i++) codes.push(text.charCodeAt(i));
  };
  for (let n = 0; n < count; n++) {
    codes.length = 0;
    const kind = random();
    if (kind < 0.05) {
      pushText(UNASSIGNED[Math.floor(random() * UNASSIGNED.length)]!);
      pushDigits(8 + Math.floor(random() * 3));
    } else {
      const prefix = prefixes[Math.floor(random() * prefixes.length)]!;
      const length = Math.max(prefix.length + 1, 10 + Math.floor(random() * 4));
      pushText(kind < 0.7 ? "" : kind < 0.9 ? "+" : "00");
      pushText(prefix);
      pushDigits(length - prefix.length);
    }
    numbers[n] = String.fromCharCode(...codes);
  }
  return numbers;
}
