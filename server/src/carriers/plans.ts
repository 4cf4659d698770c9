import type { TxDb } from "../platform/db/client.js";
import { badRequest } from "../platform/http/errors.js";
import { findRatingPlanRef } from "../rating/plans.js";

/**
 * Rating and routing plans are referenced by services (customer rating plan, routing
 * plan) and egress interconnects (supplier rating plan). A rating plan must be a live
 * plan of the tenant, of the right kind (customer for a service, supplier for an egress
 * interconnect) and in the referrer's currency. Until the routing module exists there is
 * no routing plan to point at, so a non-null routing reference is refused clearly.
 */
export async function assertPlanReference(
  tx: TxDb,
  tenantId: string,
  ref: { field: string; kind: "rating" | "routing"; id: string | null | undefined; planKind?: "customer" | "supplier"; currency?: string },
): Promise<void> {
  if (!ref.id) return;
  if (ref.kind === "routing") {
    throw badRequest("No routing plans exist yet", { [ref.field]: ["routing plans arrive with the routing module; leave empty"] });
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
