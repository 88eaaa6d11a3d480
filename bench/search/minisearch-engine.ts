import MiniSearch, { type Query } from 'minisearch';
import type { ParsedQuery, QueryTerm } from '../../src/search/query.js';
import { tokenize } from '../../src/search/normalise.js';
import type { BenchPaper } from './corpus.js';

/**
 * MiniSearch over the same papers, with the same normaliser and field boosts, so the comparison is about the
 * engine. It has no phrase search: a phrase becomes an AND of its tokens (a superset of the true matches).
 */
export interface MiniSearchEngine {
  search(query: ParsedQuery, limit: number): number[];
}

interface Doc {
  id: number;
  title: string;
  keywords: string;
  abstract: string;
  authors: string;
}

export function buildMiniSearch(papers: readonly BenchPaper[]): MiniSearchEngine {
  const index = new MiniSearch<Doc>({
    fields: ['title', 'keywords', 'abstract', 'authors'],
    storeFields: [],
    tokenize: (text) => tokenize(text),
    processTerm: (term) => term,
    searchOptions: {
      // Query leaves are already normalised tokens joined by spaces.
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boost: { title: 8, keywords: 4, abstract: 1, authors: 0.5 },
    },
  });
  index.addAll(
    papers.map(({ paper }, id) => ({
      id,
      title: paper.title,
      keywords: paper.aiKeywords.join(' . '),
      abstract: paper.abstract,
      authors: paper.authors.join(' . '),
    })),
  );
  return {
    search: (query, limit) => index.search(toMiniSearch(query)).slice(0, limit).map((result) => result.id as number),
  };
}

function toMiniSearch(query: ParsedQuery): Query {
  const positive: Query = { combineWith: 'AND', queries: query.clauses.map((clause) => ({ combineWith: 'OR', queries: clause.map(leaf) })) };
  if (query.excluded.length === 0) return positive;
  return { combineWith: 'AND_NOT', queries: [positive, ...query.excluded.map(leaf)] };
}

function leaf(term: QueryTerm): Query {
  return { combineWith: 'AND', queries: [term.tokens.join(' ')], ...(term.field === 'author' ? { fields: ['authors'] } : {}) };
}
