CREATE TABLE "billing_counters" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "billing_counters_tenant_id_kind_pk" PRIMARY KEY("tenant_id","kind")
);
--> statement-breakpoint
CREATE TABLE "carrier_billing" (
	"carrier_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"billing_model" text NOT NULL,
	"cycle" text NOT NULL,
	"cycle_start_day" integer DEFAULT 1 NOT NULL,
	"cycle_days" integer,
	"cycle_anchor" date,
	"payment_terms_days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"invoice_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"net_micros" bigint NOT NULL,
	"tax_micros" bigint NOT NULL,
	"total_micros" bigint NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_notes_total" CHECK ("credit_notes"."total_micros" = "credit_notes"."net_micros" + "credit_notes"."tax_micros" AND "credit_notes"."total_micros" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoice_allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"source" text NOT NULL,
	"payment_id" uuid,
	"amount_micros" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_allocations_amount" CHECK ("invoice_allocations"."amount_micros" > 0),
	CONSTRAINT "invoice_allocations_source" CHECK (("invoice_allocations"."source" = 'payment') = ("invoice_allocations"."payment_id" IS NOT NULL) AND "invoice_allocations"."source" IN ('payment', 'prepaid'))
);
--> statement-breakpoint
CREATE TABLE "invoice_cdrs" (
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"cdr_id" uuid NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"rated_currency" text NOT NULL,
	"rated_cost_micros" bigint NOT NULL,
	"amount_micros" bigint NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "invoice_cdrs_invoice_id_cdr_id_pk" PRIMARY KEY("invoice_id","cdr_id")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"destination" text NOT NULL,
	"calls" integer NOT NULL,
	"billable_s" bigint NOT NULL,
	"rate_micros_per_minute" bigint,
	"rated_currency" text NOT NULL,
	"rated_amount_micros" bigint NOT NULL,
	"fx_rate_nanos" bigint,
	"amount_micros" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"number" integer,
	"status" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"time_zone" text NOT NULL,
	"usage_micros" bigint NOT NULL,
	"rounding_micros" bigint NOT NULL,
	"subtotal_micros" bigint NOT NULL,
	"tax_code" text,
	"tax_name" text,
	"tax_rate_ppm" integer DEFAULT 0 NOT NULL,
	"tax_micros" bigint NOT NULL,
	"total_micros" bigint NOT NULL,
	"payment_terms_days" integer NOT NULL,
	"issued_at" timestamp with time zone,
	"due_on" date,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_status" CHECK ("invoices"."status" IN ('draft', 'issued', 'partially_paid', 'paid', 'void')),
	CONSTRAINT "invoices_numbered" CHECK (("invoices"."number" IS NULL) = ("invoices"."issued_at" IS NULL)),
	CONSTRAINT "invoices_totals" CHECK ("invoices"."subtotal_micros" = "invoices"."usage_micros" + "invoices"."rounding_micros" AND "invoices"."total_micros" = "invoices"."subtotal_micros" + "invoices"."tax_micros")
);
--> statement-breakpoint
CREATE TABLE "netting_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"they_owe_micros" bigint NOT NULL,
	"we_owe_micros" bigint NOT NULL,
	"amount_micros" bigint NOT NULL,
	"accepted_amount_micros" bigint,
	"transfer_id" uuid,
	"note" text,
	"reject_reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	CONSTRAINT "netting_requests_status" CHECK ("netting_requests"."status" IN ('draft', 'sent', 'accepted', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "tax_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"rate_ppm" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "tax_rates_rate" CHECK ("tax_rates"."rate_ppm" BETWEEN 0 AND 1000000)
);
--> statement-breakpoint
ALTER TABLE "billing_counters" ADD CONSTRAINT "billing_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_billing" ADD CONSTRAINT "carrier_billing_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_billing" ADD CONSTRAINT "carrier_billing_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_allocations" ADD CONSTRAINT "invoice_allocations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_allocations" ADD CONSTRAINT "invoice_allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_cdrs" ADD CONSTRAINT "invoice_cdrs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_cdrs" ADD CONSTRAINT "invoice_cdrs_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "netting_requests" ADD CONSTRAINT "netting_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "netting_requests" ADD CONSTRAINT "netting_requests_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_rates" ADD CONSTRAINT "tax_rates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "carrier_billing_tenant_idx" ON "carrier_billing" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_notes_number_key" ON "credit_notes" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "credit_notes_invoice_idx" ON "credit_notes" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_allocations_invoice_idx" ON "invoice_allocations" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_allocations_payment_idx" ON "invoice_allocations" USING btree ("tenant_id","payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_cdrs_live_key" ON "invoice_cdrs" USING btree ("tenant_id","cdr_id") WHERE "invoice_cdrs"."released_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_position_key" ON "invoice_lines" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE INDEX "invoice_lines_tenant_idx" ON "invoice_lines" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_period_key" ON "invoices" USING btree ("tenant_id","carrier_id","currency","period_start") WHERE "invoices"."status" <> 'void';--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("tenant_id","number") WHERE "invoices"."number" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_tenant_idx" ON "invoices" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_carrier_idx" ON "invoices" USING btree ("tenant_id","carrier_id","period_start");--> statement-breakpoint
CREATE INDEX "netting_requests_tenant_idx" ON "netting_requests" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tax_rates_code_live_key" ON "tax_rates" USING btree ("tenant_id",lower("code")) WHERE "tax_rates"."deleted_at" IS NULL;