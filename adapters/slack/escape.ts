/**
 * Third-party text (titles, authors, abstracts, LLM output, what users typed) made safe for Slack and cut to fit.
 * mrkdwn treats `<…>` as control sequences (`<!channel>`, `<@U…>`, `<#C…>`, `<url|label>`), so `& < >` become
 * entities and no such sequence can survive. Cuts happen at grapheme boundaries (never inside a surrogate pair,
 * an emoji sequence or an entity) and end with an ellipsis.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
export const ELLIPSIS = '…';
/** Units segmented on each side of a cut point; longer grapheme clusters (zalgo) may be cut, still validly. */
const WINDOW = 32;

/** Bidi embeddings/overrides/isolates can make a title reorder the text after it; the BOM is invisible noise. */
function isDropped(cp: number): boolean {
  return (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0xfeff;
}

/** Anything sanitise would change: controls, bidi overrides/isolates, BOM, lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are dropped.
const NEEDS_SANITISING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Drops control and bidi-override characters; a lone surrogate (invalid UTF-16) becomes U+FFFD. */
export function sanitise(text: string): string {
  if (!NEEDS_SANITISING.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isDropped(cp)) continue;
    out += ch.length === 1 && cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : ch;
  }
  return out;
}

/** One line: arXiv hard wraps and runs of whitespace folded to single spaces. */
export function inline(text: string): string {
  return sanitise(text).replace(/\s+/g, ' ').trim();
}

/**
 * `@channel` / `@here` / `@everyone` typed as plain words don't notify in API messages today, but a word joiner
 * after the `@` keeps any client or future parse mode from reading them as broadcasts.
 */
function defuseBroadcasts(text: string): string {
  return text.includes('@') ? text.replace(/@(channel|here|everyone)\b/gi, '@\u2060$1') : text;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

function escapeEntities(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (ch) => ENTITIES[ch]!) : text;
}

/** Text for a mrkdwn field: sanitised, escaped, broadcasts defused. Not cut. */
export function escapeMrkdwn(text: string): string {
  return escapeEntities(defuseBroadcasts(sanitise(text)));
}

/** `text` escaped for mrkdwn and cut to at most `max` UTF-16 units after escaping. */
export function mrkdwn(text: string, max: number): string {
  return cut(defuseBroadcasts(sanitise(text)), max, escapeEntities, entityCost);
}

/** `text` for a plain_text object (Slack doesn't parse those, so nothing to escape), cut to `max` units. */
export function plainText(text: string, max: number): string {
  return cut(sanitise(text), max, (s) => s, () => 1);
}

/** How many units a code unit becomes once escaped. */
function entityCost(unit: number): number {
  return unit === 0x26 ? 5 : unit === 0x3c || unit === 0x3e ? 4 : 1;
}

/**
 * Cuts `text` so that `encode(result)` plus an ellipsis fits in `max`, at a grapheme boundary. The cut point
 * is found by counting encoded units; only a short window around it is segmented into graphemes (segmenting is
 * slow, and answers have to be quick); flag pairs are kept whole however long their run.
 */
function cut(text: string, max: number, encode: (s: string) => string, cost: (unit: number) => number): string {
  // Encoding never shrinks text, so only text already within `max` can fit whole.
  if (text.length <= max) {
    const whole = encode(text);
    if (whole.length <= max) return whole;
  }
  if (max < ELLIPSIS.length) return '';
  const budget = max - ELLIPSIS.length;
  let end = 0;
  for (let used = 0; end < text.length; end++) {
    used += cost(text.charCodeAt(end));
    if (used > budget) break;
  }
  return `${encode(text.slice(0, graphemeBoundaryAtOrBefore(text, end))).trimEnd()}${ELLIPSIS}`;
}

function graphemeBoundaryAtOrBefore(text: string, index: number): number {
  // Two printable ASCII characters always have a grapheme boundary between them (only controls and non-ASCII
  // code points join clusters), and a cut usually lands in plain words: no segmenting (~25 µs a window) then.
  if (isPrintableAscii(text.charCodeAt(index - 1)) && isPrintableAscii(text.charCodeAt(index))) return index;
  const from = Math.max(0, index - WINDOW);
  let boundary = from;
  for (const { index: at } of segmenter.segment(text.slice(from, Math.min(text.length, index + WINDOW)))) {
    if (from + at > index) break;
    boundary = from + at;
  }
  // A window that started inside a surrogate pair must not leave half of it.
  const before = text.charCodeAt(boundary - 1);
  if (before >= 0xd800 && before <= 0xdbff) boundary--;
  // Flags are pairs of regional indicators counted from the start of their run, which the window may not see:
  // inside a run, an odd number of indicators before the cut means it splits a flag.
  if (isRegionalIndicatorAt(text, boundary) && isRegionalIndicatorAt(text, boundary - 2)) {
    let run = 0;
    while (isRegionalIndicatorAt(text, boundary - 2 * (run + 1))) run++;
    if (run % 2 === 1) boundary -= 2;
  }
  return boundary;
}

/** False for NaN (an index outside the text). */
function isPrintableAscii(unit: number): boolean {
  return unit >= 0x20 && unit <= 0x7e;
}

function isRegionalIndicatorAt(text: string, at: number): boolean {
  const cp = at >= 0 ? text.codePointAt(at) : undefined;
  return cp !== undefined && cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/**
 * A URL fit for `<url|label>` and button `url`s: http(s) only, normalised by the WHATWG parser (which encodes
 * spaces, quotes and angle brackets), `|` encoded so it can't end the link early, at most `max` long. Else null.
 */
export function safeUrl(raw: string | null | undefined, max: number): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const href = url.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return href.length <= max ? href : null;
}

/** `<url|label>` in mrkdwn; `url` must come from safeUrl. `&` is an entity there too; Slack decodes it. */
export function mrkdwnLink(url: string, label: string, maxLabel: number): string {
  return `<${escapeEntities(url)}|${mrkdwn(label, maxLabel)}>`;
}

/** Slack HTML-escapes `& < >` in what users type into a slash command; the core wants what they typed. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Long text (an abstract) as consecutive mrkdwn pieces of at most `max` units each, split between words, at
 * most `limit` pieces; when text is left over, the last piece ends with an ellipsis.
 */
export function mrkdwnChunks(text: string, max: number, limit: number): string[] {
  const chunks: string[] = [];
  let current = '';
  const words = inline(text).split(' ').filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = mrkdwn(words[i]!, max - 1);
    if (current && current.length + 1 + word.length > max - 1) {
      chunks.push(current);
      current = '';
      if (chunks.length === limit) {
        chunks[limit - 1] = `${chunks[limit - 1]}${ELLIPSIS}`;
        return chunks;
      }
    }
    current = current ? `${current} ${word}` : word;
  }
  if (current) chunks.push(current);
  return chunks;
}
