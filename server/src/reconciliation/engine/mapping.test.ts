import { describe, expect, it } from "vitest";
import { parseAmount, parseDuration, parseStart, parseTheirRow, resolveColumns, type ColumnMapping } from "./mapping.js";

const utc = (s: string) => Date.parse(s);

describe("parseStart", () => {
  it.each([
    ["2026-11-20T10:00:00Z", "iso", "UTC", utc("2026-11-20T10:00:00Z")],
    ["2026-11-20 10:00:00.250+01:00", "iso", "UTC", utc("2026-11-20T09:00:00.250Z")],
    ["2026-11-20 11:00:00", "iso", "Europe/Paris", utc("2026-11-20T10:00:00Z")],
    ["2026/11/20 10:00", "ymd_hms", "UTC", utc("2026-11-20T10:00:00Z")],
    ["20/11/2026 11:00:00", "dmy_hms", "Europe/Paris", utc("2026-11-20T10:00:00Z")],
    ["11/20/2026 05:00:00", "mdy_hms", "America/New_York", utc("2026-11-20T10:00:00Z")],
    ["1795168800", "epoch_s", "UTC", 1795168800000],
    ["1795168800.5", "epoch_s", "UTC", 1795168800500],
    ["1795168800123", "epoch_ms", "UTC", 1795168800123],
  ] as const)("%s as %s in %s", (value, format, zone, want) => {
    expect(parseStart(value, format, zone)).toBe(want);
  });
  it.each([
    ["31/11/2026 10:00:00", "dmy_hms", "does not exist"],
    ["2026-02-29 10:00:00", "ymd_hms", "does not exist"],
    ["20/11/2026 10:00:00", "iso", "does not match"],
    ["yesterday", "epoch_s", "not a number"],
  ] as const)("refuses %s as %s", (value, format, reason) => {
    expect(parseStart(value, format, "UTC")).toContain(reason);
  });
});

describe("parseDuration and parseAmount", () => {
  it.each([
    ["37", 37],
    ["37.0", 37],
    ["37.01", 38],
    [" 0 ", 0],
  ])("duration %s → %i s", (v, want) => expect(parseDuration(v)).toBe(want));
  it.each(["-1", "1e3", "", "1:00"])("duration %s is refused", (v) => expect(typeof parseDuration(v)).toBe("string"));
  it.each([
    ["0.006", 6000n],
    ["0.00600000", 6000n],
    ["0.0000005", 1n],
    ["0.00000049", 0n],
    ["-1.5", -1_500_000n],
    ["12", 12_000_000n],
  ])("amount %s → %s micros (half away from zero)", (v, want) => expect(parseAmount(v)).toBe(want));
  it.each(["1,5", "abc", "", "1.2.3"])("amount %s is refused", (v) => expect(typeof parseAmount(v)).toBe("string"));
});

const mapping: ColumnMapping = { callId: "Ref", calledNumber: "CLD", startAt: "Start", startFormat: "iso", timeZone: "UTC", durationS: "Sec", amount: "Charge", destination: null };

describe("resolveColumns and parseTheirRow", () => {
  it("finds columns by name, case and spaces aside, in any order", () => {
    expect(resolveColumns(["charge", " Start ", "CLD", "sec", "REF"], mapping)).toEqual({ columns: { callId: 4, calledNumber: 2, startAt: 1, durationS: 3, amount: 0, destination: -1 } });
  });
  it("names missing and doubly-mapped columns", () => {
    expect(resolveColumns(["Start", "CLD", "Sec"], { ...mapping, callId: "CLD" })).toEqual({ errors: { calledNumber: ['column "CLD" is already mapped to callId'], amount: ['the file has no column "Charge"'] } });
  });
  it("parses a row, normalizing the number; every bad field is reported", () => {
    const columns = { callId: 0, calledNumber: 1, startAt: 2, durationS: 3, amount: 4, destination: -1 };
    expect(parseTheirRow(["", "+44 (20) 7123-0001", "2026-11-20T10:00:00Z", "60", "0.006"], columns, mapping)).toEqual({
      callId: null,
      calledNumber: "442071230001",
      startMs: utc("2026-11-20T10:00:00Z"),
      durationS: 60,
      amountMicros: 6000n,
      destination: null,
    });
    expect(parseTheirRow(["x", "abc", "soon", "-", "?"], columns, mapping)).toEqual({
      errors: ['called number "abc" has no digits', 'start time "soon" does not match the format iso', 'duration "-" is not a number of seconds', 'amount "?" is not a decimal number'],
    });
  });
});
