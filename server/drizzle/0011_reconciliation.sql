CREATE TABLE "reconciliation_destination_totals" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"destination" text NOT NULL,
	"their_calls" integer NOT NULL,
	"their_duration_s" bigint NOT NULL,
	"their_amount_micros" bigint NOT NULL,
	"our_calls" integer NOT NULL,
	"our_duration_s" bigint NOT NULL,
	"our_amount_micros" bigint NOT NULL,
	"difference_micros" bigint NOT NULL,
	CONSTRAINT "reconciliation_destination_totals_run_id_destination_pk" PRIMARY KEY("run_id","destination")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_mappings" (
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciliation_mappings_tenant_id_carrier_id_pk" PRIMARY KEY("tenant_id","carrier_id")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_results" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"class" text NOT NULL,
	"matched_by" text,
	"their_line" integer,
	"their_call_id" text,
	"our_cdr_id" uuid,
	"our_call_id" text,
	"called_number" text NOT NULL,
	"destination" text,
	"their_start_at" timestamp with time zone,
	"our_start_at" timestamp with time zone,
	"their_duration_s" integer,
	"our_duration_s" integer,
	"their_amount_micros" bigint,
	"our_amount_micros" bigint,
	"difference_micros" bigint NOT NULL,
	CONSTRAINT "reconciliation_results_run_id_seq_pk" PRIMARY KEY("run_id","seq")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"invoice_id" uuid,
	"currency" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"start_tolerance_s" integer DEFAULT 2 NOT NULL,
	"duration_tolerance_s" integer DEFAULT 0 NOT NULL,
	"amount_tolerance_micros" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'awaiting_file' NOT NULL,
	"file_name" text,
	"file_rows" integer,
	"header" jsonb,
	"sample" jsonb,
	"mapping" jsonb,
	"job_id" uuid,
	"summary" jsonb,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure_message" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "reconciliation_runs_period" CHECK ("reconciliation_runs"."period_from" <= "reconciliation_runs"."period_to")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_upload_rows" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"fields" text[] NOT NULL,
	CONSTRAINT "reconciliation_upload_rows_run_id_line_pk" PRIMARY KEY("run_id","line")
);
--> statement-breakpoint
CREATE TABLE "supplier_dispute_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dispute_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"amount_micros" bigint,
	"note" text,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supplier_disputes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"run_id" uuid,
	"invoice_id" uuid,
	"currency" text NOT NULL,
	"disputed_amount_micros" bigint NOT NULL,
	"agreed_amount_micros" bigint,
	"result_seqs" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"note" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"transfer_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "supplier_disputes_amount" CHECK ("supplier_disputes"."disputed_amount_micros" > 0)
);
--> statement-breakpoint
CREATE TABLE "supplier_invoice_lines" (
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"destination" text NOT NULL,
	"calls" integer,
	"duration_s" bigint,
	"amount_micros" bigint NOT NULL,
	CONSTRAINT "supplier_invoice_lines_invoice_id_seq_pk" PRIMARY KEY("invoice_id","seq")
);
--> statement-breakpoint
CREATE TABLE "supplier_invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"invoice_number" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"currency" text NOT NULL,
	"billed_amount_micros" bigint NOT NULL,
	"billed_calls" integer,
	"billed_duration_s" bigint,
	"status" text DEFAULT 'received' NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "supplier_invoices_period" CHECK ("supplier_invoices"."period_from" <= "supplier_invoices"."period_to")
);
--> statement-breakpoint
ALTER TABLE "reconciliation_mappings" ADD CONSTRAINT "reconciliation_mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_mappings" ADD CONSTRAINT "reconciliation_mappings_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_invoice_id_supplier_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."supplier_invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_dispute_events" ADD CONSTRAINT "supplier_dispute_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_dispute_events" ADD CONSTRAINT "supplier_dispute_events_dispute_id_supplier_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."supplier_disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_disputes" ADD CONSTRAINT "supplier_disputes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_disputes" ADD CONSTRAINT "supplier_disputes_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_disputes" ADD CONSTRAINT "supplier_disputes_run_id_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconciliation_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_disputes" ADD CONSTRAINT "supplier_disputes_invoice_id_supplier_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."supplier_invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoice_lines" ADD CONSTRAINT "supplier_invoice_lines_invoice_id_supplier_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."supplier_invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_invoices" ADD CONSTRAINT "supplier_invoices_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_results_class_idx" ON "reconciliation_results" USING btree ("run_id","class","seq");--> statement-breakpoint
CREATE INDEX "reconciliation_runs_tenant_idx" ON "reconciliation_runs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "supplier_dispute_events_idx" ON "supplier_dispute_events" USING btree ("dispute_id","created_at");--> statement-breakpoint
CREATE INDEX "supplier_disputes_tenant_idx" ON "supplier_disputes" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "supplier_invoices_number_idx" ON "supplier_invoices" USING btree ("tenant_id","carrier_id",lower("invoice_number")) WHERE "supplier_invoices"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "supplier_invoices_tenant_idx" ON "supplier_invoices" USING btree ("tenant_id","period_from");