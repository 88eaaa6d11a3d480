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
 */
function fit(text: string, max: number, transform: (text: string) => string): string {
  const whole = transform(text);
  if (whole.length <= max) return whole;
  const points = Array.from(text);
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (transform(points.slice(0, mid).join('').trimEnd()).length + ELLIPSIS.length <= max) low = mid;
    else high = mid - 1;
  }
  return `${transform(points.slice(0, low).join('').trimEnd())}${ELLIPSIS}`;
}
