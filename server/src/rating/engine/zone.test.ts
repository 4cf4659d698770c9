import { describe, expect, it } from "vitest";
import { ZoneClock, zoneClock, zonedTimeToEpochMs } from "./zone.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe("ZoneClock offsets", () => {
  it.each([
    ["Europe/London", Date.UTC(2025, 0, 15), 0],
    ["Europe/London", Date.UTC(2025, 6, 15), HOUR],
    ["America/New_York", Date.UTC(2025, 0, 15), -5 * HOUR],
    ["Asia/Kolkata", Date.UTC(2025, 0, 15), 5.5 * HOUR],
    ["UTC", Date.UTC(2025, 0, 15), 0],
  ])("%s at %s", (zone, atMs, offset) => {
    expect(zoneClock(zone).offsetMs(atMs)).toBe(offset);
  });

  it("switches at the exact instant of a transition (London, 2025-03-30 01:00 UTC)", () => {
    const clock = zoneClock("Europe/London");
    const change = Date.UTC(2025, 2, 30, 1);
    expect(clock.offsetMs(change - 1)).toBe(0);
    expect(clock.offsetMs(change)).toBe(HOUR);
  });

  it("handles transitions that are not on a UTC hour (St John's, 2025-03-09 05:30 UTC)", () => {
    const clock = new ZoneClock("America/St_Johns");
    const change = Date.UTC(2025, 2, 9, 5, 30);
    expect(clock.offsetMs(change - 1)).toBe(-3.5 * HOUR);
    expect(clock.offsetMs(change)).toBe(-2.5 * HOUR);
  });

  it.each(["Europe/London", "America/St_Johns", "Australia/Lord_Howe", "America/Santiago", "Europe/Dublin", "Pacific/Chatham"])(
    "matches Intl minute by minute around every 2024–2025 transition in %s",
    (zone) => {
      const cached = new ZoneClock(zone);
      const raw = new ZoneClock(zone);
      let checked = 0;
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2026, 0, 1); t += HOUR) {
        if (raw.rawOffsetMs(t) === raw.rawOffsetMs(t + HOUR)) continue;
        for (let m = t - 30 * MINUTE; m <= t + 2 * HOUR; m += MINUTE) {
          expect(cached.offsetMs(m), `${zone} ${new Date(m).toISOString()}`).toBe(raw.rawOffsetMs(m));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    },
  );

  it("stays right when hours collide in the cache", () => {
    const clock = new ZoneClock("Europe/London");
    const winter = Date.UTC(2025, 0, 15, 12);
    const other = winter + 4096 * HOUR; // same cache slot, in summer
    for (let i = 0; i < 3; i++) {
      expect(clock.offsetMs(winter)).toBe(0);
      expect(clock.offsetMs(other)).toBe(HOUR);
    }
  });

  it("works before 1970", () => {
    const clock = new ZoneClock("Europe/London");
    const t = Date.UTC(1960, 6, 1, 12);
    expect(clock.offsetMs(t)).toBe(clock.rawOffsetMs(t));
    expect(new ZoneClock("UTC").minuteOfWeek(Date.UTC(1969, 11, 31, 1, 2))).toBe(3 * 1440 + 62); // a Wednesday
  });

  it("rejects an unknown time zone", () => {
    expect(() => new ZoneClock("Nowhere/Special")).toThrow(RangeError);
  });
});

describe("minuteOfWeek", () => {
  it.each([
    ["UTC", Date.UTC(2025, 0, 12, 0, 0), 0], // Sunday 00:00
    ["UTC", Date.UTC(2025, 0, 13, 0, 0), 1440], // Monday 00:00
    ["UTC", Date.UTC(2025, 0, 18, 23, 59), 6 * 1440 + 23 * 60 + 59], // Saturday 23:59
    ["Europe/London", Date.UTC(2025, 6, 12, 23, 30), 0 * 1440 + 30], // Sat 23:30 UTC = Sun 00:30 BST
    ["America/New_York", Date.UTC(2025, 0, 13, 3), 0 * 1440 + 22 * 60], // Mon 03:00 UTC = Sun 22:00 EST
  ])("%s %s → %i", (zone, atMs, minute) => {
    expect(zoneClock(zone).minuteOfWeek(atMs)).toBe(minute);
  });
});

describe("zonedTimeToEpochMs", () => {
  it.each([
    ["Europe/London", [2025, 1, 1, 0, 0], Date.UTC(2025, 0, 1)],
    ["Europe/London", [2025, 7, 1, 0, 0], Date.UTC(2025, 5, 30, 23)],
    ["America/New_York", [2025, 7, 4, 9, 30], Date.UTC(2025, 6, 4, 13, 30)],
    // Spring-forward gap: 01:30 does not exist in London on 2025-03-30; read with the
    // offset before the gap, it lands after it (02:30 BST).
    ["Europe/London", [2025, 3, 30, 1, 30], Date.UTC(2025, 2, 30, 1, 30)],
    // Fall-back overlap: 01:30 happens twice on 2025-10-26; the earlier (BST) instant wins.
    ["Europe/London", [2025, 10, 26, 1, 30], Date.UTC(2025, 9, 26, 0, 30)],
  ] as const)("%s %j", (zone, [y, mo, d, h, mi], expected) => {
    expect(zonedTimeToEpochMs(zone, y, mo, d, h, mi)).toBe(expected);
  });
});
