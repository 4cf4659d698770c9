CREATE TABLE "rate_revision_rows" (
	"tenant_id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"line" integer,
	"prefix" text NOT NULL,
	"destination" text NOT NULL,
	"rate_micros" bigint,
	"connection_fee_micros" bigint,
	"increment_first_s" integer,
	"increment_next_s" integer,
	"time_class" text,
	"effective_from" timestamp with time zone NOT NULL,
	"effective_from_adjusted" timestamp with time zone,
	"change" text NOT NULL,
	"previous_rate_micros" bigint,
	"notice_violation" boolean DEFAULT false NOT NULL,
	CONSTRAINT "rate_revision_rows_revision_id_seq_pk" PRIMARY KEY("revision_id","seq")
);
--> statement-breakpoint
CREATE TABLE "rate_revisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mode" text NOT NULL,
	"notice_policy" text NOT NULL,
	"status" text NOT NULL,
	"effective_from" timestamp with time zone,
	"row_count" integer DEFAULT 0 NOT NULL,
	"new_count" integer DEFAULT 0 NOT NULL,
	"increase_count" integer DEFAULT 0 NOT NULL,
	"decrease_count" integer DEFAULT 0 NOT NULL,
	"unchanged_count" integer DEFAULT 0 NOT NULL,
	"closed_count" integer DEFAULT 0 NOT NULL,
	"notice_violation_count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure_message" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"job_id" text
);
--> statement-breakpoint
CREATE TABLE "rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"prefix" text NOT NULL,
	"destination" text NOT NULL,
	"rate_micros_per_minute" bigint NOT NULL,
	"connection_fee_micros" bigint,
	"increment_first_s" integer,
	"increment_next_s" integer,
	"time_class" text,
	"effective_from" timestamp with time zone NOT NULL,
	"effective_to" timestamp with time zone,
	"revision_id" uuid
);
--> statement-breakpoint
CREATE TABLE "rating_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"currency" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"increment_first_s" integer DEFAULT 60 NOT NULL,
	"increment_next_s" integer DEFAULT 60 NOT NULL,
	"minimum_duration_s" integer DEFAULT 0 NOT NULL,
	"grace_period_s" integer DEFAULT 0 NOT NULL,
	"connection_fee_micros" bigint DEFAULT 0 NOT NULL,
	"notice_days" integer DEFAULT 7 NOT NULL,
	"precision_micros" bigint DEFAULT 1 NOT NULL,
	"time_classes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "rate_revision_rows" ADD CONSTRAINT "rate_revision_rows_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_revision_rows" ADD CONSTRAINT "rate_revision_rows_revision_id_rate_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."rate_revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_revisions" ADD CONSTRAINT "rate_revisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_revisions" ADD CONSTRAINT "rate_revisions_plan_id_rating_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."rating_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_plan_id_rating_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."rating_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_revision_id_rate_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."rate_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_plans" ADD CONSTRAINT "rating_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rate_revision_rows_change_idx" ON "rate_revision_rows" USING btree ("revision_id","change");--> statement-breakpoint
CREATE INDEX "rate_revisions_plan_idx" ON "rate_revisions" USING btree ("tenant_id","plan_id","created_at");--> statement-breakpoint
CREATE INDEX "rates_plan_prefix_idx" ON "rates" USING btree ("plan_id","prefix","effective_from");--> statement-breakpoint
CREATE INDEX "rates_tenant_plan_idx" ON "rates" USING btree ("tenant_id","plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rating_plans_name_live_key" ON "rating_plans" USING btree ("tenant_id",lower("name")) WHERE "rating_plans"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "rating_plans_tenant_idx" ON "rating_plans" USING btree ("tenant_id","name");