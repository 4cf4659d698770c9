import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { CreditControl, type CreditControlOptions } from "./control.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Credit control: the CreditGate for routing, and call reservations. */
    credit: CreditControl;
  }
}

/** Starts credit control with the app (it listens for ledger and carrier changes) and stops it on close. */
export async function registerCreditControl(app: FastifyInstance, pool: pg.Pool, options: Partial<CreditControlOptions> = {}): Promise<CreditControl> {
  const credit = new CreditControl(pool, options);
  await credit.start();
  app.decorate("credit", credit);
  app.addHook("onClose", () => credit.stop());
  return credit;
}
