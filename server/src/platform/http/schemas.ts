import { formatMoney, parseMoney } from "../money.js";
import { z } from "zod";

// Plain-language messages for the commonest failures, shown next to form fields.
z.config({
  customError: (issue) => {
    if (issue.code === "invalid_type" && issue.input === undefined) return "required";
    if (issue.code === "invalid_type") return `expected ${issue.expected}`;
    return undefined;
  },
});

/** Timestamps are Date in code and ISO-8601 strings on the wire. */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

export const uuidParam = z.object({ id: z.uuid() });
export const ok = z.object({ ok: z.literal(true) });

/** Trimmed, non-empty text with a maximum length. */
export const text = (max = 200) => z.string().trim().min(1, "required").max(max);
export const email = z.string().trim().toLowerCase().pipe(z.email("not a valid e-mail address")).pipe(z.string().max(254));
export const password = z.string().min(10, "at least 10 characters").max(200);


/** Money on the wire: a decimal string with up to 6 decimals; in code, bigint micro-units. */
export const money = z.codec(z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/, "a decimal amount with at most 6 decimals"), z.bigint(), {
  decode: (s) => parseMoney(s),
  encode: (m) => formatMoney(m),
});
export const nonNegativeMoney = money.refine((m) => m >= 0n, "must not be negative");

/** ISO 4217 code. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "a 3-letter currency code such as USD");
const timeZones = new Set(Intl.supportedValuesOf("timeZone").concat("UTC"));
export const timeZone = z.string().refine((tz) => timeZones.has(tz), "unknown IANA time zone");

/**
 * PATCH body from a create schema: every field optional, defaults REMOVED (zod applies a
 * field's default even inside .optional(), which would reset omitted fields), and at
 * least one field required.
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    let inner = field as z.ZodType;
    while (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
    shape[key] = inner.optional();
  }
  return z
    .object(shape as { [K in keyof S]: z.ZodOptional<z.ZodType<Exclude<z.output<S[K]>, undefined>, Exclude<z.input<S[K]>, undefined>>> })
    .refine((b) => Object.keys(b).length > 0, "nothing to change");
}
