/** The pure rating engine: cost of a call (cost.ts), compiled plans and lookups (plan.ts), local time (zone.ts). */
export { billableSeconds, computeCost, type CostBreakdown, type CostInput, type Increments } from "./cost.js";
export {
  compilePlan,
  lookup,
  lookupBatch,
  lookupVersion,
  lookupVersionEach,
  MAX_PLANS_AT_ONCE,
  memoryStats,
  rateCall,
  rateCalls,
  type CallToRate,
  type CompileOptions,
  type CompiledPlan,
  type MemoryStats,
  type PlanDefaults,
  type Rate,
  type RateMatch,
  type RatedCall,
  type RatingPlan,
  type TimeClass,
} from "./plan.js";
export { ZoneClock, zoneClock, zonedTimeToEpochMs } from "./zone.js";
