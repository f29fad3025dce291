CREATE SCHEMA "inventory";
--> statement-breakpoint
CREATE TABLE "inventory"."reservation_lines" (
	"reservation_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "reservation_lines_reservation_id_variant_id_location_id_pk" PRIMARY KEY("reservation_id","variant_id","location_id"),
	CONSTRAINT "reservation_lines_quantity" CHECK ("inventory"."reservation_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "inventory"."reservations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reservations_status" CHECK ("inventory"."reservations"."status" in ('active', 'released', 'committed', 'expired'))
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_levels" (
	"variant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_levels_variant_id_location_id_pk" PRIMARY KEY("variant_id","location_id"),
	CONSTRAINT "stock_levels_quantities" CHECK ("inventory"."stock_levels"."on_hand" >= 0 and "inventory"."stock_levels"."reserved" >= 0 and "inventory"."stock_levels"."reserved" <= "inventory"."stock_levels"."on_hand")
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"variant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"on_hand_delta" integer NOT NULL,
	"reserved_delta" integer NOT NULL,
	"reservation_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_kind" CHECK ("inventory"."stock_movements"."kind" in ('received', 'adjusted', 'reserved', 'released', 'shipped'))
);
--> statement-breakpoint
ALTER TABLE "inventory"."reservation_lines" ADD CONSTRAINT "reservation_lines_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "inventory"."reservations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."reservation_lines" ADD CONSTRAINT "reservation_lines_level_fk" FOREIGN KEY ("variant_id","location_id") REFERENCES "inventory"."stock_levels"("variant_id","location_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_levels" ADD CONSTRAINT "stock_levels_location_id_stock_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "inventory"."stock_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory"."stock_movements" ADD CONSTRAINT "stock_movements_level_fk" FOREIGN KEY ("variant_id","location_id") REFERENCES "inventory"."stock_levels"("variant_id","location_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reservation_lines_variant" ON "inventory"."reservation_lines" USING btree ("variant_id");--> statement-breakpoint
CREATE INDEX "reservations_active_expiry" ON "inventory"."reservations" USING btree ("expires_at") WHERE "inventory"."reservations"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "stock_locations_code" ON "inventory"."stock_locations" USING btree ("code");--> statement-breakpoint
CREATE INDEX "stock_movements_level" ON "inventory"."stock_movements" USING btree ("variant_id","location_id");--> statement-breakpoint
-- The ledger is append-only: levels are rebuilt from it (README "Inventory"), so no movement may change or go.
CREATE FUNCTION "inventory"."refuse_ledger_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'inventory.stock_movements is append-only';
END
$$;--> statement-breakpoint
CREATE TRIGGER "stock_movements_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "inventory"."stock_movements" FOR EACH STATEMENT EXECUTE FUNCTION "inventory"."refuse_ledger_change"();
