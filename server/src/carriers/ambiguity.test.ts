import { describe, expect, it } from "vitest";
import { addressContains, addressListsOverlap, parseAddress } from "./addresses.js";
import { findAmbiguity, type ServiceKey } from "./ambiguity.js";

describe("addresses", () => {
  it.each([
    ["203.0.113.7", true],
    ["203.0.113.0/24", true],
    ["10.0.0.0/8", true],
    ["2001:db8::/32", true],
    ["::ffff:192.0.2.1", true],
    ["203.0.113.300", false],
    ["203.0.113.0/33", false],
    ["sip.example.com", false],
    ["1.2.3.4/24/1", false],
    ["", false],
  ])("parses %j → valid %s", (input, valid) => expect(parseAddress(input) !== null).toBe(valid));

  it("matches CIDR membership and overlap, with ports", () => {
    expect(addressContains(parseAddress("203.0.113.0/24")!, "203.0.113.99")).toBe(true);
    expect(addressContains(parseAddress("203.0.113.0/24")!, "203.0.114.1")).toBe(false);
    expect(addressContains(parseAddress("2001:db8::/32")!, "2001:db8:1::5")).toBe(true);
    expect(addressContains(parseAddress("2001:db8::/32")!, "203.0.113.1")).toBe(false);
    const a = [{ address: "203.0.113.0/24", port: null }];
    expect(addressListsOverlap(a, [{ address: "203.0.113.10", port: 5060 }])).not.toBeNull();
    expect(addressListsOverlap(a, [{ address: "198.51.100.10", port: 5060 }])).toBeNull();
    expect(addressListsOverlap([{ address: "203.0.113.10", port: 5060 }], [{ address: "203.0.113.10", port: 5080 }])).toBeNull();
  });
});

const svc = (over: Partial<ServiceKey>): ServiceKey => ({
  id: Math.random().toString(36),
  name: "svc",
  interconnectName: "ic",
  addresses: [{ address: "203.0.113.10", port: null }],
  techPrefix: "",
  destinationMatch: [],
  originationMatch: [],
  ...over,
});

describe("service ambiguity", () => {
  const base = svc({ name: "Premium", techPrefix: "1001#" });
  it.each<[string, Partial<ServiceKey>, boolean]>([
    ["same IP, same tech prefix, both match all", { techPrefix: "1001#" }, true],
    ["different tech prefix", { techPrefix: "1002#" }, false],
    ["tech prefix that only extends the other (longest match decides)", { techPrefix: "1001#9" }, false],
    ["overlapping subnet", { techPrefix: "1001#", addresses: [{ address: "203.0.113.0/24", port: null }] }, true],
    ["other IP", { techPrefix: "1001#", addresses: [{ address: "198.51.100.1", port: null }] }, false],
    ["distinct destination prefixes", { techPrefix: "1001#", destinationMatch: ["44"] }, false],
    ["same origination split", { techPrefix: "1001#", originationMatch: ["1"] }, false],
  ])("%s → ambiguous %s", (_label, other, ambiguous) => {
    expect(findAmbiguity(base, [svc(other)]) !== null).toBe(ambiguous);
  });

  it("shared destination prefix between lists is ambiguous and named", () => {
    const a = svc({ name: "UK", destinationMatch: ["44", "353"] });
    const b = svc({ name: "Ireland", destinationMatch: ["353"], interconnectName: "Acme IN" });
    const hit = findAmbiguity(a, [b]);
    expect(hit?.conflictsWith.name).toBe("Ireland");
    expect(hit?.destinationPrefix).toBe("353");
  });

  it("a service never conflicts with itself", () => {
    expect(findAmbiguity(base, [base])).toBeNull();
  });
});
