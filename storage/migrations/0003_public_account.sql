CREATE TABLE `mp_messages` (
	`msg_id` text PRIMARY KEY NOT NULL,
	`case_id` integer,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `public_deliveries` (
	`channel` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`case_id` integer,
	`outcome` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`channel`, `outbox_id`)
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `citizen_open_id` text;--> statement-breakpoint
CREATE INDEX `cases_resolved_at` ON `cases` (`resolved_at`);--> statement-breakpoint
CREATE INDEX `cases_reported_at` ON `cases` (`reported_at`);