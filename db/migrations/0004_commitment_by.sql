DROP INDEX "commitments_recording_segment_uq";--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "by" text DEFAULT 'rep' NOT NULL;--> statement-breakpoint
CREATE INDEX "commitments_recording_segment_idx" ON "commitments" USING btree ("recording_id","segment_index");