CREATE SCHEMA "cart";
--> statement-breakpoint
CREATE TABLE "cart"."cart_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"cart_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cart_lines_quantity" CHECK ("cart"."cart_lines"."quantity" > 0),
	CONSTRAINT "cart_lines_price" CHECK ("cart"."cart_lines"."unit_price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cart"."carts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"token_hash" text,
	"currency" char(3) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"merged_into" uuid,
	"shipping_address" jsonb,
	"billing_address" jsonb,
	"shipping_method_code" text,
	"discount_code_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carts_owner" CHECK ("cart"."carts"."status" <> 'open' or (("cart"."carts"."user_id" is null) <> ("cart"."carts"."token_hash" is null)))
);
--> statement-breakpoint
CREATE TABLE "cart"."currency_tax_modes" (
	"currency" char(3) PRIMARY KEY NOT NULL,
	"prices_include_tax" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cart"."discount_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"percentage" numeric(5, 2),
	"amount_minor" bigint,
	"currency" char(3),
	"starts_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ends_at" timestamp with time zone,
	"usage_limit" integer,
	"times_used" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discount_codes_terms" CHECK (("cart"."discount_codes"."kind" = 'percentage' and "cart"."discount_codes"."percentage" > 0 and "cart"."discount_codes"."percentage" <= 100 and "cart"."discount_codes"."amount_minor" is null and "cart"."discount_codes"."currency" is null)
        or ("cart"."discount_codes"."kind" = 'fixed' and "cart"."discount_codes"."amount_minor" > 0 and "cart"."discount_codes"."currency" is not null and "cart"."discount_codes"."percentage" is null)),
	CONSTRAINT "discount_codes_window" CHECK ("cart"."discount_codes"."ends_at" is null or "cart"."discount_codes"."ends_at" > "cart"."discount_codes"."starts_at"),
	CONSTRAINT "discount_codes_usage" CHECK ("cart"."discount_codes"."times_used" >= 0 and ("cart"."discount_codes"."usage_limit" is null or "cart"."discount_codes"."usage_limit" > 0))
);
--> statement-breakpoint
CREATE TABLE "cart"."shipping_methods" (
	"code" text PRIMARY KEY NOT NULL,
	"names" jsonb NOT NULL,
	"countries" char(2)[] NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cart"."shipping_rates" (
	"method_code" text NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "shipping_rates_method_code_currency_pk" PRIMARY KEY("method_code","currency"),
	CONSTRAINT "shipping_rates_amount" CHECK ("cart"."shipping_rates"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cart"."tax_rates" (
	"country_code" char(2) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"rate" numeric(6, 3) NOT NULL,
	"source" text NOT NULL,
	"valid_from" date NOT NULL,
	CONSTRAINT "tax_rates_rate" CHECK ("cart"."tax_rates"."rate" >= 0 and "cart"."tax_rates"."rate" < 100)
);
--> statement-breakpoint
ALTER TABLE "cart"."cart_lines" ADD CONSTRAINT "cart_lines_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "cart"."carts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart"."carts" ADD CONSTRAINT "carts_shipping_method_code_shipping_methods_code_fk" FOREIGN KEY ("shipping_method_code") REFERENCES "cart"."shipping_methods"("code") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart"."carts" ADD CONSTRAINT "carts_discount_code_id_discount_codes_id_fk" FOREIGN KEY ("discount_code_id") REFERENCES "cart"."discount_codes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart"."shipping_rates" ADD CONSTRAINT "shipping_rates_method_code_shipping_methods_code_fk" FOREIGN KEY ("method_code") REFERENCES "cart"."shipping_methods"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cart_lines_cart_variant" ON "cart"."cart_lines" USING btree ("cart_id","variant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "carts_open_per_user" ON "cart"."carts" USING btree ("user_id") WHERE "cart"."carts"."status" = 'open' and "cart"."carts"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "carts_guest_updated" ON "cart"."carts" USING btree ("updated_at") WHERE "cart"."carts"."user_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "discount_codes_code" ON "cart"."discount_codes" USING btree ("code");--> statement-breakpoint
-- Standard rates in force on 1 January 2025: EU members from the European Commission's "VAT rates applied in
-- the Member States of the European Union, situation at 1 January 2025" (Finland 25.5 % since 1 September
-- 2024); GB from HMRC (VAT standard rate); CH from the Swiss Federal Tax Administration (MWST/TVA, since
-- 1 January 2024); AU from the Australian Taxation Office (GST). The US has no federal sales tax: state and
-- local sales taxes are not modelled, so US carts carry 0 %.
INSERT INTO "cart"."tax_rates" ("country_code", "name", "rate", "source", "valid_from") VALUES
  ('AT', 'VAT', 20, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('BE', 'VAT', 21, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('DE', 'VAT', 19, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('DK', 'VAT', 25, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('ES', 'VAT', 21, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('FI', 'VAT', 25.5, 'European Commission, VAT rates in the Member States, 1 January 2025', '2024-09-01'),
  ('FR', 'VAT', 20, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('IE', 'VAT', 23, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('IT', 'VAT', 22, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('NL', 'VAT', 21, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('PL', 'VAT', 23, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('PT', 'VAT', 23, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('SE', 'VAT', 25, 'European Commission, VAT rates in the Member States, 1 January 2025', '2025-01-01'),
  ('GB', 'VAT', 20, 'HMRC, VAT rates (standard rate)', '2025-01-01'),
  ('CH', 'VAT', 8.1, 'Swiss Federal Tax Administration, VAT rates', '2024-01-01'),
  ('AU', 'GST', 10, 'Australian Taxation Office, GST', '2025-01-01'),
  ('US', 'Sales tax', 0, 'No federal sales tax; state and local sales taxes are not modelled', '2025-01-01');
--> statement-breakpoint
-- Consumers in the EU and the UK see prices as they pay them (tax included); US prices are shown before tax.
INSERT INTO "cart"."currency_tax_modes" ("currency", "prices_include_tax") VALUES ('EUR', true), ('GBP', true), ('USD', false);
--> statement-breakpoint
INSERT INTO "cart"."shipping_methods" ("code", "names", "countries", "position") VALUES
  ('standard', '{"en": "Standard delivery (3–5 working days)", "de": "Standardversand (3–5 Werktage)", "fr": "Livraison standard (3 à 5 jours ouvrés)", "es": "Envío estándar (3–5 días laborables)"}',
    '{AT,BE,CH,DE,DK,ES,FI,FR,GB,IE,IT,NL,PL,PT,SE,US}', 0),
  ('express', '{"en": "Express delivery (next working day)", "de": "Expressversand (nächster Werktag)", "fr": "Livraison express (jour ouvré suivant)", "es": "Envío exprés (siguiente día laborable)"}',
    '{AT,BE,DE,FR,GB,NL,US}', 1);
--> statement-breakpoint
INSERT INTO "cart"."shipping_rates" ("method_code", "currency", "amount_minor") VALUES
  ('standard', 'EUR', 495), ('standard', 'GBP', 395), ('standard', 'USD', 599),
  ('express', 'EUR', 1295), ('express', 'GBP', 995), ('express', 'USD', 1999);
