import { describe, expect, it } from "vitest";
import { lastClosedPeriod, periodContaining, periodOfDate, startOfLocalDay, parseIsoDate, type Cycle } from "./cycle.js";

const at = (iso: string) => new Date(iso).getTime();
const iso = (p: { start: Date; end: Date; firstDay: string; lastDay: string }) => [p.start.toISOString(), p.end.toISOString(), p.firstDay, p.lastDay];

describe("billing cycles in the carrier's time zone", () => {
  it.each<[string, Cycle, string, string, string[]]>([
    // Month end: 23:30 UTC on 31 Oct is already 1 Nov in Tokyo, still 31 Oct in New York.
    ["monthly UTC", { kind: "monthly", startDay: 1 }, "UTC", "2026-10-31T23:30:00Z", ["2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z", "2026-10-01", "2026-10-31"]],
    ["monthly Tokyo", { kind: "monthly", startDay: 1 }, "Asia/Tokyo", "2026-10-31T23:30:00Z", ["2026-10-31T15:00:00.000Z", "2026-11-30T15:00:00.000Z", "2026-11-01", "2026-11-30"]],
    // New York leaves DST on 1 Nov 2026: October starts at UTC−4, ends at UTC−5... the end is midnight EST.
    ["monthly New York", { kind: "monthly", startDay: 1 }, "America/New_York", "2026-10-31T23:30:00Z", ["2026-10-01T04:00:00.000Z", "2026-11-01T04:00:00.000Z", "2026-10-01", "2026-10-31"]],
    ["monthly New York Nov", { kind: "monthly", startDay: 1 }, "America/New_York", "2026-11-15T12:00:00Z", ["2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z", "2026-11-01", "2026-11-30"]],
    // February of a leap year, anchored on the 15th.
    ["monthly from the 15th", { kind: "monthly", startDay: 15 }, "UTC", "2028-03-03T00:00:00Z", ["2028-02-15T00:00:00.000Z", "2028-03-15T00:00:00.000Z", "2028-02-15", "2028-03-14"]],
    // London's spring-forward day (29 Mar 2026) is 23 hours long.
    ["daily London DST", { kind: "daily" }, "Europe/London", "2026-03-29T12:00:00Z", ["2026-03-29T00:00:00.000Z", "2026-03-29T23:00:00.000Z", "2026-03-29", "2026-03-29"]],
    ["daily London fall back", { kind: "daily" }, "Europe/London", "2026-10-25T12:00:00Z", ["2026-10-24T23:00:00.000Z", "2026-10-26T00:00:00.000Z", "2026-10-25", "2026-10-25"]],
    // Weeks starting Monday: Wed 25 Nov 2026 → Mon 23 – Sun 29.
    ["weekly Monday", { kind: "weekly", startDay: 1 }, "UTC", "2026-11-25T10:00:00Z", ["2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-11-23", "2026-11-29"]],
    ["weekly Sunday", { kind: "weekly", startDay: 7 }, "UTC", "2026-11-29T10:00:00Z", ["2026-11-29T00:00:00.000Z", "2026-12-06T00:00:00.000Z", "2026-11-29", "2026-12-05"]],
    ["semi-monthly first half", { kind: "semi_monthly" }, "UTC", "2026-02-15T23:59:59Z", ["2026-02-01T00:00:00.000Z", "2026-02-16T00:00:00.000Z", "2026-02-01", "2026-02-15"]],
    ["semi-monthly second half", { kind: "semi_monthly" }, "UTC", "2026-02-16T00:00:00Z", ["2026-02-16T00:00:00.000Z", "2026-03-01T00:00:00.000Z", "2026-02-16", "2026-02-28"]],
    ["custom 10 days", { kind: "custom", days: 10, anchor: "2026-01-01" }, "UTC", "2026-01-25T00:00:00Z", ["2026-01-21T00:00:00.000Z", "2026-01-31T00:00:00.000Z", "2026-01-21", "2026-01-30"]],
    ["custom before the anchor", { kind: "custom", days: 10, anchor: "2026-01-01" }, "UTC", "2025-12-31T00:00:00Z", ["2025-12-22T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "2025-12-22", "2025-12-31"]],
  ])("%s", (_name, cycle, tz, when, expected) => {
    expect(iso(periodContaining(at(when), cycle, tz))).toEqual(expected);
  });

  it("the last closed period is the one before the current one, in local time", () => {
    // 00:30 on 1 Dec in Auckland (UTC+13) is still 30 Nov in UTC: Auckland's November has closed.
    const now = at("2026-11-30T11:30:00Z");
    expect(lastClosedPeriod(now, { kind: "monthly", startDay: 1 }, "Pacific/Auckland").firstDay).toBe("2026-11-01");
    expect(lastClosedPeriod(now, { kind: "monthly", startDay: 1 }, "UTC").firstDay).toBe("2026-10-01");
    expect(iso(lastClosedPeriod(at("2026-11-25T00:27:00Z"), { kind: "daily" }, "UTC"))).toEqual(["2026-11-24T00:00:00.000Z", "2026-11-25T00:00:00.000Z", "2026-11-24", "2026-11-24"]);
  });

  it("consecutive periods tile time without gaps across a year of DST changes", () => {
    for (const tz of ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago", "Asia/Kolkata"]) {
      let p = periodOfDate("2026-01-01", { kind: "daily" }, tz);
      for (let i = 0; i < 366; i++) {
        const next = periodContaining(p.end.getTime(), { kind: "daily" }, tz);
        expect(next.start.getTime()).toBe(p.end.getTime());
        const hours = (p.end.getTime() - p.start.getTime()) / 3_600_000;
        expect([23, 24, 25]).toContain(hours);
        p = next;
      }
    }
  });

  it("a midnight skipped by DST starts the day at the end of the gap", () => {
    // Santiago springs forward at 24:00 on 5 Sep 2026: 6 Sep begins at 01:00 local (04:00 UTC).
    expect(startOfLocalDay(parseIsoDate("2026-09-06"), "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
  });
});
