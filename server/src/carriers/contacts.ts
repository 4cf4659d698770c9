import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { badRequest, conflict, notFound } from "../platform/http/errors.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { contacts, creditAlerts } from "./schema.js";
import { carrierCurrencies, getCarrierRow } from "./carriers.js";
import type { contactInput, creditAlertInput } from "./model.js";

type ContactInput = z.infer<typeof contactInput>;
type AlertInput = z.infer<typeof creditAlertInput>;

const liveContact = (tenantId: string, carrierId: string) => and(eq(contacts.tenantId, tenantId), eq(contacts.carrierId, carrierId), isNull(contacts.deletedAt));
const liveAlert = (tenantId: string, carrierId: string) => and(eq(creditAlerts.tenantId, tenantId), eq(creditAlerts.carrierId, carrierId), isNull(creditAlerts.deletedAt));
const strip = <T extends { tenantId: string; deletedAt: Date | null }>({ tenantId: _t, deletedAt: _d, ...rest }: T) => rest;

export async function listContacts(db: Db, params: { tenantId: string; carrierId: string }) {
  await getCarrierRow(db, { tenantId: params.tenantId, id: params.carrierId });
  return (await db.select().from(contacts).where(liveContact(params.tenantId, params.carrierId)).orderBy(sql`lower(${contacts.name})`)).map(strip);
}

async function getContact(db: Db, tenantId: string, carrierId: string, id: string) {
  const [row] = await db.select().from(contacts).where(and(liveContact(tenantId, carrierId), eq(contacts.id, id)));
  if (!row) throw notFound("Contact");
  return strip(row);
}

export async function createContact(tx: TxDb, actor: Actor, carrierId: string, input: ContactInput) {
  await getCarrierRow(tx, { tenantId: actor.tenantId, id: carrierId });
  const [row] = await tx.insert(contacts).values({ id: newId(), tenantId: actor.tenantId, carrierId, ...input }).returning();
  const after = strip(row!);
  await recordAudit(tx, actor, { action: "contact.create", entityType: "contact", entityId: row!.id, after });
  return after;
}

export async function updateContact(tx: TxDb, actor: Actor, carrierId: string, id: string, patch: Partial<ContactInput>) {
  const before = await getContact(tx, actor.tenantId, carrierId, id);
  await tx.update(contacts).set({ ...patch, updatedAt: new Date() }).where(and(liveContact(actor.tenantId, carrierId), eq(contacts.id, id)));
  const after = await getContact(tx, actor.tenantId, carrierId, id);
  await recordAudit(tx, actor, { action: "contact.update", entityType: "contact", entityId: id, before, after });
  return after;
}

/** Soft delete, refused while a live credit alert still sends to this contact. */
export async function deleteContact(tx: TxDb, actor: Actor, carrierId: string, id: string) {
  const before = await getContact(tx, actor.tenantId, carrierId, id);
  const users = await tx.select({ type: creditAlerts.type }).from(creditAlerts).where(and(liveAlert(actor.tenantId, carrierId), sql`${id}::uuid = ANY(${creditAlerts.recipientContactIds})`));
  if (users.length) throw conflict(`${before.name} receives ${users.length} credit alert${users.length > 1 ? "s" : ""}; remove them as recipient first`);
  await tx.update(contacts).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(liveContact(actor.tenantId, carrierId), eq(contacts.id, id)));
  await recordAudit(tx, actor, { action: "contact.delete", entityType: "contact", entityId: id, before, after: null });
}

// ── Credit alerts ──
const alertDto = (row: typeof creditAlerts.$inferSelect) => {
  const { thresholdMicros, resetThresholdMicros, ...rest } = strip(row);
  return { ...rest, threshold: thresholdMicros, resetThreshold: resetThresholdMicros };
};

/** The carrier's alerts with where each stands (armed, or fired once and when), from credit/alerts.ts's state rows. */
export async function listCreditAlerts(db: Db, params: { tenantId: string; carrierId: string }) {
  await getCarrierRow(db, { tenantId: params.tenantId, id: params.carrierId });
  const rows = await db.select().from(creditAlerts).where(liveAlert(params.tenantId, params.carrierId)).orderBy(creditAlerts.type, creditAlerts.thresholdMicros);
  const states = await db.$client.query<{ alert_id: string; state: "armed" | "fired"; fired_at: Date | null }>(
    "SELECT alert_id, state, fired_at FROM credit_alert_states WHERE tenant_id = $1 AND alert_id = ANY($2::uuid[])",
    [params.tenantId, rows.map((r) => r.id)],
  );
  const byId = new Map(states.rows.map((r) => [r.alert_id, r]));
  return rows.map((r) => ({ ...alertDto(r), state: byId.get(r.id)?.state ?? "armed", firedAt: byId.get(r.id)?.fired_at ?? null }));
}

async function validateAlert(tx: TxDb, tenantId: string, carrierId: string, input: AlertInput) {
  const carrier = await getCarrierRow(tx, { tenantId, id: carrierId });
  const fields: Record<string, string[]> = {};
  if (!carrierCurrencies(carrier).includes(input.currency)) fields.currency = [`one of ${carrierCurrencies(carrier).join(", ")}`];
  if (input.type === "spend_24h_breach" && input.threshold < 0n) fields.threshold = ["a spend threshold is not negative"];
  if (input.resetThreshold !== null) {
    // Re-arming happens on the far side of the threshold: above it for low balance, below for the others.
    const ok = input.type === "low_balance" ? input.resetThreshold > input.threshold : input.resetThreshold < input.threshold;
    if (!ok) fields.resetThreshold = [input.type === "low_balance" ? "must be above the threshold" : "must be below the threshold"];
  }
  const found = await tx.select({ id: contacts.id }).from(contacts).where(and(liveContact(tenantId, carrierId), inArray(contacts.id, input.recipientContactIds)));
  if (found.length !== new Set(input.recipientContactIds).size) fields.recipientContactIds = ["recipients must be contacts of this carrier"];
  if (Object.keys(fields).length) throw badRequest("The credit alert has invalid fields", fields);
}

const alertColumns = ({ threshold, resetThreshold, ...rest }: AlertInput) => ({ ...rest, thresholdMicros: threshold, resetThresholdMicros: resetThreshold });

async function getAlert(db: Db, tenantId: string, carrierId: string, id: string) {
  const [row] = await db.select().from(creditAlerts).where(and(liveAlert(tenantId, carrierId), eq(creditAlerts.id, id)));
  if (!row) throw notFound("Credit alert");
  return alertDto(row);
}

export async function createCreditAlert(tx: TxDb, actor: Actor, carrierId: string, input: AlertInput) {
  await validateAlert(tx, actor.tenantId, carrierId, input);
  const [row] = await tx.insert(creditAlerts).values({ id: newId(), tenantId: actor.tenantId, carrierId, ...alertColumns(input) }).returning();
  const after = alertDto(row!);
  await recordAudit(tx, actor, { action: "credit_alert.create", entityType: "credit_alert", entityId: row!.id, after });
  return after;
}

export async function updateCreditAlert(tx: TxDb, actor: Actor, carrierId: string, id: string, patch: Partial<AlertInput>) {
  const before = await getAlert(tx, actor.tenantId, carrierId, id);
  const { id: _id, carrierId: _c, createdAt: _cr, updatedAt: _u, ...current } = before;
  const next = { ...current, ...patch } as AlertInput;
  await validateAlert(tx, actor.tenantId, carrierId, next);
  await tx.update(creditAlerts).set({ ...alertColumns(next), updatedAt: new Date() }).where(and(liveAlert(actor.tenantId, carrierId), eq(creditAlerts.id, id)));
  const after = await getAlert(tx, actor.tenantId, carrierId, id);
  await recordAudit(tx, actor, { action: "credit_alert.update", entityType: "credit_alert", entityId: id, before, after });
  return after;
}

export async function deleteCreditAlert(tx: TxDb, actor: Actor, carrierId: string, id: string) {
  const before = await getAlert(tx, actor.tenantId, carrierId, id);
  await tx.update(creditAlerts).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(liveAlert(actor.tenantId, carrierId), eq(creditAlerts.id, id)));
  await recordAudit(tx, actor, { action: "credit_alert.delete", entityType: "credit_alert", entityId: id, before, after: null });
}
