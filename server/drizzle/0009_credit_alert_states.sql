CREATE TABLE "credit_alert_states" (
	"alert_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"state" text DEFAULT 'armed' NOT NULL,
	"value_micros" bigint,
	"fired_at" timestamp with time zone,
	"rearmed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credit_alert_states" ADD CONSTRAINT "credit_alert_states_alert_id_credit_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."credit_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_alert_states" ADD CONSTRAINT "credit_alert_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_alert_states_tenant_idx" ON "credit_alert_states" USING btree ("tenant_id");