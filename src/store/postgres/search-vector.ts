import { AUTHORS_FIELD, fieldTokens, LIST_SEPARATOR, type SearchablePaper } from '../../search/paper-tokens.js';

/**
 * A paper's `tsvector` literal, built from exactly the tokens SQLite's papers_fts gets (`fieldTokens`), never
 * from PostgreSQL's own parser and stemmer, so both back ends and the in-memory matcher agree on every match.
 *
 * Every token is a lexeme with its positions and its field's weight (title A, keywords B, abstract C,
 * authors D). Positions carry the phrase rule: a field's tokens take consecutive positions, LIST_SEPARATOR takes
 * one but is not written (so `a <-> b` cannot run from one author or keyword into the next, as FTS5's `_` token
 * prevents), and FIELD_GAP empty positions separate fields (so no phrase spans two).
 *
 * Derived lexemes, without positions, let the GIN index answer phrases and author terms by itself. Positions
 * and weights are not in the index, so a query using them (`a <-> b`, `a:D`) makes PostgreSQL re-read the vector
 * of every row holding all its lexemes: for "chain of thought" that is thousands of TOASTed vectors, 30–200 ms at
 * 100k papers. Instead:
 *   - `a b` (two tokens and a space, which no token contains): a and b are adjacent in one field, within one list
 *     item. A two-token phrase is exactly this lexeme; a longer one is narrowed to the few rows with all of its
 *     pairs before positions are checked.
 *   - `@a`, `@a b`: the same, in the author list. `author:` terms use these instead of the `:D` weight.
 * Both are built from the same token lists, so they hold exactly when the phrase rule above does. The store adds
 * the row's block lexemes (`#k`, `##m`, recency-blocks.ts) when it writes the vector. Tokens are letters and
 * digits only, so none can be mistaken for a pair, an author or a block lexeme.
 */
const FIELD_WEIGHT_LETTERS = ['A', 'B', 'C', 'D'] as const;
export const AUTHORS_WEIGHT = FIELD_WEIGHT_LETTERS[AUTHORS_FIELD];
/** Starts the author-only lexemes: neither a letter nor a digit, so no token starts with it. */
export const AUTHOR_MARK = '@';

const FIELD_GAP = 100;
/** PostgreSQL's largest position; larger ones are stored as this one. */
const MAX_POSITION = 16_383;
/** Positions PostgreSQL keeps per lexeme (it drops the rest). */
const MAX_POSITIONS_PER_LEXEME = 256;
/**
 * Lexemes must be shorter than 2 KiB. A query is at most 500 characters, so a token or pair longer than this
 * can never be searched for; it is left out rather than failing the whole vector.
 */
const MAX_LEXEME_BYTES = 2_046;

/**
 * Text for `$n::tsvector`. Fields come in SEARCH_FIELDS order (title, keywords, abstract, authors): the short,
 * bounded ones first, so only a huge author list (thousands of names) can run past MAX_POSITION. Past it,
 * every token sits at MAX_POSITION with MAX_POSITION − 1 left empty: it still matches as a single term and can
 * never complete a positional phrase with its neighbours, real or capped (a miss, never a false hit).
 */
export function searchVector(paper: SearchablePaper): string {
  const positioned = new Map<string, number[]>();
  const derived = new Set<string>();
  let position = 1;
  fieldTokens(paper).forEach((tokens, field) => {
    const mark = field === AUTHORS_FIELD ? AUTHOR_MARK : null;
    for (let i = 0; i < tokens.length; i++) {
      const at = position++;
      const token = tokens[i]!;
      if (token === LIST_SEPARATOR || tooLong(token)) continue;
      // Position and field in one number (as search/paper-tokens.ts encodes occurrences): sorts by position.
      const entry = (at < MAX_POSITION - 1 ? at : MAX_POSITION) * 4 + field;
      const list = positioned.get(token);
      if (!list) positioned.set(token, [entry]);
      else if (list[list.length - 1] !== entry) list.push(entry);

      const next = tokens[i + 1];
      const pair = next !== undefined && next !== LIST_SEPARATOR ? pairLexeme(token, next) : null;
      if (pair !== null && !tooLong(pair)) derived.add(pair);
      if (mark !== null) {
        derived.add(mark + token);
        if (pair !== null && !tooLong(pair)) derived.add(mark + pair);
      }
    }
    position += FIELD_GAP;
  });
  const parts: string[] = [];
  for (const [lexeme, entries] of positioned) {
    const kept = entries.length > MAX_POSITIONS_PER_LEXEME ? keepPerField(entries) : entries;
    parts.push(`'${escapeLexeme(lexeme)}':${kept.map((entry) => `${entry >> 2}${FIELD_WEIGHT_LETTERS[entry & 3]}`).join(',')}`);
  }
  for (const lexeme of derived) parts.push(`'${escapeLexeme(lexeme)}'`);
  return parts.join(' ');
}

/** The lexeme saying `first` is followed by `second` within one field and list item. */
export function pairLexeme(first: string, second: string): string {
  return `${first} ${second}`;
}

/**
 * PostgreSQL keeps a lexeme's first 256 positions. When a paper has more (a surname in a list of thousands of
 * authors), keep the first position in each field plus the earliest others, so the lexeme keeps every field's
 * weight, and only late positional phrases are lost.
 */
function keepPerField(entries: readonly number[]): number[] {
  const firstPerField = new Set<number>();
  const seenFields = new Set<number>();
  for (const entry of entries) {
    if (!seenFields.has(entry & 3)) {
      seenFields.add(entry & 3);
      firstPerField.add(entry);
    }
  }
  const kept = [...firstPerField];
  for (const entry of entries) {
    if (kept.length >= MAX_POSITIONS_PER_LEXEME) break;
    if (!firstPerField.has(entry)) kept.push(entry);
  }
  return kept.sort((a, b) => a - b);
}

function tooLong(lexeme: string): boolean {
  return lexeme.length * 3 > MAX_LEXEME_BYTES && Buffer.byteLength(lexeme) > MAX_LEXEME_BYTES;
}

/** Inside quotes a lexeme escapes `'` by doubling and `\` with a backslash (tokens have neither today). */
export function escapeLexeme(lexeme: string): string {
  return lexeme.replaceAll('\\', '\\\\').replaceAll("'", "''");
}
