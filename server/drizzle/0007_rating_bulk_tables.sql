ALTER TABLE "rate_revision_rows" DROP CONSTRAINT "rate_revision_rows_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "rate_revision_rows" DROP CONSTRAINT "rate_revision_rows_revision_id_rate_revisions_id_fk";
--> statement-breakpoint
ALTER TABLE "rates" DROP CONSTRAINT "rates_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "rates" DROP CONSTRAINT "rates_plan_id_rating_plans_id_fk";
--> statement-breakpoint
ALTER TABLE "rates" DROP CONSTRAINT "rates_revision_id_rate_revisions_id_fk";
--> statement-breakpoint
DROP INDEX "rate_revision_rows_change_idx";--> statement-breakpoint
DROP INDEX "rates_tenant_plan_idx";