/**
 * One trie over the prefixes of several compiled plans, for looking one number up in
 * many plans with a single walk.
 *
 * A route decision looks the called number up in the customer's plan and in every
 * supplier plan of the routing entry. Walking each plan's trie is a chain of dependent
 * memory reads through a structure far larger than the CPU caches; the union trie has
 * the nodes of all its plans once (decks of one market share most prefixes), and each
 * node says which plans have rate versions there and where they are. A lookup walks the
 * union once, keeping the nodes on the path that matter to the plans asked for, then
 * resolves each plan from its deepest such node with the plan's own version records —
 * exactly `lookupVersion`'s rules (longest prefix with a usable version, effective
 * dates, time classes, preference order), which a randomized test checks.
 *
 * Rows, 4 × Int32 at an Int32 index r (the root at 0), children of a node consecutive in
 * digit order (as in a compiled plan):
 *   [r]     firstChild: row index of the first child; 0 = none
 *   [r + 1] bits 0–9: which digits have a child
 *   [r + 2] planMask: bit k = plans[k] has versions at this prefix
 *   [r + 3] index into `refs` of this node's first plan reference
 * `refs` holds, per node and plan with versions (ascending k), a reference of REF = 10 ×
 * Int32 (40 bytes) at an Int32 index f, in one buffer read through three views:
 *   refs[f]              Int32 index of the plan's first version record in `plans[k].trie`
 *   refs[f + 1]          count × 4, + 2 when the first record has a time class, + 1 when
 *                        some record has one
 *   refTimes[f/2 + 1]    the first record's effectiveFrom, refTimes[f/2 + 2] its effectiveTo
 *   refMoney[f/2 + 3]    its rate micros/minute, refMoney[f/2 + 4] its connection fee
 * The first record is the preferred one, so when it is live and has no time class it is
 * the answer, read from the reference beside the node: no read of the plan's own record,
 * one cache miss per plan in a separate buffer. Other cases go to the plan's records.
 * That copy costs 32 bytes per prefix and plan beyond the plans themselves.
 *
 * Immutable once built.
 */
import { CHILD_BITS, HAS_TIME_CLASS, HAS_VERSIONS, matchRecords, normalizedStart, POPCOUNT, RECORD_CLASS, ROW, type CompiledPlan } from "./plan.js";

/** Plans one union holds (bits of an Int32 plan mask, the sign bit left alone). */
export const MAX_UNION_PLANS = 31;
/** Int32s per plan reference. */
const REF = 10;

export interface PlanUnion {
  readonly plans: readonly CompiledPlan[];
  readonly nodeCount: number;
  readonly rows: Int32Array;
  readonly refs: Int32Array;
  readonly refTimes: Float64Array;
  readonly refMoney: BigInt64Array;
  /** Hot-path scratch: the rows on the walked path that have versions of an asked plan. */
  readonly stack: Int32Array;
}

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};

/** Builds the union of `plans` (distinct, at most MAX_UNION_PLANS) by merging their tries. */
export function compilePlanUnion(plans: readonly CompiledPlan[]): PlanUnion {
  const n = plans.length;
  if (n > MAX_UNION_PLANS) throw new RangeError(`at most ${MAX_UNION_PLANS} plans in a union, got ${n}`);
  if (new Set(plans).size !== n) throw new RangeError("the plans of a union must be distinct");
  let maxNodes = 1;
  let maxRefs = 0;
  let maxDepth = 0;
  for (const p of plans) {
    maxNodes += p.nodeCount - 1;
    maxRefs += p.prefixCount;
    if (p.maxPrefixLength > maxDepth) maxDepth = p.maxPrefixLength;
  }
  const rows = new Int32Array(maxNodes * ROW);
  const buffer = new ArrayBuffer(maxRefs * REF * 4);
  const refs = new Int32Array(buffer);
  const refTimes = new Float64Array(buffer);
  const refMoney = new BigInt64Array(buffer);
  // Depth-first over sibling groups; a frame is a union row and each plan's row there (−1 = absent).
  const frameRow = new Int32Array(10 * (maxDepth + 1) + 1);
  const framePlanRows = new Int32Array(frameRow.length * Math.max(1, n));
  const current = new Int32Array(n);
  let top = 0;
  let rootMask = 0;
  for (let k = 0; k < n; k++) {
    rootMask |= plans[k]!.trie[1]! & CHILD_BITS;
    framePlanRows[k] = 0;
  }
  rows[1] = rootMask;
  frameRow[top++] = 0;
  let cursor = ROW;
  let refCursor = 0;
  while (top > 0) {
    const f = --top;
    const row = frameRow[f]!;
    const mask = rows[row + 1]! & CHILD_BITS;
    if (mask === 0) continue;
    // Copied out: the children's frames reuse this frame's slot.
    current.set(framePlanRows.subarray(f * n, f * n + n));
    const first = cursor;
    rows[row] = first;
    cursor += POPCOUNT[mask]! * ROW;
    // Children pushed highest digit first, so the lowest is expanded next (preorder).
    const childTop = top + POPCOUNT[mask]!;
    let slot = childTop;
    for (let digit = 9; digit >= 0; digit--) {
      const bit = 1 << digit;
      if ((mask & bit) === 0) continue;
      slot--;
      const childRow = first + POPCOUNT[mask & (bit - 1)]! * ROW;
      frameRow[slot] = childRow;
      const childBase = slot * n;
      let childMask = 0;
      let planMask = 0;
      for (let k = 0; k < n; k++) {
        const pr = current[k]!;
        let cr = -1;
        if (pr >= 0) {
          const trie = plans[k]!.trie;
          const pm = trie[pr + 1]!;
          if ((pm & bit) !== 0) {
            cr = trie[pr]! + POPCOUNT[pm & (bit - 1)]! * ROW;
            const cm = trie[cr + 1]!;
            childMask |= cm & CHILD_BITS;
            if ((cm & HAS_VERSIONS) !== 0) planMask |= 1 << k;
          }
        }
        framePlanRows[childBase + k] = cr;
      }
      rows[childRow + 1] = childMask;
      rows[childRow + 2] = planMask;
      rows[childRow + 3] = refCursor;
      for (let k = 0; k < n; k++) {
        if ((planMask & (1 << k)) === 0) continue;
        const trie = plans[k]!.trie;
        const { trieTimes, trieMoney } = plans[k]!;
        const cr = framePlanRows[childBase + k]!;
        const p = trie[cr + 2]!;
        const half = refCursor >> 1;
        refs[refCursor] = p;
        refs[refCursor + 1] = trie[cr + 3]! * 4 + (trie[p + RECORD_CLASS]! >= 0 ? 2 : 0) + ((trie[cr + 1]! & HAS_TIME_CLASS) !== 0 ? 1 : 0);
        refTimes[half + 1] = trieTimes[p >> 1]!;
        refTimes[half + 2] = trieTimes[(p >> 1) + 1]!;
        refMoney[half + 3] = trieMoney[(p >> 1) + 2]!;
        refMoney[half + 4] = trieMoney[(p >> 1) + 3]!;
        refCursor += REF;
      }
    }
    top = childTop;
  }
  const kept = buffer.slice(0, refCursor * 4);
  return Object.freeze({
    plans: Object.freeze([...plans]),
    nodeCount: cursor / ROW,
    rows: rows.slice(0, cursor),
    refs: new Int32Array(kept),
    refTimes: new Float64Array(kept),
    refMoney: new BigInt64Array(kept),
    stack: new Int32Array(maxDepth + 1),
  });
}

/**
 * For every plan k whose bit is set in `planBits`, `out[k]` = `lookupVersion(plans[k],
 * number, atMs)`: the handle of the matching version record in that plan, or −1; and
 * `outRef[k]` = the Int32 index of the reference holding that record's rate and fee
 * (`unionRate`, `unionConnectionFee`), or −1 when only the plan's record has them. One
 * walk; allocates nothing. (Unlike lookupVersion, it leaves the plans' scratch alone.)
 */
export function lookupUnion(union: PlanUnion, planBits: number, number: string, atMs: number, out: Int32Array, outRef: Int32Array): void {
  const rows = union.rows;
  const stack = union.stack;
  const len = number.length;
  let row = 0;
  let mask = rows[1]!; // the root is never a prefix
  let sp = 0;
  for (let i = normalizedStart(number); i < len; i++) {
    const digit = number.charCodeAt(i) - 48;
    if (digit >>> 0 > 9) continue;
    const bit = 1 << digit;
    if ((mask & bit) === 0) break;
    row = rows[row]! + POPCOUNT[mask & (bit - 1)]! * ROW;
    mask = rows[row + 1]!;
    if ((rows[row + 2]! & planBits) !== 0) stack[sp++] = row;
    if (mask === 0) break;
  }
  const refs = union.refs;
  const refTimes = union.refTimes;
  for (let bits = planBits; bits !== 0; bits &= bits - 1) {
    const kBit = bits & -bits;
    const k = 31 - Math.clz32(kBit);
    let found = -1;
    let foundRef = -1;
    // Deepest prefix first; fall back to shorter ones when it has nothing usable.
    for (let s = sp - 1; s >= 0; s--) {
      const r = stack[s]!;
      const planMask = rows[r + 2]!;
      if ((planMask & kBit) === 0) continue;
      const ref = rows[r + 3]! + REF * popcount(planMask & (kBit - 1));
      const packed = refs[ref + 1]!;
      const half = ref >> 1;
      // The preferred record, live and for all time classes: the answer, without the plan.
      if ((packed & 2) === 0 && refTimes[half + 1]! <= atMs && atMs < refTimes[half + 2]!) {
        found = refs[ref]!;
        foundRef = ref;
        break;
      }
      found = matchRecords(union.plans[k]!, refs[ref]!, packed >>> 2, (packed & 1) !== 0, atMs);
      if (found >= 0) {
        if (found === refs[ref]) foundRef = ref;
        break;
      }
    }
    out[k] = found;
    outRef[k] = foundRef;
  }
}

/** The rate micros/minute of the record at reference `ref` (an `outRef` of lookupUnion, ≥ 0). */
export const unionRate = (union: PlanUnion, ref: number): bigint => union.refMoney[(ref >> 1) + 3]!;
/** The connection fee micros of the record at reference `ref`. */
export const unionConnectionFee = (union: PlanUnion, ref: number): bigint => union.refMoney[(ref >> 1) + 4]!;
