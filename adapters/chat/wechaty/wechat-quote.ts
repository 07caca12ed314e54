/**
 * WeChat delivers a quote-reply as plain text, the quoted part first, then a separator line, then the reply:
 *
 *     「王芳：新案件 #12 路灯照明｜张仪村…」
 *     - - - - - - - - - - - - - - -
 *     认领
 *
 * There is no id of the quoted message, so the case is read from the quoted text itself: the bot's
 * card (and every notice about a case) carries `#<number>`.
 */

/** What a quote-reply text came to. */
export interface WechatQuote {
  /** The reply: the text the command parser sees. */
  text: string;
  /** Display name of the quoted message's author, as WeChat wrote it. */
  quotedName: string;
  quotedText: string;
  /** First `#<number>` in the quoted text; null when the quoted message names no case. */
  quotedCaseId: number | null;
}

// 「name：quoted」 (full-width or ASCII colon; the quoted text may span lines), a line of `- - - …`, the reply.
const QUOTE = /^「([^：:\n]*)[：:]([\s\S]*?)」\s*\n\s*-(?: -){4,}\s*\n([\s\S]*)$/;
const CASE_NUMBER = /#\s?(\d{1,9})(?!\d)/;

/** Parses a WeChat quote-reply; null when the text is not one. */
export function parseWechatQuote(raw: string): WechatQuote | null {
  const m = QUOTE.exec(raw.replace(/\r\n/g, '\n').trim());
  if (!m) return null;
  const quotedText = m[2]!.trim();
  const n = CASE_NUMBER.exec(quotedText);
  const quotedCaseId = n ? Number(n[1]) : null;
  return { text: m[3]!.trim(), quotedName: m[1]!.trim(), quotedText, quotedCaseId: quotedCaseId && quotedCaseId > 0 ? quotedCaseId : null };
}
