CREATE TABLE "fx_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"base" text NOT NULL,
	"quote" text NOT NULL,
	"rate_nanos" bigint NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_candidates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"interconnect_id" uuid,
	"trunk_group_id" uuid,
	"priority" integer DEFAULT 1 NOT NULL,
	"weight" integer DEFAULT 0 NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"max_supplier_rate_micros" bigint,
	"min_margin_micros" bigint,
	"effective_from" timestamp with time zone,
	"effective_to" timestamp with time zone,
	CONSTRAINT "routing_candidates_one_target" CHECK (("routing_candidates"."interconnect_id" IS NULL) <> ("routing_candidates"."trunk_group_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "routing_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"prefix" text NOT NULL,
	"description" text,
	"strategy" text NOT NULL,
	"quality_base" text DEFAULT 'lcr' NOT NULL,
	"min_asr_percent" double precision,
	"min_acd_s" double precision,
	"max_pdd_ms" integer,
	"min_samples" integer DEFAULT 20 NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"max_supplier_rate_micros" bigint,
	"profit_guard" boolean DEFAULT true NOT NULL,
	"min_margin_micros" bigint DEFAULT 0 NOT NULL,
	"min_margin_percent" double precision,
	"max_attempts" integer,
	"effective_from" timestamp with time zone,
	"effective_to" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"description" text,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"no_rate_sip_code" integer DEFAULT 404 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_candidates" ADD CONSTRAINT "routing_candidates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_candidates" ADD CONSTRAINT "routing_candidates_entry_id_routing_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."routing_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_candidates" ADD CONSTRAINT "routing_candidates_interconnect_id_interconnects_id_fk" FOREIGN KEY ("interconnect_id") REFERENCES "public"."interconnects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_candidates" ADD CONSTRAINT "routing_candidates_trunk_group_id_trunk_groups_id_fk" FOREIGN KEY ("trunk_group_id") REFERENCES "public"."trunk_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_entries" ADD CONSTRAINT "routing_entries_plan_id_routing_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."routing_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_plans" ADD CONSTRAINT "routing_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fx_rates_pair_key" ON "fx_rates" USING btree ("tenant_id","base","quote","effective_from");--> statement-breakpoint
CREATE INDEX "routing_candidates_entry_idx" ON "routing_candidates" USING btree ("entry_id","position");--> statement-breakpoint
CREATE INDEX "routing_candidates_interconnect_idx" ON "routing_candidates" USING btree ("interconnect_id");--> statement-breakpoint
CREATE INDEX "routing_entries_plan_prefix_idx" ON "routing_entries" USING btree ("tenant_id","plan_id","prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "routing_plans_name_live_key" ON "routing_plans" USING btree ("tenant_id",lower("name")) WHERE "routing_plans"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "routing_plans_tenant_idx" ON "routing_plans" USING btree ("tenant_id","name");--> statement-breakpoint
-- Routing keeps a compiled snapshot of each tenant's hierarchy, plans and FX rates in
-- memory. Every change to what a decision reads notifies the tenant on the channel
-- "routing_change"; PostgreSQL delivers it at COMMIT (never for a rolled-back write) and
-- folds repeats within one transaction. Rates are not watched row by row: applying a
-- deck bumps rating_plans.updated_at.
CREATE FUNCTION routing_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('routing_change', OLD.tenant_id::text);
  ELSE
    PERFORM pg_notify('routing_change', NEW.tenant_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON carriers FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON interconnects FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON services FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON trunk_groups FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON trunk_group_members FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON blacklist_entries FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON release_cause_mappings FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON rating_plans FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON routing_plans FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON routing_entries FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON routing_candidates FOR EACH ROW EXECUTE FUNCTION routing_notify_change();--> statement-breakpoint
CREATE TRIGGER routing_change AFTER INSERT OR UPDATE OR DELETE ON fx_rates FOR EACH ROW EXECUTE FUNCTION routing_notify_change();
