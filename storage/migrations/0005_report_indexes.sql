DROP INDEX `cases_rated_at`;--> statement-breakpoint
DROP INDEX `cases_status_group`;--> statement-breakpoint
DROP INDEX `cases_reported_at`;--> statement-breakpoint
CREATE INDEX `cases_group_reported` ON `cases` (`group_key`,`reported_at`);--> statement-breakpoint
CREATE INDEX `cases_rated_at` ON `cases` (`rated_at`,`group_key`,`section`,`rating_satisfaction`,`rating_solved`,`rating_contacted`);--> statement-breakpoint
CREATE INDEX `cases_status_group` ON `cases` (`status`,`group_key`,`resolve_by`);--> statement-breakpoint
CREATE INDEX `cases_reported_at` ON `cases` (`reported_at`,`group_key`,`section`,`status`,`claimed_at`,`contacted_at`,`respond_by`,`resolved_at`,`resolve_by`,`return_count`,`category`,`place_key`);--> statement-breakpoint
CREATE INDEX `case_events_kind_case` ON `case_events` (`kind`,`case_id`);