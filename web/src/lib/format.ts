/**
 * Display formatting. Times are shown in the tenant's time zone (Tenant Settings →
 * General) so every NOC engineer of a tenant reads the same clock.
 */

let displayTimeZone = "UTC";
const formatters = new Map<string, Intl.DateTimeFormat>();

export function setDisplayTimeZone(tz: string): void {
  displayTimeZone = tz || "UTC";
}
export const getDisplayTimeZone = () => displayTimeZone;

function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(tz, f);
  }
  return f;
}

function parts(date: Date, tz = displayTimeZone): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFormatter(tz).formatToParts(date)) out[p.type] = p.value;
  return out;
}

const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

/** `2026-11-24 19:51` (or with seconds) in the display time zone. */
export function formatDateTime(v: string | Date | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (!v) return "—";
  const d = toDate(v);
  if (Number.isNaN(d.getTime())) return "—";
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${opts.seconds ? `:${p.second}` : ""}`;
}

export function formatDate(v: string | Date | null | undefined): string {
  if (!v) return "—";
  const p = parts(toDate(v));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Full timestamp with zone, for title attributes. */
export function formatFull(v: string | Date | null | undefined): string {
  if (!v) return "";
  return `${formatDateTime(v, { seconds: true })} ${displayTimeZone}`;
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function formatRelative(v: string | Date | null | undefined, now = Date.now()): string {
  if (!v) return "—";
  const diff = (toDate(v).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return diff <= 0 ? "just now" : "in a moment";
  for (const [unit, secs] of UNITS) {
    if (abs >= secs || unit === "second") return rtf.format(Math.round(diff / secs), unit);
  }
  return "—";
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const nf = new Intl.NumberFormat("en-US");
export const formatNumber = (n: number) => nf.format(n);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `usr_3aba51a6…` style display id: type prefix + last 8 hex chars. */
export function shortId(prefix: string, id: string | null | undefined): string {
  if (!id) return "—";
  return `${prefix}_${id.replace(/-/g, "").slice(-8)}`;
}

const ID_PREFIX: Record<string, string> = { user: "usr", api_key: "key", tenant: "tnt", job: "job", session: "ses" };
/** Display-id prefix for an entity type (`user` → `usr`). */
export const entityPrefix = (entityType: string) => ID_PREFIX[entityType] ?? (entityType.replace(/[^a-z]/gi, "").slice(0, 3).toLowerCase() || "id");

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return (words[0]![0]! + words[words.length - 1]![0]!).toUpperCase();
}

export const ROLE_LABELS: Record<string, string> = {
  super_admin: "Super admin",
  admin: "Admin",
  noc: "NOC",
  billing: "Billing",
  sales: "Sales",
  readonly: "Read-only",
  customer: "Customer",
  carrier: "Carrier",
};
export const roleLabel = (r: string) => ROLE_LABELS[r] ?? r;

/** Offset (ms) of `tz` from UTC at instant `utcMs`. */
function tzOffset(utcMs: number, tz: string): number {
  const p = parts(new Date(utcMs), tz);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return asUtc - utcMs;
}

/** Midnight of a `YYYY-MM-DD` date in the display time zone, as an ISO instant. */
export function zonedDayStartIso(ymd: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return undefined;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  let t = guess - tzOffset(guess, displayTimeZone);
  t = guess - tzOffset(t, displayTimeZone);
  return new Date(t).toISOString();
}
