/** The pure rating engine: cost of a call (cost.ts), compiled plans and lookups (plan.ts), one walk over many plans (plan-union.ts), local time (zone.ts). */
export { billableSeconds, computeCost, type CostBreakdown, type CostInput, type Increments } from "./cost.js";
export {
  compilePlan,
  lookup,
  lookupBatch,
  lookupVersion,
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
export { compilePlanUnion, lookupUnion, MAX_UNION_PLANS, unionConnectionFee, unionRate, type PlanUnion } from "./plan-union.js";
export { ZoneClock, zoneClock, zonedTimeToEpochMs } from "./zone.js";
