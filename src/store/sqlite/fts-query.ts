import type { ParsedQuery, QueryTerm } from '../../search/query.js';

/**
 * Compiles a ParsedQuery into an FTS5 MATCH expression for `papers_fts(title, keywords, abstract, authors)`.
 * Every term becomes a double-quoted FTS5 string (a phrase), so nothing a user typed is ever read as FTS5
 * syntax; author terms get the `authors :` column filter. Shape: `(c1) AND (c2) … NOT (e1 OR e2 …)`.
 * Returns null when there is nothing to match (no clauses), which callers treat as "no results".
 */
export function toFtsMatch(query: ParsedQuery): string | null {
  const clauses = query.clauses.filter((clause) => clause.length > 0);
  if (clauses.length === 0) return null;
  const positive = clauses.map((clause) => `(${clause.map(ftsTerm).join(' OR ')})`).join(' AND ');
  if (query.excluded.length === 0) return positive;
  return `(${positive}) NOT (${query.excluded.map(ftsTerm).join(' OR ')})`;
}

export function ftsTerm(term: QueryTerm): string {
  const phrase = `"${term.tokens.map((token) => token.replaceAll('"', '""')).join(' ')}"`;
  return term.field === 'author' ? `authors : ${phrase}` : phrase;
}
