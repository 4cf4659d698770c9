DROP INDEX "invoice_cdrs_live_key";--> statement-breakpoint
ALTER TABLE "invoice_cdrs" ADD COLUMN "kind" text DEFAULT 'call' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_cdrs" ADD COLUMN "adjusts_invoice_id" uuid;--> statement-breakpoint
ALTER TABLE "invoice_cdrs" ADD CONSTRAINT "invoice_cdrs_adjusts_invoice_id_invoices_id_fk" FOREIGN KEY ("adjusts_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cdrs_rerated_idx" ON "cdrs" USING btree ("tenant_id","customer_carrier_id") WHERE "cdrs"."rating_version" > 0;--> statement-breakpoint
CREATE INDEX "invoice_cdrs_cdr_idx" ON "invoice_cdrs" USING btree ("tenant_id","cdr_id");--> statement-breakpoint
CREATE INDEX "invoice_cdrs_adjusts_idx" ON "invoice_cdrs" USING btree ("adjusts_invoice_id") WHERE "invoice_cdrs"."adjusts_invoice_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_cdrs_live_key" ON "invoice_cdrs" USING btree ("tenant_id","cdr_id") WHERE "invoice_cdrs"."released_at" IS NULL AND "invoice_cdrs"."kind" = 'call';--> statement-breakpoint
ALTER TABLE "invoice_cdrs" ADD CONSTRAINT "invoice_cdrs_kind" CHECK (("invoice_cdrs"."kind" = 'call' AND "invoice_cdrs"."adjusts_invoice_id" IS NULL) OR ("invoice_cdrs"."kind" = 'rerate' AND "invoice_cdrs"."adjusts_invoice_id" IS NOT NULL));