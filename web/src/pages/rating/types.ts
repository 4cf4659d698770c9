import type { BadgeTone } from "../../components";

/** Wire types of the rating API (server/src/rating/model.ts). Money is a decimal string. */
export type PlanKind = "customer" | "supplier";
export type ImportMode = "full" | "partial";
export type NoticePolicy = "reject" | "defer";
export type RevisionStatus = "previewed" | "applying" | "applied" | "failed" | "rejected";
export type ChangeKind = "new" | "increase" | "decrease" | "unchanged" | "closed";
export type RateState = "live" | "future" | "expired";

export interface TimeClass {
  name: string;
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  start: string;
  end: string;
}

export interface RatingPlan {
  id: string;
  name: string;
  kind: PlanKind;
  currency: string;
  timeZone: string;
  incrementFirstS: number;
  incrementNextS: number;
  minimumDurationS: number;
  gracePeriodS: number;
  connectionFee: string;
  noticeDays: number;
  precision: string;
  timeClasses: TimeClass[];
  rateCount: number;
  createdAt: string;
  updatedAt: string;
}

export type PlanBody = Omit<RatingPlan, "id" | "rateCount" | "createdAt" | "updatedAt">;

export interface Rate {
  id: string;
  prefix: string;
  destination: string;
  rate: string;
  connectionFee: string | null;
  incrementFirstS: number | null;
  incrementNextS: number | null;
  timeClass: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  revisionId: string | null;
}

export interface Revision {
  id: string;
  planId: string;
  fileName: string;
  mode: ImportMode;
  noticePolicy: NoticePolicy;
  status: RevisionStatus;
  effectiveFrom: string | null;
  rowCount: number;
  newCount: number;
  increaseCount: number;
  decreaseCount: number;
  unchangedCount: number;
  closedCount: number;
  noticeViolationCount: number;
  errorCount: number;
  errors: { line: number; reason: string }[];
  failureMessage: string | null;
  createdBy: string;
  createdAt: string;
  appliedAt: string | null;
  jobId: string | null;
}

export interface DiffRow {
  line: number | null;
  prefix: string;
  destination: string;
  change: ChangeKind;
  rate: string | null;
  previousRate: string | null;
  connectionFee: string | null;
  incrementFirstS: number | null;
  incrementNextS: number | null;
  timeClass: string | null;
  effectiveFrom: string;
  effectiveFromAdjusted: string | null;
  noticeViolation: boolean;
}

export interface Preview {
  revision: Revision;
  diff: { rows: DiffRow[]; total: number; page: number; pageSize: number };
}

export interface Quote {
  number: string;
  at: string;
  currency: string;
  prefix: string;
  destination: string;
  rate: string;
  timeClass: string | null;
  durationS: number;
  billableS: number;
  incrementFirstS: number;
  incrementNextS: number;
  minimumDurationS: number;
  gracePeriodS: number;
  free: boolean;
  connectionFee: string;
  exactCost: string;
  precision: string;
  cost: string;
}

export const KIND_LABEL: Record<PlanKind, string> = { customer: "Customer (sell)", supplier: "Supplier (buy)" };
export const KIND_TONE: Record<PlanKind, BadgeTone> = { customer: "info", supplier: "accent" };
export const STATUS_LABEL: Record<RevisionStatus, string> = { previewed: "Previewed", applying: "Applying", applied: "Applied", failed: "Failed", rejected: "Rejected" };
export const STATUS_TONE: Record<RevisionStatus, BadgeTone> = { previewed: "info", applying: "warning", applied: "success", failed: "danger", rejected: "neutral" };
export const CHANGE_LABEL: Record<ChangeKind, string> = { new: "New", increase: "Increase", decrease: "Decrease", unchanged: "Unchanged", closed: "Closed" };
export const CHANGE_TONE: Record<ChangeKind, BadgeTone> = { new: "info", increase: "danger", decrease: "success", unchanged: "neutral", closed: "warning" };
export const CHANGE_KINDS: ChangeKind[] = ["new", "increase", "decrease", "unchanged", "closed"];
export const DAY_LABELS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Query keys; everything about one plan starts with ["rating-plan", id]. */
/** GET /rating-plans/:id/compiled: the plan as the server holds it in memory. */
export interface CompiledStats {
  prefixCount: number;
  versionCount: number;
  nodeCount: number;
  destinationCount: number;
  typedArrayBytes: number;
  bytesPerPrefix: number;
  builtAt: string | null;
  buildMs: number | null;
}

export const ratingKeys = {
  plans: ["rating-plans"] as const,
  plan: (id: string) => ["rating-plan", id] as const,
  rates: (id: string) => ["rating-plan", id, "rates"] as const,
  compiled: (id: string) => ["rating-plan", id, "compiled"] as const,
  revisions: (id: string) => ["rating-plan", id, "revisions"] as const,
  revision: (id: string) => ["rating-revision", id] as const,
};

/** A per-minute rate for display: the string itself, trailing zeros trimmed to at least 4 decimals. */
export function formatRate(v: string | null | undefined): string {
  if (v == null) return "—";
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(v.trim());
  if (!m) return v;
  let frac = (m[3] ?? "").replace(/0+$/, "");
  if (frac.length < 4) frac = frac.padEnd(4, "0");
  return `${m[1]}${m[2]}.${frac}`;
}

/** `30/6` increments. */
export const increments = (first: number | null, next: number | null) => (first == null || next == null ? null : `${first}/${next}`);

/** Offset (ms) of `tz` from UTC at the instant `utcMs`. */
function tzOffset(utcMs: number, tz: string): number {
  const f = new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(utcMs))) p[x.type] = x.value;
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second)) - utcMs;
}

/** `YYYY-MM-DDTHH:MM` (a datetime-local value) read as a wall-clock time in `tz` → ISO instant. */
export function zonedLocalToIso(local: string, tz: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!m) return undefined;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
  let t = guess - tzOffset(guess, tz);
  t = guess - tzOffset(t, tz);
  return new Date(t).toISOString();
}

/** An instant as a datetime-local value (`YYYY-MM-DDTHH:MM`) on the wall clock of `tz`. */
export function isoToZonedLocal(iso: string | number, tz: string): string {
  const ms = typeof iso === "number" ? iso : Date.parse(iso);
  return new Date(ms + tzOffset(ms, tz)).toISOString().slice(0, 16);
}

/** Now as a datetime-local value in `tz`. */
export const nowLocal = (tz: string): string => isoToZonedLocal(Date.now(), tz);

export function daysLabel(days: number[]): string {
  const s = [...days].sort((a, b) => a - b);
  const key = s.join(",");
  if (key === "1,2,3,4,5") return "Mon–Fri";
  if (key === "0,6") return "Sat–Sun";
  if (key === "0,1,2,3,4,5,6") return "Every day";
  return s.map((d) => DAY_LABELS[d]).join(", ");
}

/** `amount` shown with exactly as many decimals as `precision` has ("0.007000", "0.0001" → "0.0070"). */
export function formatAtPrecision(amount: string, precision: string): string {
  const decimals = (/\.(\d*?)0*$/.exec(precision)?.[1] ?? "").length;
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!m) return amount;
  const frac = (m[3] ?? "").padEnd(decimals, "0").slice(0, decimals);
  const dropped = (m[3] ?? "").slice(decimals);
  // The server already rounded the cost to the precision: only zeros are dropped.
  if (/[1-9]/.test(dropped)) return amount;
  return `${m[1]}${m[2]}${decimals ? `.${frac}` : ""}`;
}
