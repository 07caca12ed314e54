CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`group_key` text,
	`at` integer NOT NULL,
	`text` text,
	`from_status` text,
	`to_status` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_events_case` ON `case_events` (`case_id`,`id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hotline_no` text NOT NULL,
	`status` text NOT NULL,
	`group_key` text NOT NULL,
	`section` text,
	`category` text NOT NULL,
	`urgency` text NOT NULL,
	`type` text,
	`address` text,
	`content` text NOT NULL,
	`source` text NOT NULL,
	`citizen_name` text,
	`citizen_phone` text,
	`owner_id` text,
	`owner_name` text,
	`reported_at` integer NOT NULL,
	`posted_at` integer NOT NULL,
	`claimed_at` integer,
	`contacted_at` integer,
	`resolved_at` integer,
	`respond_by` integer NOT NULL,
	`resolve_by` integer NOT NULL,
	`result` text,
	`version` integer DEFAULT 1 NOT NULL,
	`next_due_kind` text,
	`next_due_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_hotline_no` ON `cases` (`hotline_no`);--> statement-breakpoint
CREATE INDEX `cases_status_group` ON `cases` (`status`,`group_key`);--> statement-breakpoint
CREATE INDEX `cases_next_due` ON `cases` (`next_due_at`);--> statement-breakpoint
CREATE TABLE `group_bindings` (
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`group_key` text NOT NULL,
	`bound_by` text,
	`bound_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `chat_id`)
);
--> statement-breakpoint
CREATE TABLE `members` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`group_key` text NOT NULL,
	`text` text NOT NULL,
	`meta` text DEFAULT '{}' NOT NULL,
	`case_id` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`platform_message_id` text,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_status_group` ON `outbox` (`status`,`group_key`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_platform_message` ON `outbox` (`group_key`,`platform_message_id`);