import { describe, expect, it } from 'vitest';
import { makePaper, listingsFor } from './support/papers.js';
import { EACH_BACKEND, useBackend } from './support/stores.js';

const from = new Date('2026-11-30T09:00:00Z');
const to = new Date('2026-12-01T09:00:00Z');
const arxiv = (id: string, publishedAt: string) => makePaper({ id, publishedAt, upvotes: 0 });

describe.each(EACH_BACKEND)('%s store: arXiv-only papers for a digest window', (_, backend) => {
  const open = useBackend(backend);

  it('lists papers first stored in [from, to) that HF never listed, newest submission first', async () => {
    const store = open();
    await store.addPapers([arxiv('2611.30001', '2026-11-29')], new Date('2026-11-30T08:59:59Z')); // before the window
    await store.addPapers([arxiv('2611.30002', '2026-11-29'), arxiv('2611.30010', '2026-11-30'), arxiv('2611.30003', '2026-11-29')], from);
    await store.addPapers([arxiv('2612.00004', '2026-11-30'), arxiv('2611.30020', '2026-11-30')], new Date('2026-12-01T02:00:00Z'));
    await store.addPapers([arxiv('2612.00099', '2026-12-01')], to); // after the window
    // HF lists one of them: it belongs to HF's digest.
    await store.saveDay('2026-11-30', listingsFor('2026-11-30', [makePaper({ id: '2611.30010', publishedAt: '2026-11-30' })]), new Date('2026-11-30T10:00:00Z'));
    // Found by an HF search: stored in the window, never listed, but years old; not a new arXiv paper.
    await store.savePapers([makePaper({ id: '1706.03762', publishedAt: '2017-06-12' })]);

    const ids = async (limit: number, offset = 0) =>
      (await store.unlistedPapersAddedBetween(from, to, { publishedFrom: '2026-11-22', limit, offset })).map((paper) => paper.id);
    expect(await ids(10)).toEqual(['2612.00004', '2611.30020', '2611.30003', '2611.30002']);
    expect(await ids(2)).toEqual(['2612.00004', '2611.30020']);
    expect(await ids(2, 2)).toEqual(['2611.30003', '2611.30002']);
    const [first] = await store.unlistedPapersAddedBetween(from, to, { publishedFrom: '2026-11-22', limit: 1, offset: 0 });
    expect(first).toEqual(arxiv('2612.00004', '2026-11-30'));
  });

  it('leaves out papers without a publication date or published before publishedFrom', async () => {
    const store = open();
    await store.addPapers([arxiv('2611.20001', '2026-11-20'), makePaper({ id: '2611.30005', publishedAt: null }), arxiv('2611.30006', '2026-11-22')], from);
    const papers = await store.unlistedPapersAddedBetween(from, to, { publishedFrom: '2026-11-22', limit: 10, offset: 0 });
    expect(papers.map((paper) => paper.id)).toEqual(['2611.30006']);
  });
});
