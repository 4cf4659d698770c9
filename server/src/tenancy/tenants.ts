import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, TxDb } from "../platform/db/client.js";
import { notFound } from "../platform/http/errors.js";
import { timestamp, timeZone } from "../platform/http/schemas.js";
import { recordAudit, type Actor } from "../audit/audit.js";
import { tenants } from "./schema.js";

export const tenantColumns = {
  id: tenants.id,
  slug: tenants.slug,
  name: tenants.name,
  brandName: tenants.brandName,
  logoDataUrl: tenants.logoDataUrl,
  accentColor: tenants.accentColor,
  timeZone: tenants.timeZone,
  retentionDays: tenants.retentionDays,
  createdAt: tenants.createdAt,
  updatedAt: tenants.updatedAt,
};

export const tenantDto = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  brandName: z.string(),
  logoDataUrl: z.string().nullable(),
  accentColor: z.string(),
  timeZone: z.string(),
  retentionDays: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type TenantDto = z.infer<typeof tenantDto>;

export const tenantSettingsInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    brandName: z.string().trim().min(1).max(60),
    // 256 KiB of base64 is plenty for a header logo, and keeps the row small.
    logoDataUrl: z
      .string()
      .max(350_000, "logo must be under 256 KiB")
      .regex(/^data:image\/(png|jpeg|svg\+xml|webp);base64,[A-Za-z0-9+/=]+$/, "must be a PNG, JPEG, SVG or WebP data URL")
      .nullable(),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "use a hex colour such as #2563EB"),
    timeZone,
    retentionDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "nothing to change");

export async function getTenant(db: Db, params: { tenantId: string }): Promise<TenantDto> {
  const [row] = await db.select(tenantColumns).from(tenants).where(eq(tenants.id, params.tenantId));
  if (!row) throw notFound("Tenant");
  return row;
}

export async function updateTenantSettings(tx: TxDb, actor: Actor, patch: z.infer<typeof tenantSettingsInput>): Promise<TenantDto> {
  const before = await getTenant(tx, { tenantId: actor.tenantId });
  const [after] = await tx
    .update(tenants)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(tenants.id, actor.tenantId))
    .returning(tenantColumns);
  await recordAudit(tx, actor, { action: "tenant.update_settings", entityType: "tenant", entityId: actor.tenantId, before, after });
  return after!;
}
