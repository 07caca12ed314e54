import type { LedgerExportService } from './export-service';
import type { ReportService } from './report-service';
import type { RosterService } from './roster-service';
import type { WebLoginService } from './web-login';

/**
 * Optional services the app's command handlers use beyond the case store: each practice that needs
 * one (reports, the duty roster, web sign-in, media) adds its narrow interface here, and main.ts
 * (or a test) passes the implementation in `AppDeps.services`. A handler whose service is absent
 * answers that the feature is not configured on this bot.
 */
export interface AppServices {
  /** Placeholder so the interface is never empty; each service adds a named optional member. */
  readonly _?: never;
  /** 统计 and the scheduled reports: figures, text and chart (bot/report-service.ts). */
  reports?: ReportService;
  /** 导出: the ledger of a period as XLSX/CSV under DATA_DIR/reports (bot/export-service.ts). */
  exports?: LedgerExportService;
  /** 值班, quiet hours and the on-duty person for reminders (bot/roster-service.ts). */
  roster?: RosterService;
  /** 登录: single-use links to the web console (adapters/http/web). */
  webLogin?: WebLoginService;
}
