import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { getTenant, tenantDto, tenantSettingsInput, updateTenantSettings } from "./tenants.js";

export const tenancyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get("/tenant", { onRequest: [requireStaff("tenant:read")], schema: { tags: ["tenant"], response: { 200: tenantDto } } }, async (req) =>
    getTenant(db, { tenantId: tenantOf(req) }),
  );
  app.patch(
    "/tenant",
    { onRequest: [requireStaff("tenant:write")], schema: { tags: ["tenant"], body: tenantSettingsInput, response: { 200: tenantDto } } },
    async (req) => write(req, (tx, actor) => updateTenantSettings(tx, actor, req.body)),
  );
};
