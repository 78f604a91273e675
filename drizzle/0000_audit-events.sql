CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor_sub" text,
	"actor_email" text,
	"actor_name" text,
	"tenant" text,
	"connection_id" text,
	"connection_name" text,
	"algorithm" text,
	"request_id" text,
	"client_ip" text,
	"user_agent" text,
	"status" integer,
	"error_code" text,
	"message" text,
	"new_kid" text,
	"new_fingerprint" text,
	"previous_kid" text,
	"duration_ms" integer,
	"details" jsonb,
	"requested_event_id" bigint,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_type_check" CHECK ("audit_events"."type" in ('rotation.requested', 'rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external', 'keys.provisioned', 'access.denied', 'auth.signin')),
	CONSTRAINT "audit_events_hash_check" CHECK ("audit_events"."hash" ~ '^[0-9a-f]{64}$' and "audit_events"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "pending_rotations" (
	"requested_event_id" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rotation_locks" (
	"connection_id" text PRIMARY KEY NOT NULL,
	"holder_sub" text NOT NULL,
	"holder_email" text,
	"holder_name" text,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_events_connection_idx" ON "audit_events" USING btree ("connection_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_type_idx" ON "audit_events" USING btree ("type","id");--> statement-breakpoint
CREATE INDEX "audit_events_connection_type_idx" ON "audit_events" USING btree ("connection_id","type","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_sub_idx" ON "audit_events" USING btree ("actor_sub","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_email_idx" ON "audit_events" USING btree (lower("actor_email"),"id");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_request_idx" ON "audit_events" USING btree ("request_id") WHERE "audit_events"."request_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_events_anchor_idx" ON "audit_events" USING btree ("id") WHERE "type" in ('rotation.requested', 'rotation.external');--> statement-breakpoint
CREATE INDEX "audit_events_anchor_connection_idx" ON "audit_events" USING btree ("connection_id","id") WHERE "type" in ('rotation.requested', 'rotation.external');--> statement-breakpoint
CREATE INDEX "audit_events_settles_idx" ON "audit_events" USING btree ("requested_event_id") WHERE "audit_events"."requested_event_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_events_outcome_idx" ON "audit_events" USING btree ("type","requested_event_id") WHERE "audit_events"."requested_event_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_events_outcome_connection_idx" ON "audit_events" USING btree ("connection_id","type","requested_event_id") WHERE "audit_events"."requested_event_id" is not null;