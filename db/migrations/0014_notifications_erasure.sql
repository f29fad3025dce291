CREATE TABLE "notifications"."erased_deliveries" (
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "erased_deliveries_event_id_kind_pk" PRIMARY KEY("event_id","kind")
);
