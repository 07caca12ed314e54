CREATE TABLE `bind_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bind_failures_sender` ON `bind_failures` (`platform`,`user_id`,`at`);--> statement-breakpoint
CREATE TABLE `case_media` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`path` text NOT NULL,
	`mime` text NOT NULL,
	`added_by` text,
	`added_at` integer NOT NULL,
	`is_public` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `case_media_case` ON `case_media` (`case_id`);--> statement-breakpoint
CREATE TABLE `duty_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`change` text NOT NULL,
	`by` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sent_reports` (
	`key` text PRIMARY KEY NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `binding_codes` ADD `superseded_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `leader_id` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `leader_name` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `co_handlers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `whistle` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `nodes` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `extensions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating_satisfaction` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating_solved` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating_contacted` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `rated_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `follow_up_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `repeat_of` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `repeat_count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `place_key` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `return_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `urgency_reason` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `media_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_place_key` ON `cases` (`place_key`,`category`,`reported_at`);--> statement-breakpoint
CREATE INDEX `cases_rated_at` ON `cases` (`rated_at`);--> statement-breakpoint
CREATE INDEX `cases_leader` ON `cases` (`leader_id`);--> statement-breakpoint
ALTER TABLE `members` ADD `is_admin` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `department` text;--> statement-breakpoint
UPDATE `members` SET `is_admin` = 1, `role` = 'member' WHERE `role` = 'admin';
