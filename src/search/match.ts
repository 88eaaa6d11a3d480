import { AUTHORS_FIELD, paperTokens, type PaperTokens, type SearchablePaper } from './paper-tokens.js';
import type { ParsedQuery, QueryTerm } from './query.js';

/**
 * In-memory twin of the full-text back end (same fields, same normaliser, same phrase rule): every clause has a
 * matching term, no excluded term matches. A term matches when its tokens occur consecutively inside one field;
 * `author` terms look at author names only.
 */
export function matchesPaper(query: ParsedQuery, paper: SearchablePaper): boolean {
  return matchesTokens(query, paperTokens(paper));
}

/** `matchesPaper` for a paper tokenised once with `paperTokens` (use it when matching many queries). */
export function matchesTokens(query: ParsedQuery, paper: PaperTokens): boolean {
  // Plain loops: this runs for every (subscription, paper) pair the subscription index cannot rule out.
  for (const clause of query.clauses) {
    let matched = false;
    for (let i = 0; i < clause.length && !matched; i++) matched = termMatches(clause[i]!, paper);
    if (!matched) return false;
  }
  for (let i = 0; i < query.excluded.length; i++) {
    if (termMatches(query.excluded[i]!, paper)) return false;
  }
  return true;
}

export function termMatches(term: QueryTerm, paper: PaperTokens): boolean {
  const phrase = term.tokens;
  if (phrase.length === 0) return false;
  const places = paper.occurrences.get(phrase[0]!);
  if (!places) return false;
  const authorsOnly = term.field === 'author';
  for (let p = 0; p < places.length; p++) {
    const place = places[p]!;
    const field = place & 3;
    if (authorsOnly && field !== AUTHORS_FIELD) continue;
    if (phrase.length === 1) return true;
    const tokens = paper.fields[field]!;
    const start = place >> 2;
    let k = 1;
    while (k < phrase.length && tokens[start + k] === phrase[k]) k++;
    if (k === phrase.length) return true;
  }
  return false;
}
