import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listResponse } from "../platform/http/list.js";
import { uuidParam } from "../platform/http/schemas.js";
import { requireStaff, tenantOf, write } from "../platform/http/context.js";
import { accountDto, accountQuery, balanceQuery, carrierBalanceDto, currencyTotalsDto, paymentCreate, paymentDto, paymentQuery, reverseInput, transferDto, transferQuery } from "./model.js";
import { getAccount, getTransfer, listAccounts, listTransfers } from "./queries.js";
import { getPayment, listPayments, recordPayment, reverseTransfer } from "./operations.js";
import { reallocateAfterPayment } from "../billing/invoices.js";
import { currencyTotals, listCarrierBalances } from "./balances.js";
import { z } from "zod";

const read = { onRequest: [requireStaff("ledger:read")] };
const change = { onRequest: [requireStaff("ledger:write")] };
const tags = (tag: string) => ({ tags: [tag] });

export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.services;

  app.get("/ledger/accounts", { ...read, schema: { ...tags("ledger"), querystring: accountQuery, response: { 200: listResponse(accountDto) } } }, async (req) =>
    listAccounts(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get("/ledger/accounts/:id", { ...read, schema: { ...tags("ledger"), params: uuidParam, response: { 200: accountDto } } }, async (req) =>
    getAccount(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.get("/ledger/transfers", { ...read, schema: { ...tags("ledger"), querystring: transferQuery, response: { 200: listResponse(transferDto) } } }, async (req) =>
    listTransfers(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get("/ledger/transfers/:id", { ...read, schema: { ...tags("ledger"), params: uuidParam, response: { 200: transferDto } } }, async (req) =>
    getTransfer(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.post(
    "/ledger/transfers/:id/reverse",
    {
      ...change,
      schema: { ...tags("ledger"), description: "Correct a posted transfer with a linked reversing transfer (once). Returns the reversal.", params: uuidParam, body: reverseInput, response: { 201: transferDto } },
    },
    async (req, reply) => {
      reply.status(201);
      // Reversing a customer payment un-pays the invoices it paid.
      return write(req, async (tx, actor) => {
        const reversal = await reverseTransfer(tx, actor, req.params.id, req.body.reason);
        await reallocateAfterPayment(tx, actor, { transferId: req.params.id });
        return reversal;
      });
    },
  );

  // Balance & Spend: every carrier's balances, limits and 24-hour spend; the tenant's totals per currency.
  app.get("/ledger/carrier-balances", { ...read, schema: { ...tags("ledger"), querystring: balanceQuery, response: { 200: listResponse(carrierBalanceDto) } } }, async (req) => ({
    ...(await listCarrierBalances(db, { tenantId: tenantOf(req), query: req.query })),
    page: req.query.page,
    pageSize: req.query.pageSize,
  }));
  app.get("/ledger/totals", { ...read, schema: { ...tags("ledger"), response: { 200: z.object({ rows: z.array(currencyTotalsDto) }) } } }, async (req) => ({
    rows: await currencyTotals(db, { tenantId: tenantOf(req) }),
  }));

  app.get("/payments", { ...read, schema: { ...tags("payments"), querystring: paymentQuery, response: { 200: listResponse(paymentDto) } } }, async (req) =>
    listPayments(db, { tenantId: tenantOf(req), query: req.query }),
  );
  app.get("/payments/:id", { ...read, schema: { ...tags("payments"), params: uuidParam, response: { 200: paymentDto } } }, async (req) =>
    getPayment(db, { tenantId: tenantOf(req), id: req.params.id }),
  );
  app.post(
    "/payments",
    {
      ...change,
      schema: {
        ...tags("payments"),
        description: "Record a payment or refund against a carrier; it posts to the ledger. 201 when recorded, 200 when the idempotency key was recorded before.",
        body: paymentCreate,
        response: { 201: paymentDto, 200: paymentDto },
      },
    },
    async (req, reply) => {
      // A customer payment pays the carrier's open invoices, oldest due first, in the same transaction.
      const { payment, replayed } = await write(req, async (tx, actor) => {
        const recorded = await recordPayment(tx, actor, req.body);
        if (!recorded.replayed) await reallocateAfterPayment(tx, actor, { transferId: recorded.payment.transferId });
        return recorded;
      });
      reply.status(replayed ? 200 : 201);
      return payment;
    },
  );
};
