/** The pure routing engine: compile a tenant's data into a snapshot, then decide calls over it. */
export { compileSnapshot } from "./compile.js";
export { decide, findEntry, ingressLimits, type DecideEnv } from "./decide.js";
export { buildFxSeries, convertAt, describeFxRate, formatFxRate, fxIndexAt, parseFxRate, FX_SCALE, type FxRateData, type FxSeries } from "./fx.js";
export { PrefixSet } from "./prefix-set.js";
export { versionConnectionFee, versionDestination, versionRate } from "./rates.js";
export { seededRng, type Rng } from "./rng.js";
export type * from "./types.js";
