/**
 * Money: integer micro-units (1e-6 of the currency unit) as `bigint`, everywhere in
 * code and the database. Decimal strings only at the API edge. This module is the one
 * place where money is parsed, formatted and rounded; nothing else does arithmetic
 * on decimal strings or uses JS floats for money.
 *
 * Rounding rule: half away from zero ("half-up" on magnitude), applied once, at the
 * end of a computation, to the precision the caller names.
 */
export const MICROS_PER_UNIT = 1_000_000n;
const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/;

/** Parses "12.345678" → 12345678n. Rejects more than 6 decimals, exponents, blanks. */
export function parseMoney(input: string): bigint {
  const m = DECIMAL.exec(input.trim());
  if (!m) throw new RangeError(`Not a decimal amount with at most 6 decimals: "${input}"`);
  const [, sign, whole, frac = ""] = m;
  const micros = BigInt(whole!) * MICROS_PER_UNIT + BigInt(frac.padEnd(6, "0"));
  return sign ? -micros : micros;
}

/** Formats micro-units as a decimal string with `decimals` places (default all 6), rounding half-up. */
export function formatMoney(micros: bigint, decimals = 6): string {
  if (decimals < 0 || decimals > 6) throw new RangeError("decimals must be 0..6");
  const rounded = roundToPrecision(micros, 10n ** BigInt(6 - decimals));
  const neg = rounded < 0n;
  const abs = neg ? -rounded : rounded;
  const whole = abs / MICROS_PER_UNIT;
  const frac = (abs % MICROS_PER_UNIT).toString().padStart(6, "0").slice(0, decimals);
  return `${neg ? "-" : ""}${whole}${decimals ? `.${frac}` : ""}`;
}

/** Rounds `value` to a multiple of `step`, half away from zero. */
export function roundToPrecision(value: bigint, step: bigint): bigint {
  if (step <= 0n) throw new RangeError("step must be positive");
  return divRoundHalfUp(value, step) * step;
}

/** Integer division rounded half away from zero: the one rounding primitive. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  const neg = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return neg ? -q : q;
}

/** ISO 4217 currencies whose minor unit is not 1/100: JPY has none, these five have 1/1000. */
const MINOR_UNIT_DIGITS: Record<string, number> = { JPY: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/** Decimal places of a currency's minor unit (2 unless listed above). */
export const minorUnitDigits = (currency: string): number => MINOR_UNIT_DIGITS[currency] ?? 2;

/** Micro-units per minor unit of a currency: 10 000 for USD cents, 1 000 000 for JPY. */
export const microsPerMinorUnit = (currency: string): bigint => 10n ** BigInt(6 - minorUnitDigits(currency));

/** Rounds micro-units to the currency's minor unit, half away from zero (documents only). */
export const roundToMinorUnit = (micros: bigint, currency: string): bigint => roundToPrecision(micros, microsPerMinorUnit(currency));

/** A document amount as the customer sees it: rounded to the minor unit, e.g. "12.35", "1200" (JPY). */
export const formatMinorUnits = (micros: bigint, currency: string): string => formatMoney(micros, minorUnitDigits(currency));
