/**
 * Rating engine benchmark: `npx tsx bench/rating/engine.bench.ts`
 *
 * A 500 000-prefix synthetic deck and 1 000 000 dialled numbers (bench/rating/deck.ts,
 * deterministic). Reports compile time, memory per prefix, lookups/s and rateCall/s on
 * one core, and the same lookups through a naive baseline measured in the same run: a
 * Map<string, versions[]> probed with every prefix of the number, longest first.
 *
 * Measurements run in ROUNDS interleaved rounds (so a noisy neighbour hurts every method
 * alike); each method gets ≥ SECONDS of work in total, and the median round is reported
 * with the best round alongside.
 *
 * Options (env): PREFIXES (default 500000), NUMBERS (default 1000000), SECONDS per
 * method (default 1.5), ROUNDS (default 3).
 */
import { performance } from "node:perf_hooks";
import {
  compilePlan,
  lookup,
  lookupBatch,
  lookupVersion,
  memoryStats,
  rateCall,
  rateCalls,
  type CallToRate,
  type CompiledPlan,
  type Rate,
  type TimeClass,
} from "../../server/src/rating/engine/plan.js";
import { zoneClock } from "../../server/src/rating/engine/zone.js";
import { createRandom, DECK_SWITCHOVER_MS, generateDeck, generateNumbers } from "./deck.js";

const PREFIXES = Number(process.env.PREFIXES ?? 500_000);
const NUMBERS = Number(process.env.NUMBERS ?? 1_000_000);
const SECONDS = Number(process.env.SECONDS ?? 1.5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CHUNK = 100_000;
const SEED = 20_240_601;
const TARGET_LOOKUPS_PER_SECOND = 2_000_000;

const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (message: string): void => console.log(message);

// ── Naive baseline ────────────────────────────────────────────────────────────────
interface Baseline {
  map: Map<string, Rate[]>;
  maxLength: number;
  inClass: (name: string, minuteOfWeek: number) => boolean;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

function buildBaseline(rates: readonly Rate[], timeClasses: readonly TimeClass[]): Baseline {
  const map = new Map<string, Rate[]>();
  let maxLength = 0;
  for (const rate of rates) {
    let list = map.get(rate.prefix);
    if (!list) map.set(rate.prefix, (list = []));
    list.push(rate);
    maxLength = Math.max(maxLength, rate.prefix.length);
  }
  // Same preference as the engine: class-specific first, then latest effectiveFrom (stable sort keeps row order).
  for (const list of map.values()) {
    if (list.length > 1) list.sort((a, b) => (a.timeClass === null ? 1 : 0) - (b.timeClass === null ? 1 : 0) || b.effectiveFrom - a.effectiveFrom);
  }
  const bands = new Map(timeClasses.map((tc) => [tc.name, { days: tc.days, start: toMinutes(tc.start), end: toMinutes(tc.end) }]));
  const inClass = (name: string, minuteOfWeek: number): boolean => {
    const band = bands.get(name)!;
    const day = Math.floor(minuteOfWeek / 1440);
    const minute = minuteOfWeek % 1440;
    if (band.start < band.end) return band.days.includes(day) && minute >= band.start && minute < band.end;
    return (band.days.includes(day) && minute >= band.start) || (band.days.includes((day + 6) % 7) && minute < band.end);
  };
  return { map, maxLength, inClass };
}

function baselineLookup(b: Baseline, timeZone: string, number: string, atMs: number): Rate | null {
  let s = number.trimStart();
  if (s.startsWith("+")) s = s.slice(1);
  else if (s.startsWith("00")) s = s.slice(2);
  const digits = s.replace(/[^0-9]/g, "");
  let minuteOfWeek = -1;
  for (let length = Math.min(b.maxLength, digits.length); length > 0; length--) {
    const versions = b.map.get(digits.slice(0, length));
    if (!versions) continue;
    for (const rate of versions) {
      if (!(rate.effectiveFrom <= atMs && (rate.effectiveTo === null || atMs < rate.effectiveTo))) continue;
      if (rate.timeClass !== null) {
        if (minuteOfWeek < 0) minuteOfWeek = zoneClock(timeZone).minuteOfWeek(atMs); // same offset cache as the engine
        if (!b.inClass(rate.timeClass, minuteOfWeek)) continue;
      }
      return rate;
    }
  }
  return null;
}

// ── Measurement ───────────────────────────────────────────────────────────────────
interface Method {
  label: string;
  unit: string;
  /** Processes chunk `c` (CHUNK items); returns a checksum so nothing is optimized away. */
  run: (c: number) => number;
  rates: number[];
  checksum: number;
}

function measureRound(method: Method, seconds: number, chunks: number): void {
  let ops = 0;
  let c = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    method.checksum += method.run(c);
    c = (c + 1) % chunks;
    ops += CHUNK;
    now = performance.now();
  }
  method.rates.push((ops / (now - start)) * 1000);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// ── Run ───────────────────────────────────────────────────────────────────────────
function main(): void {
  if (NUMBERS % CHUNK !== 0) throw new Error(`NUMBERS must be a multiple of ${CHUNK}`);
  log(`Rating engine benchmark — node ${process.version}, ${fmt(PREFIXES)} prefixes, ${fmt(NUMBERS)} numbers, ≥ ${SECONDS} s per method in ${ROUNDS} rounds`);

  let t = performance.now();
  log("generating deck…");
  const deck = generateDeck(PREFIXES, SEED, (done) => log(`  ${fmt(done)} prefixes`));
  log(`  ${fmt(deck.prefixes.length)} prefixes, ${fmt(deck.plan.rates.length)} rate versions in ${fmt(performance.now() - t)} ms`);

  t = performance.now();
  log("generating numbers…");
  const numbers = generateNumbers(NUMBERS, SEED + 1, deck);
  const random = createRandom(SEED + 2);
  // Call instants after the switchover, spread over weekdays and hours (exercises time classes and the offset cache).
  const times = new Float64Array(16).map((_, i) => DECK_SWITCHOVER_MS + 40 * 86_400_000 + i * 37 * 3_600_000 + Math.floor(random() * 3_600_000));
  const count = numbers.length;
  const atMs = new Float64Array(count).map((_, n) => times[n & 15]!);
  const durations = new Int32Array(count).map(() => Math.floor(random() * 600));
  const calls: CallToRate[] = numbers.map((number, n) => ({ number, atMs: atMs[n]!, durationS: durations[n]! }));
  log(`  ${fmt(count)} numbers in ${fmt(performance.now() - t)} ms`);

  log("compiling…");
  t = performance.now();
  const compiled: CompiledPlan = compilePlan(deck.plan);
  const compileMs = performance.now() - t;
  const stats = memoryStats(compiled);

  log("building the baseline…");
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const baseline = buildBaseline(deck.plan.rates, deck.plan.timeClasses);
  const baselineBuildMs = performance.now() - t;
  const baselineHeap = process.memoryUsage().heapUsed - heapBefore;

  log("checking engine = baseline = batch on every number…");
  const rowIndex = new Map(deck.plan.rates.map((rate, i) => [rate, i]));
  const batchOut = new Int32Array(count);
  lookupBatch(compiled, numbers, atMs, batchOut);
  let matched = 0;
  for (let n = 0; n < count; n++) {
    const engine = lookup(compiled, numbers[n]!, atMs[n]!);
    const naive = baselineLookup(baseline, deck.plan.timeZone, numbers[n]!, atMs[n]!);
    if ((engine?.rateIndex ?? -1) !== (naive === null ? -1 : rowIndex.get(naive))) throw new Error(`engine and baseline disagree on ${numbers[n]}`);
    if (batchOut[n] !== lookupVersion(compiled, numbers[n]!, atMs[n]!)) throw new Error(`lookupBatch and lookupVersion disagree on ${numbers[n]}`);
    if (engine) matched++;
  }

  // Chunks of CHUNK numbers; batch methods get views, not copies.
  const chunks = count / CHUNK;
  const numberChunks = Array.from({ length: chunks }, (_, c) => numbers.slice(c * CHUNK, (c + 1) * CHUNK));
  const callChunks = Array.from({ length: chunks }, (_, c) => calls.slice(c * CHUNK, (c + 1) * CHUNK));
  const atChunks = Array.from({ length: chunks }, (_, c) => atMs.subarray(c * CHUNK, (c + 1) * CHUNK));
  const outChunk = new Int32Array(CHUNK);
  const method = (label: string, unit: string, run: (c: number) => number): Method => ({ label, unit, run, rates: [], checksum: 0 });
  const mVersion = method("lookupVersion (scalar, zero-allocation)", "lookups/s", (c) => {
    const nums = numberChunks[c]!;
    const at = atChunks[c]!;
    let sum = 0;
    for (let k = 0; k < CHUNK; k++) sum += lookupVersion(compiled, nums[k]!, at[k]!);
    return sum;
  });
  const mLookup = method("lookup (scalar, returns a RateMatch)", "lookups/s", (c) => {
    const nums = numberChunks[c]!;
    const at = atChunks[c]!;
    let sum = 0;
    for (let k = 0; k < CHUNK; k++) if (lookup(compiled, nums[k]!, at[k]!) !== null) sum++;
    return sum;
  });
  const mBatch = method("lookupBatch (4 lanes, zero-allocation)", "lookups/s", (c) => {
    lookupBatch(compiled, numberChunks[c]!, atChunks[c]!, outChunk);
    return outChunk[CHUNK - 1]!;
  });
  const mRateCall = method("rateCall (lookup + cost breakdown)", "calls/s", (c) => {
    const chunk = callChunks[c]!;
    let sum = 0;
    for (let k = 0; k < CHUNK; k++) sum += rateCall(compiled, chunk[k]!)?.cost.billableS ?? 0;
    return sum;
  });
  const mRateCalls = method("rateCalls (batches of 1,000 calls)", "calls/s", (c) => {
    const chunk = callChunks[c]!;
    let sum = 0;
    for (let from = 0; from < CHUNK; from += 1_000) {
      for (const rated of rateCalls(compiled, chunk.slice(from, from + 1_000))) sum += rated?.cost.billableS ?? 0;
    }
    return sum;
  });
  const mBaseline = method("baseline Map<string, Rate[]> lookups", "lookups/s", (c) => {
    const nums = numberChunks[c]!;
    const at = atChunks[c]!;
    let sum = 0;
    for (let k = 0; k < CHUNK; k++) if (baselineLookup(baseline, deck.plan.timeZone, nums[k]!, at[k]!) !== null) sum++;
    return sum;
  });
  const methods = [mVersion, mLookup, mBatch, mRateCall, mRateCalls, mBaseline];

  log("warming up…");
  for (const m of methods) for (let c = 0; c < 3; c++) m.run(c);
  for (let round = 1; round <= ROUNDS; round++) {
    log(`measuring, round ${round} of ${ROUNDS}…`);
    for (const m of methods) measureRound(m, SECONDS / ROUNDS, chunks);
  }

  const line = (label: string, value: string): void => log(`  ${label.padEnd(42)} ${value}`);
  const rate = (m: Method): string => {
    const med = median(m.rates);
    return `${fmt(med).padStart(11)} ${m.unit} (${fmt(1e9 / med)} ns each; best round ${fmt(Math.max(...m.rates))})`;
  };
  log("");
  log("Results (one core; median of rounds)");
  line("prefixes / rate versions / trie nodes", `${fmt(stats.prefixCount)} / ${fmt(stats.versionCount)} / ${fmt(stats.nodeCount)}`);
  line("numbers matched", `${fmt(matched)} of ${fmt(count)} (${fmt((matched / count) * 100, 1)} %)`);
  line("compile time", `${fmt(compileMs)} ms`);
  line("typed-array memory", `${fmt(stats.typedArrayBytes / 1048576, 1)} MiB`);
  line("memory per prefix", `${fmt(stats.bytesPerPrefix, 1)} bytes/prefix`);
  for (const [name, bytes] of Object.entries(stats.arrays)) line(`  ${name}`, `${fmt(bytes / 1048576, 2)} MiB`);
  for (const m of methods) line(m.label, rate(m));
  line("baseline build", `${fmt(baselineBuildMs)} ms, ~${fmt(baselineHeap / 1048576)} MiB heap (approx.)`);
  const base = median(mBaseline.rates);
  line("ratio lookupVersion / baseline", `${fmt(median(mVersion.rates) / base, 2)}×`);
  line("ratio lookup / baseline", `${fmt(median(mLookup.rates) / base, 2)}×`);
  line("ratio lookupBatch / baseline", `${fmt(median(mBatch.rates) / base, 2)}×`);
  const verdict = (m: Method): string => (median(m.rates) >= TARGET_LOOKUPS_PER_SECOND ? "met" : "NOT met");
  line(`target ≥ ${fmt(TARGET_LOOKUPS_PER_SECOND)} lookups/s`, `lookupBatch ${verdict(mBatch)}, lookupVersion ${verdict(mVersion)}, lookup ${verdict(mLookup)}`);
  log(`  (checksums ${methods.map((m) => m.checksum).join(" ")})`);
}

main();
