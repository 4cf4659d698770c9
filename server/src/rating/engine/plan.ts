/**
 * A compiled rating plan: longest-prefix lookup over a digit trie in typed arrays.
 *
 * `compilePlan` turns a plan (rates with prefixes, effective dates and time classes)
 * into an immutable structure built for speed; `lookup` finds the rate for a number at
 * an instant; `rateCall` adds the cost breakdown from ./cost.ts (the one place the cost
 * rules live). Pure: no I/O; the only clock is the `atMs` the caller passes.
 *
 * Matching rules:
 *  - The number is normalized: leading whitespace, then one leading "+" or "00" is
 *    stripped, then every non-digit is ignored. (Tech prefixes are the caller's job.)
 *  - The deepest (longest) prefix that has a rate version usable for the call wins; a
 *    prefix whose versions are all future/expired/outside their time class is skipped
 *    in favour of a shorter one.
 *  - A version is live when effectiveFrom ≤ atMs < effectiveTo (null = open end).
 *  - A version with a time class matches only when the call's local time in the plan's
 *    time zone falls in that class's band; a version without one matches any time.
 *  - Among the versions of one prefix: class-specific beats all-classes, then the latest
 *    effectiveFrom wins (a newer rate supersedes an older open-ended one), then the
 *    earlier row in `plan.rates`.
 *
 * Time classes: `days` are local weekdays (0 = Sunday … 6 = Saturday), `start`/`end`
 * are local "HH:MM" (end exclusive, "24:00" allowed). A band with end < start wraps
 * past midnight and belongs to the day it starts on: Mon 19:00–08:00 covers Monday
 * 19:00 to Tuesday 08:00. Bands are precompiled to a minute-of-week bitmap.
 */
import { computeCost, type CostBreakdown, type Increments } from "./cost.js";
import { MINUTES_PER_DAY, MINUTES_PER_WEEK, zoneClock, type ZoneClock } from "./zone.js";

export interface Rate {
  /** Digits only, at least one. */
  prefix: string;
  destination: string;
  rateMicrosPerMinute: bigint;
  /** null = the plan default. */
  connectionFeeMicros: bigint | null;
  /** null = the plan default. */
  increments: Increments | null;
  /** null = all time classes; otherwise the name of one of the plan's time classes. */
  timeClass: string | null;
  /** Epoch ms, inclusive. */
  effectiveFrom: number;
  /** Epoch ms, exclusive; null = open-ended. */
  effectiveTo: number | null;
}

export interface TimeClass {
  name: string;
  /** Local weekdays the band starts on: 0 = Sunday … 6 = Saturday. */
  days: readonly number[];
  /** Local "HH:MM", inclusive. */
  start: string;
  /** Local "HH:MM", exclusive; "24:00" allowed; earlier than start = wraps past midnight. */
  end: string;
}

export interface PlanDefaults {
  increments: Increments;
  minimumDurationS: number;
  gracePeriodS: number;
  connectionFeeMicros: bigint;
  /** Step the cost of a call is rounded to (1n = micro-unit, 10_000n = cents). */
  precisionMicros: bigint;
}

export interface RatingPlan {
  id: string;
  currency: string;
  /** IANA time zone the time classes are read in. */
  timeZone: string;
  defaults: PlanDefaults;
  timeClasses: readonly TimeClass[];
  rates: readonly Rate[];
}

/**
 * The compiled plan. Treat every field as read-only: typed arrays cannot be frozen, but
 * nothing writes to them after `compilePlan` (except the private scratch buffer).
 *
 * Everything the hot path touches lives in ONE buffer, `trie`, read through three typed
 * views (`trie` Int32Array, `trieTimes` Float64Array, `trieMoney` BigInt64Array):
 *
 *  - Node rows, 4 × Int32 (16 bytes) at an Int32 index r (the root at 0):
 *      [r]     firstChild: row index of the first child; 0 = none
 *      [r + 1] mask: bits 0–9 = which digits have a child; HAS_VERSIONS; HAS_TIME_CLASS
 *      [r + 2] Int32 index of the node's first version record
 *      [r + 3] number of version records
 *    The children of a node are consecutive rows in digit order (a sibling group), so the
 *    child for digit d is firstChild + 4 · popcount(mask & ((1 << d) − 1)): a 10-slot
 *    child table compressed to a bitmap.
 *  - Version records, 12 × Int32 (48 bytes) at an Int32 index p (p even):
 *      trieTimes[p/2]     effectiveFrom (epoch ms)
 *      trieTimes[p/2 + 1] effectiveTo (epoch ms, exclusive; +Infinity = open-ended)
 *      trieMoney[p/2 + 2] rate micros/minute
 *      trieMoney[p/2 + 3] connection fee micros (plan default filled in)
 *      trie[p + 8]  index into `increments` (plan default filled in)
 *      trie[p + 9]  index into `timeClassNames`; −1 = all time classes
 *      trie[p + 10] index into `destinations`
 *      trie[p + 11] row index in `plan.rates`
 *    A node's records are consecutive, pre-sorted in preference order.
 *
 * Layout, for the cache (a big deck's trie is far larger than the CPU caches):
 *  1. The top of the trie, which every lookup crosses, breadth-first and densely packed
 *     (as many levels as fit SHALLOW_BYTES), then the records of its prefixes.
 *  2. Below it, one block per subtree of a frontier node: the subtree's rows (sibling
 *     groups depth-first), then its prefixes' records. The cold end of a lookup (the
 *     last few nodes and the matched version) is a few adjacent cache lines in one
 *     memory page, not scattered over separate big arrays.
 */
export interface CompiledPlan {
  readonly id: string;
  readonly currency: string;
  readonly timeZone: string;
  readonly defaults: Readonly<PlanDefaults>;
  readonly timeClassNames: readonly string[];
  /** [class × MINUTES_PER_WEEK + local minute of week] = 1 when the minute is in the band. */
  readonly timeClassMask: Uint8Array;
  readonly nodeCount: number;
  /** Prefixes that have at least one rate version. */
  readonly prefixCount: number;
  readonly versionCount: number;
  readonly maxPrefixLength: number;
  readonly trie: Int32Array;
  readonly trieTimes: Float64Array;
  readonly trieMoney: BigInt64Array;
  /** Distinct increments, as frozen objects handed out in results (no allocation). */
  readonly increments: readonly Increments[];
  readonly destinations: readonly string[];
  readonly clock: ZoneClock;
  /** Hot-path scratch: [start, end, depth, then (row, end, depth) triples]. */
  readonly scratch: Int32Array;
}

export interface RateMatch {
  /** The matched prefix (normalized digits). */
  prefix: string;
  destination: string;
  rateMicrosPerMinute: bigint;
  connectionFeeMicros: bigint;
  increments: Increments;
  minimumDurationS: number;
  gracePeriodS: number;
  precisionMicros: bigint;
  /** The time class of the matched version; null when it applies to all classes. */
  timeClass: string | null;
  effectiveFrom: number;
  effectiveTo: number | null;
  /** Index of the matched row in `plan.rates`. */
  rateIndex: number;
}

export interface CallToRate {
  /** Dialled number (E.164 digits, optionally with "+" or "00"); tech prefixes already stripped. */
  number: string;
  /** Call start, epoch ms: selects the rate version and time class. */
  atMs: number;
  durationS: number;
}

export interface RatedCall {
  match: RateMatch;
  cost: CostBreakdown;
}

export interface MemoryStats {
  nodeCount: number;
  prefixCount: number;
  versionCount: number;
  destinationCount: number;
  /** Bytes per typed array. */
  arrays: Record<string, number>;
  typedArrayBytes: number;
  bytesPerPrefix: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DIGITS = /^[0-9]+$/;
const HH_MM = /^(?:([01][0-9]|2[0-3]):([0-5][0-9])|(24):(00))$/;
const STACK_BASE = 3;
/** Int32s per node row / per version record. */
export const ROW = 4;
const RECORD = 12;
/** Offset of a record's time class index (−1 = all classes) in its Int32s. */
export const RECORD_CLASS = 9;
/** Longest prefix accepted (E.164 numbers have at most 15 digits). */
const MAX_PREFIX_LENGTH = 32;
/**
 * Byte budget for the breadth-first packed top of the trie, which every lookup crosses:
 * about an L2 cache. On the 500k-prefix benchmark deck this is depth ≤ 6 (91k rows).
 */
const SHALLOW_BYTES = 1.5 * 1024 * 1024;
export const CHILD_BITS = 0x3ff;
export const HAS_VERSIONS = 1 << 10;
export const HAS_TIME_CLASS = 1 << 11;
/** popcount of every 10-bit child mask. */
export const POPCOUNT = Uint8Array.from({ length: 1024 }, (_, m) => {
  let bits = 0;
  for (let x = m; x !== 0; x &= x - 1) bits++;
  return bits;
});

function parseMinutes(value: string, what: string): number {
  const m = HH_MM.exec(value);
  if (!m) throw new RangeError(`${what} must be "HH:MM" (00:00–24:00), got "${value}"`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** `what` names the checked field in the error; a function so the happy path builds no strings. */
function assertInt64(value: bigint, what: () => string): void {
  if (value < INT64_MIN || value > INT64_MAX) throw new RangeError(`${what()} does not fit in 64 bits: ${value}`);
}

function assertCount(value: number, what: () => string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what()} must be an integer ≥ 0, got ${value}`);
}

function assertIncrements(increments: Increments, what: () => string): void {
  const bad = (value: number): boolean => !Number.isSafeInteger(value) || value < 1 || value > 0x7fffffff;
  if (bad(increments.firstS)) throw new RangeError(`${what()}.firstS must be an integer ≥ 1, got ${increments.firstS}`);
  if (bad(increments.nextS)) throw new RangeError(`${what()}.nextS must be an integer ≥ 1, got ${increments.nextS}`);
}

function compileTimeClasses(classes: readonly TimeClass[]): { names: string[]; mask: Uint8Array } {
  const names: string[] = [];
  const mask = new Uint8Array(Math.max(1, classes.length) * MINUTES_PER_WEEK);
  classes.forEach((tc, index) => {
    if (!tc.name) throw new RangeError("time class name must not be empty");
    if (names.includes(tc.name)) throw new RangeError(`duplicate time class "${tc.name}"`);
    names.push(tc.name);
    const start = parseMinutes(tc.start, `time class "${tc.name}" start`);
    const end = parseMinutes(tc.end, `time class "${tc.name}" end`);
    if (start === MINUTES_PER_DAY) throw new RangeError(`time class "${tc.name}" cannot start at 24:00`);
    if (start === end) throw new RangeError(`time class "${tc.name}" is empty (start = end)`);
    if (tc.days.length === 0) throw new RangeError(`time class "${tc.name}" has no days`);
    const base = index * MINUTES_PER_WEEK;
    for (const day of tc.days) {
      if (!Number.isInteger(day) || day < 0 || day > 6) throw new RangeError(`time class "${tc.name}": day ${day} is not 0–6`);
      const dayStart = day * MINUTES_PER_DAY;
      if (start < end) {
        mask.fill(1, base + dayStart + start, base + dayStart + end);
      } else {
        // Wraps past midnight into the next day (Saturday wraps into Sunday).
        mask.fill(1, base + dayStart + start, base + dayStart + MINUTES_PER_DAY);
        const next = ((day + 1) % 7) * MINUTES_PER_DAY;
        mask.fill(1, base + next, base + next + end);
      }
    }
  });
  return { names, mask };
}

export interface CompileOptions {
  /** Memory-layout tuning: bytes of breadth-first packed trie top (default 1.5 MiB). Never changes answers. */
  shallowBytes?: number;
}

/** Compiles a plan for lookups. Throws RangeError on invalid input (naming the offending row). */
export function compilePlan(plan: RatingPlan, options: CompileOptions = {}): CompiledPlan {
  const shallowBytes = options.shallowBytes ?? SHALLOW_BYTES;
  const clock = zoneClock(plan.timeZone);
  const d = plan.defaults;
  assertIncrements(d.increments, () => "defaults.increments");
  assertCount(d.minimumDurationS, () => "defaults.minimumDurationS");
  assertCount(d.gracePeriodS, () => "defaults.gracePeriodS");
  assertInt64(d.connectionFeeMicros, () => "defaults.connectionFeeMicros");
  if (d.precisionMicros <= 0n) throw new RangeError(`defaults.precisionMicros must be > 0, got ${d.precisionMicros}`);
  const defaults: Readonly<PlanDefaults> = Object.freeze({
    increments: Object.freeze({ firstS: d.increments.firstS, nextS: d.increments.nextS }),
    minimumDurationS: d.minimumDurationS,
    gracePeriodS: d.gracePeriodS,
    connectionFeeMicros: d.connectionFeeMicros,
    precisionMicros: d.precisionMicros,
  });
  const { names: timeClassNames, mask: timeClassMask } = compileTimeClasses(plan.timeClasses);
  const classIndex = new Map(timeClassNames.map((name, i) => [name, i]));

  // 1. Build a plain 10-slot trie (build ids in insertion order), noting each rate's node.
  const rates = plan.rates;
  const rateCount = rates.length;
  let build = new Int32Array(Math.max(1024, rateCount * 2) * 10);
  let nodeCount = 1;
  let maxPrefixLength = 0;
  const rateNode = new Int32Array(rateCount);
  const levelCount = new Int32Array(MAX_PREFIX_LENGTH + 1); // nodes per depth
  levelCount[0] = 1;
  for (let r = 0; r < rateCount; r++) {
    const rate = rates[r]!;
    const where = (): string => `rates[${r}] (prefix "${rate.prefix}")`;
    if (!DIGITS.test(rate.prefix) || rate.prefix.length > MAX_PREFIX_LENGTH) {
      throw new RangeError(`${where()}: prefix must be 1–${MAX_PREFIX_LENGTH} digits`);
    }
    if (!Number.isFinite(rate.effectiveFrom)) throw new RangeError(`${where()}: effectiveFrom must be epoch ms`);
    if (rate.effectiveTo !== null && !(rate.effectiveTo > rate.effectiveFrom)) {
      throw new RangeError(`${where()}: effectiveTo must be after effectiveFrom`);
    }
    assertInt64(rate.rateMicrosPerMinute, () => `${where()} rateMicrosPerMinute`);
    if (rate.connectionFeeMicros !== null) assertInt64(rate.connectionFeeMicros, () => `${where()} connectionFeeMicros`);
    if (rate.increments !== null) assertIncrements(rate.increments, () => `${where()} increments`);
    if (rate.timeClass !== null && !classIndex.has(rate.timeClass)) {
      throw new RangeError(`${where()}: unknown time class "${rate.timeClass}"`);
    }
    const prefix = rate.prefix;
    if (prefix.length > maxPrefixLength) maxPrefixLength = prefix.length;
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const slot = node * 10 + (prefix.charCodeAt(i) - 48);
      let child = build[slot]!;
      if (child === 0) {
        if ((nodeCount + 1) * 10 > build.length) {
          const grown = new Int32Array(build.length * 2);
          grown.set(build);
          build = grown;
        }
        child = nodeCount++;
        build[slot] = child;
        levelCount[i + 1] = levelCount[i + 1]! + 1;
      }
      node = child;
    }
    rateNode[r] = node;
  }

  // 2. Each build node's rates (CSR), sorted in preference order; reject duplicates.
  const versionStart = new Int32Array(nodeCount + 1);
  for (let r = 0; r < rateCount; r++) versionStart[rateNode[r]! + 1] = versionStart[rateNode[r]! + 1]! + 1;
  for (let n = 0; n < nodeCount; n++) versionStart[n + 1] = versionStart[n + 1]! + versionStart[n]!;
  const fill = versionStart.slice(0, nodeCount);
  const versionOrder = new Int32Array(rateCount);
  for (let r = 0; r < rateCount; r++) {
    const n = rateNode[r]!;
    versionOrder[fill[n]!] = r;
    fill[n] = fill[n]! + 1;
  }
  const preference = (a: number, b: number): number => {
    const ra = rates[a]!;
    const rb = rates[b]!;
    const ca = ra.timeClass === null ? 1 : 0;
    const cb = rb.timeClass === null ? 1 : 0;
    return ca - cb || rb.effectiveFrom - ra.effectiveFrom || a - b;
  };
  let prefixCount = 0;
  for (let n = 0; n < nodeCount; n++) {
    const from = versionStart[n]!;
    const to = versionStart[n + 1]!;
    if (to > from) prefixCount++;
    if (to - from < 2) continue;
    const slice = versionOrder.subarray(from, to);
    slice.sort(preference);
    const seen = new Set<string>();
    for (const r of slice) {
      const rate = rates[r]!;
      const key = `${rate.timeClass ?? ""}\u0000${rate.effectiveFrom}`;
      if (seen.has(key)) {
        throw new RangeError(
          `rates[${r}] (prefix "${rate.prefix}"): duplicate rate for time class ${rate.timeClass ?? "(all)"} effective from ${new Date(rate.effectiveFrom).toISOString()}`,
        );
      }
      seen.add(key);
    }
  }

  // 3. Lay out rows and records depth-first by sibling group (see CompiledPlan).
  const trieLength = nodeCount * ROW + rateCount * RECORD;
  if (trieLength > 0x7fffffff) throw new RangeError("plan too large");
  const buffer = new ArrayBuffer(trieLength * 4);
  const trie = new Int32Array(buffer);
  const trieTimes = new Float64Array(buffer);
  const trieMoney = new BigInt64Array(buffer);
  const increments: Increments[] = [defaults.increments];
  const incrementIndex = new Map<string, number>([[`${defaults.increments.firstS}/${defaults.increments.nextS}`, 0]]);
  const destinations: string[] = [];
  const destinationIndex = new Map<string, number>();
  const childMask = (node: number): number => {
    let mask = 0;
    for (let digit = 0; digit < 10; digit++) if (build[node * 10 + digit] !== 0) mask |= 1 << digit;
    return mask;
  };
  const writeRecords = (node: number, row: number, at: number): number => {
    const from = versionStart[node]!;
    const to = versionStart[node + 1]!;
    trie[row + 2] = at;
    trie[row + 3] = to - from;
    for (let v = from; v < to; v++, at += RECORD) {
      const r = versionOrder[v]!;
      const rate = rates[r]!;
      const inc = rate.increments ?? defaults.increments;
      const incKey = `${inc.firstS}/${inc.nextS}`;
      let incIdx = incrementIndex.get(incKey);
      if (incIdx === undefined) {
        incIdx = increments.length;
        increments.push(Object.freeze({ firstS: inc.firstS, nextS: inc.nextS }));
        incrementIndex.set(incKey, incIdx);
      }
      let destIdx = destinationIndex.get(rate.destination);
      if (destIdx === undefined) {
        destIdx = destinations.length;
        destinations.push(rate.destination);
        destinationIndex.set(rate.destination, destIdx);
      }
      const half = at >> 1;
      trieTimes[half] = rate.effectiveFrom;
      trieTimes[half + 1] = rate.effectiveTo ?? Number.POSITIVE_INFINITY;
      trieMoney[half + 2] = rate.rateMicrosPerMinute;
      trieMoney[half + 3] = rate.connectionFeeMicros ?? defaults.connectionFeeMicros;
      trie[at + 8] = incIdx;
      trie[at + 9] = rate.timeClass === null ? -1 : classIndex.get(rate.timeClass)!;
      trie[at + 10] = destIdx;
      trie[at + 11] = r;
      if (rate.timeClass !== null) trie[row + 1] = trie[row + 1]! | HAS_TIME_CLASS;
    }
    return at;
  };
  // (a) The shallow top, which every lookup crosses: rows breadth-first, densely packed,
  //     as deep as fits SHALLOW_BYTES; then the records of its prefixes.
  let shallowDepth = 1;
  for (let rows = levelCount[0]! + levelCount[1]!; shallowDepth < maxPrefixLength; shallowDepth++) {
    rows += levelCount[shallowDepth + 1]!;
    if (rows * ROW * 4 > shallowBytes) break;
  }
  const queueNode = new Int32Array(nodeCount);
  const queueRow = new Int32Array(nodeCount);
  const queueDepth = new Uint8Array(nodeCount);
  let head = 0;
  let tail = 0;
  trie[1] = childMask(0);
  queueNode[tail] = 0;
  queueRow[tail] = 0;
  queueDepth[tail++] = 0;
  let cursor = ROW;
  while (head < tail) {
    const node = queueNode[head]!;
    const row = queueRow[head]!;
    const depth = queueDepth[head++]!;
    if (depth >= shallowDepth) continue;
    const mask = trie[row + 1]! & CHILD_BITS;
    if (mask === 0) continue;
    trie[row] = cursor;
    for (let digit = 0; digit < 10; digit++) {
      const child = build[node * 10 + digit]!;
      if (child === 0) continue;
      const hasVersions = versionStart[child + 1]! > versionStart[child]!;
      trie[cursor + 1] = childMask(child) | (hasVersions ? HAS_VERSIONS : 0);
      queueNode[tail] = child;
      queueRow[tail] = cursor;
      queueDepth[tail++] = depth + 1;
      cursor += ROW;
    }
  }
  for (let q = 1; q < tail; q++) cursor = writeRecords(queueNode[q]!, queueRow[q]!, cursor);
  // (b) Below it, one block per subtree of a frontier node (at shallowDepth): the
  //     subtree's rows, depth-first by sibling group, then the records of its prefixes.
  //     The cold end of a lookup stays within a few adjacent cache lines of one page.
  const pendingNode = new Int32Array(nodeCount);
  const pendingRow = new Int32Array(nodeCount);
  const blockNode = new Int32Array(nodeCount);
  const blockRow = new Int32Array(nodeCount);
  for (let q = 0; q < tail; q++) {
    if (queueDepth[q] !== shallowDepth) continue;
    let top = 0;
    let blockSize = 0;
    pendingNode[top] = queueNode[q]!;
    pendingRow[top++] = queueRow[q]!;
    while (top > 0) {
      const node = pendingNode[--top]!;
      const row = pendingRow[top]!;
      const mask = trie[row + 1]! & CHILD_BITS;
      if (mask === 0) continue;
      const first = cursor;
      trie[row] = first;
      cursor += POPCOUNT[mask]! * ROW;
      for (let digit = 0, childRow = first; digit < 10; digit++) {
        const child = build[node * 10 + digit]!;
        if (child === 0) continue;
        const hasVersions = versionStart[child + 1]! > versionStart[child]!;
        trie[childRow + 1] = childMask(child) | (hasVersions ? HAS_VERSIONS : 0);
        if (hasVersions) {
          blockNode[blockSize] = child;
          blockRow[blockSize++] = childRow;
        }
        childRow += ROW;
      }
      for (let digit = 9, childRow = first + (POPCOUNT[mask]! - 1) * ROW; digit >= 0; digit--) {
        const child = build[node * 10 + digit]!;
        if (child === 0) continue;
        pendingNode[top] = child;
        pendingRow[top++] = childRow;
        childRow -= ROW;
      }
    }
    for (let b = 0; b < blockSize; b++) cursor = writeRecords(blockNode[b]!, blockRow[b]!, cursor);
  }
  if (cursor !== trieLength) throw new Error(`internal: trie layout ${cursor} ≠ ${trieLength}`);

  return Object.freeze({
    id: plan.id,
    currency: plan.currency,
    timeZone: clock.timeZone,
    defaults,
    timeClassNames: Object.freeze(timeClassNames),
    timeClassMask,
    nodeCount,
    prefixCount,
    versionCount: rateCount,
    maxPrefixLength,
    trie,
    trieTimes,
    trieMoney,
    increments: Object.freeze(increments),
    destinations: Object.freeze(destinations),
    clock,
    scratch: new Int32Array(STACK_BASE + 3 * (maxPrefixLength + 1)),
  });
}

/** Index in `number` where the normalized digits start: after leading whitespace and one "+" or "00". */
export function normalizedStart(number: string): number {
  const len = number.length;
  let i = 0;
  while (i < len && number.charCodeAt(i) <= 32) i++;
  if (i < len) {
    const c = number.charCodeAt(i);
    if (c === 43) i++;
    else if (c === 48 && number.charCodeAt(i + 1) === 48) i += 2;
  }
  return i;
}

/**
 * The first of `count` version records from Int32 index `first` usable at `atMs` (live,
 * time class matching), or −1. `classes`: some record has a time class.
 */
export function matchRecords(plan: CompiledPlan, first: number, count: number, classes: boolean, atMs: number): number {
  const trie = plan.trie;
  const times = plan.trieTimes;
  let minuteOfWeek = -1;
  for (let p = first, end = first + count * RECORD; p < end; p += RECORD) {
    const half = p >> 1;
    if (!(times[half]! <= atMs && atMs < times[half + 1]!)) continue;
    if (classes) {
      const cls = trie[p + RECORD_CLASS]!;
      if (cls >= 0) {
        if (minuteOfWeek < 0) minuteOfWeek = plan.clock.minuteOfWeek(atMs);
        if (plan.timeClassMask[cls * MINUTES_PER_WEEK + minuteOfWeek] === 0) continue;
      }
    }
    return p;
  }
  return -1;
}

/** The first version record of node `row` usable at `atMs`, or −1. */
function matchVersions(plan: CompiledPlan, row: number, atMs: number): number {
  const trie = plan.trie;
  return matchRecords(plan, trie[row + 2]!, trie[row + 3]!, (trie[row + 1]! & HAS_TIME_CLASS) !== 0, atMs);
}

/**
 * The hot path: the matching version's handle (the Int32 index of its record in
 * `plan.trie`), or −1. Allocates nothing. On a match, `plan.scratch[0..2]` hold the
 * normalized number's start, the end of the matched prefix (indexes into `number`) and
 * the prefix length, until the next call.
 */
export function lookupVersion(plan: CompiledPlan, number: string, atMs: number): number {
  const trie = plan.trie;
  const scratch = plan.scratch;
  const len = number.length;
  let i = normalizedStart(number);
  const start = i;
  let row = 0;
  let mask = trie[1]!; // the root is never a prefix
  let depth = 0;
  let sp = STACK_BASE;
  for (; i < len; i++) {
    const digit = number.charCodeAt(i) - 48;
    if (digit >>> 0 > 9) continue;
    const bit = 1 << digit;
    if ((mask & bit) === 0) break;
    row = trie[row]! + POPCOUNT[mask & (bit - 1)]! * ROW;
    mask = trie[row + 1]!;
    depth++;
    if ((mask & HAS_VERSIONS) !== 0) {
      scratch[sp] = row;
      scratch[sp + 1] = i + 1;
      scratch[sp + 2] = depth;
      sp += 3;
    }
    if ((mask & CHILD_BITS) === 0) break;
  }
  // Deepest prefix first; fall back to shorter ones when it has nothing usable.
  while (sp > STACK_BASE) {
    sp -= 3;
    const p = matchVersions(plan, scratch[sp]!, atMs);
    if (p >= 0) {
      scratch[0] = start;
      scratch[1] = scratch[sp + 1]!;
      scratch[2] = scratch[sp + 2]!;
      return p;
    }
  }
  return -1;
}

/**
 * Batch lookup with the same answers as `lookupVersion` for each number: `out[k]` =
 * version handle or −1 and, when given, `outPrefixEnd[k]` = index in `numbers[k]` where
 * the matched prefix ends. Allocates nothing.
 *
 * For throughput on big decks: a trie walk is a chain of dependent memory reads, mostly
 * cache misses. This walks four numbers in lockstep (one digit each per round, all state
 * in locals) so the CPU keeps four independent misses in flight instead of one. The four
 * lanes are written out by hand on purpose: a loop over lane state in arrays is slower.
 */
export function lookupBatch(
  plan: CompiledPlan,
  numbers: readonly string[],
  atMs: Float64Array,
  out: Int32Array,
  outPrefixEnd?: Int32Array,
): void {
  const count = numbers.length;
  if (atMs.length < count || out.length < count || (outPrefixEnd !== undefined && outPrefixEnd.length < count)) {
    throw new RangeError("atMs and output arrays must be at least as long as numbers");
  }
  const trie = plan.trie;
  const rootMask = trie[1]!;
  let k = 0;
  for (; k + 3 < count; k += 4) {
    const s0 = numbers[k]!;
    const s1 = numbers[k + 1]!;
    const s2 = numbers[k + 2]!;
    const s3 = numbers[k + 3]!;
    const len0 = s0.length;
    const len1 = s1.length;
    const len2 = s2.length;
    const len3 = s3.length;
    let i0 = normalizedStart(s0);
    let i1 = normalizedStart(s1);
    let i2 = normalizedStart(s2);
    let i3 = normalizedStart(s3);
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let m0 = rootMask;
    let m1 = rootMask;
    let m2 = rootMask;
    let m3 = rootMask;
    let b0 = -1; // deepest row with versions
    let b1 = -1;
    let b2 = -1;
    let b3 = -1;
    let e0 = -1; // where its prefix ends in the number
    let e1 = -1;
    let e2 = -1;
    let e3 = -1;
    let live = 15;
    while (live !== 0) {
      if ((live & 1) !== 0) {
        if (i0 >= len0) live &= ~1;
        else {
          const d = s0.charCodeAt(i0++) - 48;
          if (d >>> 0 <= 9) {
            const bit = 1 << d;
            if ((m0 & bit) === 0) live &= ~1;
            else {
              r0 = trie[r0]! + POPCOUNT[m0 & (bit - 1)]! * ROW;
              m0 = trie[r0 + 1]!;
              if ((m0 & HAS_VERSIONS) !== 0) {
                b0 = r0;
                e0 = i0;
              }
              if ((m0 & CHILD_BITS) === 0) live &= ~1;
            }
          }
        }
      }
      if ((live & 2) !== 0) {
        if (i1 >= len1) live &= ~2;
        else {
          const d = s1.charCodeAt(i1++) - 48;
          if (d >>> 0 <= 9) {
            const bit = 1 << d;
            if ((m1 & bit) === 0) live &= ~2;
            else {
              r1 = trie[r1]! + POPCOUNT[m1 & (bit - 1)]! * ROW;
              m1 = trie[r1 + 1]!;
              if ((m1 & HAS_VERSIONS) !== 0) {
                b1 = r1;
                e1 = i1;
              }
              if ((m1 & CHILD_BITS) === 0) live &= ~2;
            }
          }
        }
      }
      if ((live & 4) !== 0) {
        if (i2 >= len2) live &= ~4;
        else {
          const d = s2.charCodeAt(i2++) - 48;
          if (d >>> 0 <= 9) {
            const bit = 1 << d;
            if ((m2 & bit) === 0) live &= ~4;
            else {
              r2 = trie[r2]! + POPCOUNT[m2 & (bit - 1)]! * ROW;
              m2 = trie[r2 + 1]!;
              if ((m2 & HAS_VERSIONS) !== 0) {
                b2 = r2;
                e2 = i2;
              }
              if ((m2 & CHILD_BITS) === 0) live &= ~4;
            }
          }
        }
      }
      if ((live & 8) !== 0) {
        if (i3 >= len3) live &= ~8;
        else {
          const d = s3.charCodeAt(i3++) - 48;
          if (d >>> 0 <= 9) {
            const bit = 1 << d;
            if ((m3 & bit) === 0) live &= ~8;
            else {
              r3 = trie[r3]! + POPCOUNT[m3 & (bit - 1)]! * ROW;
              m3 = trie[r3 + 1]!;
              if ((m3 & HAS_VERSIONS) !== 0) {
                b3 = r3;
                e3 = i3;
              }
              if ((m3 & CHILD_BITS) === 0) live &= ~8;
            }
          }
        }
      }
    }
    resolveLane(plan, s0, atMs[k]!, b0, e0, out, outPrefixEnd, k);
    resolveLane(plan, s1, atMs[k + 1]!, b1, e1, out, outPrefixEnd, k + 1);
    resolveLane(plan, s2, atMs[k + 2]!, b2, e2, out, outPrefixEnd, k + 2);
    resolveLane(plan, s3, atMs[k + 3]!, b3, e3, out, outPrefixEnd, k + 3);
  }
  for (; k < count; k++) {
    const p = lookupVersion(plan, numbers[k]!, atMs[k]!);
    out[k] = p;
    if (outPrefixEnd !== undefined) outPrefixEnd[k] = p < 0 ? -1 : plan.scratch[1]!;
  }
}

/** Finishes one lane of lookupBatch: versions of the deepest prefix, else the scalar fallback. */
function resolveLane(
  plan: CompiledPlan,
  number: string,
  atMs: number,
  bestRow: number,
  bestEnd: number,
  out: Int32Array,
  outPrefixEnd: Int32Array | undefined,
  k: number,
): void {
  let p = bestRow < 0 ? -1 : matchVersions(plan, bestRow, atMs);
  let end = bestEnd;
  if (p < 0 && bestRow >= 0) {
    // The deepest prefix has nothing usable at this instant: the scalar walk falls back to shorter ones.
    p = lookupVersion(plan, number, atMs);
    end = p < 0 ? -1 : plan.scratch[1]!;
  }
  out[k] = p;
  if (outPrefixEnd !== undefined) outPrefixEnd[k] = p < 0 ? -1 : end;
}

const NON_DIGITS = /[^0-9]/g;

/** The RateMatch for version handle `p`, matched on `number` up to index `end`. */
function describeMatch(plan: CompiledPlan, p: number, number: string, end: number): RateMatch {
  let prefix = number.slice(normalizedStart(number), end);
  for (let i = 0; i < prefix.length; i++) {
    if ((prefix.charCodeAt(i) - 48) >>> 0 > 9) {
      prefix = prefix.replace(NON_DIGITS, "");
      break;
    }
  }
  const trie = plan.trie;
  const half = p >> 1;
  const cls = trie[p + RECORD_CLASS]!;
  const to = plan.trieTimes[half + 1]!;
  const d = plan.defaults;
  return {
    prefix,
    destination: plan.destinations[trie[p + 10]!]!,
    rateMicrosPerMinute: plan.trieMoney[half + 2]!,
    connectionFeeMicros: plan.trieMoney[half + 3]!,
    increments: plan.increments[trie[p + 8]!]!,
    minimumDurationS: d.minimumDurationS,
    gracePeriodS: d.gracePeriodS,
    precisionMicros: d.precisionMicros,
    timeClass: cls < 0 ? null : plan.timeClassNames[cls]!,
    effectiveFrom: plan.trieTimes[half]!,
    effectiveTo: to === Number.POSITIVE_INFINITY ? null : to,
    rateIndex: trie[p + 11]!,
  };
}

/** The rate for `number` at `atMs` (plan defaults filled in), or null when none applies. */
export function lookup(plan: CompiledPlan, number: string, atMs: number): RateMatch | null {
  const p = lookupVersion(plan, number, atMs);
  return p < 0 ? null : describeMatch(plan, p, number, plan.scratch[1]!);
}

function costOf(match: RateMatch, durationS: number): CostBreakdown {
  return computeCost({
    durationS,
    rateMicrosPerMinute: match.rateMicrosPerMinute,
    connectionFeeMicros: match.connectionFeeMicros,
    increments: match.increments,
    minimumDurationS: match.minimumDurationS,
    gracePeriodS: match.gracePeriodS,
    precisionMicros: match.precisionMicros,
  });
}

/** Looks up the rate and computes the call's cost breakdown; null when no rate applies. */
export function rateCall(plan: CompiledPlan, call: CallToRate): RatedCall | null {
  const match = lookup(plan, call.number, call.atMs);
  return match === null ? null : { match, cost: costOf(match, call.durationS) };
}

/**
 * `rateCall` for many calls at once (uses `lookupBatch`); results in input order. Feed it
 * batches of about a thousand calls: every result stays alive until the batch returns,
 * and very large batches spend their gain in the garbage collector.
 */
export function rateCalls(plan: CompiledPlan, calls: readonly CallToRate[]): Array<RatedCall | null> {
  const count = calls.length;
  const numbers = new Array<string>(count);
  const atMs = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    numbers[k] = calls[k]!.number;
    atMs[k] = calls[k]!.atMs;
  }
  const versions = new Int32Array(count);
  const ends = new Int32Array(count);
  lookupBatch(plan, numbers, atMs, versions, ends);
  const results = new Array<RatedCall | null>(count);
  for (let k = 0; k < count; k++) {
    const p = versions[k]!;
    if (p < 0) {
      results[k] = null;
      continue;
    }
    const match = describeMatch(plan, p, numbers[k]!, ends[k]!);
    results[k] = { match, cost: costOf(match, calls[k]!.durationS) };
  }
  return results;
}

/** Bytes held by the compiled plan's typed arrays (strings and small objects not counted). */
export function memoryStats(plan: CompiledPlan): MemoryStats {
  const arrays: Record<string, number> = {
    trieNodeRows: plan.nodeCount * ROW * 4,
    trieVersionRecords: plan.versionCount * RECORD * 4,
    timeClassMask: plan.timeClassMask.byteLength,
    scratch: plan.scratch.byteLength,
  };
  const typedArrayBytes = plan.trie.buffer.byteLength + plan.timeClassMask.byteLength + plan.scratch.byteLength;
  return {
    nodeCount: plan.nodeCount,
    prefixCount: plan.prefixCount,
    versionCount: plan.versionCount,
    destinationCount: plan.destinations.length,
    arrays,
    typedArrayBytes,
    bytesPerPrefix: plan.prefixCount === 0 ? 0 : typedArrayBytes / plan.prefixCount,
  };
}
