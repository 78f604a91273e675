CREATE TABLE "handoff_links" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant" text NOT NULL,
	"connection_id" text NOT NULL,
	"connection_name" text NOT NULL,
	"created_by_sub" text NOT NULL,
	"created_by_name" text,
	"created_by_email" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by_sub" text,
	"revoked_by_name" text,
	"revoked_by_email" text,
	CONSTRAINT "handoff_links_expiry_check" CHECK ("handoff_links"."expires_at" > "handoff_links"."created_at"),
	CONSTRAINT "handoff_links_revoked_check" CHECK (("handoff_links"."revoked_at" is null) = ("handoff_links"."revoked_by_sub" is null))
);
--> statement-breakpoint
CREATE INDEX "handoff_links_connection_idx" ON "handoff_links" USING btree ("tenant","connection_id","created_at");