import { z } from "zod";
import { listQuery } from "../platform/http/list.js";
import { currencyCode, money, text, timestamp } from "../platform/http/schemas.js";

/** API shapes of billing. Money is a decimal string on the wire (document amounts are whole minor units). */

const isoDate = z.iso.date("a date as YYYY-MM-DD");

/** "20", "7.5", "19.6" (percent, up to 4 decimals) ⇄ parts per million. */
export const percent = z.codec(z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, "a percentage with at most 4 decimals"), z.number().int(), {
  decode: (s) => {
    const [w, f = ""] = s.split(".");
    return Number(w) * 10_000 + Number(f.padEnd(4, "0"));
  },
  encode: (ppm) => `${Math.trunc(ppm / 10_000)}.${String(ppm % 10_000).padStart(4, "0")}`.replace(/\.?0+$/, ""),
});

export const taxRateCreate = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . -"),
  name: text(120),
  rate: percent.refine((ppm) => ppm <= 1_000_000, "at most 100"),
});
export const taxRatePatch = taxRateCreate.partial().refine((b) => Object.keys(b).length > 0, "nothing to change");
export const taxRateDto = z.object({ id: z.uuid(), code: z.string(), name: z.string(), rate: percent, createdAt: timestamp, updatedAt: timestamp });
export type TaxRateDto = z.output<typeof taxRateDto>;
export type TaxRateCreate = z.output<typeof taxRateCreate>;
export type TaxRatePatch = z.output<typeof taxRatePatch>;

export const BILLING_MODELS = ["individual", "small_business", "enterprise", "wholesaler", "call_center"] as const;
/** Individual and Small Business customers pay ahead; the others are invoiced for what they used. */
export const PREPAID_MODELS: readonly string[] = ["individual", "small_business"];
export const CYCLES = ["daily", "weekly", "semi_monthly", "monthly", "custom"] as const;

export const billingSettingsInput = z
  .object({
    billingModel: z.enum(BILLING_MODELS),
    cycle: z.enum(CYCLES),
    /** weekly: ISO weekday 1 (Monday) – 7 (Sunday); monthly: day of month 1–28. */
    cycleStartDay: z.number().int().min(1).max(28).default(1),
    /** custom: days per period from the anchor date. */
    cycleDays: z.number().int().min(1).max(366).nullable().default(null),
    cycleAnchor: isoDate.nullable().default(null),
    paymentTermsDays: z.number().int().min(0).max(365),
  })
  .superRefine((b, ctx) => {
    if (b.cycle === "weekly" && b.cycleStartDay > 7) ctx.addIssue({ code: "custom", path: ["cycleStartDay"], message: "a weekday 1 (Monday) – 7 (Sunday)" });
    if (b.cycle === "custom" && (b.cycleDays === null || b.cycleAnchor === null)) ctx.addIssue({ code: "custom", path: ["cycleDays"], message: "a custom cycle needs cycleDays and cycleAnchor" });
  });
export type BillingSettingsInput = z.output<typeof billingSettingsInput>;

export const billingSettingsDto = z.object({
  carrierId: z.uuid(),
  carrierName: z.string(),
  billingModel: z.enum(BILLING_MODELS),
  prepaid: z.boolean(),
  cycle: z.enum(CYCLES),
  cycleStartDay: z.number().int(),
  cycleDays: z.number().int().nullable(),
  cycleAnchor: z.string().nullable(),
  paymentTermsDays: z.number().int(),
  /** From the carrier record (carriers domain). */
  timeZone: z.string(),
  customerBilling: z.string(),
  currency: currencyCode,
  taxCode: z.string().nullable(),
  taxRate: percent.nullable(),
  /** false: no settings saved yet, these are the defaults. */
  saved: z.boolean(),
});
export type BillingSettingsDto = z.output<typeof billingSettingsDto>;

export const INVOICE_STATUSES = ["draft", "issued", "partially_paid", "paid", "void"] as const;

export const invoiceLineDto = z.object({
  position: z.number().int(),
  kind: z.enum(["usage", "rounding"]),
  destination: z.string(),
  calls: z.number().int(),
  minutes: z.string(),
  rate: money.nullable(),
  ratedCurrency: currencyCode,
  ratedAmount: money,
  fxRate: z.string().nullable(),
  /** Exact micro-units; `amountRounded` is what the document prints. */
  amount: money,
  amountRounded: z.string(),
});

export const invoiceDto = z.object({
  id: z.uuid(),
  number: z.number().int().nullable(),
  status: z.enum(INVOICE_STATUSES),
  carrierId: z.uuid(),
  carrierName: z.string(),
  currency: currencyCode,
  periodStart: timestamp,
  periodEnd: timestamp,
  firstDay: z.string(),
  lastDay: z.string(),
  timeZone: z.string(),
  usage: money,
  rounding: money,
  subtotal: money,
  taxCode: z.string().nullable(),
  taxRate: percent,
  tax: money,
  total: money,
  credited: money,
  paid: money,
  outstanding: money,
  issuedAt: timestamp.nullable(),
  dueOn: z.string().nullable(),
  voidedAt: timestamp.nullable(),
  voidReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
});
export type InvoiceDto = z.output<typeof invoiceDto>;
export const invoiceDetailDto = invoiceDto.extend({ lines: z.array(invoiceLineDto), cdrCount: z.number().int() });
export type InvoiceDetailDto = z.output<typeof invoiceDetailDto>;

export const invoiceQuery = listQuery.extend({
  sort: z.enum(["createdAt:asc", "createdAt:desc", "number:asc", "number:desc", "periodStart:asc", "periodStart:desc", "total:asc", "total:desc", "dueOn:asc", "dueOn:desc"]).default("createdAt:desc"),
  status: z.enum(INVOICE_STATUSES).optional(),
  carrierId: z.uuid().optional(),
  currency: currencyCode.optional(),
  /** Invoices whose period overlaps [from, to] (local dates). */
  from: isoDate.optional(),
  to: isoDate.optional(),
  number: z.coerce.number().int().min(1).optional(),
});
export type InvoiceQuery = z.output<typeof invoiceQuery>;

export const generateInput = z.object({
  carrierId: z.uuid(),
  /** Any local date inside the period to bill; omitted: the carrier's last closed period. */
  periodDate: isoDate.optional(),
  /** Issue at once (automatic customers are issued by the scheduled job anyway). */
  issue: z.boolean().default(false),
});
export const voidInput = z.object({ reason: text(500) });
export const allocateInput = z.object({ carrierId: z.uuid(), currency: currencyCode });

export const allocationDto = z.object({ id: z.uuid(), invoiceId: z.uuid(), source: z.enum(["payment", "prepaid"]), paymentId: z.uuid().nullable(), amount: money, createdAt: timestamp });

export const creditNoteCreate = z.object({
  invoiceId: z.uuid(),
  reason: text(500),
  /** Gross amount (tax included), in whole minor units; omitted: everything not yet credited. */
  amount: money.optional(),
});
export type CreditNoteCreate = z.output<typeof creditNoteCreate>;
export const creditNoteDto = z.object({
  id: z.uuid(),
  number: z.number().int(),
  invoiceId: z.uuid(),
  invoiceNumber: z.number().int().nullable(),
  carrierId: z.uuid(),
  carrierName: z.string(),
  currency: currencyCode,
  reason: z.string(),
  net: money,
  tax: money,
  total: money,
  createdBy: z.string(),
  createdAt: timestamp,
});
export type CreditNoteDto = z.output<typeof creditNoteDto>;
export const creditNoteQuery = listQuery.extend({
  sort: z.enum(["createdAt:asc", "createdAt:desc", "number:asc", "number:desc", "total:asc", "total:desc"]).default("createdAt:desc"),
  carrierId: z.uuid().optional(),
  invoiceId: z.uuid().optional(),
  currency: currencyCode.optional(),
});
export type CreditNoteQuery = z.output<typeof creditNoteQuery>;

export const statementQuery = z.object({
  carrierId: z.uuid(),
  /** Local dates on the carrier's calendar, both inclusive. */
  from: isoDate,
  to: isoDate,
  /** Default: the carrier's primary currency. */
  currency: currencyCode.optional(),
});
export const STATEMENT_KINDS = ["invoice", "usage_not_invoiced", "payment", "refund", "credit_note", "netting", "adjustment", "other"] as const;
const statementLine = z.object({
  at: timestamp,
  kind: z.enum(STATEMENT_KINDS),
  description: z.string(),
  documentId: z.string().nullable(),
  /** Signed: + raises the balance on the account's natural side, − lowers it. */
  amount: money,
  balance: money,
});
const statementSide = z.object({
  account: z.enum(["customer", "supplier"]),
  opening: money,
  lines: z.array(statementLine),
  closing: money,
});
export const statementDto = z.object({
  carrierId: z.uuid(),
  carrierName: z.string(),
  currency: currencyCode,
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  periodStart: timestamp,
  periodEnd: timestamp,
  sides: z.array(statementSide),
});
export type StatementDto = z.output<typeof statementDto>;

export const NETTING_STATUSES = ["draft", "sent", "accepted", "rejected"] as const;
export const nettingCreate = z.object({
  carrierId: z.uuid(),
  from: isoDate,
  to: isoDate,
  currency: currencyCode.optional(),
  note: z.string().trim().max(500).optional(),
});
export const nettingAccept = z.object({ amount: money.optional() });
export const nettingReject = z.object({ reason: text(500) });
export const nettingDto = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierName: z.string(),
  currency: currencyCode,
  firstDay: z.string(),
  lastDay: z.string(),
  status: z.enum(NETTING_STATUSES),
  theyOwe: money,
  weOwe: money,
  amount: money,
  acceptedAmount: money.nullable(),
  transferId: z.uuid().nullable(),
  note: z.string().nullable(),
  rejectReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  sentAt: timestamp.nullable(),
  decidedAt: timestamp.nullable(),
});
export type NettingDto = z.output<typeof nettingDto>;
export const nettingQuery = listQuery.extend({
  sort: z.enum(["createdAt:asc", "createdAt:desc", "amount:asc", "amount:desc"]).default("createdAt:desc"),
  carrierId: z.uuid().optional(),
  status: z.enum(NETTING_STATUSES).optional(),
});

export const sendInput = z.object({
  /** Default: the carrier's contacts with the billing role and an e-mail address. */
  to: z.array(z.string().trim().toLowerCase().pipe(z.email("not a valid e-mail address"))).min(1).max(50).optional(),
  /** Attach the CSV of the invoice's calls (invoices only). */
  attachCdrs: z.boolean().default(false),
});
export type SendInput = z.output<typeof sendInput>;
export const sendDto = z.object({ mailId: z.uuid(), to: z.array(z.string()), attachments: z.array(z.string()) });
