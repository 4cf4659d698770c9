CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"method" text NOT NULL,
	"reference" text,
	"paid_on" date NOT NULL,
	"amount_micros" bigint NOT NULL,
	"currency" text NOT NULL,
	"note" text,
	"transfer_id" uuid NOT NULL,
	"idempotency_key" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount_micros" > 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_debit_account_id_ledger_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_credit_account_id_ledger_accounts_id_fk";
--> statement-breakpoint
DROP INDEX "ledger_accounts_key";--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_transfer_id_ledger_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."ledger_transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idempotency_key" ON "payments" USING btree ("tenant_id","idempotency_key") WHERE "payments"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payments_tenant_paid_idx" ON "payments" USING btree ("tenant_id","paid_on");--> statement-breakpoint
CREATE INDEX "payments_carrier_idx" ON "payments" USING btree ("tenant_id","carrier_id","paid_on");--> statement-breakpoint
CREATE INDEX "ledger_accounts_carrier_idx" ON "ledger_accounts" USING btree ("tenant_id","carrier_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_tenant_created_idx" ON "ledger_transfers" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_pending_once" ON "ledger_transfers" USING btree ("pending_id") WHERE "ledger_transfers"."pending_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_reversed_once" ON "ledger_transfers" USING btree ("reverses_id") WHERE "ledger_transfers"."reverses_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_key" ON "ledger_accounts" USING btree ("tenant_id","kind",coalesce("carrier_id", '00000000-0000-0000-0000-000000000000'::uuid),"currency");--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_kind" CHECK (("ledger_accounts"."kind" IN ('customer', 'supplier')) = ("ledger_accounts"."carrier_id" IS NOT NULL) AND "ledger_accounts"."kind" IN ('customer', 'supplier', 'revenue', 'cost_of_sales', 'cash', 'tax', 'fx'));--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_totals_non_negative" CHECK ("ledger_accounts"."debits_posted_micros" >= 0 AND "ledger_accounts"."credits_posted_micros" >= 0 AND "ledger_accounts"."debits_pending_micros" >= 0 AND "ledger_accounts"."credits_pending_micros" >= 0);--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_amount_positive" CHECK ("ledger_transfers"."amount_micros" > 0);--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_flags" CHECK ("ledger_transfers"."flags" IN (0, 2, 4, 8) AND ("ledger_transfers"."pending_id" IS NOT NULL) = ("ledger_transfers"."flags" IN (4, 8)));--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_two_accounts" CHECK ("ledger_transfers"."debit_account_id" <> "ledger_transfers"."credit_account_id");--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers). The ledger is append-only: nothing may
-- change or remove a transfer, nor remove an account or change what an account is.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: the ledger is append-only (post a reversing transfer instead)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER ledger_accounts_keep BEFORE DELETE OR UPDATE OF id, tenant_id, kind, carrier_id, currency ON ledger_accounts FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();--> statement-breakpoint
-- Credit control keeps carriers' credit settings in memory: tell it when a carrier changes.
CREATE FUNCTION credit_settings_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('didtron_credit_settings', NEW.tenant_id::text || ':' || NEW.id::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER carriers_credit_settings_notify AFTER INSERT OR UPDATE ON carriers FOR EACH ROW EXECUTE FUNCTION credit_settings_notify();
