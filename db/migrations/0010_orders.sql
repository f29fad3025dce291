CREATE SCHEMA "orders";
--> statement-breakpoint
CREATE TABLE "orders"."checkouts" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"cart_id" uuid NOT NULL,
	"user_id" uuid,
	"cart_token_hash" text,
	"state" text DEFAULT 'started' NOT NULL,
	"reservation_id" uuid,
	"order_id" uuid,
	"failure" jsonb,
	"attempt" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkouts_state" CHECK ("orders"."checkouts"."state" in ('started', 'reserved', 'ordered', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "orders"."order_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"event" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"refunded_lines" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."order_lines" (
	"order_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"sku" text,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"line_total_minor" bigint NOT NULL,
	"discount_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"refunded_quantity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "order_lines_order_id_position_pk" PRIMARY KEY("order_id","position"),
	CONSTRAINT "order_lines_quantities" CHECK ("orders"."order_lines"."quantity" > 0 and "orders"."order_lines"."refunded_quantity" between 0 and "orders"."order_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE "orders"."order_numbers" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"user_id" uuid,
	"email" text,
	"cart_id" uuid NOT NULL,
	"status" text DEFAULT 'PENDING_PAYMENT' NOT NULL,
	"currency" char(3) NOT NULL,
	"subtotal_minor" bigint NOT NULL,
	"shipping_minor" bigint NOT NULL,
	"discount_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"prices_include_tax" boolean NOT NULL,
	"tax_lines" jsonb NOT NULL,
	"exchange_rate_id" text,
	"exchange_rate_as_of" date,
	"shipping_method" text NOT NULL,
	"shipping_address" jsonb NOT NULL,
	"billing_address" jsonb NOT NULL,
	"reservation_id" uuid,
	"locale" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_known" CHECK ("orders"."orders"."status" in ('PENDING_PAYMENT', 'PAID', 'FULFILLED', 'DELIVERED', 'CANCELLED', 'REFUNDED'))
);
--> statement-breakpoint
CREATE TABLE "orders"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cart"."carts" ADD COLUMN "order_id" uuid;--> statement-breakpoint
ALTER TABLE "orders"."order_events" ADD CONSTRAINT "order_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkouts_unfinished" ON "orders"."checkouts" USING btree ("updated_at") WHERE "orders"."checkouts"."state" in ('started', 'reserved', 'ordered');--> statement-breakpoint
CREATE UNIQUE INDEX "checkouts_cart_once" ON "orders"."checkouts" USING btree ("cart_id") WHERE "orders"."checkouts"."state" <> 'failed';--> statement-breakpoint
CREATE INDEX "order_events_order" ON "orders"."order_events" USING btree ("order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_lines_id" ON "orders"."order_lines" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number" ON "orders"."orders" USING btree ("number");--> statement-breakpoint
CREATE INDEX "orders_user" ON "orders"."orders" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "orders_status" ON "orders"."orders" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "orders_unpaid" ON "orders"."orders" USING btree ("created_at") WHERE "orders"."orders"."status" = 'PENDING_PAYMENT';--> statement-breakpoint
CREATE INDEX "outbox_order" ON "orders"."outbox" USING btree ("order_id");--> statement-breakpoint
CREATE FUNCTION "orders"."refuse_event_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'orders.order_events is append-only: a change of status is recorded by a new event';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "order_events_append_only" BEFORE UPDATE OR TRUNCATE ON "orders"."order_events" FOR EACH STATEMENT EXECUTE FUNCTION "orders"."refuse_event_change"();
