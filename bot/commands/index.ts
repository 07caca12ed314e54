import { CORE_HANDLERS, type AppHandler } from './app-handlers';
import { DUTY_HANDLERS } from './duty-handlers';
import { EXPORT_HANDLERS } from './export-handlers';
import { LOGIN_HANDLERS } from './login-handlers';
import { REPORT_HANDLERS } from './report-handlers';

/**
 * Every app command's handler by registry name. A practice with its own handlers adds one spread
 * here (its file exports a `Record<string, AppHandler>`).
 */
export const APP_HANDLERS: Readonly<Record<string, AppHandler>> = {
  ...CORE_HANDLERS,
  ...REPORT_HANDLERS,
  ...EXPORT_HANDLERS,
  ...DUTY_HANDLERS,
  ...LOGIN_HANDLERS,
};

export type { AppCommandEnv, AppHandler, CommandResult } from './app-handlers';
