CREATE TABLE "key_inventory" (
	"tenant" text NOT NULL,
	"connection_id" text NOT NULL,
	"connection_name" text NOT NULL,
	"strategy" text NOT NULL,
	"keys_state" text NOT NULL,
	"keys" jsonb NOT NULL,
	"current_kid" text,
	"current_algorithm" text,
	"current_since" timestamp with time zone,
	"current_not_after" timestamp with time zone,
	"next_kid" text,
	"next_not_after" timestamp with time zone,
	"checked_at" timestamp with time zone NOT NULL,
	"stale_since" timestamp with time zone,
	"error" text,
	CONSTRAINT "key_inventory_tenant_connection_id_pk" PRIMARY KEY("tenant","connection_id"),
	CONSTRAINT "key_inventory_state_check" CHECK ("key_inventory"."keys_state" in ('provisioned', 'not-provisioned', 'unsupported', 'error'))
);
--> statement-breakpoint
CREATE TABLE "rotation_policies" (
	"tenant" text NOT NULL,
	"connection_id" text NOT NULL,
	"period_days" integer,
	"updated_by_sub" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rotation_policies_tenant_connection_id_pk" PRIMARY KEY("tenant","connection_id"),
	CONSTRAINT "rotation_policies_period_check" CHECK ("rotation_policies"."period_days" is null or "rotation_policies"."period_days" between 1 and 3650)
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_type_check";--> statement-breakpoint
CREATE INDEX "key_inventory_checked_idx" ON "key_inventory" USING btree ("tenant","checked_at");--> statement-breakpoint
CREATE INDEX "key_inventory_stale_idx" ON "key_inventory" USING btree ("tenant","stale_since") WHERE "key_inventory"."stale_since" is not null;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_type_check" CHECK ("audit_events"."type" in ('rotation.requested', 'rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external', 'keys.provisioned', 'access.denied', 'auth.signin', 'idp.mode_changed', 'idp.next_key_confirmed', 'handoff.link_created', 'handoff.link_revoked', 'handoff.link_opened', 'rotation.watch_closed', 'policy.period_changed'));