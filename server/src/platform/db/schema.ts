// Every domain's tables, for drizzle's typed queries and drizzle-kit's migrations.
export * from "../../tenancy/schema.js";
export * from "../../identity/schema.js";
export * from "../../audit/schema.js";
export * from "../../jobs/schema.js";
export * from "../../notifications/schema.js";
export * from "../../carriers/schema.js";
export * from "../../ledger/schema.js";
export * from "../../switch/schema.js";
export * from "../../rating/schema.js";
export * from "../../cdrs/schema.js";
export * from "../../routing/schema.js";
export * from "../../mail/schema.js";
export * from "../../credit/schema.js";

export * from "../../billing/schema.js";

export * from "../../reconciliation/schema.js";
