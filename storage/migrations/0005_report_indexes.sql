CREATE INDEX `case_events_case_kind` ON `case_events` (`case_id`,`kind`);--> statement-breakpoint
CREATE INDEX `cases_group_reported` ON `cases` (`group_key`,`reported_at`);--> statement-breakpoint
CREATE INDEX `cases_section_reported` ON `cases` (`section`,`reported_at`);