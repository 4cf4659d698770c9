/**
 * A set of digit strings matched against the start of a number, as a digit trie in two
 * typed arrays: blacklists (prefix and exact entries), service exceptions, and the
 * destination/origination match lists of services. Lookups allocate nothing.
 */
const PREFIX = 1;
const EXACT = 2;

export interface PrefixSetEntry {
  value: string;
  /** true: matches only the whole number; false: any number starting with it. */
  exact: boolean;
}

/**
 * A digit trie over `values`: kids[node × 10 + digit] = child node, 0 = none (the root,
 * node 0, is nobody's child); nodeOf[i] = the node where values[i] ends. Values must be
 * digits ("" ends at the root).
 */
export function buildDigitTrie(values: readonly string[]): { kids: Int32Array; nodeOf: Int32Array; nodes: number } {
  const kids: number[] = new Array<number>(10).fill(0);
  let nodes = 1;
  const nodeOf = new Int32Array(values.length);
  values.forEach((value, v) => {
    let node = 0;
    for (let i = 0; i < value.length; i++) {
      const slot = node * 10 + value.charCodeAt(i) - 48;
      if (kids[slot] === 0) {
        kids[slot] = nodes++;
        for (let d = 0; d < 10; d++) kids.push(0);
      }
      node = kids[slot]!;
    }
    nodeOf[v] = node;
  });
  return { kids: Int32Array.from(kids), nodeOf, nodes };
}

export class PrefixSet {
  private constructor(
    /** kids[node × 10 + digit] = child node; 0 = none (the root, node 0, is nobody's child). */
    private readonly kids: Int32Array,
    private readonly flags: Uint8Array,
    readonly size: number,
    /**
     * Bit d = some entry starts with digit d. Kept on the object, which a lookup reads
     * anyway: most numbers leave a small set (an egress interconnect's blacklist, checked
     * for every candidate) on their first digit without touching the trie's arrays.
     */
    private readonly firstDigits: number,
    /**
     * Bit (d0 × 10 + d1) mod 25 of word ⌊(d0 × 10 + d1) / 25⌋ = some entry starts with
     * d0 d1 (an entry of one digit d0 sets all of d0's): the second look before the trie,
     * in four small integers on the object.
     */
    private readonly two0: number,
    private readonly two1: number,
    private readonly two2: number,
    private readonly two3: number,
  ) {}

  /** Whether a number whose digits start at `start` may match, by its first one or two digits. */
  private mayStart(number: string, start: number): boolean {
    const d0 = number.charCodeAt(start) - 48;
    if (((this.firstDigits >> d0) & 1) === 0) return false;
    const d1 = number.charCodeAt(start + 1) - 48;
    // A number of one digit (NaN), or a non-digit second: the trie decides.
    if (!(d1 >= 0 && d1 <= 9)) return true;
    const b = d0 * 10 + d1;
    const word = b < 25 ? this.two0 : b < 50 ? this.two1 : b < 75 ? this.two2 : this.two3;
    return ((word >> b % 25) & 1) !== 0;
  }

  /** Entries must be digits; empty values are ignored. Returns null for an empty set. */
  static build(entries: readonly PrefixSetEntry[]): PrefixSet | null {
    const valid = entries.filter((e) => /^[0-9]+$/.test(e.value));
    if (!valid.length) return null;
    const trie = buildDigitTrie(valid.map((e) => e.value));
    const flags = new Uint8Array(trie.nodes);
    valid.forEach((e, i) => (flags[trie.nodeOf[i]!]! |= e.exact ? EXACT : PREFIX));
    let firstDigits = 0;
    const two = [0, 0, 0, 0];
    const setTwo = (b: number) => (two[Math.floor(b / 25)]! |= 1 << b % 25);
    for (const e of valid) {
      const d0 = e.value.charCodeAt(0) - 48;
      firstDigits |= 1 << d0;
      if (e.value.length === 1) for (let d1 = 0; d1 < 10; d1++) setTwo(d0 * 10 + d1);
      else setTwo(d0 * 10 + e.value.charCodeAt(1) - 48);
    }
    return new PrefixSet(trie.kids, flags, valid.length, firstDigits, two[0]!, two[1]!, two[2]!, two[3]!);
  }

  /** Prefix entries only, e.g. a service's destination match list. */
  static ofPrefixes(values: readonly string[]): PrefixSet | null {
    return PrefixSet.build(values.map((value) => ({ value, exact: false })));
  }

  /**
   * Length of the shortest entry matching `number` from index `start` (a prefix entry it
   * starts with, or an exact entry equal to the rest of it); −1 when none. Stops at the
   * first non-digit.
   */
  first(number: string, start = 0): number {
    if (!this.mayStart(number, start)) return -1;
    const kids = this.kids;
    const flags = this.flags;
    let node = 0;
    const len = number.length;
    for (let i = start; i < len; i++) {
      const d = number.charCodeAt(i) - 48;
      if (d >>> 0 > 9) return -1;
      node = kids[node * 10 + d]!;
      if (node === 0) return -1;
      const f = flags[node]!;
      if ((f & PREFIX) !== 0 || ((f & EXACT) !== 0 && i === len - 1)) return i + 1 - start;
    }
    return -1;
  }

  /** Length of the longest prefix entry `number` starts with (from `start`); −1 when none. */
  longest(number: string, start = 0): number {
    if (!this.mayStart(number, start)) return -1;
    const kids = this.kids;
    const flags = this.flags;
    let node = 0;
    let best = -1;
    const len = number.length;
    for (let i = start; i < len; i++) {
      const d = number.charCodeAt(i) - 48;
      if (d >>> 0 > 9) break;
      node = kids[node * 10 + d]!;
      if (node === 0) break;
      if ((flags[node]! & PREFIX) !== 0) best = i + 1 - start;
    }
    return best;
  }
}
