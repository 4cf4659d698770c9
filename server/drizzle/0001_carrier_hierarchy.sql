CREATE TYPE "public"."carrier_status" AS ENUM('active', 'suspended', 'inactive');--> statement-breakpoint
CREATE TYPE "public"."carrier_type" AS ENUM('customer', 'supplier', 'bilateral');--> statement-breakpoint
CREATE TYPE "public"."interconnect_direction" AS ENUM('ingress', 'egress');--> statement-breakpoint
CREATE TYPE "public"."interconnect_status" AS ENUM('active', 'disabled', 'testing');--> statement-breakpoint
CREATE TABLE "blacklist_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"list" text NOT NULL,
	"match_type" text NOT NULL,
	"value" text NOT NULL,
	"scope" text NOT NULL,
	"service_id" uuid,
	"interconnect_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "carriers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" "carrier_type" NOT NULL,
	"status" "carrier_status" DEFAULT 'active' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"account_manager_user_id" uuid,
	"customer_billing" text DEFAULT 'automatic' NOT NULL,
	"primary_currency" text NOT NULL,
	"currency_2" text,
	"currency_3" text,
	"routing_capacity" integer,
	"circular_routing" boolean DEFAULT false NOT NULL,
	"customer_credit_type" text DEFAULT 'prepaid' NOT NULL,
	"customer_credit_limit_micros" bigint DEFAULT 0 NOT NULL,
	"bilateral_limit_micros" bigint,
	"bilateral_limit_breach" text DEFAULT 'alert' NOT NULL,
	"customer_spend_limit_24h_micros" bigint,
	"customer_spend_breach" text DEFAULT 'alert' NOT NULL,
	"customer_spend_mode" text DEFAULT 'rolling' NOT NULL,
	"supplier_credit_type" text DEFAULT 'postpaid' NOT NULL,
	"supplier_spend_limit_24h_micros" bigint,
	"supplier_spend_breach" text DEFAULT 'alert' NOT NULL,
	"customer_spend_reset_at" timestamp with time zone,
	"supplier_spend_reset_at" timestamp with time zone,
	"customer_account_number" text,
	"supplier_account_number" text,
	"tax_code" text,
	"bill_to" text,
	"ship_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "carrier_contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"name" text NOT NULL,
	"roles" text[] NOT NULL,
	"email" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credit_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"type" text NOT NULL,
	"threshold_micros" bigint NOT NULL,
	"reset_threshold_micros" bigint,
	"currency" text NOT NULL,
	"template" text NOT NULL,
	"recipient_contact_ids" uuid[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "interconnects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"name" text NOT NULL,
	"direction" "interconnect_direction" NOT NULL,
	"currency" text NOT NULL,
	"status" "interconnect_status" DEFAULT 'active' NOT NULL,
	"capacity" integer,
	"addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"supplier_rating_plan_id" uuid,
	"ingress_validation" jsonb,
	"ingress_translation" jsonb,
	"egress_routing" jsonb,
	"egress_translation" jsonb,
	"media" jsonb NOT NULL,
	"signalling" jsonb NOT NULL,
	"monitoring" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "release_cause_mappings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"sip_code" integer NOT NULL,
	"q850_cause" integer NOT NULL,
	"description" text NOT NULL,
	"failover" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"carrier_id" uuid NOT NULL,
	"interconnect_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"rating_plan_id" uuid,
	"routing_plan_id" uuid,
	"currency" text NOT NULL,
	"time_class" text,
	"capacity" integer,
	"allow_transcoding" boolean DEFAULT false NOT NULL,
	"routing_method" text DEFAULT 'routing_plan' NOT NULL,
	"route_to_interconnect_id" uuid,
	"np_status" text DEFAULT 'disabled' NOT NULL,
	"np_plan" text,
	"origination_blacklist" boolean DEFAULT true NOT NULL,
	"origination_exceptions" text[] DEFAULT '{}' NOT NULL,
	"destination_blacklist" boolean DEFAULT true NOT NULL,
	"destination_exceptions" text[] DEFAULT '{}' NOT NULL,
	"origination_match" text[] DEFAULT '{}' NOT NULL,
	"destination_match" text[] DEFAULT '{}' NOT NULL,
	"tech_prefix" text DEFAULT '' NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"enforcement_policy" text DEFAULT 'enforce' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "trunk_group_members" (
	"tenant_id" uuid NOT NULL,
	"trunk_group_id" uuid NOT NULL,
	"interconnect_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "trunk_group_members_trunk_group_id_interconnect_id_pk" PRIMARY KEY("trunk_group_id","interconnect_id")
);
--> statement-breakpoint
CREATE TABLE "trunk_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"direction" "interconnect_direction" NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"carrier_id" uuid,
	"currency" text NOT NULL,
	"debits_posted_micros" bigint DEFAULT 0 NOT NULL,
	"credits_posted_micros" bigint DEFAULT 0 NOT NULL,
	"debits_pending_micros" bigint DEFAULT 0 NOT NULL,
	"credits_pending_micros" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"debit_account_id" uuid NOT NULL,
	"credit_account_id" uuid NOT NULL,
	"amount_micros" bigint NOT NULL,
	"currency" text NOT NULL,
	"code" text NOT NULL,
	"flags" integer DEFAULT 0 NOT NULL,
	"pending_id" uuid,
	"reverses_id" uuid,
	"reference_type" text,
	"reference_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "switch_sync_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" text NOT NULL,
	"payload" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"job_id" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "blacklist_entries" ADD CONSTRAINT "blacklist_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_entries" ADD CONSTRAINT "blacklist_entries_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blacklist_entries" ADD CONSTRAINT "blacklist_entries_interconnect_id_interconnects_id_fk" FOREIGN KEY ("interconnect_id") REFERENCES "public"."interconnects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carriers" ADD CONSTRAINT "carriers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carriers" ADD CONSTRAINT "carriers_account_manager_user_id_users_id_fk" FOREIGN KEY ("account_manager_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_contacts" ADD CONSTRAINT "carrier_contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_contacts" ADD CONSTRAINT "carrier_contacts_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_alerts" ADD CONSTRAINT "credit_alerts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_alerts" ADD CONSTRAINT "credit_alerts_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interconnects" ADD CONSTRAINT "interconnects_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interconnects" ADD CONSTRAINT "interconnects_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_cause_mappings" ADD CONSTRAINT "release_cause_mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_carrier_id_carriers_id_fk" FOREIGN KEY ("carrier_id") REFERENCES "public"."carriers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_interconnect_id_interconnects_id_fk" FOREIGN KEY ("interconnect_id") REFERENCES "public"."interconnects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_route_to_interconnect_id_interconnects_id_fk" FOREIGN KEY ("route_to_interconnect_id") REFERENCES "public"."interconnects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trunk_group_members" ADD CONSTRAINT "trunk_group_members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trunk_group_members" ADD CONSTRAINT "trunk_group_members_trunk_group_id_trunk_groups_id_fk" FOREIGN KEY ("trunk_group_id") REFERENCES "public"."trunk_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trunk_group_members" ADD CONSTRAINT "trunk_group_members_interconnect_id_interconnects_id_fk" FOREIGN KEY ("interconnect_id") REFERENCES "public"."interconnects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trunk_groups" ADD CONSTRAINT "trunk_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_debit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_credit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "switch_sync_events" ADD CONSTRAINT "switch_sync_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blacklist_entries_tenant_idx" ON "blacklist_entries" USING btree ("tenant_id","list","value");--> statement-breakpoint
CREATE UNIQUE INDEX "carriers_name_live_key" ON "carriers" USING btree ("tenant_id",lower("name")) WHERE "carriers"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "carriers_tenant_idx" ON "carriers" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "carrier_contacts_carrier_idx" ON "carrier_contacts" USING btree ("tenant_id","carrier_id");--> statement-breakpoint
CREATE INDEX "credit_alerts_carrier_idx" ON "credit_alerts" USING btree ("tenant_id","carrier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interconnects_name_live_key" ON "interconnects" USING btree ("carrier_id",lower("name")) WHERE "interconnects"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "interconnects_tenant_idx" ON "interconnects" USING btree ("tenant_id","carrier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "release_cause_mappings_sip_key" ON "release_cause_mappings" USING btree ("tenant_id","sip_code");--> statement-breakpoint
CREATE UNIQUE INDEX "services_name_live_key" ON "services" USING btree ("interconnect_id",lower("name")) WHERE "services"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "services_tenant_idx" ON "services" USING btree ("tenant_id","interconnect_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trunk_groups_name_live_key" ON "trunk_groups" USING btree ("tenant_id",lower("name")) WHERE "trunk_groups"."deleted_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_key" ON "ledger_accounts" USING btree ("tenant_id","kind","carrier_id","currency");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_idempotency_key" ON "ledger_transfers" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" USING btree ("debit_account_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" USING btree ("credit_account_id","created_at");--> statement-breakpoint
CREATE INDEX "switch_sync_events_tenant_idx" ON "switch_sync_events" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "switch_sync_events_entity_idx" ON "switch_sync_events" USING btree ("tenant_id","entity_type","entity_id");