/**
 * Source-address lookup for ingress identification. IPv4 (the common case) is parsed
 * without allocating and found in a Map of exact addresses, then in one Map per CIDR
 * prefix length present; IPv6 goes through carriers/addresses.ts (the same parser the hierarchy rules
 * use) into bigint ranges.
 */
import { parseAddress, type Network } from "../../carriers/addresses.js";

/** "203.0.113.7" → its 32-bit value (as a non-negative number); −1 when not a dotted quad. */
export function parseIpv4(ip: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // no leading zeros
      octet = octet * 10 + c - 48;
      if (++digits > 3 || octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

interface Range<T> {
  first: number;
  last: number;
  items: T[];
}
interface Range6<T> {
  network: Network;
  items: T[];
}
/** The IPv4 ranges of one prefix length, keyed by their network bits (`| 0`: a small integer key). */
interface Length {
  hostBits: number;
  byNetwork: Map<number, number>;
}

export class IpIndex<T> {
  /** Keyed by the address as a signed 32-bit integer (`| 0`): a small integer, not a boxed double, to hash. */
  private readonly v4Exact = new Map<number, T[]>();
  /** IPv4 ranges (CIDR blocks) in insertion order, the order they are visited in. */
  private readonly v4Ranges: Range<T>[] = [];
  /**
   * One map per prefix length present, longest first: an address finds its range of each
   * length with one lookup of its network bits, not a scan of every range.
   */
  private readonly v4Lengths: Length[] = [];
  /** Hot-path scratch: indexes of the ranges an address is in. */
  private readonly hits = new Int32Array(33);
  private readonly v6Ranges: Range6<T>[] = [];

  /** Adds `item` under an address or CIDR ("203.0.113.0/24", "2001:db8::/32"); false when unparsable. */
  add(address: string, item: T): boolean {
    const n = parseAddress(address);
    if (!n) return false;
    if (n.version === 6) {
      const r = this.v6Ranges.find((x) => x.network.first === n.first && x.network.last === n.last);
      if (r) r.items.push(item);
      else this.v6Ranges.push({ network: n, items: [item] });
      return true;
    }
    const first = Number(n.first);
    const last = Number(n.last);
    if (first === last) {
      const list = this.v4Exact.get(first | 0);
      if (list) list.push(item);
      else this.v4Exact.set(first | 0, [item]);
      return true;
    }
    // parseAddress gives CIDR blocks: first is aligned, the size a power of two.
    const hostBits = Math.round(Math.log2(last - first + 1));
    let length = this.v4Lengths.find((l) => l.hostBits === hostBits);
    if (!length) {
      length = { hostBits, byNetwork: new Map() };
      this.v4Lengths.push(length);
      this.v4Lengths.sort((a, b) => a.hostBits - b.hostBits);
    }
    const key = networkKey(first, hostBits);
    const index = length.byNetwork.get(key);
    if (index !== undefined) {
      this.v4Ranges[index]!.items.push(item);
    } else {
      length.byNetwork.set(key, this.v4Ranges.length);
      this.v4Ranges.push({ first, last, items: [item] });
    }
    return true;
  }

  /**
   * Calls `visit` for every item whose address contains `ip` (exact addresses first, then
   * ranges in insertion order). Allocates nothing for IPv4.
   */
  forEach(ip: string, visit: (item: T) => void): void {
    const v4 = parseIpv4(ip);
    if (v4 >= 0) {
      const exact = this.v4Exact.get(v4 | 0);
      if (exact) for (let i = 0; i < exact.length; i++) visit(exact[i]!);
      const lengths = this.v4Lengths;
      const hits = this.hits;
      let n = 0;
      for (let l = 0; l < lengths.length; l++) {
        const { hostBits, byNetwork } = lengths[l]!;
        const index = byNetwork.get(networkKey(v4, hostBits));
        if (index === undefined) continue;
        // Insertion order across lengths (usually one hit: nothing to move).
        let j = n++;
        for (; j > 0 && hits[j - 1]! > index; j--) hits[j] = hits[j - 1]!;
        hits[j] = index;
      }
      for (let h = 0; h < n; h++) {
        const items = this.v4Ranges[hits[h]!]!.items;
        for (let i = 0; i < items.length; i++) visit(items[i]!);
      }
      return;
    }
    if (!this.v6Ranges.length) return;
    const n = parseAddress(ip);
    if (!n || n.version !== 6 || n.first !== n.last) return;
    for (const range of this.v6Ranges) if (n.first >= range.network.first && n.first <= range.network.last) for (const item of range.items) visit(item);
  }
}

/** An IPv4 address's network bits above `hostBits` (0–32), as a small integer. */
const networkKey = (v4: number, hostBits: number): number => (hostBits === 32 ? 0 : (v4 >>> hostBits) | 0);
