// The pure ledger engine: posting rules and batch planning over plain data.
export * from "./types.js";
export { availableMicros, isCarrierMoney, legsOf, naturalBalanceMicros, spendOf, type AccountTotals, type CarrierMoneyRequest, type Legs } from "./rules.js";
export { accountRefsOf, keysOf, planBatch, referencedTransferIdOf, sameRequest, type BatchPlan, type CreditLimitCheck, type PlanContext, type StoredTransfer } from "./plan.js";
