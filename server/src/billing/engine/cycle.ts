/**
 * Billing cycles: which period of a carrier's cycle an instant falls in, evaluated on
 * the carrier's local calendar. A period runs from local midnight of its first day to
 * local midnight after its last day, so it is 23 or 25 hours longer or shorter across a
 * DST change and always ends where the next one starts.
 */

export type Cycle =
  | { kind: "daily" }
  /** ISO weekday the week starts on: 1 = Monday … 7 = Sunday. */
  | { kind: "weekly"; startDay: number }
  /** 1st–15th and 16th–end of month. */
  | { kind: "semi_monthly" }
  /** From day `startDay` (1–28) of one month to the day before it in the next. */
  | { kind: "monthly"; startDay: number }
  /** Every `days` days counted from `anchor` (YYYY-MM-DD, the first day of a period). */
  | { kind: "custom"; days: number; anchor: string };

export interface Period {
  /** First instant (local midnight of the first day). */
  start: Date;
  /** First instant after the period (local midnight after the last day). */
  end: Date;
  /** Local calendar dates: first day and last day (inclusive). */
  firstDay: string;
  lastDay: string;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock fields at `ms` in `tz`. */
function wallClock(ms: number, tz: string) {
  const p: Record<string, number> = {};
  for (const x of partsFormatter(tz).formatToParts(new Date(ms))) if (x.type !== "literal") p[x.type] = Number(x.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour! % 24, min: p.minute!, s: p.second! };
}

/** How far `tz`'s wall clock is ahead of UTC at `ms`, in ms. */
function offsetMs(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(ms / 1000) * 1000;
}

/** Day number (days since 1970-01-01) of a civil date. */
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS;
const civil = (day: number) => {
  const dt = new Date(day * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
};
const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const parseIsoDate = (s: string): number => {
  const [y, m, d] = s.split("-").map(Number);
  return dayNumber(y!, m!, d!);
};

/** The local day number of an instant in `tz`. */
export function localDay(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  return dayNumber(w.y, w.m, w.d);
}

/**
 * The instant local midnight begins `day` in `tz`. Where midnight is skipped by a DST
 * change (a few zones switch at 00:00), the day begins at the first instant after the gap.
 */
export function startOfLocalDay(day: number, tz: string): Date {
  const guess = day * DAY_MS;
  // Offset at the guess, then at the instant it gives: right unless a change lies between.
  let t = guess - offsetMs(guess - offsetMs(guess, tz), tz);
  // A skipped midnight lands on the previous day: step forward to where this day begins.
  while (localDay(t, tz) < day) t += 900_000;
  return new Date(t);
}

const addMonths = (y: number, m: number, n: number) => {
  const k = y * 12 + (m - 1) + n;
  return { y: Math.floor(k / 12), m: (k % 12) + 1 };
};

/** The period's first day and the first day after it, as local day numbers. */
function periodDays(day: number, cycle: Cycle): [number, number] {
  const { y, m, d } = civil(day);
  switch (cycle.kind) {
    case "daily":
      return [day, day + 1];
    case "weekly": {
      const iso = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
      const start = day - ((iso - cycle.startDay + 7) % 7);
      return [start, start + 7];
    }
    case "semi_monthly": {
      const next = addMonths(y, m, 1);
      return d <= 15 ? [dayNumber(y, m, 1), dayNumber(y, m, 16)] : [dayNumber(y, m, 16), dayNumber(next.y, next.m, 1)];
    }
    case "monthly": {
      const s = cycle.startDay;
      const from = d >= s ? { y, m } : addMonths(y, m, -1);
      const to = addMonths(from.y, from.m, 1);
      return [dayNumber(from.y, from.m, s), dayNumber(to.y, to.m, s)];
    }
    case "custom": {
      const anchor = parseIsoDate(cycle.anchor);
      const start = anchor + Math.floor((day - anchor) / cycle.days) * cycle.days;
      return [start, start + cycle.days];
    }
  }
}

const periodOf = ([first, next]: [number, number], tz: string): Period => ({
  start: startOfLocalDay(first, tz),
  end: startOfLocalDay(next, tz),
  firstDay: isoDate(first),
  lastDay: isoDate(next - 1),
});

/** The period of `cycle` that contains the instant `atMs`, on `tz`'s calendar. */
export function periodContaining(atMs: number, cycle: Cycle, tz: string): Period {
  return periodOf(periodDays(localDay(atMs, tz), cycle), tz);
}

/** The period containing the local date `day` (YYYY-MM-DD). */
export function periodOfDate(day: string, cycle: Cycle, tz: string): Period {
  return periodOf(periodDays(parseIsoDate(day), cycle), tz);
}

/** The latest period that has fully ended at `nowMs` (the one before the current one). */
export function lastClosedPeriod(nowMs: number, cycle: Cycle, tz: string): Period {
  const [first] = periodDays(localDay(nowMs, tz), cycle);
  return periodOf(periodDays(first - 1, cycle), tz);
}
