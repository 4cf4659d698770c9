import { afterAll, beforeAll, describe, expect, it } from "vitest";
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { createTestApp, login, countRows, type Session, type TestContext } from "./harness.js";
import { inTransaction } from "../src/platform/db/client.js";
import { enqueueMail, mailDeliveryQueue, type MailInput } from "../src/mail/mail.js";
import { smtpTransport, transportFromConfig } from "../src/mail/transport.js";
import type { QueueDefinition } from "../src/platform/jobs/boss.js";

/** A real SMTP server on a free loopback port: it keeps what it receives, and refuses all mail while `refusing`. */
const received: { envelope: { from: string; to: string[] }; mail: ParsedMail }[] = [];
let refusing = false;
const smtp = new SMTPServer({
  disabledCommands: ["STARTTLS"],
  allowInsecureAuth: true,
  onAuth(auth, _session, cb) {
    if (auth.username === "didtron" && auth.password === "s3cret") cb(null, { user: auth.username });
    else cb(new Error("Invalid username or password"));
  },
  onMailFrom(_address, _session, cb) {
    if (!refusing) return cb();
    const err = Object.assign(new Error("Mailbox unavailable, try later"), { responseCode: 451 });
    cb(err);
  },
  onData(stream, session, cb) {
    simpleParser(stream).then(
      (mail) => {
        received.push({ envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address) }, mail });
        cb();
      },
      (err: Error) => cb(err),
    );
  },
});

let t: TestContext;
let outboxOnly: TestContext;
let billing: Session;
let acme: Session;
let tenantId: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const transport = smtpTransport({ url: `smtp://didtron:s3cret@127.0.0.1:${port}`, fromAddress: "billing@demo.didtron.local" });
  // Short back-off so the retries happen within the test.
  t = await createTestApp({ work: true, queues: (pool) => [mailDeliveryQueue(pool, transport, { retryLimit: 2, retryDelaySeconds: 1 }) as unknown as QueueDefinition] });
  outboxOnly = await createTestApp({ work: true });
  billing = await login(t.app, "billing@demo.didtron.local");
  acme = await login(t.app, "admin@acme.example");
  tenantId = billing.me.tenant.id;
});
afterAll(async () => {
  await t?.close();
  await outboxOnly?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const send = (ctx: TestContext, input: Partial<MailInput> = {}) =>
  inTransaction(ctx.pool, (tx) => enqueueMail(tx, ctx.jobs, { tenantId, to: ["ap@customer.example"], subject: "Invoice INV-1", text: "Please find attached.", ...input }));

async function waitForStatus(s: Session, id: string, statuses: string[], timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  let last: { status: string } | null = null;
  while (Date.now() < until) {
    last = (await s.request("GET", `/api/mail/${id}`)).json;
    if (last && statuses.includes(last.status)) return last as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`mail ${id} stayed ${last?.status}`);
}

describe("mail adapter over SMTP", () => {
  it("delivers subject, recipients and attachment bytes to a real SMTP server, and records it sent", async () => {
    const pdf = crypto.randomBytes(20_000);
    const csv = Buffer.from("call_id,cost\nabc,0.012000\n");
    const relatedId = crypto.randomUUID();
    const { id } = await send(t, {
      to: ["AP@Customer.example", "noc@customer.example"],
      cc: ["accounts@demo.example"],
      subject: "Invoice INV-2026-0001",
      html: "<p>Please find attached.</p>",
      attachments: [
        { filename: "INV-2026-0001.pdf", contentType: "application/pdf", content: pdf },
        { filename: "cdrs.csv", contentType: "text/csv", content: csv },
      ],
      related: { type: "invoice", id: relatedId },
    });
    const row = await waitForStatus(billing, id, ["sent", "failed"]);
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null, relatedType: "invoice", relatedId, attachmentCount: 2 });
    const got = received.find((r) => r.mail.subject === "Invoice INV-2026-0001")!;
    expect(got).toBeDefined();
    expect(got.envelope.to.sort()).toEqual(["accounts@demo.example", "ap@customer.example", "noc@customer.example"]);
    expect(got.envelope.from).toBe("billing@demo.didtron.local");
    const brand = (await t.pool.query("SELECT brand_name FROM tenants WHERE id = $1", [tenantId])).rows[0].brand_name;
    expect(got.mail.from?.value[0]).toEqual({ name: brand, address: "billing@demo.didtron.local" });
    expect(got.mail.text?.trim()).toBe("Please find attached.");
    expect(got.mail.messageId).toBe(row.messageId);
    const files = Object.fromEntries(got.mail.attachments.map((a) => [a.filename, a]));
    expect(files["INV-2026-0001.pdf"]!.content.equals(pdf)).toBe(true);
    expect(files["INV-2026-0001.pdf"]!.contentType).toBe("application/pdf");
    expect(files["cdrs.csv"]!.content.equals(csv)).toBe(true);

    // The outbox keeps the same bytes, downloadable.
    expect(row.attachments.map((a: { filename: string; sizeBytes: number }) => [a.filename, a.sizeBytes])).toEqual([
      ["INV-2026-0001.pdf", pdf.length],
      ["cdrs.csv", csv.length],
    ]);
    const dl = await t.app.inject({ method: "GET", url: `/api/mail/${id}/attachments/${row.attachments[0].id}`, headers: { cookie: billing.cookie } });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers["content-type"]).toBe("application/pdf");
    expect(dl.headers["content-disposition"]).toContain("INV-2026-0001.pdf");
    expect(dl.rawPayload.equals(pdf)).toBe(true);

    const list = await billing.request("GET", `/api/mail?relatedType=invoice&relatedId=${relatedId}`);
    expect(list.json.rows.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it("a refusing server: each attempt records its error, retried with back-off, then failed; Retry sends it", async () => {
    refusing = true;
    const { id } = await send(t, { subject: "Statement March" });
    const failed = await waitForStatus(billing, id, ["failed", "sent"], 30_000);
    refusing = false;
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBe(3); // first attempt + retryLimit 2
    expect(failed.lastError).toMatch(/451|Mailbox unavailable/);
    expect(received.some((r) => r.mail.subject === "Statement March")).toBe(false);

    const retried = await billing.request("POST", `/api/mail/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.json.status).toBe("queued");
    const sent = await waitForStatus(billing, id, ["sent", "failed"]);
    expect(sent).toMatchObject({ status: "sent", attempts: 4, lastError: null });
    expect(received.filter((r) => r.mail.subject === "Statement March")).toHaveLength(1);
    expect(await countRows(t.pool, "audit_events", `action = 'mail.retry' AND entity_id = '${id}'`)).toBe(1);

    // A sent mail is not sent twice.
    const again = await billing.request("POST", `/api/mail/${id}/retry`);
    expect(again.status).toBe(409);
  });

  it("a mail enqueued in a transaction that rolls back does not exist and is never sent", async () => {
    const before = await countRows(t.pool, "mail_outbox");
    await expect(
      inTransaction(t.pool, async (tx) => {
        await enqueueMail(tx, t.jobs, { tenantId, to: ["x@customer.example"], subject: "Never", text: "x" });
        throw new Error("the invoice write failed");
      }),
    ).rejects.toThrow("the invoice write failed");
    expect(await countRows(t.pool, "mail_outbox")).toBe(before);
    expect(await countRows(t.pool, "pgboss.job", `name = 'mail.deliver' AND data->>'mailId' IS NULL`)).toBe(0);
  });

  it("bad input is refused before anything is written", async () => {
    const before = await countRows(t.pool, "mail_outbox");
    await expect(send(t, { to: [] })).rejects.toThrow();
    await expect(send(t, { to: ["not-an-address"] })).rejects.toThrow();
    expect(await countRows(t.pool, "mail_outbox")).toBe(before);
    expect((await billing.request("GET", "/api/mail?status=bogus")).status).toBe(400);
    expect((await billing.request("GET", "/api/mail/not-a-uuid")).status).toBe(400);
    expect((await billing.request("POST", "/api/mail/not-a-uuid/retry")).status).toBe(400);
  });

  it("another tenant's mail is a 404; roles without mail permissions are refused", async () => {
    const { id } = await send(t, { subject: "Isolation", attachments: [{ filename: "a.csv", contentType: "text/csv", content: Buffer.from("a\n") }] });
    const row = await waitForStatus(billing, id, ["sent"]);
    expect((await acme.request("GET", `/api/mail/${id}`)).status).toBe(404);
    expect((await acme.request("GET", `/api/mail/${id}/attachments/${row.attachments[0].id}`)).status).toBe(404);
    expect((await acme.request("POST", `/api/mail/${id}/retry`)).status).toBe(404);
    expect((await acme.request("GET", "/api/mail")).json.rows.some((r: { id: string }) => r.id === id)).toBe(false);
    const sales = await login(t.app, "sales@demo.didtron.local");
    expect((await sales.request("GET", "/api/mail")).status).toBe(403);
    const noc = await login(t.app, "noc@demo.didtron.local");
    expect((await noc.request("GET", "/api/mail")).status).toBe(200);
    expect((await noc.request("POST", `/api/mail/${id}/retry`)).status).toBe(403);
  });
});

describe("mail adapter without SMTP", () => {
  it("transportFromConfig picks SMTP only when SMTP_URL is set", () => {
    expect(transportFromConfig({ MAIL_FROM: "a@b.example" })).toBeNull();
    expect(transportFromConfig({ SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "a@b.example" })?.name).toBe("smtp");
  });

  it("the outbox is the delivery: the mail is marked outbox_only and listed", async () => {
    const s = await login(outboxOnly.app, "billing@demo.didtron.local");
    const { id } = await send(outboxOnly, { subject: "Low balance" });
    const row = await waitForStatus(s, id, ["outbox_only", "sent", "failed"]);
    expect(row).toMatchObject({ status: "outbox_only", attempts: 0, sentAt: null });
    const list = await s.request("GET", "/api/mail?status=outbox_only");
    expect(list.json.rows.map((r: { id: string }) => r.id)).toContain(id);
  });
});
