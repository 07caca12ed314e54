import type { Case } from '../types';

/** The participant and practice fields of a case that has none yet (a fresh intake). */
export type PracticeFields = Pick<
  Case,
  | 'leaderId' | 'leaderName' | 'coHandlers' | 'whistle' | 'nodes' | 'extensions' | 'rating' | 'ratedAt' | 'followUpAt' | 'closedAt'
  | 'repeatOf' | 'repeatCount' | 'placeKey' | 'returnCount' | 'urgencyReason' | 'mediaCount'
>;

/** Fresh lists every call: a case's lists are never shared with another case. */
export function noPractice(): PracticeFields {
  return {
    leaderId: null, leaderName: null, coHandlers: [], whistle: [], nodes: [], extensions: [], rating: null, ratedAt: null, followUpAt: null, closedAt: null,
    repeatOf: null, repeatCount: 1, placeKey: null, returnCount: 0, urgencyReason: null, mediaCount: 0,
  };
}
