import { pgTable, uuid, text, integer, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** A tenant is a white-label operator brand. Every business row carries its id. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    brandName: text("brand_name").notNull(),
    /** data: URL (PNG/SVG/JPEG) so a fresh install needs no object store. */
    logoDataUrl: text("logo_data_url"),
    accentColor: text("accent_color").notNull().default("#2563EB"),
    timeZone: text("time_zone").notNull().default("UTC"),
    /** Soft-deleted rows are purged after this many days. */
    retentionDays: integer("retention_days").notNull().default(30),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tenants_slug_key").on(t.slug)],
);
