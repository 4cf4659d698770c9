import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../platform/http/context.js";
import { forbidden } from "../platform/http/errors.js";
import { creditControl, getCarrier } from "../carriers/carriers.js";
import { carrierDto, creditControlDto } from "../carriers/dto.js";
import type { FastifyRequest } from "fastify";

/**
 * Customer and carrier portal: a portal user sees exactly one carrier account, the one
 * their user is bound to. The carrier id comes from the session, never from the request.
 */
function portalScope(req: FastifyRequest): { tenantId: string; carrierId: string } {
  const p = principalOf(req);
  if (p.kind !== "user" || (p.role !== "customer" && p.role !== "carrier")) throw forbidden("This endpoint is for portal users");
  if (!p.carrierId) throw forbidden("Your user is not bound to a carrier account");
  return { tenantId: p.tenantId, carrierId: p.carrierId };
}

export const portalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;
  app.get(
    "/portal/account",
    {
      schema: {
        tags: ["portal"],
        response: { 200: z.object({ carrier: carrierDto.pick({ id: true, name: true, type: true, primaryCurrency: true, customerCreditType: true, customerCreditLimit: true, status: true }), creditControl: creditControlDto }) },
      },
    },
    async (req) => {
      const { tenantId, carrierId } = portalScope(req);
      return { carrier: await getCarrier(db, { tenantId, id: carrierId }), creditControl: await creditControl(db, { tenantId, id: carrierId }) };
    },
  );
};
