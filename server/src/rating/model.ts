import { z } from "zod";
import { currencyCode, money, nonNegativeMoney, text, timeZone, timestamp } from "../platform/http/schemas.js";

/** Rating plans, rates and deck revisions as the API accepts and returns them. */
export const PLAN_KINDS = ["customer", "supplier"] as const;
export const IMPORT_MODES = ["full", "partial"] as const;
export const NOTICE_POLICIES = ["reject", "defer"] as const;
export const REVISION_STATUSES = ["previewed", "applying", "applied", "failed", "rejected"] as const;
export const CHANGE_KINDS = ["new", "increase", "decrease", "unchanged", "closed"] as const;
export const RATE_STATES = ["live", "future", "expired"] as const;

const hhmm = z.string().regex(/^(?:([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, "HH:MM (00:00–24:00)");
export const timeClass = z.object({
  name: z.string().trim().min(1).max(40),
  days: z
    .array(z.number().int().min(0).max(6))
    .min(1, "at least one day")
    .refine((d) => new Set(d).size === d.length, "each day once"),
  start: hhmm,
  end: hhmm,
});
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

/** The plan's fields without defaults: PATCH must not fill omitted fields with them. */
const planFields = {
  name: text(120),
  kind: z.enum(PLAN_KINDS),
  currency: currencyCode,
  timeZone,
  incrementFirstS: seconds(1, 3600),
  incrementNextS: seconds(1, 3600),
  minimumDurationS: seconds(0, 3600),
  gracePeriodS: seconds(0, 3600),
  connectionFee: nonNegativeMoney,
  noticeDays: z.number().int().min(0).max(365),
  /** The step a call's cost is rounded to: "0.000001" (a micro-unit) … "1". */
  precision: money.refine((m) => m > 0n && m <= 1_000_000n, "between 0.000001 and 1"),
  timeClasses: z
    .array(timeClass)
    .max(20)
    .refine((l) => new Set(l.map((c) => c.name.toLowerCase())).size === l.length, "each time class name once"),
};
export const planCreate = z.object({
  ...planFields,
  timeZone: planFields.timeZone.default("UTC"),
  incrementFirstS: planFields.incrementFirstS.default(60),
  incrementNextS: planFields.incrementNextS.default(60),
  minimumDurationS: planFields.minimumDurationS.default(0),
  gracePeriodS: planFields.gracePeriodS.default(0),
  connectionFee: planFields.connectionFee.default(0n),
  noticeDays: planFields.noticeDays.default(7),
  precision: planFields.precision.default(1n),
  timeClasses: planFields.timeClasses.default([]),
});
export type PlanCreate = z.infer<typeof planCreate>;
export const planPatch = z
  .object(planFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, "nothing to change");
export type PlanPatch = Partial<PlanCreate>;

export const planDto = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(PLAN_KINDS),
  currency: z.string(),
  timeZone: z.string(),
  incrementFirstS: z.number().int(),
  incrementNextS: z.number().int(),
  minimumDurationS: z.number().int(),
  gracePeriodS: z.number().int(),
  connectionFee: money,
  noticeDays: z.number().int(),
  precision: money,
  timeClasses: z.array(timeClass),
  rateCount: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const rateDto = z.object({
  id: z.uuid(),
  prefix: z.string(),
  destination: z.string(),
  rate: money,
  connectionFee: money.nullable(),
  incrementFirstS: z.number().int().nullable(),
  incrementNextS: z.number().int().nullable(),
  timeClass: z.string().nullable(),
  effectiveFrom: timestamp,
  effectiveTo: timestamp.nullable(),
  revisionId: z.uuid().nullable(),
});

/** Column names in the deck for each field; `mapping` renames them ({ prefix: "Dial Code", … }). */
export const DECK_FIELDS = ["prefix", "destination", "rate", "effective_date", "first_increment", "next_increment", "increments", "connection_fee", "time_class"] as const;
export type DeckField = (typeof DECK_FIELDS)[number];
export const deckMapping = z
  .object(Object.fromEntries(DECK_FIELDS.map((f) => [f, z.string().trim().min(1).max(100).optional()])) as Record<DeckField, z.ZodOptional<z.ZodString>>)
  .strict();
export type DeckMapping = z.infer<typeof deckMapping>;

const importOptions = {
  fileName: z.string().trim().min(1).max(200).default("deck.csv"),
  delimiter: z.enum([",", ";"]).optional(),
  mode: z.enum(IMPORT_MODES).default("partial"),
  noticePolicy: z.enum(NOTICE_POLICIES).default("reject"),
};
/** JSON form of an import: the CSV text plus options (small decks; big files go to the upload route). */
export const importJson = z.object({ ...importOptions, csv: z.string().min(1, "the deck is empty"), mapping: deckMapping.optional() });
/** Upload form: the body is the file itself; options come in the query string, the mapping as JSON. */
export const uploadQuery = z.object({
  ...importOptions,
  mapping: z
    .string()
    .max(4000)
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(deckMapping)
    .optional(),
});
export type ImportOptions = Omit<z.infer<typeof importJson>, "csv">;

export const revisionDto = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  fileName: z.string(),
  mode: z.enum(IMPORT_MODES),
  noticePolicy: z.enum(NOTICE_POLICIES),
  status: z.enum(REVISION_STATUSES),
  effectiveFrom: timestamp.nullable(),
  rowCount: z.number().int(),
  newCount: z.number().int(),
  increaseCount: z.number().int(),
  decreaseCount: z.number().int(),
  unchangedCount: z.number().int(),
  closedCount: z.number().int(),
  noticeViolationCount: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  failureMessage: z.string().nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  appliedAt: timestamp.nullable(),
  jobId: z.string().nullable(),
});
export const diffRowDto = z.object({
  line: z.number().int().nullable(),
  prefix: z.string(),
  destination: z.string(),
  change: z.enum(CHANGE_KINDS),
  rate: money.nullable(),
  previousRate: money.nullable(),
  connectionFee: money.nullable(),
  incrementFirstS: z.number().int().nullable(),
  incrementNextS: z.number().int().nullable(),
  timeClass: z.string().nullable(),
  effectiveFrom: timestamp,
  /** Where an increase with too little notice was deferred to. */
  effectiveFromAdjusted: timestamp.nullable(),
  noticeViolation: z.boolean(),
});

export const compiledDto = z.object({
  prefixCount: z.number().int(),
  versionCount: z.number().int(),
  nodeCount: z.number().int(),
  destinationCount: z.number().int(),
  /** Bytes in the compiled plan's typed arrays (the trie and its version records). */
  typedArrayBytes: z.number().int(),
  bytesPerPrefix: z.number(),
  builtAt: timestamp.nullable(),
  /** Loading the rates and compiling them, in ms. */
  buildMs: z.number().int().nullable(),
});

export const matchDto = z.object({
  prefix: z.string(),
  destination: z.string(),
  rate: money,
  connectionFee: money,
  incrementFirstS: z.number().int(),
  incrementNextS: z.number().int(),
  timeClass: z.string().nullable(),
  effectiveFrom: timestamp,
  effectiveTo: timestamp.nullable(),
});
export const quoteInput = z.object({
  number: z.string().trim().min(1).max(40).regex(/^\+?[0-9 ()-]+$/, "a dialled number"),
  durationS: z.number().int().min(0).max(7 * 86_400),
  at: timestamp.optional(),
});
export const quoteDto = z.object({
  number: z.string(),
  at: timestamp,
  currency: z.string(),
  prefix: z.string(),
  destination: z.string(),
  rate: money,
  timeClass: z.string().nullable(),
  durationS: z.number().int(),
  billableS: z.number().int(),
  incrementFirstS: z.number().int(),
  incrementNextS: z.number().int(),
  minimumDurationS: z.number().int(),
  gracePeriodS: z.number().int(),
  free: z.boolean(),
  connectionFee: money,
  /** The exact cost before rounding, in currency units (a trailing "…" marks a repeating tail). */
  exactCost: z.string(),
  precision: money,
  cost: money,
});
