import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { domainDictionary, type CategoryTable, type Segmenter } from '../../core/classify';

/**
 * core's `Segmenter` on jieba (@node-rs/jieba, native). The default dictionary and the domain terms
 * (井盖, 黑臭水体, 群租房, 私装地桩 … from the category table and the street's `categories.words`) are
 * loaded once, in about 150 ms; a cut of a few hundred characters then takes microseconds.
 */

/** Frequency given to the domain terms: high enough to keep them whole, low enough not to eat neighbours. */
const USER_WORD_FREQ = 3000;

/**
 * Builds the segmenter. Call once at start-up (main.ts) and pass it to `createClassifier`. HMM is off:
 * unknown runs come out as single characters, so a rule never matches half of an invented word.
 */
export function createJiebaSegmenter(table?: CategoryTable): Segmenter {
  const jieba = Jieba.withDict(dict);
  const userDict = domainDictionary(table).map((w) => `${w.replace(/\s+/g, '')} ${USER_WORD_FREQ}`).join('\n');
  jieba.loadDict(Buffer.from(userDict, 'utf8'));
  return (text) => {
    const words = jieba.cut(text, false);
    // The matcher needs segments that add up to the text; fall back to characters if they ever do not.
    return words.join('') === text ? words : Array.from(text, (c) => c);
  };
}
