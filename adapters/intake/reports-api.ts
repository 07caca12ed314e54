import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReportService } from '../../bot/report-service';
import { parsePeriod } from '../../core/reports/periods';
import type { ReportFigures } from '../../core/reports/report-figures';
import { formatIsoInZone } from '../../core/time-zone';
import type { HttpRoute } from './http-intake-server';

/**
 * `GET /api/reports/:period[?group=<key>]` (SPEC "Fixed contracts → Reports API"): the figures of a
 * day (`2026-11-28`), an ISO week (`2026-W48`) or a month (`2026-11`, from `reports.periodStartDay`),
 * for the whole street or one group's slice. Same token as the case API. Rates are fractions 0–1,
 * null when nothing was followed up; `to` is exclusive (the next period's start).
 */

export interface ReportsApiOptions {
  reports: ReportService;
  /** Bearer token (INTAKE_TOKEN); none = no check (the server is on loopback then). */
  token?: string | null;
  /** Known group keys, for `?group=`. */
  groups: readonly string[];
  timeZone: string;
  clock: () => number;
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function authorized(req: IncomingMessage, token: string | null | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The JSON of a report: every SPEC field, plus the street's own extras (overdueNow, the rows' names and rates). */
export function reportJson(f: ReportFigures, timeZone: string): object {
  const { period, scope, byGroup, overdueNow, ...figures } = f;
  return {
    period: period.label,
    kind: period.kind,
    from: formatIsoInZone(period.from, timeZone),
    to: formatIsoInZone(period.to, timeZone),
    group: scope,
    ...figures,
    byGroup: byGroup.map((g) => ({ group: g.group, name: g.name, kind: g.kind, received: g.received, resolved: g.resolved, overdue: g.overdue, followedUp: g.followedUp, responseRate: g.responseRate, solveRate: g.solveRate, satisfactionRate: g.satisfactionRate, score: g.score })),
    overdueNow: { total: overdueNow.total, cases: overdueNow.cases.map((c) => ({ ...c, resolveBy: formatIsoInZone(c.resolveBy, timeZone) })) },
  };
}

export function reportsApiRoute(opts: ReportsApiOptions): HttpRoute {
  const groups = new Set(opts.groups);
  return async (req, res, url) => {
    const m = /^\/api\/reports\/([^/]+)$/.exec(url.pathname);
    if (!m) return false;
    if (req.method !== 'GET') return send(res, 405, { error: '不支持的方法' }), true;
    if (!authorized(req, opts.token)) return send(res, 401, { error: '缺少或错误的令牌（Authorization: Bearer <INTAKE_TOKEN>）' }), true;
    let label: string;
    try {
      label = decodeURIComponent(m[1]!);
    } catch {
      return send(res, 400, { error: '时间段编码有误', field: 'period' }), true;
    }
    const period = parsePeriod(label, opts.reports.settings);
    if (!period) return send(res, 400, { error: '时间段应为 2026-11-28、2026-W48 或 2026-11', field: 'period' }), true;
    const group = url.searchParams.get('group');
    if (group !== null && !groups.has(group)) return send(res, 400, { error: `没有群「${group.slice(0, 40)}」`, field: 'group' }), true;
    const scope = group === null || group === 'consult' ? null : group;
    send(res, 200, reportJson(opts.reports.figures(period, scope, opts.clock()), opts.timeZone));
    return true;
  };
}
