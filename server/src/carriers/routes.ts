import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listQuery, listResponse } from "../platform/http/list.js";
import { ok, patchOf, uuidParam } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { listSyncEvents } from "../switch/sync.js";
import {
  blacklistEntryInput,
  carrierCreate,
  carrierPatch,
  contactInput,
  creditAlertInput,
  interconnectCreate,
  interconnectPatch,
  releaseCauseInput,
  serviceCreate,
  servicePatch,
  trunkGroupInput,
  CARRIER_TYPES,
  DIRECTIONS,
} from "./model.js";
import {
  blacklistEntryDto,
  carrierDto,
  contactDto,
  creditAlertDto,
  creditControlDto,
  interconnectDto,
  releaseCauseDto,
  serviceDto,
  syncEventDto,
  trunkGroupDto,
} from "./dto.js";
import { createCarrier, creditControl, deleteCarrier, getCarrier, listCarriers, resetSpend, updateCarrier } from "./carriers.js";
import { createInterconnect, deleteInterconnect, getInterconnect, listInterconnects, updateInterconnect } from "./interconnects.js";
import { createService, deleteService, getService, listServices, updateService } from "./services.js";
import { createContact, createCreditAlert, deleteContact, deleteCreditAlert, listContacts, listCreditAlerts, updateContact, updateCreditAlert } from "./contacts.js";
import { createTrunkGroup, deleteTrunkGroup, getTrunkGroup, listTrunkGroups, updateTrunkGroup } from "./trunk-groups.js";
import { createBlacklistEntry, deleteBlacklistEntry, listBlacklist } from "./blacklists.js";
import { createReleaseCause, deleteReleaseCause, listReleaseCauses, resetReleaseCauses, updateReleaseCause } from "./release-causes.js";

const read = { onRequest: [requireStaff("carriers:read")] };
const change = { onRequest: [requireStaff("carriers:write")] };
const contactParams = z.object({ id: z.uuid(), contactId: z.uuid() });
const alertParams = z.object({ id: z.uuid(), alertId: z.uuid() });
const tags = (t: string) => ({ tags: [t] });

export const carrierRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;

  // ── Carriers ──
  app.get(
    "/carriers",
    { ...read, schema: { ...tags("carriers"), querystring: listQuery.extend({ type: z.enum(CARRIER_TYPES).optional(), status: z.enum(["active", "suspended", "inactive"]).optional(), currency: z.string().length(3).optional() }), response: { 200: listResponse(carrierDto) } } },
    async (req) => listCarriers(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/carriers", { ...change, schema: { ...tags("carriers"), body: carrierCreate, response: { 201: carrierDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createCarrier(tx, actor, jobs, req.body));
  });
  app.get("/carriers/:id", { ...read, schema: { ...tags("carriers"), params: uuidParam, response: { 200: carrierDto } } }, async (req) => getCarrier(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.patch("/carriers/:id", { ...change, schema: { ...tags("carriers"), params: uuidParam, body: carrierPatch, response: { 200: carrierDto } } }, async (req) =>
    write(req, (tx, actor) => updateCarrier(tx, actor, jobs, req.params.id, req.body)),
  );
  app.delete("/carriers/:id", { ...change, schema: { ...tags("carriers"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteCarrier(tx, actor, jobs, req.params.id));
    return { ok: true as const };
  });
  app.get("/carriers/:id/credit-control", { ...read, schema: { ...tags("carriers"), params: uuidParam, response: { 200: creditControlDto } } }, async (req) =>
    creditControl(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.post(
    "/carriers/:id/spend-reset",
    { ...change, schema: { ...tags("carriers"), params: uuidParam, body: z.object({ direction: z.enum(["customer", "supplier"]) }), response: { 200: creditControlDto } } },
    async (req) => {
      await write(req, (tx, actor) => resetSpend(tx, actor, req.params.id, req.body.direction));
      return creditControl(db, { tenantId: tenantOf(req), id: req.params.id });
    },
  );
  app.get(
    "/switch-sync",
    { ...read, schema: { ...tags("carriers"), querystring: z.object({ entityType: z.enum(["carrier", "interconnect", "service"]), entityId: z.uuid() }), response: { 200: z.object({ rows: z.array(syncEventDto) }) } } },
    async (req) => ({ rows: await listSyncEvents(db, { tenantId: tenantOf(req), ...req.query }) }),
  );

  // ── Contacts and credit alerts ──
  app.get("/carriers/:id/contacts", { ...read, schema: { ...tags("carriers"), params: uuidParam, response: { 200: z.object({ rows: z.array(contactDto) }) } } }, async (req) => ({
    rows: await listContacts(db, { tenantId: tenantOf(req), carrierId: req.params.id }),
  }));
  app.post("/carriers/:id/contacts", { ...change, schema: { ...tags("carriers"), params: uuidParam, body: contactInput, response: { 201: contactDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createContact(tx, actor, req.params.id, req.body));
  });
  app.patch("/carriers/:id/contacts/:contactId", { ...change, schema: { ...tags("carriers"), params: contactParams, body: patchOf(contactInput), response: { 200: contactDto } } }, async (req) =>
    write(req, (tx, actor) => updateContact(tx, actor, req.params.id, req.params.contactId, req.body)),
  );
  app.delete("/carriers/:id/contacts/:contactId", { ...change, schema: { ...tags("carriers"), params: contactParams, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteContact(tx, actor, req.params.id, req.params.contactId));
    return { ok: true as const };
  });
  app.get("/carriers/:id/credit-alerts", { ...read, schema: { ...tags("carriers"), params: uuidParam, response: { 200: z.object({ rows: z.array(creditAlertDto) }) } } }, async (req) => ({
    rows: await listCreditAlerts(db, { tenantId: tenantOf(req), carrierId: req.params.id }),
  }));
  app.post("/carriers/:id/credit-alerts", { ...change, schema: { ...tags("carriers"), params: uuidParam, body: creditAlertInput, response: { 201: creditAlertDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createCreditAlert(tx, actor, req.params.id, req.body));
  });
  app.patch("/carriers/:id/credit-alerts/:alertId", { ...change, schema: { ...tags("carriers"), params: alertParams, body: patchOf(creditAlertInput), response: { 200: creditAlertDto } } }, async (req) =>
    write(req, (tx, actor) => updateCreditAlert(tx, actor, req.params.id, req.params.alertId, req.body)),
  );
  app.delete("/carriers/:id/credit-alerts/:alertId", { ...change, schema: { ...tags("carriers"), params: alertParams, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteCreditAlert(tx, actor, req.params.id, req.params.alertId));
    return { ok: true as const };
  });

  // ── Interconnects ──
  app.get(
    "/interconnects",
    {
      ...read,
      schema: {
        ...tags("interconnects"),
        querystring: listQuery.extend({ direction: z.enum(DIRECTIONS).optional(), carrierId: z.uuid().optional(), status: z.enum(["active", "disabled", "testing"]).optional() }),
        response: { 200: listResponse(interconnectDto) },
      },
    },
    async (req) => listInterconnects(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/carriers/:id/interconnects", { ...change, schema: { ...tags("interconnects"), params: uuidParam, body: interconnectCreate, response: { 201: interconnectDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createInterconnect(tx, actor, jobs, req.params.id, req.body));
  });
  app.get("/interconnects/:id", { ...read, schema: { ...tags("interconnects"), params: uuidParam, response: { 200: interconnectDto } } }, async (req) => getInterconnect(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.patch("/interconnects/:id", { ...change, schema: { ...tags("interconnects"), params: uuidParam, body: interconnectPatch, response: { 200: interconnectDto } } }, async (req) =>
    write(req, (tx, actor) => updateInterconnect(tx, actor, jobs, req.params.id, req.body)),
  );
  app.delete("/interconnects/:id", { ...change, schema: { ...tags("interconnects"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteInterconnect(tx, actor, jobs, req.params.id));
    return { ok: true as const };
  });

  // ── Services ──
  app.get(
    "/services",
    {
      ...read,
      schema: { ...tags("services"), querystring: listQuery.extend({ carrierId: z.uuid().optional(), interconnectId: z.uuid().optional(), status: z.enum(["active", "disabled"]).optional() }), response: { 200: listResponse(serviceDto) } },
    },
    async (req) => listServices(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/interconnects/:id/services", { ...change, schema: { ...tags("services"), params: uuidParam, body: serviceCreate, response: { 201: serviceDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createService(tx, actor, jobs, req.params.id, req.body));
  });
  app.get("/services/:id", { ...read, schema: { ...tags("services"), params: uuidParam, response: { 200: serviceDto } } }, async (req) => getService(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.patch("/services/:id", { ...change, schema: { ...tags("services"), params: uuidParam, body: servicePatch, response: { 200: serviceDto } } }, async (req) =>
    write(req, (tx, actor) => updateService(tx, actor, jobs, req.params.id, req.body)),
  );
  app.delete("/services/:id", { ...change, schema: { ...tags("services"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteService(tx, actor, jobs, req.params.id));
    return { ok: true as const };
  });

  // ── Trunk groups ──
  app.get("/trunk-groups", { ...read, schema: { ...tags("trunk-groups"), querystring: listQuery.extend({ direction: z.enum(DIRECTIONS).optional() }), response: { 200: listResponse(trunkGroupDto) } } }, async (req) =>
    listTrunkGroups(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/trunk-groups", { ...change, schema: { ...tags("trunk-groups"), body: trunkGroupInput, response: { 201: trunkGroupDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createTrunkGroup(tx, actor, req.body));
  });
  app.get("/trunk-groups/:id", { ...read, schema: { ...tags("trunk-groups"), params: uuidParam, response: { 200: trunkGroupDto } } }, async (req) => getTrunkGroup(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.patch("/trunk-groups/:id", { ...change, schema: { ...tags("trunk-groups"), params: uuidParam, body: patchOf(trunkGroupInput), response: { 200: trunkGroupDto } } }, async (req) =>
    write(req, (tx, actor) => updateTrunkGroup(tx, actor, req.params.id, req.body)),
  );
  app.delete("/trunk-groups/:id", { ...change, schema: { ...tags("trunk-groups"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteTrunkGroup(tx, actor, req.params.id));
    return { ok: true as const };
  });

  // ── Blacklisting ──
  app.get(
    "/blacklist",
    {
      ...read,
      schema: {
        ...tags("blacklist"),
        querystring: listQuery.extend({ list: z.enum(["origination", "destination"]).optional(), scope: z.enum(["global", "service", "interconnect"]).optional(), serviceId: z.uuid().optional(), interconnectId: z.uuid().optional() }),
        response: { 200: listResponse(blacklistEntryDto) },
      },
    },
    async (req) => listBlacklist(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.post("/blacklist", { ...change, schema: { ...tags("blacklist"), body: blacklistEntryInput, response: { 201: blacklistEntryDto } } }, async (req, reply) => {
    reply.status(201);
    const row = await write(req, (tx, actor) => createBlacklistEntry(tx, actor, req.body));
    const { tenantId: _t, ...dto } = row;
    return { ...dto, scopeName: null };
  });
  app.delete("/blacklist/:id", { ...change, schema: { ...tags("blacklist"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteBlacklistEntry(tx, actor, req.params.id));
    return { ok: true as const };
  });

  // ── Release cause mapping ──
  app.get("/release-causes", { ...read, schema: { ...tags("release-causes"), response: { 200: z.object({ rows: z.array(releaseCauseDto) }) } } }, async (req) => ({
    rows: await listReleaseCauses(db, { tenantId: tenantOf(req) }),
  }));
  app.post("/release-causes", { ...change, schema: { ...tags("release-causes"), body: releaseCauseInput, response: { 201: releaseCauseDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createReleaseCause(tx, actor, req.body));
  });
  app.patch("/release-causes/:id", { ...change, schema: { ...tags("release-causes"), params: uuidParam, body: patchOf(releaseCauseInput.omit({ sipCode: true })), response: { 200: releaseCauseDto } } }, async (req) =>
    write(req, (tx, actor) => updateReleaseCause(tx, actor, req.params.id, req.body)),
  );
  app.delete("/release-causes/:id", { ...change, schema: { ...tags("release-causes"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteReleaseCause(tx, actor, req.params.id));
    return { ok: true as const };
  });
  app.post("/release-causes/reset", { ...change, schema: { ...tags("release-causes"), response: { 200: z.object({ rows: z.array(releaseCauseDto) }) } } }, async (req) => ({
    rows: await write(req, (tx, actor) => resetReleaseCauses(tx, actor)),
  }));
};
