import type { TxDb } from "../platform/db/client.js";
import { badRequest } from "../platform/http/errors.js";

/**
 * Rating and routing plans are referenced by services (customer rating plan, routing
 * plan) and egress interconnects (supplier rating plan). Until the rating and routing
 * modules exist there is no plan to point at, so a non-null reference is refused with
 * a clear message and the console shows "no plan yet". The rating/routing modules
 * replace this check with a lookup (and the currency rule).
 */
export async function assertPlanReference(
  _tx: TxDb,
  _tenantId: string,
  ref: { field: string; kind: "rating" | "routing"; id: string | null | undefined },
): Promise<void> {
  if (ref.id) throw badRequest(`No ${ref.kind} plans exist yet`, { [ref.field]: [`${ref.kind} plans arrive with the ${ref.kind} module; leave empty`] });
}
