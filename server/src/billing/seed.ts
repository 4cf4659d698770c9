import type { TxDb } from "../platform/db/client.js";
import type { Actor } from "../audit/audit.js";
import { createTaxRate } from "./settings.js";

/** Demo tax table: the tax codes the demo carriers use (and a common VAT), so their invoices can be generated. */
export async function seedDemoBilling(tx: TxDb, demo: Actor): Promise<void> {
  await createTaxRate(tx, demo, { code: "US-EXEMPT", name: "US exempt (resale)", rate: 0 });
  await createTaxRate(tx, demo, { code: "VAT-GB", name: "UK VAT 20 %", rate: 200_000 });
}
