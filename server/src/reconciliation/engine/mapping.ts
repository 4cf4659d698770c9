import { zonedTimeToEpochMs } from "../../rating/engine/index.js";
import { normalizeNumber } from "../../cdrs/engine/normalize.js";
import { MICROS_PER_UNIT, divRoundHalfUp } from "../../platform/money.js";

/**
 * A supplier's CDR file → the fields reconciliation compares. The clerk maps header
 * names to fields once per supplier; each row is then parsed here: plain data in, a
 * parsed row or the reason it cannot be used out. No I/O.
 */

export const TIME_FORMATS = ["iso", "ymd_hms", "dmy_hms", "mdy_hms", "epoch_s", "epoch_ms"] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Header names of the columns holding each field; optional ones may be null. */
export interface ColumnMapping {
  callId: string | null;
  calledNumber: string;
  startAt: string;
  startFormat: TimeFormat;
  /** Zone of wall-clock times without an offset (ignored for epoch and offset-carrying ISO times). */
  timeZone: string;
  durationS: string;
  amount: string | null;
  destination: string | null;
}

export const MAPPED_FIELDS = ["callId", "calledNumber", "startAt", "durationS", "amount", "destination"] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Column index of each mapped field in the file's header (-1: not mapped). */
export type ColumnIndexes = Record<MappedField, number>;

/** Resolves the mapping against a header; unknown or repeated names are field errors. */
export function resolveColumns(header: readonly string[], mapping: ColumnMapping): { columns: ColumnIndexes } | { errors: Record<string, string[]> } {
  const at = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (!at.has(key)) at.set(key, i);
  });
  const errors: Record<string, string[]> = {};
  const columns = {} as ColumnIndexes;
  const used = new Map<number, string>();
  for (const field of MAPPED_FIELDS) {
    const name = mapping[field];
    if (name === null) {
      columns[field] = -1;
      continue;
    }
    const i = at.get(name.trim().toLowerCase());
    if (i === undefined) errors[field] = [`the file has no column "${name}"`];
    else if (used.has(i)) errors[field] = [`column "${name}" is already mapped to ${used.get(i)}`];
    else {
      used.set(i, field);
      columns[field] = i;
    }
  }
  return Object.keys(errors).length ? { errors } : { columns };
}

export interface TheirRow {
  callId: string | null;
  calledNumber: string;
  startMs: number;
  durationS: number;
  amountMicros: bigint | null;
  destination: string | null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const DMY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const DIGITS = /^\d{1,16}(\.\d{1,6})?$/;
const DECIMAL = /^-?(\d{1,15})(?:\.(\d{1,12}))?$/;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Epoch ms of a start time in `format`, or why it is not one. Times without an offset are wall clock in `timeZone`. */
export function parseStart(value: string, format: TimeFormat, timeZone: string): number | string {
  const v = value.trim();
  if (format === "epoch_s" || format === "epoch_ms") {
    if (!DIGITS.test(v)) return `start time "${value}" is not a number of ${format === "epoch_s" ? "seconds" : "milliseconds"}`;
    const [whole, frac = ""] = v.split(".") as [string, string?];
    return format === "epoch_s" ? Number(whole) * 1000 + Number(frac.padEnd(3, "0").slice(0, 3)) : Number(whole);
  }
  const re = format === "iso" ? ISO : format === "ymd_hms" ? YMD : DMY;
  const m = re.exec(v);
  if (!m) return `start time "${value}" does not match the format ${format}`;
  let [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (format === "dmy_hms") [y, mo, d] = [Number(m[3]), Number(m[2]), Number(m[1])];
  if (format === "mdy_hms") [y, mo, d] = [Number(m[3]), Number(m[1]), Number(m[2])];
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return `start time "${value}" does not exist`;
  const zone = format === "iso" ? m[8] : undefined;
  if (zone) {
    const z = zone.replace(":", "");
    const offsetMin = z.toUpperCase() === "Z" ? 0 : (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  }
  return zonedTimeToEpochMs(timeZone, y, mo, d, h, mi, s) + ms;
}

/** Whole seconds; a fractional duration is billed as the next whole second. */
export function parseDuration(value: string): number | string {
  const v = value.trim();
  if (!/^\d{1,7}(\.\d{1,6})?$/.test(v)) return `duration "${value}" is not a number of seconds`;
  const [whole, frac = ""] = v.split(".") as [string, string?];
  return Number(whole) + (/[1-9]/.test(frac) ? 1 : 0);
}

/** Micro-units; more than 6 decimals (suppliers often send 8) are rounded once, half away from zero. */
export function parseAmount(value: string): bigint | string {
  const v = value.trim();
  const m = DECIMAL.exec(v);
  if (!m) return `amount "${value}" is not a decimal number`;
  const frac = m[2] ?? "";
  const scale = 10n ** BigInt(Math.max(frac.length, 6));
  const exact = BigInt(m[1]!) * scale + BigInt(frac.padEnd(Math.max(frac.length, 6), "0") || "0");
  const micros = divRoundHalfUp(exact * MICROS_PER_UNIT, scale);
  return v.startsWith("-") ? -micros : micros;
}

const cell = (record: readonly (string | null)[], i: number) => (i < 0 ? "" : (record[i] ?? "").trim());

/** One record of their file (the mapped columns by index) → a row, or the reasons it is unusable. */
export function parseTheirRow(record: readonly (string | null)[], columns: ColumnIndexes, mapping: Pick<ColumnMapping, "startFormat" | "timeZone">): TheirRow | { errors: string[] } {
  const errors: string[] = [];
  const called = normalizeNumber(cell(record, columns.calledNumber));
  if (!called) errors.push(`called number "${cell(record, columns.calledNumber)}" has no digits`);
  const start = parseStart(cell(record, columns.startAt), mapping.startFormat, mapping.timeZone);
  if (typeof start === "string") errors.push(start);
  const duration = parseDuration(cell(record, columns.durationS));
  if (typeof duration === "string") errors.push(duration);
  let amount: bigint | string | null = null;
  if (columns.amount >= 0) {
    amount = parseAmount(cell(record, columns.amount));
    if (typeof amount === "string") errors.push(amount);
  }
  if (errors.length) return { errors };
  const callId = cell(record, columns.callId);
  const destination = cell(record, columns.destination);
  return {
    callId: callId || null,
    calledNumber: called,
    startMs: start as number,
    durationS: duration as number,
    amountMicros: amount as bigint | null,
    destination: destination ? destination.slice(0, 200) : null,
  };
}
