import { addressListsOverlap, type SignallingAddress } from "./addresses.js";

/**
 * How an incoming call finds its service: the source address picks the ingress
 * interconnects, the dialled number's tech prefix and the destination/origination
 * prefix lists pick the service, longest match winning. Two services are ambiguous
 * when some call would match both at the same specificity: overlapping source
 * addresses, the same effective tech prefix, and a shared destination prefix and a
 * shared origination prefix (an empty list matches everything, like the prefix "").
 */
export interface ServiceKey {
  id: string;
  name: string;
  interconnectName: string;
  addresses: readonly SignallingAddress[];
  /** The service's tech prefix, or its interconnect's when the service has none. */
  techPrefix: string;
  destinationMatch: readonly string[];
  originationMatch: readonly string[];
}

const orAll = (l: readonly string[]) => (l.length ? l : [""]);
const shares = (a: readonly string[], b: readonly string[]) => {
  const set = new Set(orAll(a));
  return orAll(b).find((x) => set.has(x));
};

export interface Ambiguity {
  conflictsWith: ServiceKey;
  address: SignallingAddress;
  techPrefix: string;
  destinationPrefix: string;
  originationPrefix: string;
}

export function findAmbiguity(candidate: ServiceKey, others: readonly ServiceKey[]): Ambiguity | null {
  for (const other of others) {
    if (other.id === candidate.id || other.techPrefix !== candidate.techPrefix) continue;
    const destinationPrefix = shares(candidate.destinationMatch, other.destinationMatch);
    if (destinationPrefix === undefined) continue;
    const originationPrefix = shares(candidate.originationMatch, other.originationMatch);
    if (originationPrefix === undefined) continue;
    const address = addressListsOverlap(candidate.addresses, other.addresses);
    if (!address) continue;
    return { conflictsWith: other, address, techPrefix: candidate.techPrefix, destinationPrefix, originationPrefix };
  }
  return null;
}

export function describeAmbiguity(a: Ambiguity): string {
  const parts = [
    `source ${a.address.address}${a.address.port ? `:${a.address.port}` : ""}`,
    `tech prefix "${a.techPrefix}"`,
    a.destinationPrefix ? `destination prefix ${a.destinationPrefix}` : "all destinations",
  ];
  if (a.originationPrefix) parts.push(`origination prefix ${a.originationPrefix}`);
  return `Calls would match both this service and "${a.conflictsWith.name}" on ${a.conflictsWith.interconnectName} (${parts.join(", ")})`;
}
