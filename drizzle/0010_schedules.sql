CREATE TABLE "rotation_schedules" (
	"tenant" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"cron" text NOT NULL,
	"time_zone" text NOT NULL,
	"window_minutes" integer NOT NULL,
	"updated_by_sub" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rotation_schedules_window_check" CHECK ("rotation_schedules"."window_minutes" between 15 and 1440)
);
--> statement-breakpoint
CREATE TABLE "schedule_runs" (
	"tenant" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"campaign_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_runs_tenant_window_start_pk" PRIMARY KEY("tenant","window_start")
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_type_check";--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_type_check" CHECK ("audit_events"."type" in ('rotation.requested', 'rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external', 'keys.provisioned', 'access.denied', 'auth.signin', 'idp.mode_changed', 'idp.next_key_confirmed', 'handoff.link_created', 'handoff.link_revoked', 'handoff.link_opened', 'rotation.watch_closed', 'policy.period_changed', 'campaign.started', 'campaign.paused', 'campaign.resumed', 'campaign.cancelled', 'campaign.finished', 'schedule.changed'));