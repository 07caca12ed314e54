import { z } from 'zod';
import { defaultClassifier, type Classifier } from './classify';
import { noPractice } from './case/practice-defaults';
import { placeKey } from './repeat/place-key';
import { routeCase, type RoutingTable } from './routing';
import type { DeadlinePolicy } from './street-config';
import { REQUEST_TYPES, URGENCIES, type Case, type CaseSource, type RequestType, type Urgency } from './types';

/**
 * The intake contract (SPEC "Intake HTTP"), shared by the HTTP adapter, file import and `/new`.
 * Validation names the first wrong field; nothing is stored for a body that fails.
 */

const isoWithOffset = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) && isCalendarDate(s), {
    message: '应为带时区的 ISO-8601 时间，如 2026-11-29T18:30:00+08:00',
  });

/** `Date.parse` rolls 2026-02-30 over to March 2; a work order's date must exist as written. */
function isCalendarDate(iso: string): boolean {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

const text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 字`);

export const intakeSchema = z
  .object({
    // 12345 exports may carry the work-order number as a JSON number.
    hotlineNo: z.union([z.string(), z.number().int().nonnegative().transform(String)]).pipe(z.string().trim().min(1, '不能为空').max(64, '不能超过 64 字').regex(/^[\p{L}\p{N}_\-.:/#]+$/u, '只能含字母、数字和 - _ . : / #')),
    content: text(5000),
    address: z.string().trim().max(200, '不能超过 200 字').optional().nullable(),
    category: z.string().trim().max(100, '不能超过 100 字').optional().nullable(),
    type: z.enum(REQUEST_TYPES as [RequestType, ...RequestType[]], { message: `应为 ${REQUEST_TYPES.join(' | ')}` }).optional().nullable(),
    urgency: z.enum(URGENCIES as [Urgency, ...Urgency[]], { message: `应为 ${URGENCIES.join(' | ')}` }).optional().nullable(),
    resolveBy: isoWithOffset.optional().nullable(),
    reportedAt: isoWithOffset.optional().nullable(),
    citizen: z
      .object({
        name: z.string().trim().max(50, '不能超过 50 字').optional().nullable(),
        phone: z.string().trim().max(40, '不能超过 40 字').optional().nullable(),
        /** The citizen's openid on the public account; kept only for source `mp` (the result goes back to it). */
        openId: z.string().trim().max(128, '不能超过 128 字').regex(/^[A-Za-z0-9_-]+$/, '只能含字母、数字、- 和 _').optional().nullable(),
      })
      .optional()
      .nullable(),
    community: z.string().trim().max(64).optional().nullable(),
  })
  .passthrough();

export type IntakeInput = z.infer<typeof intakeSchema>;

export type IntakeValidation = { ok: true; value: IntakeInput } | { ok: false; error: string; field: string };

/** Validates an untrusted body; `knownGroups` checks the `community` override. */
export function validateIntake(raw: unknown, knownGroups: ReadonlySet<string>): IntakeValidation {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: '请求体应为 JSON 对象', field: '(body)' };
  let parsed;
  try {
    // reportInput: without it zod 4 leaves `issue.input` out, and a present field of the wrong type read as missing.
    parsed = intakeSchema.safeParse(raw, { reportInput: true });
  } catch {
    return { ok: false, error: '无法解析的请求体', field: '(body)' };
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(body)';
    // A union (hotlineNo: text or number) reports a missing or mistyped value as invalid_union, not invalid_type.
    const wrongType = issue.code === 'invalid_type' || issue.code === 'invalid_union';
    const missing = wrongType && (issue as { input?: unknown }).input === undefined;
    const message = missing ? '必填' : issue.code === 'invalid_type' ? `类型不对，应为 ${issue.expected}` : wrongType ? '类型不对' : issue.message;
    return { ok: false, error: `${field}: ${message}`, field };
  }
  const v = parsed.data;
  if (v.community && !knownGroups.has(v.community)) {
    return { ok: false, error: `community: 没有这个群 key「${v.community}」`, field: 'community' };
  }
  if (v.resolveBy && v.reportedAt && Date.parse(v.resolveBy) <= Date.parse(v.reportedAt)) {
    return { ok: false, error: 'resolveBy: 应晚于 reportedAt', field: 'resolveBy' };
  }
  return { ok: true, value: v };
}

/** The end of a policy window (ms) that starts at `start`: clock time by default; `days: working` counts whole days in working days. */
export type DeadlineFn = (start: number, windowMs: number) => number;

const clockDeadline: DeadlineFn = (start, windowMs) => start + windowMs;

/**
 * A validated intake turned into a new case (id 0: storage assigns the short number). `classifier`
 * reads category and urgency when the work order leaves them out (default: the fallback segmenter;
 * main.ts passes the jieba-backed one). `deadline` ends the policy windows (default clock time; the
 * bot passes the street's day rule). A `resolveBy` written on the work order is taken as it is.
 */
export function newCaseFromIntake(v: IntakeInput, source: CaseSource, policy: DeadlinePolicy, routing: RoutingTable, now: number, classifier: Classifier = defaultClassifier(), deadline: DeadlineFn = clockDeadline): Omit<Case, 'id'> {
  const read = classifier.classify(`${v.content}\n${v.address ?? ''}`, { type: v.type ?? null, categoryPath: v.category ?? null });
  const category = read.category;
  const urgency = v.urgency ?? read.urgency;
  const reportedAt = v.reportedAt ? Date.parse(v.reportedAt) : now;
  const window = policy.windows[urgency];
  const resolveBy = v.resolveBy ? Date.parse(v.resolveBy) : deadline(reportedAt, window.resolveMs);
  const respondBy = Math.min(deadline(reportedAt, window.respondMs), resolveBy);
  const route = routeCase({ address: v.address ?? null, content: v.content, category, forcedGroup: v.community ?? null }, routing);
  const community = routing.communities.some((c) => c.key === route.group) ? route.group : null;
  return {
    hotlineNo: v.hotlineNo,
    status: 'new',
    group: route.group,
    section: route.section,
    category,
    urgency,
    type: v.type ?? null,
    address: v.address || null,
    content: v.content,
    source,
    citizenName: v.citizen?.name || null,
    citizenPhone: v.citizen?.phone || null,
    // Only a case written in on the public account has a citizen to answer there.
    ...(source === 'mp' && v.citizen?.openId ? { citizenOpenId: v.citizen.openId } : {}),
    ownerId: null,
    ownerName: null,
    reportedAt,
    postedAt: now,
    claimedAt: null,
    contactedAt: null,
    resolvedAt: null,
    respondBy,
    resolveBy,
    result: null,
    version: 1,
    nextDueKind: null,
    nextDueAt: null,
    ...noPractice(),
    // Why the bot judged it urgent (shown on the card so the dispatcher can correct it); none when the work order said so.
    urgencyReason: !v.urgency && urgency === 'urgent' ? read.urgentReason : null,
    placeKey: placeKey(v.address ?? null, community),
  };
}
