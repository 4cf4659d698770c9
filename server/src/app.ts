import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import fastifyStatic from "@fastify/static";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sql } from "drizzle-orm";
import type { Services } from "./platform/http/context.js";
import { registerErrorHandling } from "./platform/http/errors.js";
import { registerAuthentication } from "./identity/auth-hook.js";
import { identityRoutes } from "./identity/routes.js";
import { tenancyRoutes } from "./tenancy/routes.js";
import { auditRoutes } from "./audit/routes.js";
import { jobsRoutes } from "./jobs/routes.js";
import { recycleBinRoutes } from "./recycle-bin/routes.js";
import { notificationRoutes } from "./notifications/routes.js";
import { searchRoutes } from "./search/routes.js";
import { carrierRoutes } from "./carriers/routes.js";
import { ratingRoutes } from "./rating/routes.js";
import { ledgerRoutes } from "./ledger/routes.js";
import { registerCreditControl } from "./credit/plugin.js";
import { portalRoutes } from "./portal/routes.js";
import { cdrRoutes } from "./cdrs/routes.js";
import { routingRoutes } from "./routing/routes.js";
import { RoutingService } from "./routing/service.js";
import type { CreditGate } from "./credit/gate.js";
import { switchRoutes } from "./switch/routes.js";
import { mailRoutes } from "./mail/routes.js";

import { billingRoutes } from "./billing/routes.js";

import { reconciliationRoutes } from "./reconciliation/routes.js";

export interface AppOptions {
  logger?: boolean | object;
  /** Serve the built web app (web/dist) with SPA fallback. */
  serveWeb?: boolean;
  /** Credit control for route decisions; default: the ledger's credit control (credit/control.ts). */
  creditGate?: CreditGate;
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: services.config.BODY_LIMIT_BYTES,
    trustProxy: true,
    genReqId: (req) => (typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"].length <= 64 ? req.headers["x-request-id"] : crypto.randomUUID()),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate("services", services);
  await registerCreditControl(app, services.pool);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  const webRoot = services.config.WEB_DIST;
  const indexPath = path.join(webRoot, "index.html");
  const serveWeb = Boolean(opts.serveWeb) && fs.existsSync(indexPath);
  registerErrorHandling(app, { spaIndexHtml: serveWeb ? fs.readFileSync(indexPath) : undefined });
  const routing = new RoutingService({ pool: services.pool, db: services.db }, { creditGate: opts.creditGate ?? app.credit });
  app.decorate("routingService", routing);
  routing.startQualityFeed();
  app.addHook("onClose", () => routing.close());
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      info: { title: "DIDTron API", version: "1.0.0", description: "Wholesale VoIP platform API. Authenticate with the session cookie (plus x-csrf-token on writes) or `Authorization: Bearer dtk_…`." },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });

  await app.register(
    async (api) => {
      registerAuthentication(api);
      api.get("/health", { schema: { tags: ["health"], response: { 200: z.object({ status: z.literal("ok") }) } } }, async () => ({ status: "ok" as const }));
      api.get(
        "/ready",
        { schema: { tags: ["health"], response: { 200: z.object({ status: z.literal("ready"), database: z.boolean(), jobs: z.boolean() }), 503: z.object({ status: z.literal("unavailable"), database: z.boolean(), jobs: z.boolean() }) } } },
        async (_req, reply) => {
          const database = await services.db.execute(sql`SELECT 1`).then(() => true, () => false);
          const jobs = database && (await services.db.execute(sql`SELECT version FROM pgboss.version`).then(() => true, () => false)) && services.jobs.isStarted;
          if (database && jobs) return { status: "ready" as const, database, jobs };
          reply.status(503);
          return { status: "unavailable" as const, database, jobs };
        },
      );
      await api.register(identityRoutes);
      await api.register(tenancyRoutes);
      await api.register(auditRoutes);
      await api.register(jobsRoutes);
      await api.register(recycleBinRoutes);
      await api.register(notificationRoutes);
      await api.register(searchRoutes);
      await api.register(carrierRoutes);
      await api.register(ratingRoutes);
      await api.register(ledgerRoutes);
      await api.register(routingRoutes, { routing });
      await api.register(portalRoutes);
      await api.register(cdrRoutes);
      await api.register(switchRoutes);
      await api.register(mailRoutes);

      await api.register(billingRoutes);

      await api.register(reconciliationRoutes);
    },
    { prefix: "/api" },
  );

  if (serveWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, maxAge: "1h", index: false });
  }
  return app;
}
