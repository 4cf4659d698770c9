import type { Readable } from "node:stream";
import { badRequest } from "../platform/http/errors.js";
import type { CdrInput } from "./model.js";
import { batchRejected, validateRows, type RowError } from "./ingest.js";
import { RecordParser, feed } from "../rating/deck.js";

/**
 * A CDR file: one header row naming the fields (snake_case or camelCase, any order),
 * `,` or `;`. Streamed: rows are validated and handed on in chunks, never the whole file
 * in memory. Any bad line rejects the file (all lines are still read, so every bad one
 * is listed); blanks are nulls.
 */
const FIELDS = [
  "switchId",
  "callId",
  "attempt",
  "serviceId",
  "ingressInterconnectId",
  "egressInterconnectId",
  "callingNumber",
  "calledNumber",
  "startAt",
  "answerAt",
  "endAt",
  "durationS",
  "pddMs",
  "sipStatus",
  "q850Cause",
  "disposition",
  "codec",
] as const;
const NUMERIC = new Set(["attempt", "durationS", "pddMs", "sipStatus", "q850Cause"]);
const camel = (h: string) => h.trim().replace(/^\uFEFF/, "").toLowerCase().replace(/[_\s-]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const BY_KEY = new Map<string, string>(FIELDS.map((f) => [f.toLowerCase(), f]));
export const CSV_CHUNK = 5000;

function toRow(header: (string | null)[], record: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  header.forEach((field, i) => {
    if (!field) return;
    const v = (record[i] ?? "").trim();
    if (v === "") return;
    o[field] = NUMERIC.has(field) && /^-?\d+$/.test(v) ? Number(v) : v;
  });
  return o;
}

export async function* csvChunks(stream: Readable, errorsOut: { errors: RowError[]; count: number }): AsyncGenerator<{ rows: CdrInput[]; rowNumber: (i: number) => number }> {
  let header: (string | null)[] | null = null;
  let raw: unknown[] = [];
  let lines: number[] = [];
  const flush = () => {
    const v = validateRows(raw, (i) => lines[i]!);
    errorsOut.count += v.errorCount;
    errorsOut.errors.push(...v.errors.slice(0, 500 - errorsOut.errors.length));
    const chunkLines = lines;
    raw = [];
    lines = [];
    return { rows: v.valid, rowNumber: (i: number) => chunkLines[i]! };
  };
  const onRecord = (record: string[], line: number) => {
    if (!header) {
      header = record.map((h) => BY_KEY.get(camel(h).toLowerCase()) ?? null);
      const missing = ["switchId", "callId", "calledNumber", "startAt", "endAt", "sipStatus", "disposition", "durationS"].filter((f) => !header!.includes(f));
      if (missing.length) throw badRequest(`The CDR file's header lacks ${missing.join(", ")}`, { file: missing.map((m) => `missing column ${m}`) });
      return;
    }
    raw.push(toRow(header, record));
    lines.push(line);
  };
  // Records are taken synchronously as csv-parse finds them (no object stream, no info object per record).
  const parser = new RecordParser({ delimiter: [",", ";"], bom: true, relax_column_count: true, skip_empty_lines: true }, onRecord);
  parser.on("error", () => {}); // errors reach us through the write and end callbacks
  try {
    for await (const piece of stream) {
      await feed(parser, typeof piece === "string" ? Buffer.from(piece) : (piece as Buffer));
      if (raw.length >= CSV_CHUNK) {
        const chunk = flush();
        // Once a line is bad nothing will be written: validate the rest only to list it.
        if (!errorsOut.count) yield chunk;
      }
    }
    await new Promise<void>((resolve, reject) => {
      parser.once("error", reject);
      parser.once("finish", resolve);
      parser.end();
    });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode) throw err;
    throw badRequest(`The CDR file is not valid CSV: ${(err as Error).message}`, { file: [(err as Error).message] });
  }
  if (!header) throw badRequest("The CDR file is empty", { file: ["no header row"] });
  const last = flush();
  if (errorsOut.count) throw batchRejected(errorsOut.errors, errorsOut.count, "line");
  yield last;
}
