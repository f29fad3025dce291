CREATE TABLE "catalog"."feed_positions" (
	"feed" text PRIMARY KEY NOT NULL,
	"position" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."product_prices" (
	"product_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"lowest_minor" bigint NOT NULL,
	CONSTRAINT "product_prices_product_id_currency_pk" PRIMARY KEY("product_id","currency")
);
--> statement-breakpoint
CREATE TABLE "catalog"."search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."variant_stock" (
	"variant_id" uuid PRIMARY KEY NOT NULL,
	"in_stock" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "catalog"."product_translations_name_trgm";--> statement-breakpoint
ALTER TABLE "catalog"."categories" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."collections" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory"."stock_movements" ADD COLUMN "recorded_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "product_prices_currency_lowest" ON "catalog"."product_prices" USING btree ("currency","lowest_minor","product_id");--> statement-breakpoint
CREATE INDEX "search_words_trgm" ON "catalog"."search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_unlisted" ON "catalog"."products" USING btree ("id") WHERE "catalog"."products"."status" <> 'active';--> statement-breakpoint
CREATE INDEX "stock_movements_recorded" ON "inventory"."stock_movements" USING btree ("recorded_xid","id");--> statement-breakpoint
-- product_prices is derived: the lowest price of each product's active variants per currency, recomputed
-- for the (product, currency) pairs a statement touched, once per statement (a seed of 100,000 products
-- recomputes in bulk, not row by row).
CREATE FUNCTION "catalog"."refresh_product_prices"("pairs" jsonb) RETURNS void LANGUAGE sql AS $$
  WITH affected AS (
    SELECT DISTINCT (pair->>'product_id')::uuid AS product_id, (pair->>'currency')::char(3) AS currency
    FROM jsonb_array_elements(pairs) AS pair
  ), lowest AS (
    SELECT a.product_id, a.currency, min(vp.amount_minor) AS lowest_minor
    FROM affected a
    JOIN "catalog"."variants" v ON v.product_id = a.product_id AND v.status = 'active'
    JOIN "catalog"."variant_prices" vp ON vp.variant_id = v.id AND vp.currency = a.currency
    GROUP BY a.product_id, a.currency
  ), gone AS (
    DELETE FROM "catalog"."product_prices" pp USING affected a
    WHERE pp.product_id = a.product_id AND pp.currency = a.currency
      AND NOT EXISTS (SELECT 1 FROM lowest l WHERE l.product_id = a.product_id AND l.currency = a.currency)
  )
  INSERT INTO "catalog"."product_prices" (product_id, currency, lowest_minor)
  SELECT product_id, currency, lowest_minor FROM lowest
  ON CONFLICT (product_id, currency) DO UPDATE SET lowest_minor = excluded.lowest_minor;
$$;--> statement-breakpoint
CREATE FUNCTION "catalog"."variant_prices_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pairs jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('product_id', v.product_id, 'currency', r.currency)) INTO pairs
    FROM new_rows r JOIN "catalog"."variants" v ON v.id = r.variant_id;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('product_id', v.product_id, 'currency', r.currency)) INTO pairs
    FROM (SELECT variant_id, currency FROM new_rows UNION SELECT variant_id, currency FROM old_rows) r JOIN "catalog"."variants" v ON v.id = r.variant_id;
  ELSE
    SELECT jsonb_agg(DISTINCT jsonb_build_object('product_id', v.product_id, 'currency', r.currency)) INTO pairs
    FROM old_rows r JOIN "catalog"."variants" v ON v.id = r.variant_id;
  END IF;
  IF pairs IS NOT NULL THEN
    PERFORM "catalog"."refresh_product_prices"(pairs);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "variant_prices_inserted" AFTER INSERT ON "catalog"."variant_prices" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."variant_prices_changed"();--> statement-breakpoint
CREATE TRIGGER "variant_prices_updated" AFTER UPDATE ON "catalog"."variant_prices" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."variant_prices_changed"();--> statement-breakpoint
CREATE TRIGGER "variant_prices_deleted" AFTER DELETE ON "catalog"."variant_prices" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."variant_prices_changed"();--> statement-breakpoint
-- A variant archived, restored or moved to another product changes the lowest price of its products.
CREATE FUNCTION "catalog"."variants_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pairs jsonb;
BEGIN
  SELECT jsonb_agg(DISTINCT jsonb_build_object('product_id', r.product_id, 'currency', vp.currency)) INTO pairs
  FROM (
    SELECT n.id, n.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.status IS DISTINCT FROM o.status OR n.product_id IS DISTINCT FROM o.product_id
    UNION
    SELECT o.id, o.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.status IS DISTINCT FROM o.status OR n.product_id IS DISTINCT FROM o.product_id
  ) r JOIN "catalog"."variant_prices" vp ON vp.variant_id = r.id;
  IF pairs IS NOT NULL THEN
    PERFORM "catalog"."refresh_product_prices"(pairs);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "variants_updated" AFTER UPDATE ON "catalog"."variants" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."variants_changed"();--> statement-breakpoint
INSERT INTO "catalog"."product_prices" (product_id, currency, lowest_minor)
SELECT v.product_id, vp.currency, min(vp.amount_minor)
FROM "catalog"."variants" v JOIN "catalog"."variant_prices" vp ON vp.variant_id = v.id
WHERE v.status = 'active'
GROUP BY v.product_id, vp.currency;
--> statement-breakpoint
-- search_words gains the words of every name written (README "Catalog": spelling correction).
CREATE FUNCTION "catalog"."product_names_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "catalog"."search_words" (word)
  SELECT DISTINCT word FROM new_rows, unnest(tsvector_to_array(to_tsvector('simple', new_rows.name))) AS word
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "product_translations_inserted" AFTER INSERT ON "catalog"."product_translations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."product_names_changed"();--> statement-breakpoint
CREATE TRIGGER "product_translations_updated" AFTER UPDATE ON "catalog"."product_translations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."product_names_changed"();--> statement-breakpoint
INSERT INTO "catalog"."search_words" (word)
SELECT DISTINCT word FROM "catalog"."product_translations" t, unnest(tsvector_to_array(to_tsvector('simple', t.name))) AS word
ON CONFLICT (word) DO NOTHING;
