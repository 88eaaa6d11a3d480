import { tokenize } from './normalise.js';
import type { ParsedQuery, QueryTerm } from './query.js';

/**
 * DESIGN §5 query grammar → ParsedQuery. Never throws: every problem is a short message for the user.
 *
 *   query   := item+                   items are ANDed
 *   item    := term ("OR" term)*       OR binds tighter than the implicit AND: `a b OR c` = a AND (b OR c)
 *            | "-" term                excluded (also `NOT term`); cannot take part in an OR
 *   term    := word | '"' phrase '"' | "author:" (word | '"' phrase '"')
 *
 * `AND` between terms is accepted and means what the space already means. Operators are upper case only, so
 * "or"/"and"/"not" in lower case are ordinary words. A word normalising to several tokens ("in-context",
 * "GPT-4") is a phrase of those tokens. A bare word with no letters or digits ("&", "🚀") is skipped; a quoted
 * phrase or author name with none is an error. Nothing the user types ever reaches a back end as syntax.
 */
export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; error: string };

export const MAX_QUERY_LENGTH = 500;
export const MAX_QUERY_TERMS = 30;

export function parseQuery(input: string): ParseResult {
  if (input.length > MAX_QUERY_LENGTH * 4) return tooLong();
  const text = input.trim();
  if (text.length > MAX_QUERY_LENGTH) return tooLong();
  if (!text) return fail('The query is empty: type a word or "a phrase" to search for.');

  const lexed = lex(text);
  if (!lexed.ok) return lexed;
  return assemble(text, lexed.items);
}

type Item =
  | { kind: 'or' }
  | { kind: 'and' }
  | { kind: 'not' }
  | { kind: 'term'; negated: boolean; term: QueryTerm | null; raw: string };

type LexResult = { ok: true; items: Item[] } | { ok: false; error: string };

const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb']);
const AUTHOR_PREFIX = /^author:/i;

function lex(text: string): LexResult {
  const items: Item[] = [];
  const chars = Array.from(text);
  let i = 0;
  const skipSpace = () => {
    while (i < chars.length && /\s/u.test(chars[i]!)) i++;
  };
  /** Reads a bare word (to whitespace or a quote) or a quoted phrase starting at i. */
  const readValue = (): { value: string; quoted: boolean } | { error: string } => {
    if (QUOTES.has(chars[i] ?? '')) {
      const start = ++i;
      while (i < chars.length && !QUOTES.has(chars[i]!)) i++;
      if (i >= chars.length) return { error: 'Unbalanced quotes: close the phrase with a second ".' };
      const value = chars.slice(start, i).join('');
      i++;
      return { value, quoted: true };
    }
    const start = i;
    while (i < chars.length && !/\s/u.test(chars[i]!) && !QUOTES.has(chars[i]!)) i++;
    return { value: chars.slice(start, i).join(''), quoted: false };
  };

  for (skipSpace(); i < chars.length; skipSpace()) {
    if (items.length > MAX_QUERY_TERMS * 3) return fail(`Too many terms: use at most ${MAX_QUERY_TERMS}.`);
    let negated = false;
    if (chars[i] === '-' && i + 1 < chars.length && !/\s/u.test(chars[i + 1]!)) {
      negated = true;
      i++;
    }
    let field: QueryTerm['field'] = 'any';
    const rest = chars.slice(i, i + 7).join('');
    if (AUTHOR_PREFIX.test(rest)) {
      field = 'author';
      i += 7;
      if (i >= chars.length || /\s/u.test(chars[i]!)) return fail('author: needs a name right after it, e.g. author:"Yann LeCun".');
    }
    const read = readValue();
    if ('error' in read) return fail(read.error);
    const { value, quoted } = read;

    if (!negated && field === 'any' && !quoted && (value === 'OR' || value === 'AND' || value === 'NOT')) {
      items.push(value === 'OR' ? { kind: 'or' } : value === 'AND' ? { kind: 'and' } : { kind: 'not' });
      continue;
    }
    const tokens = tokenize(value);
    const raw = `${negated ? '-' : ''}${field === 'author' ? 'author:' : ''}${quoted ? `"${value}"` : value}`;
    if (tokens.length === 0 && (quoted || field === 'author')) {
      return fail(nothingToSearch(raw));
    }
    items.push({ kind: 'term', negated, raw, term: tokens.length > 0 ? { field, tokens } : null });
  }
  return { ok: true, items };
}

function assemble(text: string, items: Item[]): ParseResult {
  const clauses: QueryTerm[][] = [];
  const excluded: QueryTerm[] = [];
  let previous: 'start' | 'term' | 'excluded' | 'or' | 'not' = 'start';
  let skipped = '';
  let terms = 0;

  for (const item of items) {
    if (item.kind === 'and') {
      if (previous === 'or' || previous === 'not') return fail(danglingOperator(previous));
      continue;
    }
    if (item.kind === 'or') {
      if (previous === 'excluded') return fail('An excluded term cannot be part of an OR: write `a OR b -c`.');
      if (previous !== 'term') return fail(danglingOperator('or'));
      previous = 'or';
      continue;
    }
    if (item.kind === 'not') {
      if (previous === 'or') return fail('An excluded term cannot be part of an OR: write `a OR b -c`.');
      if (previous === 'not') return fail(danglingOperator('not'));
      previous = 'not';
      continue;
    }
    const negated = item.negated || previous === 'not';
    if (!item.term) {
      // A bare word with nothing searchable: ignored, unless an operator needs it.
      if (previous === 'or' || previous === 'not') return fail(nothingToSearch(item.raw));
      skipped ||= item.raw;
      continue;
    }
    if (++terms > MAX_QUERY_TERMS) return fail(`Too many terms: use at most ${MAX_QUERY_TERMS}.`);
    if (negated) {
      if (previous === 'or') return fail('An excluded term cannot be part of an OR: write `a OR b -c`.');
      excluded.push(item.term);
      previous = 'excluded';
    } else if (previous === 'or') {
      clauses[clauses.length - 1]!.push(item.term);
      previous = 'term';
    } else {
      clauses.push([item.term]);
      previous = 'term';
    }
  }

  if (previous === 'or' || previous === 'not') return fail(danglingOperator(previous));
  if (clauses.length === 0) {
    if (excluded.length > 0) return fail('Add a term to look for: a query cannot be only -exclusions.');
    return fail(nothingToSearch(skipped || text));
  }
  return { ok: true, query: { clauses: dedupeClauses(clauses.map(dedupeTerms)), excluded: dedupeTerms(excluded), text } };
}

/** The user's text is echoed (it has no letters or digits, so it cannot spell a mention), cut short. */
function nothingToSearch(raw: string): string {
  const chars = Array.from(raw);
  const shown = chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : raw;
  return `Nothing to search for in ${shown}: it has no letters or digits.`;
}

function danglingOperator(op: 'or' | 'not'): string {
  return op === 'or' ? 'OR needs a term on each side, e.g. `diffusion OR flow`.' : 'NOT needs a term after it, e.g. `agents NOT survey`.';
}

export function termKey(term: QueryTerm): string {
  return `${term.field}:${term.tokens.join(' ')}`;
}

function dedupeTerms(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter((term) => {
    const key = termKey(term);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeClauses(clauses: QueryTerm[][]): QueryTerm[][] {
  const seen = new Set<string>();
  return clauses.filter((clause) => {
    const key = clause.map(termKey).sort().join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function tooLong(): ParseResult {
  return fail(`The query is too long: keep it under ${MAX_QUERY_LENGTH} characters.`);
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
