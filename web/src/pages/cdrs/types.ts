import type { BadgeTone } from "../../components";
import { getDisplayTimeZone } from "../../lib/format";
import { toMicros } from "../carriers/carrier/money";
import { zonedLocalToIso } from "../rating/types";

/** Wire types of the CDR API (server/src/cdrs/model.ts, export.ts). Money is a decimal string. */
export const DISPOSITIONS = ["answered", "busy", "no_answer", "failed", "cancelled"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const RATING_STATUSES = ["pending", "rated", "error"] as const;
export type RatingStatus = (typeof RATING_STATUSES)[number];

export interface Cdr {
  id: string;
  switchId: string;
  callId: string;
  attempt: number;
  ingressInterconnectId: string | null;
  serviceId: string | null;
  customerCarrierId: string | null;
  egressInterconnectId: string | null;
  supplierCarrierId: string | null;
  callingRaw: string;
  calledRaw: string;
  callingNumber: string;
  calledNumber: string;
  startAt: string;
  answerAt: string | null;
  endAt: string;
  durationS: number;
  pddMs: number | null;
  sipStatus: number;
  q850Cause: number | null;
  disposition: Disposition;
  codec: string | null;
  ratingStatus: RatingStatus;
  ratingError: string | null;
  ratingVersion: number;
  ratedAt: string | null;
  customerCurrency: string | null;
  customerPrefix: string | null;
  customerDestination: string | null;
  customerRate: string | null;
  customerBillableS: number | null;
  customerCost: string | null;
  supplierCurrency: string | null;
  supplierPrefix: string | null;
  supplierDestination: string | null;
  supplierRate: string | null;
  supplierBillableS: number | null;
  supplierCost: string | null;
  fxRate: string | null;
  margin: string | null;
  customerCarrierName: string | null;
  supplierCarrierName: string | null;
  serviceName: string | null;
}

export interface CdrPage {
  rows: Cdr[];
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
  from: string;
  to: string;
}

export interface RatingErrorGroup {
  reason: string;
  count: number;
  firstStartAt: string;
  lastStartAt: string;
}

export interface CdrJob {
  id: string;
  queue: string;
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  percent: number;
  message: string | null;
  error: string | null;
  createdOn: string;
  completedOn: string | null;
  export: { fileName: string; rows: number; bytes: number } | null;
}

export interface IngestResult {
  batchId: string;
  received: number;
  inserted: number;
  duplicates: number;
  message: string;
}

export const cdrKeys = {
  all: ["cdrs"] as const,
  list: (q: unknown) => ["cdrs", "list", q] as const,
  one: (id: string) => ["cdrs", "one", id] as const,
  errorSummary: ["cdrs", "rating-errors"] as const,
  job: (id: string) => ["cdrs", "job", id] as const,
};

export const DISPOSITION_LABEL: Record<Disposition, string> = { answered: "Answered", busy: "Busy", no_answer: "No answer", failed: "Failed", cancelled: "Cancelled" };
export const DISPOSITION_TONE: Record<Disposition, BadgeTone> = { answered: "success", busy: "warning", no_answer: "neutral", failed: "danger", cancelled: "neutral" };
export const RATING_LABEL: Record<RatingStatus, string> = { pending: "Pending", rated: "Rated", error: "Error" };
export const RATING_TONE: Record<RatingStatus, BadgeTone> = { pending: "info", rated: "success", error: "danger" };

/** `37` → `0:37`, `3725` → `1:02:05`. */
export function formatCallDuration(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Per-call amounts are fractions of a cent: trailing zeros go, at least `min` decimals stay (`0.007000` → `0.0070`). Lossless. */
export function trimAmount(v: string | null, min = 4): string {
  if (v === null) return "—";
  const m = /^(-?\d+)\.(\d+)$/.exec(v);
  if (!m) return v;
  const frac = m[2]!.replace(/0+$/, "").padEnd(min, "0");
  return `${m[1]}.${frac}`;
}

export const moneySign = (v: string | null): -1 | 0 | 1 | null => {
  const micros = toMicros(v);
  return micros === null ? null : micros > 0n ? 1 : micros < 0n ? -1 : 0;
};

/** The time window a page shows: a preset ending now, or custom wall-clock times in the tenant's zone. */
export const RANGES = [
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "custom", label: "Custom…", ms: 0 },
] as const;
export type RangeKey = (typeof RANGES)[number]["value"];

export interface RangeFilters {
  range: string;
  from: string;
  to: string;
}

/**
 * ISO instants for a range. Presets end at the next whole minute, so the query (and its
 * cache key) stays the same for a minute instead of changing every render.
 */
export function resolveRange(f: RangeFilters, defaultRange: RangeKey, nowMs: number): { from: string; to: string; label: string } {
  const key = (RANGES.some((r) => r.value === f.range) ? f.range : defaultRange) as RangeKey;
  const tz = getDisplayTimeZone();
  if (key === "custom") {
    const to = (f.to && zonedLocalToIso(f.to, tz)) || new Date(Math.ceil(nowMs / 60_000) * 60_000).toISOString();
    const from = (f.from && zonedLocalToIso(f.from, tz)) || new Date(Date.parse(to) - 86_400_000).toISOString();
    return { from, to, label: "Custom range" };
  }
  const preset = RANGES.find((r) => r.value === key)!;
  const end = Math.floor(nowMs / 60_000) * 60_000 + 60_000;
  return { from: new Date(end - preset.ms).toISOString(), to: new Date(end).toISOString(), label: preset.label };
}

/** datetime-local value (tenant zone) for an ISO instant. */
export function localOf(iso: string): string {
  const tz = getDisplayTimeZone();
  const p: Record<string, string> = {};
  for (const x of new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}


/** The number search as the API takes it (digits, optional leading +), or undefined. */
export function numberQuery(q: string): string | undefined {
  const v = q.replace(/[\s().-]/g, "");
  return /^\+?\d{1,32}$/.test(v) ? v : undefined;
}

/** Reason phrases of the SIP final responses switches report most (RFC 3261 and friends). */
const SIP_REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  410: "Gone",
  480: "Temporarily Unavailable",
  484: "Address Incomplete",
  486: "Busy Here",
  487: "Request Terminated",
  488: "Not Acceptable Here",
  500: "Server Internal Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Server Time-out",
  600: "Busy Everywhere",
  603: "Decline",
  604: "Does Not Exist Anywhere",
};
export const sipReason = (status: number) => SIP_REASONS[status] ?? "";
