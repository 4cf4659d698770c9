/**
 * Money helpers for decimal strings ("-4658.600000"). Amounts are never parsed to a
 * float: comparisons use bigint micro-units and display rounds the string itself.
 */

const MONEY_RE = /^(-?)(\d+)(?:\.(\d*))?$/;
/** What the API accepts: up to 15 integer digits and 6 decimals. */
export const MONEY_INPUT_RE = /^\d{1,15}(\.\d{1,6})?$/;
export const SIGNED_MONEY_INPUT_RE = /^-?\d{1,15}(\.\d{1,6})?$/;

/** Decimal string → micro-units, or null when it is not a decimal. */
export function toMicros(v: string | null | undefined): bigint | null {
  if (v == null) return null;
  const m = MONEY_RE.exec(v.trim());
  if (!m) return null;
  const frac = (m[3] ?? "").padEnd(6, "0").slice(0, 6);
  const abs = BigInt(m[2]!) * 1_000_000n + BigInt(frac || "0");
  return m[1] ? -abs : abs;
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** `-4658.6` → `-4,658.60` (thousands separators, 2 decimals, half away from zero). */
export function formatMoney(v: string | null | undefined, empty = "—"): string {
  const micros = toMicros(v);
  if (micros === null) return v ? v : empty;
  const neg = micros < 0n;
  const abs = neg ? -micros : micros;
  let cents = abs / 10_000n;
  if (abs % 10_000n >= 5_000n) cents += 1n;
  const int = (cents / 100n).toString();
  const dec = (cents % 100n).toString().padStart(2, "0");
  return `${neg && cents > 0n ? "-" : ""}${group(int)}.${dec}`;
}

/** Full precision for edit forms, without the trailing zeros: `5000.500000` → `5000.5`. */
export function moneyForInput(v: string | null | undefined): string {
  if (v == null) return "";
  const m = MONEY_RE.exec(v.trim());
  if (!m) return v;
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const int = m[2]!.replace(/^0+(?=\d)/, "");
  const neg = m[1] && (/[1-9]/.test(int) || /[1-9]/.test(frac));
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Same amount? (`"2500"` equals `"2500.000000"`). */
export function sameMoney(a: string | null | undefined, b: string | null | undefined): boolean {
  if ((a ?? null) === null || (b ?? null) === null) return (a ?? null) === (b ?? null);
  return toMicros(a) === toMicros(b);
}

export type LimitTone = "success" | "warning" | "danger" | "neutral";

/**
 * Badge tone of a balance or spend against its limit: red when over (remaining < 0),
 * amber when less than 10% of the limit remains, green otherwise. Without a limit,
 * green when the amount is ≥ 0 and `noLimitNegative` when it is below zero.
 */
export function limitTone(amount: string, limit: string | null, remaining: string | null, noLimitNegative: LimitTone = "danger"): LimitTone {
  const rem = toMicros(remaining);
  const lim = toMicros(limit);
  if (rem !== null && lim !== null) {
    if (rem < 0n) return "danger";
    const absLimit = lim < 0n ? -lim : lim;
    if (rem * 10n < absLimit) return "warning";
    return "success";
  }
  const a = toMicros(amount) ?? 0n;
  return a >= 0n ? "success" : noLimitNegative;
}
