import type { CaseStore, Logger } from '../core/ports';
import type { ConfiguredPerson, StreetConfig } from '../core/street-config';
import type { Actor, Person, Role } from '../core/types';

/**
 * Who is who. A role sticks to a platform user id: stored by an admin in chat (角色), or pinned in
 * the YAML with `ids:`. A display name proves nothing, except on the console (which has no ids)
 * and for a YAML person with no ids that an admin has confirmed in chat (that stores the id).
 */
export class People {
  constructor(
    private readonly store: CaseStore,
    private readonly config: StreetConfig,
    private readonly logger?: Logger,
  ) {}

  /** The YAML person a platform id pins, or — on the console only — the one with that name. */
  configured(platform: string, sender: { id: string; name: string }): ConfiguredPerson | null {
    const byId = this.config.people.find((p) => p.ids[platform] === sender.id || p.ids['*'] === sender.id);
    if (byId) return byId;
    if (platform === 'console') return this.config.people.find((p) => p.name === sender.name) ?? null;
    return null;
  }

  resolveActor(platform: string, sender: { id: string; name: string }): Actor {
    const stored = this.store.findMember(platform, sender.id);
    const conf = this.configured(platform, sender);
    const role: Role = stored?.role ?? conf?.role ?? 'member';
    const admin = stored?.isAdmin === true || conf?.admin === true;
    const department = stored?.department ?? conf?.department ?? null;
    return { id: sender.id, name: sender.name, role: role === 'admin' ? 'member' : role, admin, department };
  }

  /**
   * The people a message @-mentions. Platforms hand the ids in; the console (and platforms that
   * only give names) are resolved by name among the people the bot knows on that platform.
   */
  resolveMentions(platform: string, given: Person[] | undefined, names: string[]): Person[] {
    if (given && given.length > 0) return given;
    const out: Person[] = [];
    for (const name of names) {
      if (platform === 'console') {
        out.push({ id: name, name });
        continue;
      }
      const stored = this.store.findMemberByName(platform, name);
      if (stored) out.push({ id: stored.userId, name });
      else {
        const conf = this.config.people.find((p) => p.name === name && (p.ids[platform] || p.ids['*']));
        if (conf) out.push({ id: conf.ids[platform] ?? conf.ids['*']!, name });
      }
    }
    return out;
  }

  /** People with a case role, for @-mentions: the YAML's and those given in chat (`stored`: the members already read). */
  withRole(role: Role, stored = this.store.listMembers()): Person[] {
    const out: Person[] = [];
    for (const p of this.config.people) if (p.role === role) out.push({ id: p.ids.telegram ?? p.ids.wechaty ?? p.ids['*'] ?? p.name, name: p.name });
    for (const m of stored) {
      if (m.role === role && !out.some((p) => p.id === m.userId || p.name === m.displayName)) out.push({ id: m.userId, name: m.displayName });
    }
    return out;
  }

  /** A department's people as mentions (YAML names → their ids when pinned). */
  departmentPeople(names: string[]): Person[] {
    return names.map((n) => {
      const conf = this.config.people.find((p) => p.name === n);
      return { id: conf ? (conf.ids.telegram ?? conf.ids.wechaty ?? conf.ids['*'] ?? n) : n, name: n };
    });
  }

  /** Logs a refused attempt at something that needs trust (never the text, never personal data). */
  refused(what: string, platform: string, userId: string): void {
    this.logger?.warn({ platform, userId, what }, 'refused');
  }
}
