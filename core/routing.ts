import type { Community } from './street-config';

/**
 * Where a case goes: a community whose place names appear in the address (or the text), else `street`
 * when a section handles its category, else `street` for an ordinary case with an address, else `consult`.
 */
export interface RouteInput {
  address: string | null;
  content: string;
  category: string;
  /** Group key forced by the intake (`community` field); must be a known key. */
  forcedGroup?: string | null;
}

export interface Route {
  group: string;
  section: string | null;
}

export interface RoutingTable {
  communities: Community[];
  sections: { name: string; categories: string[] }[];
}

export function routeCase(input: RouteInput, table: RoutingTable): Route {
  const section = table.sections.find((s) => s.categories.includes(input.category))?.name ?? null;
  if (input.forcedGroup) return { group: input.forcedGroup, section };
  const community = findCommunity(`${input.address ?? ''} ${input.content}`, table.communities);
  if (community) return { group: community.key, section };
  if (section) return { group: 'street', section };
  // Something we can judge (a known category or an address in the street) is the street's work;
  // a request with neither goes to the dispatcher in consult.
  if (input.address || input.category !== '其他') return { group: 'street', section: null };
  return { group: 'consult', section: null };
}

/** The community whose longest place name occurs in the text (longest wins: 张仪村4号院 over 张仪). */
export function findCommunity(text: string, communities: Community[]): Community | null {
  let best: Community | null = null;
  let bestLen = 0;
  for (const c of communities) {
    for (const p of [c.name, ...c.places]) {
      if (p.length > bestLen && text.includes(p)) {
        best = c;
        bestLen = p.length;
      }
    }
  }
  return best;
}
