import type { z } from "zod";
import { ResponseSerializationError } from "fastify-type-provider-zod";

/**
 * A response serializer compiled once from a zod schema, for hot routes whose answers are
 * big (the route decision: ~7 kB, thousands a second), where zod's `encode` plus
 * `JSON.stringify` is a fifth of the request's CPU. It writes the JSON in one walk and
 * gives the same bytes as the default serializer (`JSON.stringify(z.encode(schema, v))`,
 * keys in the schema's order, unknown keys left out), checking on the way what it
 * writes: types, nullability, enum and literal values, integers, string patterns
 * (uuid, the money format…), and codecs' encoders (money → decimal string, Date →
 * ISO-8601). Not checked: numeric bounds and string lengths. A schema node it does not
 * know fails at compile time (startup), never per request.
 */
type Write = (value: unknown) => string;

interface Def {
  type: string;
  [key: string]: unknown;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const checkDefs = (def: Def): Def[] => ((def.checks as { _zod: { def: Def } }[] | undefined) ?? []).map((c) => c._zod.def);

/** What did not fit, and where (built on the way out, so a fitting answer spends nothing on paths). */
class Mismatch extends Error {
  readonly path: string[] = [];
  constructor(readonly expected: string) {
    super(expected);
  }
  describe(): string {
    return `${this.path.join("") || "(root)"}: ${this.expected}`;
  }
}
const fail = (expected: string, value: unknown): never => {
  throw new Mismatch(`expected ${expected}, got ${value === null ? "null" : typeof value}`);
};
/** Rethrows `e`, adding `segment` in front of a mismatch's path. */
function at(segment: string, e: unknown): never {
  if (e instanceof Mismatch) e.path.unshift(segment);
  throw e;
}

function compile(schema: unknown): Write {
  const def = defOf(schema);
  switch (def.type) {
    case "object": {
      const fields = Object.entries(def.shape as Record<string, unknown>).map(([key, s]) => ({ key, prefix: `${JSON.stringify(key)}:`, write: compile(s), optional: defOf(s).type === "optional" }));
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return fail("object", v);
        const o = v as Record<string, unknown>;
        let out = "{";
        let first = true;
        let key = "";
        try {
          for (const f of fields) {
            key = f.key;
            const x = o[key];
            if (x === undefined && f.optional) continue;
            out += (first ? "" : ",") + f.prefix + f.write(x);
            first = false;
          }
        } catch (e) {
          at(`.${key}`, e);
        }
        return `${out}}`;
      };
    }
    case "array": {
      const write = compile(def.element);
      return (v) => {
        if (!Array.isArray(v)) return fail("array", v);
        let out = "[";
        let i = 0;
        try {
          for (; i < v.length; i++) out += (i ? "," : "") + write(v[i]);
        } catch (e) {
          at(`[${i}]`, e);
        }
        return `${out}]`;
      };
    }
    case "nullable": {
      const write = compile(def.innerType);
      return (v) => (v === null ? "null" : write(v));
    }
    case "optional": {
      const write = compile(def.innerType);
      return (v) => (v === undefined ? "null" : write(v));
    }
    case "default":
      // Encoding applies no default (zod refuses a missing value): the answer must carry it.
      return compile(def.innerType);
    case "pipe": {
      // A codec: encode to its wire schema, then write that.
      const encode = def.reverseTransform as ((v: unknown) => unknown) | undefined;
      if (!encode) throw new Error("compiled serializer: a pipe without an encoder (use z.codec)");
      const write = compile(def.in);
      const outType = defOf(def.out).type;
      const isOut = outType === "bigint" ? (v: unknown) => typeof v === "bigint" : outType === "date" ? (v: unknown) => v instanceof Date && !Number.isNaN(v.getTime()) : null;
      if (!isOut) throw new Error(`compiled serializer: a codec to "${outType}" is not supported`);
      return (v) => (isOut(v) ? write(encode(v)) : fail(outType, v));
    }
    case "string": {
      const patterns = [def.pattern, ...checkDefs(def).map((c) => c.pattern)].filter((p): p is RegExp => p instanceof RegExp);
      const overwrites = checkDefs(def)
        .filter((c) => c.check === "overwrite")
        .map((c) => c.tx as (s: string) => string);
      return (v) => {
        if (typeof v !== "string") return fail("string", v);
        let s = v;
        for (const tx of overwrites) s = tx(s);
        for (const p of patterns) {
          p.lastIndex = 0;
          if (!p.test(s)) fail(`a string matching ${p}`, v);
        }
        return JSON.stringify(s);
      };
    }
    case "number": {
      const integer = checkDefs(def).some((c) => c.format === "safeint") || def.format === "safeint";
      return (v) => {
        if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v))) return fail(integer ? "an integer" : "a finite number", v);
        return String(v);
      };
    }
    case "boolean":
      return (v) => (typeof v === "boolean" ? (v ? "true" : "false") : fail("boolean", v));
    case "enum": {
      const allowed = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => (allowed.has(v) ? JSON.stringify(v) : fail(`one of ${[...allowed].join(", ")}`, v));
    }
    case "literal": {
      const allowed = new Set(def.values as unknown[]);
      return (v) => (allowed.has(v) ? JSON.stringify(v) : fail(`one of ${[...allowed].join(", ")}`, v));
    }
    default:
      throw new Error(`compiled serializer: zod type "${def.type}" is not supported`);
  }
}

/** The JSON text of `value` as `schema` encodes it; throws (a 500, as the default serializer does) when it does not fit. */
export function compileSerializer(schema: z.ZodType): (value: unknown) => string {
  const write = compile(schema);
  return (value) => {
    try {
      return write(value);
    } catch (e) {
      if (e instanceof Mismatch) throw new ResponseMismatch(e.describe());
      throw e;
    }
  };
}

/** An answer that does not fit its schema (the message says where and how). */
export class ResponseMismatch extends Error {}

/** Route option `serializerCompiler` using compileSerializer for the route's response schemas. */
export function compiledSerializerCompiler({ schema, method, url }: { schema: unknown; method: string; url: string }): (data: unknown) => string {
  const write = compileSerializer(schema as z.ZodType);
  return (data) => {
    try {
      return write(data);
    } catch (err) {
      // The error handler logs the cause and answers 500, as for zod's own mismatch (whose cause is a ZodError).
      if (err instanceof ResponseMismatch) throw new ResponseSerializationError(method, url, { cause: err as never });
      throw err;
    }
  };
}
