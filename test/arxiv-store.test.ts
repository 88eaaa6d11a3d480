import { describe, expect, it } from 'vitest';
import { arxivEntryToPaper } from '../src/papers/arxiv-atom.js';
import type { Paper } from '../src/papers/paper.js';
import { parseQuery } from '../src/search/parse.js';
import type { Store } from '../src/store/store.js';
import { listingsFor, makePaper } from './support/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';

/** A paper as arXiv gives it: no upvotes, no code, no AI summary. */
function arxivPaper(id: string, title: string, abstract = 'An abstract from arXiv.'): Paper {
  return arxivEntryToPaper({ id, version: 1, title, abstract, authors: ['Grace Hopper'], published: '2026-05-18T13:02:44.000Z', categories: ['cs.CL'], primaryCategory: 'cs.CL' });
}

async function searchIds(store: Store, text: string): Promise<string[]> {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return (await store.searchPapers(parsed.query, { limit: 5, offset: 0, now: new Date('2026-05-19T12:00:00Z') })).map((hit) => hit.paper.id);
}

const DAY = '2026-05-19';
const hfAt = new Date('2026-05-19T08:00:00Z');
const arxivAt = new Date('2026-05-19T09:00:00Z');

describe.each(EACH_BACKEND)('%s store: arXiv papers beside Hugging Face', (_, backend) => {
  const open = useBackend(backend);

  it('adds new arXiv papers: first seen then (alerts see them), searchable, in no digest', async () => {
    const store = open();
    await store.saveDay(DAY, listingsFor(DAY, [makePaper({ id: '2605.10001', title: 'Diffusion for Video' })]), hfAt);
    const result = await store.addPapers([arxivPaper('2605.18877', 'Tokamak-Style Confinement for Long-Context Language Models'), arxivPaper('hep-th/9901001', 'Strings on a Lattice')], arxivAt);
    expect(result).toEqual({ papersAdded: 2, papersKnown: 0 });
    expect((await store.papersAddedSince(arxivAt)).map((p) => p.id)).toEqual(['2605.18877', 'hep-th/9901001']);
    expect(await searchIds(store, 'tokamak')).toEqual(['2605.18877']);
    expect(await searchIds(store, 'lattice strings')).toEqual(['hep-th/9901001']);
    expect((await store.listingsForDay(DAY)).map((l) => l.paper.id)).toEqual(['2605.10001']);
    expect(await store.countPapers()).toBe(3);
  });

  it('a paper HF has is one row, and arXiv changes none of its fields', async () => {
    const store = open();
    const hf = makePaper({ id: '2605.18877', title: 'Tokamak Confinement (HF title)', upvotes: 97, comments: 4, aiSummary: 'HF summary.', aiKeywords: ['tokamak'], githubRepo: 'https://github.com/o/tok', githubStars: 42, projectPage: 'https://tok.example', organization: 'Org', thumbnail: 'https://cdn.example/t.png', publishedAt: null });
    await store.saveDay(DAY, listingsFor(DAY, [hf]), hfAt);
    const result = await store.addPapers([arxivPaper('2605.18877', 'Tokamak Confinement v2 title', 'A newer abstract.')], arxivAt);
    expect(result).toEqual({ papersAdded: 0, papersKnown: 1 });
    // Only the missing publication date is taken from arXiv.
    expect(await store.getPaper('2605.18877')).toEqual({ ...hf, publishedAt: '2026-05-18' });
    expect((await store.listingsForDay(DAY)).map((l) => [l.paper.id, l.paper.upvotes])).toEqual([['2605.18877', 97]]);
    // Not new: no second alert.
    expect(await store.papersAddedSince(arxivAt)).toEqual([]);
    expect(await store.countPapers()).toBe(1);
    expect(await backendCount(store)).toBe(1);
  });

  it('a paper arXiv brought first gets HF fields when HF lists it, still one row, not new again', async () => {
    const store = open();
    await store.addPapers([arxivPaper('2605.18877', 'Tokamak-Style Confinement')], hfAt);
    const hf = makePaper({ id: '2605.18877', title: 'Tokamak-Style Confinement', upvotes: 120, aiSummary: 'HF summary.', aiKeywords: ['plasma'], githubRepo: 'https://github.com/o/tok' });
    const saved = await store.saveDay(DAY, listingsFor(DAY, [hf]), arxivAt);
    expect(saved).toMatchObject({ papersAdded: 0, papersUpdated: 1, listingsAdded: 1 });
    expect(await store.getPaper('2605.18877')).toEqual(hf);
    expect((await store.listingsForDay(DAY)).map((l) => l.paper.upvotes)).toEqual([120]);
    expect(await store.papersAddedSince(arxivAt)).toEqual([]);
    expect(await searchIds(store, 'plasma')).toEqual(['2605.18877']);
    expect(await backendCount(store)).toBe(1);
  });

  it('a paper twice in one arXiv batch is added once', async () => {
    const store = open();
    expect(await store.addPapers([arxivPaper('2605.18877', 'Once'), arxivPaper('2605.18877', 'Once')], arxivAt)).toEqual({ papersAdded: 1, papersKnown: 1 });
    expect(await store.countPapers()).toBe(1);
  });

  async function backendCount(store: ReturnType<typeof open>): Promise<number> {
    return store.countRows('papers');
  }
});
