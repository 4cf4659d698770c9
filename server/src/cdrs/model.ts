import { z } from "zod";
import { money, timestamp } from "../platform/http/schemas.js";

/** CDRs as the API accepts and returns them. */
export const DISPOSITIONS = ["answered", "busy", "no_answer", "failed", "cancelled"] as const;
export const RATING_STATUSES = ["pending", "rated", "error"] as const;
export const MAX_BATCH = 10_000;

const phone = z.string().trim().max(64, "at most 64 characters");
const optionalUuid = z.uuid().nullish().transform((v) => v ?? null);

/**
 * One call attempt as a switch reports it. (switchId, callId, attempt) is its
 * idempotency key: the same attempt sent again changes nothing.
 */
export const cdrInput = z
  .object({
    switchId: z.string().trim().min(1).max(64),
    callId: z.string().trim().min(1).max(200),
    attempt: z.number().int().min(1).max(100).default(1),
    serviceId: optionalUuid,
    ingressInterconnectId: optionalUuid,
    egressInterconnectId: optionalUuid,
    callingNumber: phone,
    calledNumber: phone.min(1, "required"),
    startAt: timestamp,
    answerAt: timestamp.nullish().transform((v) => v ?? null),
    endAt: timestamp,
    durationS: z.number().int().min(0).max(86_400 * 2),
    pddMs: z.number().int().min(0).max(600_000).nullish().transform((v) => v ?? null),
    sipStatus: z.number().int().min(100).max(699),
    q850Cause: z.number().int().min(0).max(127).nullish().transform((v) => v ?? null),
    disposition: z.enum(DISPOSITIONS),
    codec: z.string().trim().max(32).nullish().transform((v) => v || null),
    /** The credit reservation of the call, on its last attempt only: rating releases it as the charge posts. */
    reservationId: optionalUuid,
  })
  .superRefine((c, ctx) => {
    if (c.endAt < c.startAt) ctx.addIssue({ code: "custom", path: ["endAt"], message: "is before startAt" });
    if (c.answerAt && (c.answerAt < c.startAt || c.answerAt > c.endAt)) ctx.addIssue({ code: "custom", path: ["answerAt"], message: "is outside startAt–endAt" });
    if (c.disposition === "answered" && !c.answerAt) ctx.addIssue({ code: "custom", path: ["answerAt"], message: "an answered call needs answerAt" });
    if (c.disposition !== "answered" && c.durationS > 0) ctx.addIssue({ code: "custom", path: ["durationS"], message: "only an answered call has a duration" });
  });
export type CdrInput = z.infer<typeof cdrInput>;

export const cdrBatchInput = z.object({ cdrs: z.array(z.unknown()).min(1, "at least one CDR").max(MAX_BATCH, `at most ${MAX_BATCH} CDRs a batch`) });

export const ingestResult = z.object({
  batchId: z.uuid(),
  received: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  /** Set when nothing was new: the whole batch had been ingested before. */
  message: z.string(),
});

export const cdrDto = z.object({
  id: z.uuid(),
  switchId: z.string(),
  callId: z.string(),
  attempt: z.number().int(),
  ingressInterconnectId: z.uuid().nullable(),
  serviceId: z.uuid().nullable(),
  customerCarrierId: z.uuid().nullable(),
  egressInterconnectId: z.uuid().nullable(),
  supplierCarrierId: z.uuid().nullable(),
  callingRaw: z.string(),
  calledRaw: z.string(),
  callingNumber: z.string(),
  calledNumber: z.string(),
  startAt: timestamp,
  answerAt: timestamp.nullable(),
  endAt: timestamp,
  durationS: z.number().int(),
  pddMs: z.number().int().nullable(),
  sipStatus: z.number().int(),
  q850Cause: z.number().int().nullable(),
  disposition: z.enum(DISPOSITIONS),
  codec: z.string().nullable(),
  ratingStatus: z.enum(RATING_STATUSES),
  ratingError: z.string().nullable(),
  ratingVersion: z.number().int(),
  ratedAt: timestamp.nullable(),
  customerCurrency: z.string().nullable(),
  customerPrefix: z.string().nullable(),
  customerDestination: z.string().nullable(),
  customerRate: money.nullable(),
  customerBillableS: z.number().int().nullable(),
  customerCost: money.nullable(),
  supplierCurrency: z.string().nullable(),
  supplierPrefix: z.string().nullable(),
  supplierDestination: z.string().nullable(),
  supplierRate: money.nullable(),
  supplierBillableS: z.number().int().nullable(),
  supplierCost: money.nullable(),
  fxRate: money.nullable(),
  margin: money.nullable(),
  customerCarrierName: z.string().nullable(),
  supplierCarrierName: z.string().nullable(),
  serviceName: z.string().nullable(),
});

export const cdrListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  from: timestamp.optional(),
  to: timestamp.optional(),
  carrierId: z.uuid().optional(),
  /** Digits matched as a prefix of the called or calling number. */
  number: z.string().trim().regex(/^\+?\d{1,32}$/, "digits").optional(),
  disposition: z.enum(DISPOSITIONS).optional(),
  ratingStatus: z.enum(RATING_STATUSES).optional(),
  sort: z.enum(["startAt:asc", "startAt:desc"]).default("startAt:desc"),
});
export type CdrListQuery = z.infer<typeof cdrListQuery>;

/**
 * A [from, to) period: `to` after `from`, at most 400 days. zod still runs refinements
 * after a field failed its own check, so a bad instant (still a string) is skipped here.
 */
export function refinePeriod(r: { from: unknown; to: unknown }, ctx: z.RefinementCtx): void {
  if (!(r.from instanceof Date) || !(r.to instanceof Date)) return;
  if (r.to <= r.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  else if (r.to.getTime() - r.from.getTime() > 400 * 86_400_000) ctx.addIssue({ code: "custom", path: ["to"], message: "at most 400 days" });
}

export const rerateInput = z.object({ from: timestamp, to: timestamp, carrierId: z.uuid().optional(), onlyErrors: z.boolean().default(false) }).superRefine(refinePeriod);
