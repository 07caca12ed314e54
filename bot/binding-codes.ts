import { randomInt } from 'node:crypto';
import type { CaseStore } from '../core/ports';

/** Letters and digits that cannot be misread (no 0/O, 1/I). Matches core's BINDING_CODE. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Issues a one-time binding code (`K7QF-3M9X`), stored so that exactly one `绑定 … <code>` can spend it.
 * The code is printed in the bot's log at start and by `npm run bind-code`: whoever can read the
 * log (the street's operator) hands it to the admin who binds the groups.
 */
export function issueBindingCode(store: CaseStore, now: number): string {
  const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${pick()}-${pick()}`;
  store.addBindingCode(code, now);
  return code;
}
