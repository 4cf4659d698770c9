/**
 * Local wall-clock time in an IANA time zone, fast enough for the rating hot path.
 *
 * The UTC offset comes from `Intl.DateTimeFormat#formatToParts`, which is slow (µs), so
 * it is cached per UTC hour bucket in a direct-mapped table of typed arrays (no
 * allocation on a hit). A bucket whose start and end offsets differ contains a
 * transition; its exact instant is found once by binary search (to the second), so
 * transitions that are not on a UTC hour (e.g. America/St_Johns, Australia/Lord_Howe)
 * are exact too. Assumes at most one transition per hour, which holds for tzdata.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const CACHE_SIZE = 4096; // power of two: ~170 days of distinct hours before eviction
const CACHE_MASK = CACHE_SIZE - 1;

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

export class ZoneClock {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly bucketKey = new Float64Array(CACHE_SIZE).fill(Number.NaN);
  private readonly offsetBefore = new Float64Array(CACHE_SIZE);
  private readonly offsetAfter = new Float64Array(CACHE_SIZE);
  private readonly switchAt = new Float64Array(CACHE_SIZE);

  /** Throws RangeError for an unknown time zone. */
  constructor(timeZone: string) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    this.timeZone = this.format.resolvedOptions().timeZone;
  }

  /** Offset (local − UTC) in ms at `atMs`, straight from Intl (uncached, to the second). */
  rawOffsetMs(atMs: number): number {
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.format.formatToParts(atMs)) {
      switch (part.type) {
        case "year":
          year = Number(part.value);
          break;
        case "month":
          month = Number(part.value);
          break;
        case "day":
          day = Number(part.value);
          break;
        case "hour":
          hour = Number(part.value);
          break;
        case "minute":
          minute = Number(part.value);
          break;
        case "second":
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    const seconds = Math.floor(atMs / 1000) * 1000;
    return Date.UTC(year, month - 1, day, hour, minute, second) - seconds;
  }

  /** Offset (local − UTC) in ms at `atMs`; cached per UTC hour. */
  offsetMs(atMs: number): number {
    const bucket = Math.floor(atMs / HOUR_MS);
    const slot = bucket & CACHE_MASK;
    if (this.bucketKey[slot] !== bucket) this.fill(slot, bucket);
    return atMs < this.switchAt[slot]! ? this.offsetBefore[slot]! : this.offsetAfter[slot]!;
  }

  private fill(slot: number, bucket: number): void {
    const start = bucket * HOUR_MS;
    const last = start + HOUR_MS - 1000; // last whole second of the hour
    const before = this.rawOffsetMs(start);
    const after = this.rawOffsetMs(last);
    let switchAt = Number.POSITIVE_INFINITY;
    if (before !== after) {
      // Smallest whole second in (start, last] whose offset is `after`.
      let lo = start; // offset(lo) === before
      let hi = last; // offset(hi) === after
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.rawOffsetMs(mid) === before) lo = mid;
        else hi = mid;
      }
      switchAt = hi;
    }
    this.bucketKey[slot] = bucket;
    this.offsetBefore[slot] = before;
    this.offsetAfter[slot] = after;
    this.switchAt[slot] = switchAt;
  }

  /** Local minute of the week at `atMs`: weekday (0 = Sunday) × 1440 + minute of day. */
  minuteOfWeek(atMs: number): number {
    const local = atMs + this.offsetMs(atMs);
    const dayNumber = Math.floor(local / DAY_MS);
    const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    return weekday * MINUTES_PER_DAY + Math.floor((local - dayNumber * DAY_MS) / MINUTE_MS);
  }

  /**
   * Epoch ms of a local wall-clock time. In a spring-forward gap the time is read with
   * the offset before the gap (so it lands after it); in a fall-back overlap the earlier
   * instant wins.
   */
  toEpochMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    const offsetEarly = this.offsetMs(wall - DAY_MS);
    const candidateEarly = wall - offsetEarly;
    if (this.offsetMs(candidateEarly) === offsetEarly) return candidateEarly;
    const offsetLate = this.offsetMs(wall + DAY_MS);
    const candidateLate = wall - offsetLate;
    if (this.offsetMs(candidateLate) === offsetLate) return candidateLate;
    return candidateEarly; // in a gap
  }
}

const clocks = new Map<string, ZoneClock>();

/** The shared clock (and offset cache) for a time zone. Throws RangeError for an unknown zone. */
export function zoneClock(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new ZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** Epoch ms of a local wall-clock time in `timeZone` (month 1–12). */
export function zonedTimeToEpochMs(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  return zoneClock(timeZone).toEpochMs(year, month, day, hour, minute, second);
}
