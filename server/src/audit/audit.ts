import type { TxDb } from "../platform/db/client.js";
import { newId } from "../platform/ids.js";
import { auditEvents } from "./schema.js";
import { formatMoney } from "../platform/money.js";

/** Who is acting, in which tenant, for which request: passed to every write operation. */
export interface Actor {
  tenantId: string;
  type: "user" | "api_key" | "system";
  id: string | null;
  label: string;
  requestId?: string;
  ip?: string;
}

export const systemActor = (tenantId: string, label = "system"): Actor => ({ tenantId, type: "system", id: null, label });

type Json = Record<string, unknown>;

const REDACTED_FIELDS = new Set(["passwordHash", "tokenHash", "csrfToken", "logoDataUrl"]);

function sanitize(row: Json | null | undefined): Json | null {
  if (!row) return null;
  const out: Json = {};
  for (const [k, v] of Object.entries(row)) {
    if (REDACTED_FIELDS.has(k)) out[k] = v == null ? null : "[redacted]";
    // bigint is only ever money (micro-units), so it is recorded as the API shows it.
    else out[k] = typeof v === "bigint" ? formatMoney(v) : v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** Field-level diff: { field: [before, after] } for fields whose JSON value changed. */
export function diff(before: Json | null, after: Json | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (k === "updatedAt") continue;
    const b = before?.[k] ?? null;
    const a = after?.[k] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = [b, a];
  }
  return out;
}

/**
 * Writes the audit row for a change, in the same transaction as the change itself:
 * either both are committed or neither is.
 */
export async function recordAudit(
  tx: TxDb,
  actor: Actor,
  event: { action: string; entityType: string; entityId: string | null; before?: Json | null; after?: Json | null },
): Promise<void> {
  const before = sanitize(event.before);
  const after = sanitize(event.after);
  // Logo data URLs are large; the diff notes that the logo changed without copying it.
  const changes = diff(before, after);
  if (event.before?.logoDataUrl !== event.after?.logoDataUrl && (event.before || event.after)) {
    changes.logoDataUrl = ["(logo)", "(new logo)"];
  }
  await tx.insert(auditEvents).values({
    id: newId(),
    tenantId: actor.tenantId,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before,
    after,
    changes,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
  });
}
