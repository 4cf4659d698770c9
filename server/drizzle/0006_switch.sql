CREATE TABLE "interconnect_health" (
	"tenant_id" uuid NOT NULL,
	"interconnect_id" uuid PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'up' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"consecutive_successes" integer DEFAULT 0 NOT NULL,
	"last_ping_at" timestamp with time zone,
	"last_rtt_ms" integer,
	"last_error" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "switch_cdr_spool" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"switch_id" text NOT NULL,
	"call_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"decision_ref" text,
	"ingress_interconnect_id" uuid,
	"service_id" uuid,
	"egress_interconnect_id" uuid,
	"calling" text NOT NULL,
	"called" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"ring_at" timestamp with time zone,
	"answer_at" timestamp with time zone,
	"end_at" timestamp with time zone NOT NULL,
	"sip_status" integer NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "switch_nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"sip_address" text NOT NULL,
	"sip_port" integer NOT NULL,
	"rpc_url" text NOT NULL,
	"version" text,
	"config_generation" text NOT NULL,
	"status" text NOT NULL,
	"active_calls" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interconnect_health" ADD CONSTRAINT "interconnect_health_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interconnect_health_tenant_idx" ON "interconnect_health" USING btree ("tenant_id","state");--> statement-breakpoint
CREATE INDEX "switch_cdr_spool_tenant_idx" ON "switch_cdr_spool" USING btree ("tenant_id");