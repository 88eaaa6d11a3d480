import type { ParsedQuery, QueryTerm } from '../../search/query.js';
import { AUTHOR_MARK, AUTHORS_WEIGHT, escapeLexeme, pairLexeme } from './search-vector.js';

/**
 * Compiles a ParsedQuery into `tsquery` input text for the vectors search-vector.ts writes: the twin of
 * sqlite/fts-query.ts. Shape: `(c1) & (c2) … & !(e1 | e2 …)`. Every token is a quoted lexeme, taken as is (no
 * stemming, and nothing a user typed is read as tsquery syntax); the text is always a bound parameter
 * (`$1::tsquery`), never spliced into SQL. Returns null when there is nothing to match.
 *
 * A term, by its field and length (each form holds exactly when the in-memory matcher's phrase rule does):
 *   any, t            't'
 *   any, a b          'a b'                                 the pair lexeme: adjacent in one field and item
 *   any, a b c …      'a b' & 'b c' & ('a' <-> 'b' <-> 'c')  pairs narrow the rows (in the index), then positions
 *   author, t         '@t'
 *   author, a b       '@a b'
 *   author, a b c …   '@a b' & '@b c' & ('a':D <-> 'b':D <-> 'c':D)
 * Only the last forms need positions or weights, which PostgreSQL checks on each row the index returns; their
 * pairs keep those rows few.
 */
export function toTsquery(query: ParsedQuery): string | null {
  const clauses = query.clauses.filter((clause) => clause.length > 0);
  if (clauses.length === 0) return null;
  const positive = clauses.map((clause) => `(${clause.map(termTsquery).join(' | ')})`).join(' & ');
  if (query.excluded.length === 0) return positive;
  return `${positive} & !(${query.excluded.map(termTsquery).join(' | ')})`;
}

export function termTsquery(term: QueryTerm): string {
  const tokens = term.tokens;
  const mark = term.field === 'author' ? AUTHOR_MARK : '';
  if (tokens.length === 1) return lexeme(mark + tokens[0]!);
  const pairs = tokens.slice(1).map((token, i) => lexeme(mark + pairLexeme(tokens[i]!, token)));
  if (tokens.length === 2) return pairs[0]!;
  const weight = term.field === 'author' ? `:${AUTHORS_WEIGHT}` : '';
  const phrase = tokens.map((token) => `${lexeme(token)}${weight}`).join(' <-> ');
  return `(${pairs.join(' & ')} & (${phrase}))`;
}

function lexeme(text: string): string {
  return `'${escapeLexeme(text)}'`;
}
