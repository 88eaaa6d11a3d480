/** Plain-text hygiene shared by prompts, LLM output and the extractive fallback. */

// C0/C1 controls (those that are whitespace become a space) and the bidi controls that can reorder displayed text.
const CONTROL = /[\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/gu;

/** Folds every run of whitespace (arXiv hard wraps included) into one space and drops control characters. */
export function cleanText(text: string): string {
  return text
    .replace(CONTROL, (char) => (/[\s\u0085]/.test(char) ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Cuts `text` to at most `max` UTF-16 units, at a word boundary when one is near, ending with "…".
 * Never splits a surrogate pair.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const space = text.lastIndexOf(' ', end);
  if (space >= max * 0.6) end = space;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).replace(/[\s,;:.-]+$/, '')}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
