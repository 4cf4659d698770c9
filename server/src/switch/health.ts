/**
 * SIP OPTIONS monitoring of an egress interconnect, as a pure state machine: after
 * `autoDisableAfterFailures` failed pings in a row an interconnect that is up goes down
 * (routing skips it); after `reEnableAfterSuccesses` answered pings in a row it comes back.
 * Each transition is reported once.
 */
export interface HealthState {
  state: "up" | "down";
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}
export interface HealthRules {
  autoDisableAfterFailures: number;
  reEnableAfterSuccesses: number;
}

export function nextHealth(prev: HealthState, pingOk: boolean, rules: HealthRules): HealthState & { transition: "down" | "up" | null } {
  const consecutiveFailures = pingOk ? 0 : prev.consecutiveFailures + 1;
  const consecutiveSuccesses = pingOk ? prev.consecutiveSuccesses + 1 : 0;
  if (prev.state === "up" && consecutiveFailures >= rules.autoDisableAfterFailures) return { state: "down", consecutiveFailures, consecutiveSuccesses, transition: "down" };
  if (prev.state === "down" && consecutiveSuccesses >= rules.reEnableAfterSuccesses) return { state: "up", consecutiveFailures, consecutiveSuccesses, transition: "up" };
  return { state: prev.state, consecutiveFailures, consecutiveSuccesses, transition: null };
}
