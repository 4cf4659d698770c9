import { z } from "zod";

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
