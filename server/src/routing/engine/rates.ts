/**
 * Reads a rating-engine version record (the handle `lookupVersion` returns) without
 * building a RateMatch: the decision's hot path needs only the rate and fee. The record
 * layout is documented on `CompiledPlan` in rating/engine/plan.ts; rates.test.ts checks
 * these readers against `lookup()` so a layout change cannot go unnoticed.
 */
import type { CompiledPlan } from "../../rating/engine/index.js";

export const versionRate = (plan: CompiledPlan, handle: number): bigint => plan.trieMoney[(handle >> 1) + 2]!;
export const versionConnectionFee = (plan: CompiledPlan, handle: number): bigint => plan.trieMoney[(handle >> 1) + 3]!;
export const versionDestination = (plan: CompiledPlan, handle: number): string => plan.destinations[plan.trie[handle + 10]!]!;
