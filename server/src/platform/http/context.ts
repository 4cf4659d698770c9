import type { FastifyReply, FastifyRequest } from "fastify";
import type pg from "pg";
import type { Config } from "../config.js";
import type { Db, TxDb } from "../db/client.js";
import { inTransaction } from "../db/client.js";
import type { JobQueue } from "../jobs/boss.js";
import type { Principal } from "../../identity/principal.js";
import { actorOf, can, isStaff } from "../../identity/principal.js";
import type { Permission } from "../../identity/permissions.js";
import type { Actor } from "../../audit/audit.js";
import { AppError, forbidden } from "./errors.js";

export interface Services {
  config: Config;
  pool: pg.Pool;
  db: Db;
  jobs: JobQueue;
}

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const unauthenticated = () => new AppError(401, "unauthenticated", "Sign in first");

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthenticated();
  return req.principal;
}

/** Route onRequest guard: a staff user or API key holding `permission`. Portal users are refused. */
export const requireStaff =
  (permission: Permission) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const p = principalOf(req);
    if (!isStaff(p)) throw forbidden("This endpoint is for staff only");
    if (!can(p, permission)) throw forbidden(`Missing permission ${permission}`);
  };

/** Route onRequest guard: any signed-in user (staff or portal). */
export const requireUser = async (req: FastifyRequest): Promise<void> => {
  const p = principalOf(req);
  if (p.kind !== "user") throw forbidden("This endpoint needs a user session");
};

/** Tenant of the caller: the only source of tenant id for queries made on its behalf. */
export const tenantOf = (req: FastifyRequest): string => principalOf(req).tenantId;

/** Runs a write in one transaction with the caller as the audited actor. */
export function write<T>(req: FastifyRequest, fn: (tx: TxDb, actor: Actor) => Promise<T>): Promise<T> {
  const actor = actorOf(principalOf(req), req);
  return inTransaction(req.server.services.pool, (tx) => fn(tx, actor));
}
