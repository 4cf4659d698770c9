DROP INDEX "cdrs_rating_idx";--> statement-breakpoint
CREATE INDEX "cdrs_rating_idx" ON "cdrs" USING btree ("tenant_id","rating_status","start_at") WHERE "cdrs"."rating_status" <> 'rated';