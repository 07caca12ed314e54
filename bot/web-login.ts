/**
 * Sign-in to the web console (SPEC "Web console"): 登录 asks this service for a single-use link for the
 * person who typed it; the link is then sent to them privately. The web adapter implements it (tokens
 * in Redis with a TTL); the bot only knows this seam.
 */
export interface WebLoginService {
  /** How long a link works, ms (10 minutes). */
  readonly linkTtlMs: number;
  /** A fresh single-use sign-in URL for this person (their platform id decides their role when they use it). */
  linkFor(person: { platform: string; id: string; name: string }): Promise<string>;
}
