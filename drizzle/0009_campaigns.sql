CREATE TABLE "campaign_items" (
	"campaign_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"position" integer NOT NULL,
	"connection_name" text NOT NULL,
	"algorithm" text,
	"expected_current_kid" text,
	"expected_next_kid" text,
	"planned_readiness" text NOT NULL,
	"acknowledged_readiness" text,
	"status" text NOT NULL,
	"request_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"new_kid" text,
	"message" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "campaign_items_campaign_id_connection_id_pk" PRIMARY KEY("campaign_id","connection_id"),
	CONSTRAINT "campaign_items_status_check" CHECK ("status" in ('pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant" text NOT NULL,
	"state" text NOT NULL,
	"selection" text NOT NULL,
	"share" real NOT NULL,
	"created_by_sub" text NOT NULL,
	"created_by_email" text,
	"created_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "campaigns_state_check" CHECK ("campaigns"."state" in ('running', 'paused', 'cancelled', 'finished'))
);
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_type_check";--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_items_status_idx" ON "campaign_items" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "campaigns_tenant_idx" ON "campaigns" USING btree ("tenant","created_at");--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_type_check" CHECK ("audit_events"."type" in ('rotation.requested', 'rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external', 'keys.provisioned', 'access.denied', 'auth.signin', 'idp.mode_changed', 'idp.next_key_confirmed', 'handoff.link_created', 'handoff.link_revoked', 'handoff.link_opened', 'rotation.watch_closed', 'policy.period_changed', 'campaign.started', 'campaign.paused', 'campaign.resumed', 'campaign.cancelled', 'campaign.finished'));