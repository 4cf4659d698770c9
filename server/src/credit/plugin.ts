import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { CreditControl, type CreditControlOptions } from "./control.js";
import { CreditAlertWatcher } from "./alerts.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Credit control: the CreditGate for routing, and call reservations. */
    credit: CreditControl;
    /** Evaluates a carrier's credit alerts whenever its accounts change. */
    creditAlerts: CreditAlertWatcher;
  }
}

/**
 * Starts credit control with the app (it listens for ledger and carrier changes) and
 * the credit alert watcher fed by it; stops both on close.
 */
export async function registerCreditControl(app: FastifyInstance, pool: pg.Pool, options: Partial<CreditControlOptions> = {}): Promise<CreditControl> {
  const credit = new CreditControl(pool, options);
  const alerts = new CreditAlertWatcher(pool, app.services.jobs, (err) => app.log.error({ err }, "credit alert evaluation failed"));
  credit.onAccountChange((n) => alerts.changed(n.tenantId, n.carrierId));
  await credit.start();
  app.decorate("credit", credit);
  app.decorate("creditAlerts", alerts);
  app.addHook("onClose", async () => {
    await credit.stop();
    await alerts.stop();
  });
  return credit;
}
