CREATE TABLE "cdr_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"file_name" text,
	"received_count" integer NOT NULL,
	"inserted_count" integer NOT NULL,
	"duplicate_count" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdr_keys" (
	"tenant_id" uuid NOT NULL,
	"switch_id" text NOT NULL,
	"call_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"cdr_id" uuid NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cdr_keys_tenant_id_switch_id_call_id_attempt_pk" PRIMARY KEY("tenant_id","switch_id","call_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "cdrs" (
	"id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"switch_id" text NOT NULL,
	"call_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"ingest_batch_id" uuid NOT NULL,
	"ingress_interconnect_id" uuid,
	"service_id" uuid,
	"customer_carrier_id" uuid,
	"egress_interconnect_id" uuid,
	"supplier_carrier_id" uuid,
	"calling_raw" text NOT NULL,
	"called_raw" text NOT NULL,
	"calling_number" text NOT NULL,
	"called_number" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"answer_at" timestamp with time zone,
	"end_at" timestamp with time zone NOT NULL,
	"duration_s" integer NOT NULL,
	"pdd_ms" integer,
	"sip_status" integer NOT NULL,
	"q850_cause" integer,
	"disposition" text NOT NULL,
	"codec" text,
	"rating_status" text DEFAULT 'pending' NOT NULL,
	"rating_error" text,
	"rating_version" integer DEFAULT 0 NOT NULL,
	"rated_at" timestamp with time zone,
	"posted_version" integer,
	"customer_currency" text,
	"customer_prefix" text,
	"customer_destination" text,
	"customer_rate_micros_per_minute" bigint,
	"customer_billable_s" integer,
	"customer_cost_micros" bigint,
	"supplier_currency" text,
	"supplier_prefix" text,
	"supplier_destination" text,
	"supplier_rate_micros_per_minute" bigint,
	"supplier_billable_s" integer,
	"supplier_cost_micros" bigint,
	"fx_rate_micros" bigint,
	"margin_micros" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cdrs_tenant_id_start_at_id_pk" PRIMARY KEY("tenant_id","start_at","id")
) PARTITION BY RANGE ("start_at");
--> statement-breakpoint
ALTER TABLE "cdr_batches" ADD CONSTRAINT "cdr_batches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdr_keys" ADD CONSTRAINT "cdr_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdrs" ADD CONSTRAINT "cdrs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cdr_batches_tenant_idx" ON "cdr_batches" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cdr_keys_cdr_idx" ON "cdr_keys" USING btree ("cdr_id");--> statement-breakpoint
CREATE INDEX "cdrs_customer_idx" ON "cdrs" USING btree ("tenant_id","customer_carrier_id","start_at");--> statement-breakpoint
CREATE INDEX "cdrs_supplier_idx" ON "cdrs" USING btree ("tenant_id","supplier_carrier_id","start_at");--> statement-breakpoint
CREATE INDEX "cdrs_called_idx" ON "cdrs" USING btree ("tenant_id","called_number");--> statement-breakpoint
CREATE INDEX "cdrs_rating_idx" ON "cdrs" USING btree ("tenant_id","rating_status") WHERE "cdrs"."rating_status" <> 'rated';