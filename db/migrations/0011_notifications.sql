CREATE SCHEMA "notifications";
--> statement-breakpoint
CREATE TABLE "notifications"."deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"order_id" uuid NOT NULL,
	"user_id" uuid,
	"guest_email" text,
	"order_locale" text NOT NULL,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"recipient" text,
	"locale" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_status_known" CHECK ("notifications"."deliveries"."status" in ('pending', 'sent', 'dead'))
);
--> statement-breakpoint
CREATE TABLE "notifications"."feed_positions" (
	"feed" text PRIMARY KEY NOT NULL,
	"position" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders"."outbox" ADD COLUMN "recorded_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_once" ON "notifications"."deliveries" USING btree ("event_id","kind");--> statement-breakpoint
CREATE INDEX "deliveries_due" ON "notifications"."deliveries" USING btree ("next_attempt_at") WHERE "notifications"."deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "deliveries_status" ON "notifications"."deliveries" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "outbox_recorded" ON "orders"."outbox" USING btree ("recorded_xid","id");