/**
 * Source-address lookup for ingress identification. IPv4 (the common case) is parsed
 * without allocating and found in a Map of exact addresses, then a short list of CIDR
 * ranges; IPv6 goes through carriers/addresses.ts (the same parser the hierarchy rules
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

export class IpIndex<T> {
  /** Keyed by the address as a signed 32-bit integer (`| 0`): a small integer, not a boxed double, to hash. */
  private readonly v4Exact = new Map<number, T[]>();
  private readonly v4Ranges: Range<T>[] = [];
  /** The ranges' bounds side by side (unboxed doubles): every IPv4 lookup scans them all. */
  private readonly v4First: number[] = [];
  private readonly v4Last: number[] = [];
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
    const r = this.v4Ranges.find((x) => x.first === first && x.last === last);
    if (r) {
      r.items.push(item);
    } else {
      this.v4Ranges.push({ first, last, items: [item] });
      this.v4First.push(first);
      this.v4Last.push(last);
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
      const firsts = this.v4First;
      const lasts = this.v4Last;
      for (let r = 0; r < firsts.length; r++) {
        if (v4 < firsts[r]! || v4 > lasts[r]!) continue;
        const items = this.v4Ranges[r]!.items;
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
