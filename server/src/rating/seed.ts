import type { TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { parseMoney } from "../platform/money.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { createPlan } from "./plans.js";
import { planCreate } from "./model.js";
import { rates } from "./schema.js";

/**
 * A demo rating plan with its rates written directly (the seed runs in one transaction,
 * where the import job cannot): one open-ended, all-classes version per prefix.
 */
export async function seedDemoRatingPlan(
  tx: TxDb,
  actor: Actor,
  input: { name: string; kind: "customer" | "supplier"; currency: string; effectiveFrom: Date; rates: readonly (readonly [prefix: string, destination: string, rate: string])[] },
): Promise<string> {
  const plan = await createPlan(tx, actor, planCreate.parse({ name: input.name, kind: input.kind, currency: input.currency, noticeDays: 0 }));
  await tx.insert(rates).values(
    input.rates.map(([prefix, destination, rate]) => ({
      id: newId(),
      tenantId: actor.tenantId,
      planId: plan.id,
      prefix,
      destination,
      rateMicrosPerMinute: parseMoney(rate),
      effectiveFrom: input.effectiveFrom,
    })),
  );
  await recordAudit(tx, actor, { action: "rating_plan.seed_rates", entityType: "rating_plan", entityId: plan.id, after: { rateCount: input.rates.length } });
  return plan.id;
}
