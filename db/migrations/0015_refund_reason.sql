ALTER TABLE "payments"."refunds" ADD COLUMN "reason" text DEFAULT 'requested' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_order_cancelled_once" ON "payments"."refunds" USING btree ("payment_id") WHERE "payments"."refunds"."reason" = 'order_cancelled';--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_reason_known" CHECK ("payments"."refunds"."reason" in ('requested', 'order_cancelled', 'provider'));--> statement-breakpoint
-- Refunds made at the provider were recorded with the fingerprint `provider` before they had a reason.
UPDATE "payments"."refunds" SET "reason" = 'provider' WHERE "fingerprint" = 'provider';