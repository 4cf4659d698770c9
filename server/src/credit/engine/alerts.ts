/**
 * Credit alerts fire once per crossing. An alert is `armed` until its value crosses the
 * threshold (fires, becomes `fired`), and re-arms only when the value crosses back past
 * the reset threshold (the threshold itself when none is set). Pure: values in, state out.
 *
 * - low_balance:      fires when balance < threshold;  re-arms when balance ≥ reset (reset > threshold)
 * - high_balance:     fires when balance > threshold;  re-arms when balance ≤ reset (reset < threshold)
 * - spend_24h_breach: fires when spend > threshold;    re-arms when spend ≤ reset (reset < threshold)
 */
export type AlertType = "low_balance" | "high_balance" | "spend_24h_breach";
export type AlertState = "armed" | "fired";

export interface AlertRule {
  type: AlertType;
  thresholdMicros: bigint;
  resetThresholdMicros: bigint | null;
}

export interface AlertStep {
  state: AlertState;
  /** The transition this value caused, if any. */
  transition: "fire" | "rearm" | null;
}

export function isBreached(rule: AlertRule, valueMicros: bigint): boolean {
  return rule.type === "low_balance" ? valueMicros < rule.thresholdMicros : valueMicros > rule.thresholdMicros;
}

export function isRecovered(rule: AlertRule, valueMicros: bigint): boolean {
  const reset = rule.resetThresholdMicros ?? rule.thresholdMicros;
  return rule.type === "low_balance" ? valueMicros >= reset : valueMicros <= reset;
}

export function stepAlert(rule: AlertRule, state: AlertState, valueMicros: bigint): AlertStep {
  if (state === "armed" && isBreached(rule, valueMicros)) return { state: "fired", transition: "fire" };
  if (state === "fired" && isRecovered(rule, valueMicros)) return { state: "armed", transition: "rearm" };
  return { state, transition: null };
}

/** The figure an alert watches: the carrier's balance, or its 24-hour spend. */
export const watchedValue = (type: AlertType, v: { balanceMicros: bigint; spend24hMicros: bigint }): bigint => (type === "spend_24h_breach" ? v.spend24hMicros : v.balanceMicros);

/** Fills an alert's message template: `{{carrier}}`, `{{balance}}`, `{{spend}}`, `{{value}}`, `{{threshold}}`, `{{currency}}`, `{{type}}`. */
export function renderAlertTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}
