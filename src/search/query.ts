/**
 * The parsed form of the DESIGN §5 query grammar, shared by both back ends (the store's full-text index and the
 * in-memory subscription matcher). Conjunctive normal form: every clause must match (AND), a clause matches when
 * any of its terms does (OR), and no excluded term may match.
 */
export interface QueryTerm {
  /** `any`: title, abstract, authors or keywords; `author`: author names only. */
  field: 'any' | 'author';
  /** Normalised tokens; more than one means an exact phrase. */
  tokens: string[];
}

export interface ParsedQuery {
  clauses: QueryTerm[][];
  excluded: QueryTerm[];
  /** The query as the user typed it (trimmed), for display. */
  text: string;
}
