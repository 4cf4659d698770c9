import type { TxDb } from "../platform/db/client.js";
import { badRequest } from "../platform/http/errors.js";
import { findRatingPlanRef } from "../rating/plans.js";
import { findRoutingPlanRef } from "../routing/plans.js";

/**
 * Rating and routing plans are referenced by services (customer rating plan, routing
 * plan) and egress interconnects (supplier rating plan). A rating plan must be a live
 * plan of the tenant, of the right kind (customer for a service, supplier for an egress
 * interconnect) and in the referrer's currency. A routing plan must be a live plan of
 * the tenant; its currency may differ (routes are compared in it, converted at FX rates).
 */
export async function assertPlanReference(
  tx: TxDb,
  tenantId: string,
  ref: { field: string; kind: "rating" | "routing"; id: string | null | undefined; planKind?: "customer" | "supplier"; currency?: string },
): Promise<void> {
  if (!ref.id) return;
  if (ref.kind === "routing") {
    if (!(await findRoutingPlanRef(tx, { tenantId, id: ref.id }))) throw badRequest("No such routing plan", { [ref.field]: ["no such routing plan"] });
    return;
  }
  const plan = await findRatingPlanRef(tx, { tenantId, id: ref.id });
  if (!plan) throw badRequest("No such rating plan", { [ref.field]: ["no such rating plan"] });
  if (ref.planKind && plan.kind !== ref.planKind) {
    throw badRequest(`"${plan.name}" is a ${plan.kind} plan`, { [ref.field]: [`must be a ${ref.planKind} rating plan`] });
  }
  if (ref.currency && plan.currency !== ref.currency) {
    throw badRequest(`"${plan.name}" rates in ${plan.currency}, not ${ref.currency}`, { [ref.field]: [`the plan's currency must be ${ref.currency}`] });
  }
}
