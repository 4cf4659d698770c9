import net from "node:net";

/** An IPv4/IPv6 network as integer bounds; a plain address is a /32 or /128. */
export interface Network {
  version: 4 | 6;
  first: bigint;
  last: bigint;
}

function ipToBigInt(ip: string): { version: 4 | 6; value: bigint } | null {
  const version = net.isIP(ip);
  if (version === 4) {
    return { version, value: ip.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  }
  if (version === 6) {
    const [head, tail] = ip.split("::") as [string, string | undefined];
    const parse = (s: string) => (s ? s.split(":") : []);
    let groups = parse(head);
    let rest = tail === undefined ? [] : parse(tail);
    // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
    const expandV4 = (g: string[]) => {
      const last = g[g.length - 1];
      if (last && net.isIPv4(last)) {
        const n = last.split(".").map(Number) as [number, number, number, number];
        return [...g.slice(0, -1), ((n[0] << 8) | n[1]).toString(16), ((n[2] << 8) | n[3]).toString(16)];
      }
      return g;
    };
    groups = expandV4(groups);
    rest = expandV4(rest);
    const fill = tail === undefined ? [] : Array(8 - groups.length - rest.length).fill("0");
    const all = [...groups, ...fill, ...rest];
    return { version, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
  }
  return null;
}

/** Parses "203.0.113.7", "203.0.113.0/24", "2001:db8::/32". Returns null if invalid. */
export function parseAddress(input: string): Network | null {
  const [ip, len, extra] = input.trim().split("/");
  if (extra !== undefined || !ip) return null;
  const parsed = ipToBigInt(ip);
  if (!parsed) return null;
  const width = parsed.version === 4 ? 32 : 128;
  const prefix = len === undefined ? width : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return null;
  const hostBits = BigInt(width - prefix);
  const first = (parsed.value >> hostBits) << hostBits;
  return { version: parsed.version, first, last: first + (1n << hostBits) - 1n };
}

export function networksOverlap(a: Network, b: Network): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

export function addressContains(network: Network, ip: string): boolean {
  const p = ipToBigInt(ip);
  return !!p && p.version === network.version && p.value >= network.first && p.value <= network.last;
}

export interface SignallingAddress {
  address: string;
  port: number | null;
}

/** Two signalling address lists can receive the same packet (a null port is any port). */
export function addressListsOverlap(a: readonly SignallingAddress[], b: readonly SignallingAddress[]): SignallingAddress | null {
  for (const x of a) {
    const nx = parseAddress(x.address);
    if (!nx) continue;
    for (const y of b) {
      const ny = parseAddress(y.address);
      if (ny && networksOverlap(nx, ny) && (x.port === null || y.port === null || x.port === y.port)) return x;
    }
  }
  return null;
}
