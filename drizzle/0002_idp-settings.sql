CREATE TABLE "idp_settings" (
	"tenant" text NOT NULL,
	"connection_id" text NOT NULL,
	"mode" text NOT NULL,
	"cache_seconds" integer NOT NULL,
	"confirmed_kid" text,
	"confirmed_by_sub" text,
	"confirmed_by_name" text,
	"confirmed_by_email" text,
	"confirmed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idp_settings_tenant_connection_id_pk" PRIMARY KEY("tenant","connection_id"),
	CONSTRAINT "idp_settings_mode_check" CHECK ("idp_settings"."mode" in ('jwks_url', 'pasted', 'unknown')),
	CONSTRAINT "idp_settings_cache_check" CHECK ("idp_settings"."cache_seconds" between 60 and 604800)
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_type_check";--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_type_check" CHECK ("audit_events"."type" in ('rotation.requested', 'rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external', 'keys.provisioned', 'access.denied', 'auth.signin', 'idp.mode_changed', 'idp.next_key_confirmed'));