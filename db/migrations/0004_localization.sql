CREATE SCHEMA "localization";
--> statement-breakpoint
CREATE TABLE "localization"."exchange_rates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"base" char(3) NOT NULL,
	"quote" char(3) NOT NULL,
	"rate" numeric(38, 18) NOT NULL,
	"as_of" date NOT NULL,
	"source" text NOT NULL,
	"derivation" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "localization"."messages" (
	"namespace" text NOT NULL,
	"key" text NOT NULL,
	"locale" text NOT NULL,
	"message" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_namespace_key_locale_pk" PRIMARY KEY("namespace","key","locale")
);
--> statement-breakpoint
CREATE TABLE "localization"."shop_currencies" (
	"code" char(3) PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "localization"."shop_locales" (
	"code" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_rates_pair_day_source" ON "localization"."exchange_rates" USING btree ("base","quote","as_of","source");--> statement-breakpoint
CREATE INDEX "exchange_rates_latest" ON "localization"."exchange_rates" USING btree ("base","quote","as_of");--> statement-breakpoint
CREATE INDEX "messages_namespace_locale" ON "localization"."messages" USING btree ("namespace","locale");--> statement-breakpoint
CREATE UNIQUE INDEX "shop_currencies_one_default" ON "localization"."shop_currencies" USING btree ("is_default") WHERE "localization"."shop_currencies"."is_default";--> statement-breakpoint
CREATE UNIQUE INDEX "shop_locales_one_default" ON "localization"."shop_locales" USING btree ("is_default") WHERE "localization"."shop_locales"."is_default";--> statement-breakpoint
-- The shop starts out selling in English and euros; admins enable more (README "Localization").
INSERT INTO "localization"."shop_locales" ("code", "enabled", "is_default") VALUES ('en', true, true);--> statement-breakpoint
INSERT INTO "localization"."shop_currencies" ("code", "enabled", "is_default") VALUES ('EUR', true, true);
