import type { BadgeTone } from "../../components";

/** API shapes of customer billing (money as decimal strings; document amounts are whole minor units). */

export type InvoiceStatus = "draft" | "issued" | "partially_paid" | "paid" | "void";
export const INVOICE_STATUS: Record<InvoiceStatus, { label: string; tone: BadgeTone }> = {
  draft: { label: "Draft", tone: "neutral" },
  issued: { label: "Issued", tone: "info" },
  partially_paid: { label: "Partially paid", tone: "warning" },
  paid: { label: "Paid", tone: "success" },
  void: { label: "Void", tone: "danger" },
};

export interface Invoice {
  id: string;
  number: number | null;
  status: InvoiceStatus;
  carrierId: string;
  carrierName: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  firstDay: string;
  lastDay: string;
  timeZone: string;
  usage: string;
  rounding: string;
  subtotal: string;
  taxCode: string | null;
  taxRate: string;
  tax: string;
  total: string;
  credited: string;
  paid: string;
  outstanding: string;
  issuedAt: string | null;
  dueOn: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  createdBy: string;
  createdAt: string;
}
export interface InvoiceLine {
  position: number;
  kind: "usage" | "rounding";
  destination: string;
  calls: number;
  minutes: string;
  rate: string | null;
  ratedCurrency: string;
  ratedAmount: string;
  fxRate: string | null;
  amount: string;
  amountRounded: string;
}
export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[];
  cdrCount: number;
}
export interface Allocation {
  id: string;
  invoiceId: string;
  source: "payment" | "prepaid";
  paymentId: string | null;
  amount: string;
  createdAt: string;
}
export interface CreditNote {
  id: string;
  number: number;
  invoiceId: string;
  invoiceNumber: number | null;
  carrierId: string;
  carrierName: string;
  currency: string;
  reason: string;
  net: string;
  tax: string;
  total: string;
  createdBy: string;
  createdAt: string;
}
export interface MailSummary {
  id: string;
  to: string[];
  subject: string;
  status: "queued" | "sent" | "failed" | "outbox_only";
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  attachmentCount: number;
}
export const MAIL_STATUS: Record<MailSummary["status"], { label: string; tone: BadgeTone }> = {
  queued: { label: "Queued", tone: "info" },
  sent: { label: "Sent", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  outbox_only: { label: "Outbox only", tone: "neutral" },
};

export type StatementKind = "invoice" | "usage_not_invoiced" | "payment" | "refund" | "credit_note" | "netting" | "adjustment" | "other";
export interface Statement {
  carrierId: string;
  carrierName: string;
  currency: string;
  timeZone: string;
  from: string;
  to: string;
  sides: { account: "customer" | "supplier"; opening: string; closing: string; lines: { at: string; kind: StatementKind; description: string; documentId: string | null; amount: string; balance: string }[] }[];
}

export type NettingStatus = "draft" | "sent" | "accepted" | "rejected";
export const NETTING_STATUS: Record<NettingStatus, { label: string; tone: BadgeTone }> = {
  draft: { label: "Draft", tone: "neutral" },
  sent: { label: "Sent", tone: "info" },
  accepted: { label: "Accepted", tone: "success" },
  rejected: { label: "Rejected", tone: "danger" },
};
export interface Netting {
  id: string;
  carrierId: string;
  carrierName: string;
  currency: string;
  firstDay: string;
  lastDay: string;
  status: NettingStatus;
  theyOwe: string;
  weOwe: string;
  amount: string;
  acceptedAmount: string | null;
  transferId: string | null;
  note: string | null;
  rejectReason: string | null;
  createdBy: string;
  createdAt: string;
  sentAt: string | null;
  decidedAt: string | null;
}

export interface TaxRate {
  id: string;
  code: string;
  name: string;
  rate: string;
  createdAt: string;
  updatedAt: string;
}
export const BILLING_MODELS = ["individual", "small_business", "enterprise", "wholesaler", "call_center"] as const;
export const CYCLES = ["daily", "weekly", "semi_monthly", "monthly", "custom"] as const;
export const label = (s: string) => s.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
export interface BillingSettings {
  carrierId: string;
  carrierName: string;
  billingModel: (typeof BILLING_MODELS)[number];
  prepaid: boolean;
  cycle: (typeof CYCLES)[number];
  cycleStartDay: number;
  cycleDays: number | null;
  cycleAnchor: string | null;
  paymentTermsDays: number;
  timeZone: string;
  customerBilling: string;
  currency: string;
  taxCode: string | null;
  taxRate: string | null;
  saved: boolean;
}

export const billingKeys = {
  all: ["billing"] as const,
  invoices: ["billing", "invoices"] as const,
  invoice: (id: string) => ["billing", "invoices", id] as const,
  creditNotes: ["billing", "credit-notes"] as const,
  netting: ["billing", "netting"] as const,
  taxRates: ["billing", "tax-rates"] as const,
  settings: ["billing", "settings"] as const,
};

export const invoiceNo = (n: number | null) => (n === null ? "Draft" : `INV-${n}`);
/** A file the API serves (PDF, CSV): same-origin, the session cookie authenticates it. */
export const apiUrl = (path: string) => `/api${path}`;
