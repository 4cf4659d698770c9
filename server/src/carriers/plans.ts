import type { TxDb } from "../platform/db/client.js";
import { badRequest } from "../platform/http/errors.js";
import { ratingPlanExists } from "../rating/plans.js";

/**
 * Rating and routing plans are referenced by services (customer rating plan, routing
 * plan) and egress interconnects (supplier rating plan). A rating plan must be a live
 * plan of the tenant. Until the routing module exists there is no routing plan to point
 * at, so a non-null routing reference is refused with a clear message.
 */
export async function assertPlanReference(
  tx: TxDb,
  tenantId: string,
  ref: { field: string; kind: "rating" | "routing"; id: string | null | undefined },
): Promise<void> {
  if (!ref.id) return;
  if (ref.kind === "rating") {
    if (!(await ratingPlanExists(tx, { tenantId, id: ref.id }))) throw badRequest("No such rating plan", { [ref.field]: ["no such rating plan"] });
    return;
  }
  throw badRequest(`No ${ref.kind} plans exist yet`, { [ref.field]: [`${ref.kind} plans arrive with the ${ref.kind} module; leave empty`] });
}
