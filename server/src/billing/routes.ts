import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listResponse } from "../platform/http/list.js";
import { ok, uuidParam } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import {
  allocateInput,
  allocationDto,
  billingSettingsDto,
  billingSettingsInput,
  creditNoteCreate,
  creditNoteDto,
  creditNoteQuery,
  generateInput,
  invoiceDetailDto,
  invoiceDto,
  invoiceQuery,
  nettingAccept,
  nettingCreate,
  nettingDto,
  nettingQuery,
  nettingReject,
  sendDto,
  sendInput,
  statementDto,
  statementQuery,
  taxRateCreate,
  taxRateDto,
  taxRatePatch,
  voidInput,
} from "./model.js";
import { carrierBillingInfo, createTaxRate, deleteTaxRate, getTaxRate, listTaxRates, putBillingSettings, toSettingsDto, updateTaxRate } from "./settings.js";
import { allocatePayments, generateInvoice, getInvoice, issueInvoice, listAllocations, listInvoices, voidInvoice } from "./invoices.js";
import { createCreditNote, getCreditNote, listCreditNotes } from "./credit-notes.js";
import { computeStatement } from "./statements.js";
import { creditNotePdf, invoicePdf, statementPdf, type PdfFile } from "./pdf.js";
import { sendDocument } from "./send.js";
import { nextNumbers } from "./numbering.js";
import { invoiceCdrsCsv } from "../cdrs/export.js";
import { getInvoiceRow } from "./invoices.js";
import { acceptNetting, createNetting, getNetting, listNetting, rejectNetting, sendNetting } from "./netting.js";

const read = { onRequest: [requireStaff("billing:read")] };
const change = { onRequest: [requireStaff("billing:write")] };
const tags = (tag: string) => ({ tags: [tag] });
const carrierParam = z.object({ carrierId: z.uuid() });
const pdfReply = (reply: FastifyReply, f: PdfFile) => reply.type("application/pdf").header("content-disposition", `inline; filename="${f.fileName}"`).send(f.pdf);

export const billingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, jobs } = app.services;

  app.get("/billing/tax-rates", { ...read, schema: { ...tags("billing"), response: { 200: z.object({ rows: z.array(taxRateDto) }) } } }, async (req) => ({
    rows: await listTaxRates(db, { tenantId: tenantOf(req) }),
  }));
  app.get("/billing/tax-rates/:id", { ...read, schema: { ...tags("billing"), params: uuidParam, response: { 200: taxRateDto } } }, async (req) => getTaxRate(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.post("/billing/tax-rates", { ...change, schema: { ...tags("billing"), body: taxRateCreate, response: { 201: taxRateDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createTaxRate(tx, actor, req.body));
  });
  app.patch("/billing/tax-rates/:id", { ...change, schema: { ...tags("billing"), params: uuidParam, body: taxRatePatch, response: { 200: taxRateDto } } }, async (req) =>
    write(req, (tx, actor) => updateTaxRate(tx, actor, req.params.id, req.body)),
  );
  app.delete("/billing/tax-rates/:id", { ...change, schema: { ...tags("billing"), params: uuidParam, response: { 200: ok } } }, async (req) => {
    await write(req, (tx, actor) => deleteTaxRate(tx, actor, req.params.id));
    return { ok: true as const };
  });

  app.get("/billing/numbering", { ...read, schema: { ...tags("billing"), description: "The numbers the next invoice and credit note will take.", response: { 200: z.object({ nextInvoice: z.number().int(), nextCreditNote: z.number().int() }) } } }, async (req) =>
    nextNumbers(db, { tenantId: tenantOf(req) }),
  );
  app.get("/billing/settings/:carrierId", { ...read, schema: { ...tags("billing"), params: carrierParam, response: { 200: billingSettingsDto } } }, async (req) =>
    toSettingsDto(await carrierBillingInfo(db, { tenantId: tenantOf(req), carrierId: req.params.carrierId })),
  );
  app.put("/billing/settings/:carrierId", { ...change, schema: { ...tags("billing"), params: carrierParam, body: billingSettingsInput, response: { 200: billingSettingsDto } } }, async (req) =>
    write(req, (tx, actor) => putBillingSettings(tx, actor, req.params.carrierId, req.body)),
  );

  app.get("/invoices", { ...read, schema: { ...tags("invoices"), querystring: invoiceQuery, response: { 200: listResponse(invoiceDto) } } }, async (req) =>
    listInvoices(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get("/invoices/:id", { ...read, schema: { ...tags("invoices"), params: uuidParam, response: { 200: invoiceDetailDto } } }, async (req) => getInvoice(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.get("/invoices/:id/allocations", { ...read, schema: { ...tags("invoices"), params: uuidParam, response: { 200: z.object({ rows: z.array(allocationDto) }) } } }, async (req) => ({
    rows: await listAllocations(db, { tenantId: tenantOf(req), invoiceId: req.params.id }),
  }));
  app.get("/invoices/:id/pdf", { ...read, schema: { ...tags("invoices"), description: "The invoice as a PDF (a draft is watermarked).", params: uuidParam } }, async (req, reply) =>
    pdfReply(reply, await invoicePdf(db, { tenantId: tenantOf(req), id: req.params.id })),
  );
  app.get("/invoices/:id/cdrs.csv", { ...read, schema: { ...tags("invoices"), description: "The CSV of the calls the invoice bills (the CDR export's columns).", params: uuidParam } }, async (req, reply) => {
    const inv = await getInvoiceRow(db, { tenantId: tenantOf(req), id: req.params.id });
    const name = inv.number === null ? `INV-draft-${inv.id.slice(0, 8)}` : `INV-${inv.number}`;
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${name}-cdrs.csv"`)
      .send(Readable.from(invoiceCdrsCsv(db, { tenantId: tenantOf(req), invoiceId: inv.id })));
  });
  app.post(
    "/invoices/:id/send",
    { ...change, schema: { ...tags("invoices"), description: "Mail an issued invoice (PDF, optionally its CDR CSV) to the given recipients or the carrier's billing contacts. 409 for a draft or void invoice.", params: uuidParam, body: sendInput, response: { 200: sendDto } } },
    async (req) => write(req, (tx, actor) => sendDocument(tx, actor, jobs, "invoice", req.params.id, req.body)),
  );
  app.post(
    "/invoices/generate",
    {
      ...change,
      schema: {
        ...tags("invoices"),
        description: "Create the draft invoice of a carrier's cycle period (default: its last closed period); `issue: true` issues it at once. 409 when the period is invoiced already, 422 when nothing is billable.",
        body: generateInput,
        response: { 201: invoiceDto },
      },
    },
    async (req, reply) => {
      reply.status(201);
      return write(req, (tx, actor) => generateInvoice(tx, actor, req.body));
    },
  );
  app.post("/invoices/:id/issue", { ...change, schema: { ...tags("invoices"), description: "Issue a draft: number, ledger postings, due date.", params: uuidParam, response: { 200: invoiceDto } } }, async (req) =>
    write(req, (tx, actor) => issueInvoice(tx, actor, req.params.id)),
  );
  app.post("/invoices/:id/void", { ...change, schema: { ...tags("invoices"), description: "Void: reverses its postings and releases its calls.", params: uuidParam, body: voidInput, response: { 200: invoiceDto } } }, async (req) =>
    write(req, (tx, actor) => voidInvoice(tx, actor, req.params.id, req.body.reason)),
  );
  app.post("/invoices/allocate", { ...change, schema: { ...tags("invoices"), description: "Allocate a carrier's unallocated payments to its open invoices, oldest due first.", body: allocateInput, response: { 200: z.object({ allocations: z.number().int() }) } } }, async (req) =>
    write(req, (tx, actor) => allocatePayments(tx, actor, req.body)),
  );

  app.get("/credit-notes", { ...read, schema: { ...tags("invoices"), querystring: creditNoteQuery, response: { 200: listResponse(creditNoteDto) } } }, async (req) =>
    listCreditNotes(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get("/credit-notes/:id", { ...read, schema: { ...tags("invoices"), params: uuidParam, response: { 200: creditNoteDto } } }, async (req) => getCreditNote(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.get("/credit-notes/:id/pdf", { ...read, schema: { ...tags("invoices"), params: uuidParam } }, async (req, reply) => pdfReply(reply, await creditNotePdf(db, { tenantId: tenantOf(req), id: req.params.id })));
  app.post("/credit-notes/:id/send", { ...change, schema: { ...tags("invoices"), description: "Mail a credit note as a PDF.", params: uuidParam, body: sendInput, response: { 200: sendDto } } }, async (req) =>
    write(req, (tx, actor) => sendDocument(tx, actor, jobs, "credit_note", req.params.id, req.body)),
  );
  app.post("/credit-notes", { ...change, schema: { ...tags("invoices"), description: "Credit an issued invoice (amount omitted: all that is left).", body: creditNoteCreate, response: { 201: creditNoteDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createCreditNote(tx, actor, req.body));
  });

  app.get("/statements", { ...read, schema: { ...tags("invoices"), description: "Statement of Account for a period, derived from the ledger.", querystring: statementQuery, response: { 200: statementDto } } }, async (req) =>
    computeStatement(db, { tenantId: tenantOf(req), ...req.query }),
  );

  app.get("/statements/pdf", { ...read, schema: { ...tags("invoices"), description: "The statement as a PDF.", querystring: statementQuery } }, async (req, reply) =>
    pdfReply(reply, await statementPdf(db, { tenantId: tenantOf(req), ...req.query })),
  );

  app.get("/netting", { ...read, schema: { ...tags("netting"), querystring: nettingQuery, response: { 200: listResponse(nettingDto) } } }, async (req) => listNetting(db, { tenantId: tenantOf(req), query: req.query }));
  app.get("/netting/:id", { ...read, schema: { ...tags("netting"), params: uuidParam, response: { 200: nettingDto } } }, async (req) => getNetting(db, { tenantId: tenantOf(req), id: req.params.id }));
  app.post("/netting", { ...change, schema: { ...tags("netting"), description: "Draft a netting request for a bilateral carrier and period.", body: nettingCreate, response: { 201: nettingDto } } }, async (req, reply) => {
    reply.status(201);
    return write(req, (tx, actor) => createNetting(tx, actor, req.body));
  });
  app.post("/netting/:id/send", { ...change, schema: { ...tags("netting"), params: uuidParam, response: { 200: nettingDto } } }, async (req) => write(req, (tx, actor) => sendNetting(tx, actor, req.params.id)));
  app.post("/netting/:id/accept", { ...change, schema: { ...tags("netting"), description: "Accepted: posts the netting transfer.", params: uuidParam, body: nettingAccept, response: { 200: nettingDto } } }, async (req) =>
    write(req, (tx, actor) => acceptNetting(tx, actor, req.params.id, req.body)),
  );
  app.post("/netting/:id/reject", { ...change, schema: { ...tags("netting"), params: uuidParam, body: nettingReject, response: { 200: nettingDto } } }, async (req) =>
    write(req, (tx, actor) => rejectNetting(tx, actor, req.params.id, req.body.reason)),
  );
};
