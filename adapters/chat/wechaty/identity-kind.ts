/**
 * What a Wechaty puppet's contact ids are worth as identity. Roles stick to the platform user id, so
 * the bot says at start which kind the running puppet gives (README "Run it on WeChat").
 */
export type IdentityKind = 'stable' | 'per-login' | 'test';

const PER_LOGIN = new Set(['wechaty-puppet-wechat4u', 'wechaty-puppet-wechat']);
const TEST = new Set(['wechaty-puppet-mock']);

/** `per-login`: web-protocol puppets whose ids change at every scan; `stable`: pad/service puppets (wxid). */
export function identityKind(puppet: string): IdentityKind {
  if (PER_LOGIN.has(puppet)) return 'per-login';
  if (TEST.has(puppet)) return 'test';
  return 'stable';
}

/** One log line's worth of advice for the operator. */
export function identityAdvice(puppet: string): string {
  switch (identityKind(puppet)) {
    case 'per-login':
      return `${puppet} gives contact ids that change at every login: roles and code-bound rooms go stale after a re-scan; bind rooms by topic in the YAML and re-give roles with 角色, or use a pad/service puppet (WECHATY_PUPPET=wechaty-puppet-service) for stable wxids`;
    case 'test':
      return `${puppet} is a simulated WeChat for tests`;
    case 'stable':
      return `${puppet} gives stable contact ids (wxid): roles given with 角色 survive restarts`;
  }
}
