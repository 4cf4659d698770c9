import type { BadgeTone } from "../../components";

/** API shapes of supplier invoices, reconciliation runs and disputes (money as decimal strings). */

export type InvoiceStatus = "received" | "reconciling" | "reconciled" | "disputed" | "approved";
export type RunStatus = "awaiting_file" | "awaiting_mapping" | "queued" | "running" | "done" | "failed";
export type ResultClass = "matched" | "duration_mismatch" | "amount_mismatch" | "only_theirs" | "only_ours";
export type DisputeStatus = "open" | "agreed" | "rejected" | "written_off";
export type TimeFormat = "iso" | "ymd_hms" | "dmy_hms" | "mdy_hms" | "epoch_s" | "epoch_ms";

export interface InvoiceLine {
  destination: string;
  calls: number | null;
  durationS: number | null;
  amount: string;
}
export interface SupplierInvoice {
  id: string;
  carrierId: string;
  carrierName: string | null;
  invoiceNumber: string;
  periodFrom: string;
  periodTo: string;
  currency: string;
  billedAmount: string;
  billedCalls: number | null;
  billedDurationS: number | null;
  status: InvoiceStatus;
  note: string | null;
  lines: InvoiceLine[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Mapping {
  callId: string | null;
  calledNumber: string;
  startAt: string;
  startFormat: TimeFormat;
  timeZone: string;
  durationS: string;
  amount: string;
  destination: string | null;
}

export interface ClassTotals {
  rows: number;
  theirAmount: string;
  ourAmount: string;
}
export interface Run {
  id: string;
  carrierId: string;
  carrierName: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  currency: string;
  periodFrom: string;
  periodTo: string;
  startToleranceS: number;
  durationToleranceS: number;
  amountTolerance: string;
  status: RunStatus;
  fileName: string | null;
  fileRows: number | null;
  header: string[] | null;
  sample: string[][] | null;
  mapping: Mapping | null;
  savedMapping: Mapping | null;
  jobId: string | null;
  progress: { percent: number; message: string | null } | null;
  summary: Record<ResultClass, ClassTotals> | null;
  errorCount: number;
  errors: { line: number; reason: string }[];
  failureMessage: string | null;
  createdBy: string;
  createdAt: string;
  completedAt: string | null;
}

export interface Result {
  seq: number;
  class: ResultClass;
  matchedBy: "call_id" | "number_time" | null;
  theirLine: number | null;
  theirCallId: string | null;
  ourCdrId: string | null;
  ourCallId: string | null;
  calledNumber: string;
  destination: string | null;
  theirStartAt: string | null;
  ourStartAt: string | null;
  theirDurationS: number | null;
  ourDurationS: number | null;
  theirAmount: string | null;
  ourAmount: string | null;
  difference: string;
}

export interface DestinationTotals {
  destination: string;
  theirCalls: number;
  theirDurationS: number;
  theirAmount: string;
  ourCalls: number;
  ourDurationS: number;
  ourAmount: string;
  difference: string;
}

export interface Dispute {
  id: string;
  carrierId: string;
  carrierName: string | null;
  runId: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  currency: string;
  disputedAmount: string;
  agreedAmount: string | null;
  resultSeqs: number[];
  note: string;
  status: DisputeStatus;
  transferId: string | null;
  createdBy: string;
  createdAt: string;
  resolvedAt: string | null;
}
export interface DisputeEvent {
  id: string;
  action: string;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus;
  amount: string | null;
  note: string | null;
  actor: string;
  createdAt: string;
}
export type DisputeDetail = Dispute & { events: DisputeEvent[] };

export const reconKeys = {
  all: ["reconciliation"] as const,
  invoices: ["reconciliation", "invoices"] as const,
  runs: ["reconciliation", "runs"] as const,
  run: (id: string) => ["reconciliation", "runs", id] as const,
  disputes: ["reconciliation", "disputes"] as const,
};

export const INVOICE_STATUS: Record<InvoiceStatus, { label: string; tone: BadgeTone }> = {
  received: { label: "Received", tone: "neutral" },
  reconciling: { label: "Reconciling", tone: "info" },
  reconciled: { label: "Reconciled", tone: "success" },
  disputed: { label: "Disputed", tone: "warning" },
  approved: { label: "Approved", tone: "success" },
};
export const RUN_STATUS: Record<RunStatus, { label: string; tone: BadgeTone }> = {
  awaiting_file: { label: "Awaiting file", tone: "neutral" },
  awaiting_mapping: { label: "Awaiting mapping", tone: "info" },
  queued: { label: "Queued", tone: "info" },
  running: { label: "Matching", tone: "info" },
  done: { label: "Done", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};
export const CLASS: Record<ResultClass, { label: string; tone: BadgeTone }> = {
  matched: { label: "Matched", tone: "success" },
  duration_mismatch: { label: "Duration mismatch", tone: "warning" },
  amount_mismatch: { label: "Amount mismatch", tone: "warning" },
  only_theirs: { label: "Only theirs", tone: "danger" },
  only_ours: { label: "Only ours", tone: "info" },
};
export const DISPUTE_STATUS: Record<DisputeStatus, { label: string; tone: BadgeTone }> = {
  open: { label: "Open", tone: "warning" },
  agreed: { label: "Agreed", tone: "success" },
  rejected: { label: "Rejected", tone: "danger" },
  written_off: { label: "Written off", tone: "neutral" },
};
export const TIME_FORMAT_LABEL: Record<TimeFormat, string> = {
  iso: "ISO 8601 (2026-11-20T10:00:00Z)",
  ymd_hms: "YYYY-MM-DD HH:MM:SS",
  dmy_hms: "DD/MM/YYYY HH:MM:SS",
  mdy_hms: "MM/DD/YYYY HH:MM:SS",
  epoch_s: "Unix seconds",
  epoch_ms: "Unix milliseconds",
};
