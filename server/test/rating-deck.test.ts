import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "../src/platform/http/errors.js";
import { MAX_KEPT_ERRORS, limitBytes, parseEffective, readDeck, type DeckOptions, type DeckRow } from "../src/rating/deck.js";

/** The deck reader alone (no database): streamed input, line numbers, all-or-nothing bookkeeping. */
const PLAN = { timeZone: "Europe/Berlin", timeClassNames: ["peak"], incrementFirstS: 60, incrementNextS: 60 };

async function read(csv: string, chunk: number, opts: DeckOptions = {}) {
  const rows: DeckRow[] = [];
  let drains = 0;
  const bytes = Buffer.from(csv);
  const pieces = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const summary = await readDeck(pieces, opts, PLAN, {
    row: (r) => void rows.push(r),
    drain: async () => void drains++,
  });
  return { rows, summary, drains };
}

describe("readDeck", () => {
  const deck = [
    "\uFEFFPrefix;Destination;Rate;Effective date;Increments;Connection fee;Time class",
    "49;Germany;0,0150;2024-01-01;;;",
    "",
    '4930;"Berlin; Mitte";0,0125;2024-01-01;30/6;0,05;peak',
    '4989;"Mün\r\nchen";0,0130;2024-03-31T12:00:00Z;1/1;;',
    "",
    "",
    "4940;Hamburg;1;2024-03-31;;;",
  ].join("\r\n");

  it("reads the same rows with the same line numbers however the bytes are chunked (BOM, CRLF, ';', quotes, empty lines)", async () => {
    const whole = await read(deck, 1 << 20);
    expect(whole.summary).toEqual({ rowCount: 4, errorCount: 0, errors: [], minEffectiveFromMs: Date.parse("2023-12-31T23:00:00Z") });
    expect(whole.rows.map((r) => [r.line, r.prefix, r.destination, r.rateMicros, r.connectionFeeMicros, r.incrementFirstS, r.incrementNextS, r.timeClass])).toEqual([
      [2, "49", "Germany", 15_000n, null, null, null, null],
      [4, "4930", "Berlin; Mitte", 12_500n, 50_000n, 30, 6, "peak"],
      [5, "4989", "Mün\r\nchen", 13_000n, null, 1, 1, null],
      // The quoted line break makes row 5 two lines long; two empty lines follow.
      [9, "4940", "Hamburg", 1_000_000n, null, null, null, null],
    ]);
    // A bare date is midnight in the plan's zone (Berlin, the day summer time starts); a datetime keeps its offset.
    expect(whole.rows[3]!.effectiveFromMs).toBe(Date.parse("2024-03-30T23:00:00Z"));
    expect(whole.rows[2]!.effectiveFromMs).toBe(Date.parse("2024-03-31T12:00:00Z"));
    for (const size of [1, 2, 3, 7, 64]) {
      const chunked = await read(deck, size);
      expect(chunked.rows, `chunks of ${size}`).toEqual(whole.rows);
      expect(chunked.summary).toEqual(whole.summary);
      // The sink is drained after every chunk past the header line: the reader never runs ahead of it.
      const afterHeader = Buffer.byteLength(deck) - Buffer.byteLength(deck.split("\r\n")[0]!);
      expect(chunked.drains).toBeGreaterThanOrEqual(Math.floor(afterHeader / size));
    }
  });

  it("after a bad row, counts and lists the rest but hands nothing more to the sink", async () => {
    const lines = ["prefix,rate,effective_date", "1,0.1,2024-01-01", "x,0.1,2024-01-01", "2,0.1,2024-01-01", "1,0.2,2024-01-01"];
    for (let i = 0; i < MAX_KEPT_ERRORS + 5; i++) lines.push(`${i},-1,2024-01-01`);
    const { rows, summary } = await read(lines.join("\n"), 100);
    expect(rows.map((r) => r.prefix)).toEqual(["1"]);
    expect(summary.rowCount).toBe(2);
    expect(summary.errorCount).toBe(2 + MAX_KEPT_ERRORS + 5);
    expect(summary.errors).toHaveLength(MAX_KEPT_ERRORS);
    expect(summary.errors.slice(0, 3)).toEqual([
      { line: 3, reason: 'prefix "x" is not 1–32 digits' },
      { line: 5, reason: "duplicate of line 2 (same prefix 1, effective date and time class)" },
      { line: 6, reason: 'rate "-1" is negative' },
    ]);
  });

  it("duplicates are the same prefix, date and time class; other combinations are distinct rows", async () => {
    const csv = ["prefix,rate,effective_date,time_class", "1,0.1,2024-01-01,", "1,0.1,2024-01-01,peak", "1,0.1,2024-02-01,", "1,0.1,2024-02-01,peak", "1,0.2,2024-02-01,peak", "1,0.2,2024-01-01T00:00:00+01:00,"].join("\n");
    const { summary } = await read(csv, 5);
    expect(summary.errors).toEqual([
      { line: 6, reason: "duplicate of line 5 (same prefix 1, effective date and time class)" },
      // 00:00+01:00 is midnight in Berlin: the same instant as the bare date.
      { line: 7, reason: "duplicate of line 2 (same prefix 1, effective date and time class)" },
    ]);
  });

  it("a destination that is not UTF-8 or holds a NUL is a bad row", async () => {
    const bytes = Buffer.concat([Buffer.from("prefix,destination,rate,effective_date\n33,"), Buffer.from([0x43, 0xf4, 0x74, 0x65]), Buffer.from(",0.1,2024-01-01\n34,A\0B,0.1,2024-01-01\n35,Ok,0.1,2024-01-01\n")]);
    const rows: DeckRow[] = [];
    const summary = await readDeck([bytes], {}, PLAN, { row: (r) => void rows.push(r), drain: async () => {} });
    expect(summary.errors).toEqual([
      { line: 2, reason: "destination is not valid UTF-8 (save the deck as UTF-8)" },
      { line: 3, reason: "destination contains a NUL character" },
    ]);
    expect(summary.rowCount).toBe(1);
  });

  it("a deck it cannot read at all is a 400", async () => {
    const cases: [string, DeckOptions, RegExp][] = [
      ["", {}, /empty/],
      ["prefix,rate,effective_date\n", {}, /no rows/],
      ["prefix,destination\n1,A\n", {}, /lacks rate, effective_date/],
      ["code,price,from\n1,0.1,2024-01-01\n", { mapping: { prefix: "code", rate: "price", effective_date: "valid" } }, /no column "valid"/],
      ['prefix,rate,effective_date\n"1,0.1,2024-01-01\n', {}, /not valid CSV/],
    ];
    for (const [csv, opts, message] of cases) {
      const err = await read(csv, 4, opts).catch((e: unknown) => e);
      expect(err, csv).toBeInstanceOf(AppError);
      expect((err as AppError).statusCode).toBe(400);
      expect((err as AppError).message).toMatch(message);
    }
  });
});

describe("parseEffective", () => {
  it("reads ISO dates and datetimes in the plan's zone, and refuses impossible ones", () => {
    expect(parseEffective("2024-01-01", "America/New_York")).toBe(Date.parse("2024-01-01T05:00:00Z"));
    expect(parseEffective("2024-07-01 08:30", "America/New_York")).toBe(Date.parse("2024-07-01T12:30:00Z"));
    expect(parseEffective("2024-07-01T08:30:00.5-0200", "UTC")).toBe(Date.parse("2024-07-01T10:30:00.500Z"));
    expect(parseEffective("2023-02-29", "UTC")).toMatch(/does not exist/);
    expect(parseEffective("2024-01-01T24:00", "UTC")).toMatch(/does not exist/);
    expect(parseEffective("01/02/2024", "UTC")).toMatch(/not an ISO date/);
  });
});

describe("limitBytes", () => {
  it("passes a stream through up to the limit, then refuses with 413 and drains the rest instead of destroying it", async () => {
    const body = Readable.from([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)]);
    const seen: number[] = [];
    const err = await (async () => {
      for await (const chunk of limitBytes(body, 25)) seen.push(chunk.length);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([10, 10]);
    expect((err as AppError).statusCode).toBe(413);
    expect(body.destroyed).toBe(false);
    await new Promise((resolve) => body.once("end", resolve));
    const ok: number[] = [];
    for await (const chunk of limitBytes(Readable.from([Buffer.alloc(5), Buffer.alloc(5)]), 10)) ok.push(chunk.length);
    expect(ok).toEqual([5, 5]);
  });
});
