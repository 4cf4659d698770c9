import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { parse } from "csv-parse";
import { from as copyFrom } from "pg-copy-streams";
import type pg from "pg";
import { AppError, badRequest } from "../platform/http/errors.js";

/**
 * Their CDR file, streamed into `reconciliation_upload_rows` as it arrives: CSV records
 * (any columns; the first is the header) are COPY'd in batches as text arrays, one batch
 * in flight while the next is parsed. The mapping step comes later and reads them back.
 */
export const MAX_UPLOAD_ROWS = 2_000_000;
const MAX_COLUMNS = 100;
const SAMPLE_ROWS = 10;
const BATCH_BYTES = 4 * 1024 * 1024;

export interface UploadSummary {
  header: string[];
  sample: string[][];
  rows: number;
}

/** COPY text format escapes a backslash, tab, newline and carriage return. */
export const copyText = (v: string) => (/[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v);
/** An array literal element, always quoted (so blanks and NULL-looking text stay text). */
const arrayElement = (v: string) => `"${/["\\]/.test(v) ? v.replace(/["\\]/g, (c) => `\\${c}`) : v}"`;

/** The delimiter of the first line: the most frequent of comma, semicolon and tab. */
function detectDelimiter(head: string): string {
  const line = head.split(/\r?\n/, 1)[0] ?? "";
  const count = (c: string) => line.split(c).length - 1;
  return [",", ";", "\t"].reduce((best, c) => (count(c) > count(best) ? c : best), ",");
}

async function* withFirst(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

export async function stageUpload(client: pg.PoolClient, params: { tenantId: string; runId: string; source: AsyncIterable<Buffer> }): Promise<UploadSummary> {
  const it = params.source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done || !first.value.length) throw badRequest("The file is empty", { file: ["empty"] });
  const delimiter = detectDelimiter(first.value.subarray(0, 64 * 1024).toString("utf8"));
  const parser = Readable.from(withFirst(first.value, it)).pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));

  let header: string[] | null = null;
  const sample: string[][] = [];
  let rows = 0;
  let text = "";
  let inFlight: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const flush = async () => {
    await inFlight;
    if (failure) throw failure;
    if (!text) return;
    const batch = text;
    text = "";
    inFlight = (async () => {
      const copy = client.query(copyFrom("COPY reconciliation_upload_rows (tenant_id, run_id, line, fields) FROM STDIN"));
      copy.end(batch);
      await finished(copy);
    })().catch((err: unknown) => void (failure ??= err));
  };
  const prefix = `${params.tenantId}\t${params.runId}\t`;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.length > MAX_COLUMNS) throw badRequest(`Line ${info.lines} has more than ${MAX_COLUMNS} columns`, { file: ["too many columns"] });
      if (!header) {
        header = record.map((h) => h.trim());
        if (!header.some((h) => h)) throw badRequest("The first line must name the columns", { file: ["no header"] });
        continue;
      }
      if (++rows > MAX_UPLOAD_ROWS) throw new AppError(413, "payload_too_large", `The file has more than ${MAX_UPLOAD_ROWS} rows`);
      if (sample.length < SAMPLE_ROWS) sample.push(record);
      text += `${prefix}${info.lines}\t${copyText(`{${record.map(arrayElement).join(",")}}`)}\n`;
      if (text.length >= BATCH_BYTES) await flush();
    }
  } catch (err) {
    await inFlight;
    if (err instanceof AppError) throw err;
    // csv-parse: an unclosed quote, a bad character…: the file is refused, naming the line.
    const e = err as { code?: string; message?: string; lines?: number };
    if (e.code?.startsWith("CSV_")) throw new AppError(422, "unparsable_file", `The file is not valid CSV: ${e.message}`, { file: [e.message ?? "not CSV"] });
    throw err;
  }
  await flush();
  await inFlight;
  if (failure) throw failure;
  if (!header) throw badRequest("The file is empty", { file: ["empty"] });
  if (!rows) throw badRequest("The file has a header but no rows", { file: ["no rows"] });
  return { header, sample, rows };
}
