import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../platform/http/errors.js";
import { resolveSession } from "./auth.js";
import { resolveApiKey } from "./api-keys.js";
import { safeEqual, sha256 } from "./tokens.js";
import { AuthCache } from "./auth-cache.js";

export const SESSION_COOKIE = "didtron_sid";
export const CSRF_HEADER = "x-csrf-token";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Identifies the caller on every /api request: an `Authorization: Bearer dtk_…` API key,
 * or the session cookie. Cookie-authenticated writes must echo the session's CSRF token
 * in `x-csrf-token`; API keys are not sent by browsers automatically, so they need none.
 */
export function registerAuthentication(app: FastifyInstance) {
  const cache = new AuthCache();
  app.decorate("authCache", cache);
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (req: FastifyRequest) => {
    const { db, config } = app.services;
    const authz = req.headers.authorization;
    if (authz) {
      const token = /^Bearer\s+(.+)$/i.exec(authz)?.[1]?.trim();
      const principal = token ? await cache.resolve(`k:${sha256(token)}`, () => resolveApiKey(db, token)) : null;
      if (!principal) throw new AppError(401, "invalid_api_key", "The API key is unknown, revoked or expired");
      req.principal = principal;
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const principal = await cache.resolve(`s:${sha256(cookie)}`, () => resolveSession(db, cookie, config.SESSION_TTL_HOURS));
    if (!principal || principal.kind !== "user") return;
    if (UNSAFE.has(req.method) && !req.routeOptions.config.skipCsrf) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !safeEqual(sent, principal.csrfToken)) {
        throw new AppError(403, "csrf_failed", "Missing or wrong CSRF token (x-csrf-token)");
      }
    }
    req.principal = principal;
  });
}

declare module "fastify" {
  interface FastifyInstance {
    /** Resolved API keys and sessions (identity/auth-cache.ts); cleared by every identity write. */
    authCache: AuthCache;
  }
  interface FastifyContextConfig {
    /** Login creates the session, so there is no token to check yet. */
    skipCsrf?: boolean;
  }
}
