import type { Readable } from "node:stream";
import { Parser } from "csv-parse";
import { AppError, badRequest } from "../platform/http/errors.js";
import { parseMoney } from "../platform/money.js";
import { zonedTimeToEpochMs } from "./engine/index.js";
import { DECK_FIELDS, type DeckField, type DeckMapping } from "./model.js";
import type { DeckError } from "./schema.js";

/**
 * Reading a rate deck: a CSV byte stream → validated rows, handed one by one to a sink
 * while the file streams in (the file is never held whole in memory). No database here:
 * the importer's sink copies the rows into PostgreSQL as they come.
 */
export const MAX_KEPT_ERRORS = 1000;
export const MAX_DECK_ROWS = 2_000_000;

/** Header names each field is recognised by (case-insensitive), unless a mapping names the column. */
const ALIASES: Record<DeckField, string[]> = {
  prefix: ["prefix", "code", "dial_code", "dialcode"],
  destination: ["destination", "description", "name"],
  rate: ["rate", "price"],
  effective_date: ["effective_date", "effective_from", "effective", "date"],
  first_increment: ["first_increment", "increment_first", "first_increment_s"],
  next_increment: ["next_increment", "increment_next", "next_increment_s"],
  increments: ["increments", "increment", "billing_increments"],
  connection_fee: ["connection_fee", "setup_fee"],
  time_class: ["time_class", "timeclass", "period"],
};

/** What the reader needs of the plan. */
export interface DeckPlan {
  timeZone: string;
  timeClassNames: readonly string[];
  incrementFirstS: number;
  incrementNextS: number;
}

export interface DeckOptions {
  mapping?: DeckMapping;
  delimiter?: "," | ";";
}

/** The file's bytes as they arrive (a request stream) or in slices of a string already in memory. */
export type DeckSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** One valid deck row. */
export interface DeckRow {
  line: number;
  prefix: string;
  destination: string;
  rateMicros: bigint;
  connectionFeeMicros: bigint | null;
  incrementFirstS: number | null;
  incrementNextS: number | null;
  timeClass: string | null;
  effectiveFromMs: number;
}

/** Receives the valid rows; `drain` is awaited after each chunk of input, so a slow sink slows the reading. */
export interface DeckSink {
  row(r: DeckRow): void;
  drain(): Promise<void>;
}

export interface DeckSummary {
  /** Valid rows. Once a row is bad, the rest are only checked and counted, not handed to the sink. */
  rowCount: number;
  errorCount: number;
  /** The first MAX_KEPT_ERRORS bad rows. */
  errors: DeckError[];
  /** The earliest effective date of a valid row (ms), or NaN with no valid row. */
  minEffectiveFromMs: number;
}

const normHeader = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, "_");
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Epoch ms, or an error message. A bare date is 00:00 in the plan's zone, as is a datetime without offset. */
export function parseEffective(value: string, timeZone: string): number | string {
  const d = DATE.exec(value);
  const dt = d ? null : DATETIME.exec(value);
  const m = d ?? dt;
  if (!m) return `effective date "${value}" is not an ISO date (YYYY-MM-DD) or datetime`;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s, ms] = dt ? [Number(dt[4]), Number(dt[5]), Number(dt[6] ?? 0), Number((dt[7] ?? "0").padEnd(3, "0"))] : [0, 0, 0, 0];
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || da < 1 || da > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return `effective date "${value}" does not exist`;
  const zone = dt?.[8];
  if (zone) {
    const offsetMin = zone.toUpperCase() === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    return Date.UTC(y, mo - 1, da, h, mi, s, ms) - offsetMin * 60_000;
  }
  return zonedTimeToEpochMs(timeZone, y, mo, da, h, mi, s) + ms;
}

const INCREMENT = /^\d{1,4}$/;
function parseIncrement(v: string): number | null {
  if (!INCREMENT.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= 3600 ? n : null;
}

const MONEY = /^\d{1,15}(\.\d{1,6})?$/;
function moneyError(what: string, v: string): string | null {
  if (MONEY.test(v)) return null;
  if (/^-\s*\d/.test(v)) return `${what} "${v}" is negative`;
  if (/^\d+\.\d{7,}$/.test(v)) return `${what} "${v}" has more than 6 decimals`;
  return `${what} "${v}" is not a decimal number`;
}

const PREFIX = /^[0-9]{1,32}$/;
const DECIMAL_COMMA = /^-?\d+,\d+$/;

function detectDelimiter(firstLine: string): "," | ";" {
  return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
}

type Columns = Partial<Record<DeckField, number>>;
const field = (record: string[], i: number | undefined) => (i === undefined ? "" : (record[i] ?? ""));

/**
 * csv-parse's stream parser, taking each record synchronously as it is parsed (the `info`
 * option would allocate an object per record, and the object stream would buffer:
 * together about 3× slower on big decks), with the line each record starts on: csv-parse
 * counts the end line, and a CRLF inside quotes twice.
 */
export class RecordParser extends Parser {
  private lastLine = 0;
  private emptyLines = 0;
  constructor(
    opts: ConstructorParameters<typeof Parser>[0],
    private readonly onRecord: (record: string[], line: number) => void,
  ) {
    super(opts);
  }
  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    const fields = record as string[];
    const line = this.lastLine + 1 + (this.info.empty_lines - this.emptyLines);
    this.emptyLines = this.info.empty_lines;
    this.lastLine = line;
    for (const f of fields) if (f.includes("\n")) this.lastLine += f.split("\n").length - 1;
    this.onRecord(fields, line);
    return true;
  }
}

/** Writes a chunk into the parser and resolves once it is parsed (its records handed over). */
export const feed = (parser: RecordParser, chunk: Buffer) => new Promise<void>((resolve, reject) => parser.write(chunk, (err) => (err ? reject(err) : resolve())));

/**
 * Reads and validates a deck. Throws 400 for a deck that cannot be read at all (no
 * header, a missing column, broken quoting, too many rows); otherwise returns every bad
 * row (the first MAX_KEPT_ERRORS of them) and hands each valid row to `sink` in order,
 * until the first bad row (a deck with a bad row will be rejected anyway).
 */
export async function readDeck(source: DeckSource, opts: DeckOptions, plan: DeckPlan, sink: DeckSink): Promise<DeckSummary> {
  const summary: DeckSummary = { rowCount: 0, errorCount: 0, errors: [], minEffectiveFromMs: NaN };
  const fail = (line: number, reason: string) => {
    summary.errorCount++;
    if (summary.errors.length < MAX_KEPT_ERRORS) summary.errors.push({ line, reason });
  };
  let delimiter: "," | ";" = opts.delimiter ?? ",";
  const classes = new Set(plan.timeClassNames);
  const dates = new Map<string, number | string>();
  // Duplicates (same prefix, date and class): most decks have one row per prefix, so the first row of each
  // prefix is kept by prefix alone (no key string to build); only further rows of a prefix get a full key.
  const firstOfPrefix = new Map<string, number>();
  const firstAt: number[] = [];
  const firstClass: (string | null)[] = [];
  const firstLine: number[] = [];
  const further = new Map<string, number>();
  let col: Columns | null = null;
  let width = 0;
  // In ;-separated decks a decimal comma is common: "0,0123".
  const decimal = (v: string) => (delimiter === ";" && DECIMAL_COMMA.test(v) ? v.replace(",", ".") : v);

  const header = (record: string[]) => {
    const c: Columns = {};
    width = record.length;
    const headers = record.map(normHeader);
    for (const field of DECK_FIELDS) {
      const mapped = opts.mapping?.[field];
      const names = mapped ? [normHeader(mapped)] : ALIASES[field];
      const at = headers.findIndex((h) => names.includes(h));
      if (at >= 0) c[field] = at;
      else if (mapped) throw badRequest(`The deck has no column "${mapped}" (mapped to ${field})`, { [`mapping.${field}`]: ["no such column in the header"] });
    }
    const missing = (["prefix", "rate", "effective_date"] as const).filter((f) => c[f] === undefined);
    if (missing.length) throw badRequest(`The deck's header lacks ${missing.join(", ")} (header: ${record.join(delimiter)})`, { csv: missing.map((f) => `missing column ${f}`) });
    return c;
  };

  const onRecord = (record: string[], line: number) => {
    if (!col) {
      col = header(record);
      return;
    }
    if (summary.rowCount + summary.errorCount >= MAX_DECK_ROWS) throw badRequest(`A deck may have at most ${MAX_DECK_ROWS} rows`, { csv: ["too many rows"] });
    const c = col;
    const before = summary.errorCount;
    if (record.length !== width) fail(line, `has ${record.length} columns, the header has ${width}`);
    const prefix = field(record, c.prefix);
    if (!PREFIX.test(prefix)) fail(line, prefix ? `prefix "${prefix}" is not 1–32 digits` : "prefix is empty");
    const destination = field(record, c.destination);
    if (destination.length > 200) fail(line, "destination is longer than 200 characters");
    // A byte that is not UTF-8 (a Latin-1 export, say) decodes to U+FFFD; PostgreSQL refuses NUL.
    if (destination.includes("\uFFFD")) fail(line, "destination is not valid UTF-8 (save the deck as UTF-8)");
    if (destination.includes("\0")) fail(line, "destination contains a NUL character");
    const rateText = decimal(field(record, c.rate));
    const rateErr = moneyError("rate", rateText);
    if (rateErr) fail(line, rateErr);
    const feeText = decimal(field(record, c.connection_fee));
    const feeErr = feeText ? moneyError("connection fee", feeText) : null;
    if (feeErr) fail(line, feeErr);
    let first: number | null = null;
    let next: number | null = null;
    const inc = field(record, c.increments);
    const firstText = field(record, c.first_increment);
    const nextText = field(record, c.next_increment);
    if (inc) {
      const m = /^(\d+)\s*\/\s*(\d+)$/.exec(inc);
      first = m ? parseIncrement(m[1]!) : null;
      next = m ? parseIncrement(m[2]!) : null;
      if (first === null || next === null) fail(line, `increments "${inc}" are not "first/next" seconds (1–3600)`);
    } else if (firstText || nextText) {
      first = firstText ? parseIncrement(firstText) : plan.incrementFirstS;
      next = nextText ? parseIncrement(nextText) : plan.incrementNextS;
      if (first === null) fail(line, `first increment "${firstText}" is not 1–3600 seconds`);
      if (next === null) fail(line, `next increment "${nextText}" is not 1–3600 seconds`);
    }
    const tc = field(record, c.time_class) || null;
    if (tc !== null && !classes.has(tc)) fail(line, `unknown time class "${tc}"${classes.size ? ` (the plan has ${[...classes].join(", ")})` : " (the plan has none)"}`);
    const dateText = field(record, c.effective_date);
    let at = dates.get(dateText);
    if (at === undefined) {
      at = dateText ? parseEffective(dateText, plan.timeZone) : "effective date is empty";
      dates.set(dateText, at);
    }
    if (typeof at === "string") fail(line, at);
    if (summary.errorCount !== before) return;
    const earlier = firstOfPrefix.get(prefix);
    if (earlier === undefined) {
      firstOfPrefix.set(prefix, firstAt.length);
      firstAt.push(at as number);
      firstClass.push(tc);
      firstLine.push(line);
    } else {
      const key = `${prefix}|${at as number}|${tc ?? ""}`;
      const dup = firstAt[earlier] === at && firstClass[earlier] === tc ? firstLine[earlier] : further.get(key);
      if (dup !== undefined) return fail(line, `duplicate of line ${dup} (same prefix ${prefix}, effective date and time class)`);
      further.set(key, line);
    }
    summary.rowCount++;
    if (Number.isNaN(summary.minEffectiveFromMs) || (at as number) < summary.minEffectiveFromMs) summary.minEffectiveFromMs = at as number;
    if (summary.errorCount) return;
    sink.row({
      line,
      prefix,
      destination,
      rateMicros: parseMoney(rateText),
      connectionFeeMicros: feeText ? parseMoney(feeText) : null,
      incrementFirstS: first,
      incrementNextS: next,
      timeClass: tc,
      effectiveFromMs: at as number,
    });
  };

  let parser: RecordParser | null = null;
  // The delimiter is detected on the header line: hold the bytes back until it is complete.
  let head: Buffer[] = [];
  const start = (bytes: Buffer): RecordParser => {
    if (!opts.delimiter) {
      const text = bytes.toString("utf8");
      const end = text.indexOf("\n");
      delimiter = detectDelimiter((end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, ""));
    }
    parser = new RecordParser({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }, onRecord);
    // Errors reach us through the write and end callbacks; an unheard 'error' event would crash the process.
    parser.on("error", () => {});
    return parser;
  };
  try {
    for await (const piece of source) {
      const chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
      if (parser) await feed(parser, chunk);
      else {
        head.push(chunk);
        if (!chunk.includes(10)) continue;
        const bytes = Buffer.concat(head);
        head = [];
        await feed(start(bytes), bytes);
      }
      await sink.drain();
    }
    let p = parser as RecordParser | null;
    if (!p) {
      const bytes = Buffer.concat(head);
      p = start(bytes);
      await feed(p, bytes);
    }
    await new Promise<void>((resolve, reject) => {
      p.once("error", reject);
      p.once("finish", resolve);
      p.end();
    });
    await sink.drain();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    if (!e.code?.startsWith("CSV_")) throw err;
    throw badRequest(`The deck is not valid CSV${e.lines ? ` (line ${e.lines})` : ""}: ${e.message ?? "unreadable"}`, { csv: [e.message ?? "unreadable"] });
  }
  if (!col) throw badRequest("The deck is empty", { csv: ["no header row"] });
  if (!summary.rowCount && !summary.errorCount) throw badRequest("The deck has a header but no rows", { csv: ["no rows"] });
  return summary;
}

/** A JSON deck, in slices: the importer reads (and stores) it piece by piece. */
export function* slices(csv: string): Generator<Buffer> {
  const bytes = Buffer.from(csv);
  for (let at = 0; at < bytes.length; at += 256 * 1024) yield bytes.subarray(at, at + 256 * 1024);
}

/** The upload stream, refused (413) once it passes `max` bytes. */
export async function* limitBytes(body: Readable, max: number): AsyncGenerator<Buffer> {
  let total = 0;
  let complete = false;
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) throw new AppError(413, "payload_too_large", `The deck is larger than ${max / 1024 / 1024} MB`);
      yield chunk;
    }
    complete = true;
  } finally {
    // Stopped early (a 400 on the header, too big): the rest is read and dropped rather than the
    // connection destroyed, so the client gets to see the answer.
    if (!complete) body.resume();
  }
}
