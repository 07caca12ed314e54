/**
 * Longest text sent as one WeChat message. WeChat itself takes a few thousand characters, but long
 * bubbles are hard to read on a phone and a long list is easier to follow in parts.
 */
export const DEFAULT_MAX_MESSAGE_CHARS = 1500;

/**
 * Splits a text into parts of at most `maxChars` characters, at line boundaries where it can (a
 * single line longer than that is cut, preferring a space or a Chinese full stop). Joining the
 * parts with `\n` gives back the text, apart from line breaks at the cut points.
 */
export function splitText(text: string, maxChars = DEFAULT_MAX_MESSAGE_CHARS): string[] {
  if (maxChars < 1) throw new RangeError(`maxChars must be positive, got ${maxChars}`);
  if (text.length <= maxChars) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    for (const piece of cutLine(line, maxChars)) {
      if (current === '') current = piece;
      else if (current.length + 1 + piece.length <= maxChars) current += `\n${piece}`;
      else {
        flush();
        current = piece;
      }
    }
  }
  flush();
  return parts.length > 0 ? parts : [''];
}

/** One line in pieces of at most `maxChars`, cut after a space or 。；，when one is near the end. */
function cutLine(line: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const soft = Math.max(window.lastIndexOf(' '), window.lastIndexOf('。'), window.lastIndexOf('；'), window.lastIndexOf('，'));
    const cut = soft >= maxChars * 0.6 ? soft + 1 : maxChars;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}
