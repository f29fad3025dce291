CREATE SCHEMA "payments";
--> statement-breakpoint
CREATE TABLE "payments"."payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"owner_id" uuid,
	"method" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	"captured_minor" bigint DEFAULT 0 NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"provider_ref" text,
	"capture_ref" text,
	"client_secret" text,
	"approval_url" text,
	"failure_code" text,
	"idempotency_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"order_paid_reported" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_method_known" CHECK ("payments"."payments"."method" in ('card', 'paypal', 'bank_transfer')),
	CONSTRAINT "payments_status_known" CHECK ("payments"."payments"."status" in ('created', 'requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'cancelled', 'failed')),
	CONSTRAINT "payments_amounts" CHECK ("payments"."payments"."amount_minor" > 0 and "payments"."payments"."captured_minor" between 0 and "payments"."payments"."amount_minor" and "payments"."payments"."refunded_minor" between 0 and "payments"."payments"."captured_minor")
);
--> statement-breakpoint
CREATE TABLE "payments"."provider_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"payment_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_events_provider_event_id_pk" PRIMARY KEY("provider","event_id")
);
--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider_ref" text,
	"idempotency_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"order_reported" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_status_known" CHECK ("payments"."refunds"."status" in ('pending', 'succeeded', 'failed')),
	CONSTRAINT "refunds_amount_positive" CHECK ("payments"."refunds"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idempotency_key" ON "payments"."payments" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_ref" ON "payments"."payments" USING btree ("method","provider_ref");--> statement-breakpoint
CREATE INDEX "payments_order" ON "payments"."payments" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "payments_unreported" ON "payments"."payments" USING btree ("id") WHERE "payments"."payments"."status" in ('captured', 'partially_refunded', 'refunded') and not "payments"."payments"."order_paid_reported";--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_idempotency_key" ON "payments"."refunds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_provider_ref" ON "payments"."refunds" USING btree ("payment_id","provider_ref");--> statement-breakpoint
CREATE INDEX "refunds_unreported" ON "payments"."refunds" USING btree ("id") WHERE "payments"."refunds"."status" = 'succeeded' and not "payments"."refunds"."order_reported";