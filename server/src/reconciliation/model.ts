import { z } from "zod";
import { listQuery } from "../platform/http/list.js";
import { currencyCode, money, nonNegativeMoney, text, timestamp, timeZone } from "../platform/http/schemas.js";
import { TIME_FORMATS } from "./engine/mapping.js";

/** API shapes of supplier invoices, reconciliation runs and disputes. Money is a decimal string on the wire. */

const isoDate = z.iso.date("a date as YYYY-MM-DD");
const positiveMoney = money.refine((m) => m > 0n, "must be more than zero");

export const INVOICE_STATUSES = ["received", "reconciling", "reconciled", "disputed", "approved"] as const;
export const RUN_STATUSES = ["awaiting_file", "awaiting_mapping", "queued", "running", "done", "failed"] as const;
export const RESULT_CLASSES = ["matched", "duration_mismatch", "amount_mismatch", "only_theirs", "only_ours"] as const;
export const DISPUTE_STATUSES = ["open", "agreed", "rejected", "written_off"] as const;
export type ResultClass = (typeof RESULT_CLASSES)[number];

export const invoiceLine = z.object({
  destination: text(200),
  calls: z.number().int().min(0).nullable().default(null),
  durationS: z.number().int().min(0).nullable().default(null),
  amount: money,
});

export const invoiceCreate = z
  .object({
    carrierId: z.uuid(),
    invoiceNumber: text(100),
    periodFrom: isoDate,
    periodTo: isoDate,
    currency: currencyCode,
    billedAmount: nonNegativeMoney,
    billedCalls: z.number().int().min(0).nullable().default(null),
    billedDurationS: z.number().int().min(0).nullable().default(null),
    note: z.string().trim().max(2000).nullable().default(null),
    /** Per-destination totals (optional): a totals-only import. */
    lines: z.array(invoiceLine).max(5000).default([]),
  })
  .refine((b) => b.periodFrom <= b.periodTo, { path: ["periodTo"], message: "must not be before the start of the period" });
export type InvoiceCreate = z.output<typeof invoiceCreate>;

export const invoicePatch = z
  .object({
    invoiceNumber: text(100),
    periodFrom: isoDate,
    periodTo: isoDate,
    billedAmount: nonNegativeMoney,
    billedCalls: z.number().int().min(0).nullable(),
    billedDurationS: z.number().int().min(0).nullable(),
    note: z.string().trim().max(2000).nullable(),
    status: z.enum(INVOICE_STATUSES),
    lines: z.array(invoiceLine).max(5000),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "nothing to change");
export type InvoicePatch = z.output<typeof invoicePatch>;

export const invoiceDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string().nullable(),
  invoiceNumber: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  currency: currencyCode,
  billedAmount: money,
  billedCalls: z.number().int().nullable(),
  billedDurationS: z.number().int().nullable(),
  status: z.enum(INVOICE_STATUSES),
  note: z.string().nullable(),
  lines: z.array(z.object({ destination: z.string(), calls: z.number().int().nullable(), durationS: z.number().int().nullable(), amount: money })),
  createdBy: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type InvoiceDto = z.output<typeof invoiceDto>;

export const invoiceQuery = listQuery.extend({
  carrierId: z.uuid().optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  sort: z.enum(["periodFrom:asc", "periodFrom:desc", "billedAmount:asc", "billedAmount:desc", "createdAt:asc", "createdAt:desc"]).default("periodFrom:desc"),
});
export type InvoiceQuery = z.output<typeof invoiceQuery>;

export const mappingInput = z.object({
  callId: z.string().trim().min(1).max(200).nullable().default(null),
  calledNumber: text(200),
  startAt: text(200),
  startFormat: z.enum(TIME_FORMATS),
  timeZone: timeZone.default("UTC"),
  durationS: text(200),
  amount: text(200),
  destination: z.string().trim().min(1).max(200).nullable().default(null),
});
export type MappingInput = z.output<typeof mappingInput>;

export const runCreate = z
  .object({
    carrierId: z.uuid().optional(),
    /** Carrier, currency and period default to the invoice's. */
    invoiceId: z.uuid().nullable().default(null),
    currency: currencyCode.optional(),
    periodFrom: isoDate.optional(),
    periodTo: isoDate.optional(),
    startToleranceS: z.number().int().min(0).max(3600).default(2),
    durationToleranceS: z.number().int().min(0).max(3600).default(0),
    amountTolerance: nonNegativeMoney.default(0n),
  })
  .refine((b) => b.invoiceId || (b.carrierId && b.currency && b.periodFrom && b.periodTo), { path: ["carrierId"], message: "name a supplier invoice, or a carrier, currency and period" })
  .refine((b) => !b.periodFrom || !b.periodTo || b.periodFrom <= b.periodTo, { path: ["periodTo"], message: "must not be before the start of the period" });
export type RunCreate = z.output<typeof runCreate>;

const rowError = z.object({ line: z.number().int(), reason: z.string() });
const classTotals = z.object({ rows: z.number().int(), theirAmount: money, ourAmount: money });

export const runDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string().nullable(),
  invoiceId: z.uuid().nullable(),
  invoiceNumber: z.string().nullable(),
  currency: currencyCode,
  periodFrom: z.string(),
  periodTo: z.string(),
  startToleranceS: z.number().int(),
  durationToleranceS: z.number().int(),
  amountTolerance: money,
  status: z.enum(RUN_STATUSES),
  fileName: z.string().nullable(),
  fileRows: z.number().int().nullable(),
  header: z.array(z.string()).nullable(),
  sample: z.array(z.array(z.string())).nullable(),
  mapping: mappingInput.nullable(),
  /** The mapping saved for this supplier by its last run (a starting point for this one). */
  savedMapping: mappingInput.nullable(),
  jobId: z.uuid().nullable(),
  progress: z.object({ percent: z.number().int(), message: z.string().nullable() }).nullable(),
  summary: z.record(z.enum(RESULT_CLASSES), classTotals).nullable(),
  errorCount: z.number().int(),
  errors: z.array(rowError),
  failureMessage: z.string().nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  completedAt: timestamp.nullable(),
});
export type RunDto = z.output<typeof runDto>;

export const runQuery = listQuery.extend({
  carrierId: z.uuid().optional(),
  invoiceId: z.uuid().optional(),
  status: z.enum(RUN_STATUSES).optional(),
  sort: z.enum(["createdAt:asc", "createdAt:desc", "periodFrom:asc", "periodFrom:desc"]).default("createdAt:desc"),
});
export type RunQuery = z.output<typeof runQuery>;

export const uploadQuery = z.object({ fileName: z.string().trim().min(1).max(200).default("supplier-cdrs.csv") });

export const resultDto = z.object({
  seq: z.number().int(),
  class: z.enum(RESULT_CLASSES),
  matchedBy: z.enum(["call_id", "number_time"]).nullable(),
  theirLine: z.number().int().nullable(),
  theirCallId: z.string().nullable(),
  ourCdrId: z.uuid().nullable(),
  ourCallId: z.string().nullable(),
  calledNumber: z.string(),
  destination: z.string().nullable(),
  theirStartAt: timestamp.nullable(),
  ourStartAt: timestamp.nullable(),
  theirDurationS: z.number().int().nullable(),
  ourDurationS: z.number().int().nullable(),
  theirAmount: money.nullable(),
  ourAmount: money.nullable(),
  difference: money,
});
export type ResultDto = z.output<typeof resultDto>;

export const resultQuery = z.object({
  page: listQuery.shape.page,
  pageSize: listQuery.shape.pageSize,
  class: z.enum(RESULT_CLASSES).optional(),
  /** Called number starts with, or a call id equals. */
  q: z.string().trim().min(1).max(100).optional(),
});
export type ResultQuery = z.output<typeof resultQuery>;

export const destinationDto = z.object({
  destination: z.string(),
  theirCalls: z.number().int(),
  theirDurationS: z.number().int(),
  theirAmount: money,
  ourCalls: z.number().int(),
  ourDurationS: z.number().int(),
  ourAmount: money,
  difference: money,
});
export type DestinationDto = z.output<typeof destinationDto>;

export const destinationQuery = z.object({
  page: listQuery.shape.page,
  pageSize: listQuery.shape.pageSize,
  sort: z.enum(["destination:asc", "destination:desc", "difference:asc", "difference:desc", "theirAmount:desc", "ourAmount:desc"]).default("difference:desc"),
});
export type DestinationQuery = z.output<typeof destinationQuery>;

export const disputeCreate = z
  .object({
    /** From a run (carrier and currency follow it), or directly against a supplier invoice. */
    runId: z.uuid().nullable().default(null),
    invoiceId: z.uuid().nullable().default(null),
    disputedAmount: positiveMoney,
    note: text(2000),
    resultSeqs: z.array(z.number().int().min(1)).max(10_000).default([]),
  })
  .refine((b) => b.runId || b.invoiceId, { path: ["runId"], message: "name the run or the supplier invoice disputed" });
export type DisputeCreate = z.output<typeof disputeCreate>;

export const disputeResolve = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("agreed"), agreedAmount: positiveMoney, note: text(2000) }),
  z.object({ outcome: z.enum(["rejected", "written_off"]), note: text(2000) }),
]);
export type DisputeResolve = z.output<typeof disputeResolve>;

export const disputeNote = z.object({ note: text(2000) });

export const disputeEventDto = z.object({
  id: z.uuid(),
  action: z.string(),
  fromStatus: z.enum(DISPUTE_STATUSES).nullable(),
  toStatus: z.enum(DISPUTE_STATUSES),
  amount: money.nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  createdAt: timestamp,
});

export const disputeDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string().nullable(),
  runId: z.uuid().nullable(),
  invoiceId: z.uuid().nullable(),
  invoiceNumber: z.string().nullable(),
  currency: currencyCode,
  disputedAmount: money,
  agreedAmount: money.nullable(),
  resultSeqs: z.array(z.number().int()),
  note: z.string(),
  status: z.enum(DISPUTE_STATUSES),
  transferId: z.uuid().nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  resolvedAt: timestamp.nullable(),
});
export type DisputeDto = z.output<typeof disputeDto>;
export const disputeDetailDto = disputeDto.extend({ events: z.array(disputeEventDto) });

export const disputeQuery = listQuery.extend({
  carrierId: z.uuid().optional(),
  runId: z.uuid().optional(),
  status: z.enum(DISPUTE_STATUSES).optional(),
  sort: z.enum(["createdAt:asc", "createdAt:desc", "disputedAmount:asc", "disputedAmount:desc"]).default("createdAt:desc"),
});
export type DisputeQuery = z.output<typeof disputeQuery>;
