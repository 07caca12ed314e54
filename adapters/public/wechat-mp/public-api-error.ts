import { own } from '../../../core/own';

/**
 * The public account's API refused a call, or could not be reached. `code` is WeChat's errcode
 * (a number) or `network` / `http_<status>` / `bad_response`; `permanent` says whether a retry can help:
 * the outbound worker retries the others with backoff, and takes a permanent one as final.
 */
export class PublicApiError extends Error {
  readonly permanent: boolean;

  constructor(
    readonly code: number | string,
    message: string,
    opts: { permanent: boolean; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.name = 'PublicApiError';
    this.permanent = opts.permanent;
  }
}

/**
 * errcodes a retry cannot fix: 43004 the citizen unsubscribed, 40037/40036 bad template id, 45015 the
 * 48-hour customer-message window is closed, 40003 invalid openid, 43019 the citizen blocked the
 * account, 47001 a payload WeChat cannot read, 45002/45003 content too long, 40007 invalid media id.
 */
export const PERMANENT_CODES: ReadonlySet<number> = new Set([43004, 40037, 40036, 45015, 40003, 43019, 47001, 45002, 45003, 40007]);

/** errcodes worth retrying later: -1 system busy, 45009/45011 quota, 45047 too many customer messages, token trouble. */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([-1, 45009, 45011, 45047, 40001, 42001, 40014]);

/** Token errors: the cached access_token is no longer good; refresh at once and call again. */
export const TOKEN_CODES: ReadonlySet<number> = new Set([40001, 42001, 40014]);

/** Unknown codes count as permanent: retrying forever would hold up every later public message. */
export function isPermanentCode(code: number): boolean {
  return !TRANSIENT_CODES.has(code);
}

/** What a refusal means, in a few words for the case's ledger. */
export function refusalText(code: number | string, errmsg: string): string {
  const known: Record<string, string> = {
    '43004': '市民已取消关注公众号',
    '40037': '模板 ID 无效（MP_TEMPLATE_ID）',
    '40036': '模板 ID 无效（MP_TEMPLATE_ID）',
    '45015': '已超过 48 小时客服消息时限',
    '40003': '市民的 openid 无效',
    '43019': '市民已将公众号拉黑',
    '47001': '消息格式不被接受',
  };
  return own(known, String(code)) ?? `${errmsg || '公众号接口拒绝'}`.slice(0, 100);
}
