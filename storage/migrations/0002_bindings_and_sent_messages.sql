CREATE TABLE `binding_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text
);
--> statement-breakpoint
CREATE TABLE `sent_messages` (
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`message_id` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`case_id` integer,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `chat_id`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `sent_messages_outbox` ON `sent_messages` (`outbox_id`);--> statement-breakpoint
CREATE INDEX `sent_messages_case` ON `sent_messages` (`case_id`,`kind`);--> statement-breakpoint
CREATE INDEX `group_bindings_group` ON `group_bindings` (`group_key`);