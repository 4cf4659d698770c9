ALTER TABLE "ledger_transfers" ADD COLUMN "timeout_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "switch_cdr_spool" ADD COLUMN "final" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "reservation_id" uuid;--> statement-breakpoint
CREATE INDEX "ledger_transfers_timeout_idx" ON "ledger_transfers" USING btree ("tenant_id","timeout_at") WHERE "ledger_transfers"."flags" = 2 AND "ledger_transfers"."timeout_at" IS NOT NULL;