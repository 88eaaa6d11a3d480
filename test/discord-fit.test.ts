import { describe, expect, it } from 'vitest';
import { escapeMarkdown, foldWhitespace, markdown, markdownLines, neutraliseMentions, plain } from '../adapters/discord/escape.js';
import { createRng } from '../bench/lib/rng.js';

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The cut `fit` must find, by trying every prefix from the longest: the longest whose escaped form and "…" fit. */
function longestFitting(text: string, max: number, transform: (text: string) => string): string {
  const whole = transform(text);
  if (whole.length <= max) return whole;
  const points = Array.from(text);
  for (let n = points.length; n >= 0; n--) {
    const cut = transform(points.slice(0, n).join('').trimEnd());
    if (cut.length + 1 <= max) return `${cut}…`;
  }
  return '…';
}

const plainTransform = (t: string) => neutraliseMentions(t.replace(INVISIBLE, '')).replace(/\]\(/g, `]\u200b(`);
// Text that needs no escaping, where the cut lands right at the limit; then with invisible characters and runs of
// whitespace; then mostly text that needs escaping.
const PROSE = ['word', 'grokking', ' ', 'é', 'x'];
const PLAIN_PIECES = ['word', 'grokking', ' ', '  ', '\n\n\n', 'é', '😀', '\u0007', '\u2066', '\ud83d', '\ude00'];
const PIECES = ['word', 'grokking', ' ', '  ', '\n', '\n\n', '\t', '*', '_', '`', '~', '|', '[', ']', '(', '>', '#', '- ', '1. ', '<@1>', '@everyone', '](', '\u0007', '\u202e', '😀', 'é', 'x'];

describe('cutting third-party text to fit a Discord field', () => {
  it('finds the same cut as trying every prefix, for long and short texts, escapes, invisible characters and emoji', () => {
    const rng = createRng(7);
    for (let i = 0; i < 900; i++) {
      const pieces = [PROSE, PLAIN_PIECES, PIECES][i % 3]!;
      const length = 1 + Math.floor(rng() * 300);
      const text = Array.from({ length }, () => pieces[Math.floor(rng() * pieces.length)]!).join('');
      const max = 2 + Math.floor(rng() * 200);
      expect(markdown(text, max)).toBe(longestFitting(foldWhitespace(text), max, escapeMarkdown));
      expect(markdownLines(text, max)).toBe(longestFitting(text.trim(), max, escapeMarkdown));
      expect(plain(text, max)).toBe(longestFitting(foldWhitespace(text), max, plainTransform));
    }
  });
});
