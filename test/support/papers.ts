import type { DailyListing, Paper } from '../../src/papers/paper.js';

/** A realistic Paper with overridable fields, for store-level tests. */
export function makePaper(overrides: Partial<Paper> & { id: string }): Paper {
  return {
    title: `Paper ${overrides.id}`,
    abstract: 'We study a problem and propose a method. Experiments show it works well on standard benchmarks.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    publishedAt: '2026-05-14',
    upvotes: 10,
    comments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    aiKeywords: [],
    organization: null,
    thumbnail: null,
    ...overrides,
  };
}

export function listingsFor(day: string, papers: Paper[]): DailyListing[] {
  return papers.map((paper, index) => ({ day, rank: index + 1, paper }));
}
