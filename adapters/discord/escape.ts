/**
 * Third-party text (titles, abstracts, author names, LLM output, user queries) shown on Discord. Two kinds:
 * `markdown()` for fields Discord renders as markdown (content, embed title/description, field values), `plain()`
 * for fields it shows verbatim (author name, footer, thread name, button label, autocomplete choice).
 *
 * Mentions never notify anyone because every message carries `allowed_mentions: {parse: []}`; we still break
 * their syntax so a title can't *display* as a role or channel mention or hide a link.
 */

const ZWSP = '\u200b';
const ELLIPSIS = '…';

// Control characters (except tab/newline) and bidirectional overrides that could reorder what readers see.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
/** Characters with a markdown meaning anywhere in a line: emphasis, code, spoilers, masked links, quotes, headings. */
const INLINE = /[\\*_~`|[\]>#]/g;
/** List markers and `-#` subtext only mean something at the start of a line. */
const LINE_START = /^([ \t]*)(?:([-+])|(\d+)\.)/gm;

/** Breaks `<@123>`, `<@&123>`, `<#123>`, `</cmd:1>`, `<t:…>`, `<:emoji:1>`, `<https://…>` and `@everyone`/`@here`. */
export function neutraliseMentions(text: string): string {
  return text.replace(/</g, `<${ZWSP}`).replace(/@(everyone|here)/gi, `@${ZWSP}$1`);
}

/** Escapes markdown and breaks mention syntax; keeps newlines. */
export function escapeMarkdown(text: string): string {
  const escaped = clean(text)
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_m, indent: string, marker: string | undefined, digits: string | undefined) =>
      marker ? `${indent}\\${marker}` : `${indent}${digits}\\.`,
    );
  return neutraliseMentions(escaped);
}

/** Markdown-escaped text, whitespace folded to one line, cut with an ellipsis to fit `max` characters. */
export function markdown(text: string, max: number): string {
  return fit(foldWhitespace(text), max, escapeMarkdown);
}

/** Like `markdown` but keeps line breaks (for multi-line descriptions made of third-party text). */
export function markdownLines(text: string, max: number): string {
  return fit(text.trim(), max, escapeMarkdown);
}

/**
 * Text for fields Discord doesn't render as markdown: folded, mention syntax broken, cut to `max`. `](` is
 * broken too, so nothing even reads as a masked link should a field start rendering markdown.
 */
export function plain(text: string, max: number): string {
  return fit(foldWhitespace(text), max, (t) => neutraliseMentions(clean(t)).replace(/\]\(/g, `]${ZWSP}(`));
}

export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clean(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Longest prefix (in code points, so no surrogate pair is split) whose transformed form plus an ellipsis fits.
 * Cutting the raw text rather than the escaped text means no escape sequence or mention breaker is ever split.
 *
 * Every transform here only adds characters, except the invisible ones it drops; and a prefix loses at most its
 * trailing whitespace to `trimEnd`. So a text longer than `max` plus those cannot fit whole, and no longer prefix
 * can fit: a 1,500-character abstract cut to a 320-character snippet is searched over its first ~320 code points,
 * instead of escaping all of it a dozen times.
 */
function fit(text: string, max: number, transform: (text: string) => string): string {
  const dropped = text.match(INVISIBLE)?.length ?? 0;
  if (text.length - dropped <= max) {
    const whole = transform(text);
    if (whole.length <= max) return whole;
  }
  const ends = codePointEnds(text, max + dropped + longestWhitespace(text));
  const prefix = (points: number) => text.slice(0, points === 0 ? 0 : ends[points - 1]).trimEnd();
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (transform(prefix(mid)).length + ELLIPSIS.length <= max) low = mid;
    else high = mid - 1;
  }
  return `${transform(prefix(low))}${ELLIPSIS}`;
}

/** Where each of the first `limit` code points of `text` ends, in code units (a lone surrogate is a point, as in `Array.from`). */
function codePointEnds(text: string, limit: number): number[] {
  const ends: number[] = [];
  for (let at = 0; at < text.length && ends.length < limit; ) {
    const unit = text.charCodeAt(at);
    const pair = unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00;
    at += pair ? 2 : 1;
    ends.push(at);
  }
  return ends;
}

/** The longest run of whitespace, as `trimEnd` counts it (at least 1, the usual run after folding). */
function longestWhitespace(text: string): number {
  let longest = 1;
  for (const run of text.matchAll(/\s{2,}/g)) longest = Math.max(longest, run[0].length);
  return longest;
}
