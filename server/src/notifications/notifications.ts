import { and, count, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db, TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { notifications } from "./schema.js";

/** Notifications a user sees: addressed to them, or to every staff user of their tenant. */
const visibleTo = (tenantId: string, userId: string) =>
  and(eq(notifications.tenantId, tenantId), or(isNull(notifications.userId), eq(notifications.userId, userId)));

export async function listNotifications(db: Db, params: { tenantId: string; userId: string; limit: number }) {
  const where = visibleTo(params.tenantId, params.userId);
  const [rows, [unread]] = await Promise.all([
    db.select().from(notifications).where(where).orderBy(desc(notifications.createdAt)).limit(params.limit),
    db.select({ n: count() }).from(notifications).where(and(where, isNull(notifications.readAt))),
  ]);
  return { rows, unread: unread?.n ?? 0 };
}

/** Marks as read; returns how many changed. Not audited: reading is not a business change. */
export async function markRead(tx: TxDb, params: { tenantId: string; userId: string; ids: string[] | "all" }) {
  const where = and(
    visibleTo(params.tenantId, params.userId),
    isNull(notifications.readAt),
    params.ids === "all" ? sql`true` : params.ids.length ? inArray(notifications.id, params.ids) : sql`false`,
  );
  const r = await tx.update(notifications).set({ readAt: new Date() }).where(where).returning({ id: notifications.id });
  return r.length;
}

export async function notify(
  tx: TxDb,
  input: { tenantId: string; userId?: string | null; severity?: "info" | "warning" | "error"; title: string; body?: string; link?: string },
) {
  await tx.insert(notifications).values({ id: newId(), tenantId: input.tenantId, userId: input.userId ?? null, severity: input.severity ?? "info", title: input.title, body: input.body ?? null, link: input.link ?? null });
}
