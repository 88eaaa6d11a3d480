import type { Paper } from '../papers/paper.js';
import { tokenize } from './normalise.js';

/** The searchable fields, in `papers_fts` column order. */
export const SEARCH_FIELDS = ['title', 'keywords', 'abstract', 'authors'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
export const AUTHORS_FIELD = SEARCH_FIELDS.indexOf('authors');

export type SearchablePaper = Pick<Paper, 'title' | 'abstract' | 'authors' | 'aiKeywords'>;

/**
 * Written between the items of a list field (authors, keywords) so a phrase can't run from one name into the
 * next. The normaliser never emits it (tokens are letters and digits), so no query term can match it; the FTS
 * table's tokenizer keeps it as a token (`tokenchars '_'`) so phrase positions agree in both back ends.
 */
export const LIST_SEPARATOR = '_';

/** Each field's normalised tokens, in SEARCH_FIELDS order: the one definition both back ends index. */
export function fieldTokens(paper: SearchablePaper): string[][] {
  return [tokenize(paper.title), listTokens(paper.aiKeywords), tokenize(paper.abstract), listTokens(paper.authors)];
}

function listTokens(items: readonly string[]): string[] {
  const tokens: string[] = [];
  for (const item of items) {
    const itemTokens = tokenize(item);
    if (itemTokens.length === 0) continue;
    if (tokens.length > 0) tokens.push(LIST_SEPARATOR);
    tokens.push(...itemTokens);
  }
  return tokens;
}

/** The normalised text of each field, exactly what `papers_fts` holds (columns in SEARCH_FIELDS order). */
export function indexedFields(paper: SearchablePaper): Record<SearchField, string> {
  const [title, keywords, abstract, authors] = fieldTokens(paper).map((tokens) => tokens.join(' '));
  return { title: title!, keywords: keywords!, abstract: abstract!, authors: authors! };
}

/**
 * A paper tokenised once for matching many queries: each field's token list plus, per token, every place it
 * occurs, encoded as `position * 4 + field index`.
 */
export interface PaperTokens {
  readonly fields: readonly (readonly string[])[];
  readonly occurrences: ReadonlyMap<string, readonly number[]>;
}

export function paperTokens(paper: SearchablePaper): PaperTokens {
  const fields = fieldTokens(paper);
  const occurrences = new Map<string, number[]>();
  fields.forEach((tokens, field) => {
    for (let pos = 0; pos < tokens.length; pos++) {
      const token = tokens[pos]!;
      const list = occurrences.get(token);
      if (list) list.push(pos * 4 + field);
      else occurrences.set(token, [pos * 4 + field]);
    }
  });
  return { fields, occurrences };
}
