/**
 * Real Hugging Face responses (../shared/data/hf-daily, outside the project) served through the fake: every
 * entry must parse, and order and ranks must match the file. Skipped when the data set is not present.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfDailyListSchema, hfEntryToPaper } from '../src/papers/hf-schema.js';
import { createHuggingFaceSource, type HuggingFaceSource } from '../src/papers/huggingface.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { syncDays } from '../src/papers/sync.js';
import { startFakeHfServer, type FakeHfServer } from './fakes/hf-server.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(projectRoot, '../shared/data/hf-daily');
const rawDir = join(dataDir, 'raw');
const present = existsSync(rawDir);

interface RawEntry {
  paper: { id: string; title: string; upvotes: number; authors: { name: string; hidden: boolean }[] };
  numComments?: number;
}

const readDay = (day: string): RawEntry[] => JSON.parse(readFileSync(join(rawDir, `${day}.json`), 'utf8')) as RawEntry[];

// Oldest schema, first submittedOnDailyAt, a projectPage with a leading space, a 1-entry day, a truncated
// 50-entry day, a holiday, a paper listed on two days, and the newest schema.
const SAMPLE_DAYS = ['2024-05-27', '2025-01-21', '2025-03-17', '2025-09-30', '2025-12-25', '2026-04-10', '2026-04-16', '2026-05-12', '2026-05-18'];

describe.skipIf(!present)('real HF daily files (../shared/data/hf-daily)', () => {
  let fake: FakeHfServer;
  let source: HuggingFaceSource;

  beforeAll(async () => {
    fake = await startFakeHfServer({ days: Object.fromEntries(SAMPLE_DAYS.map((day) => [day, readDay(day)])) });
    source = createHuggingFaceSource({ baseUrl: fake.url, rateLimit: false, maxAttempts: 1 });
  });

  afterAll(async () => {
    await source?.close();
    await fake?.close();
  });

  it('every entry of every raw file passes the schema and maps to a Paper', () => {
    const files = readdirSync(rawDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    let entries = 0;
    for (const file of files) {
      const parsed = hfDailyListSchema.safeParse(JSON.parse(readFileSync(join(rawDir, file), 'utf8')));
      expect(parsed.success, `${file}: ${parsed.error?.issues[0]?.message}`).toBe(true);
      for (const entry of parsed.data ?? []) {
        const paper = hfEntryToPaper(entry);
        expect(paper, `${file} ${entry.paper.id}`).not.toBeNull();
        expect(paper!.title).not.toMatch(/\s{2}|\n/);
        expect(paper!.abstract).not.toMatch(/\n/);
        entries++;
      }
    }
    expect(entries).toBeGreaterThan(1000);
  });

  it.each(SAMPLE_DAYS)('%s: served through the fake, order, ranks and fields match the file', async (day) => {
    const raw = readDay(day);
    const listings = await source.dailyPapers(day);
    expect(listings.map((l) => l.paper.id)).toEqual(raw.map((e) => e.paper.id));
    expect(listings.map((l) => l.rank)).toEqual(raw.map((_, i) => i + 1));
    expect(listings.map((l) => l.paper.upvotes)).toEqual(raw.map((e) => e.paper.upvotes));
    expect(listings.map((l) => l.paper.comments)).toEqual(raw.map((e) => e.numComments ?? 0));
    expect(listings.map((l) => l.paper.authors)).toEqual(raw.map((e) => e.paper.authors.filter((a) => !a.hidden).map((a) => a.name.replace(/\s+/g, ' ').trim())));
    expect(listings.every((l) => l.day === day)).toBe(true);
    // HF orders a day by upvotes, descending.
    const upvotes = listings.map((l) => l.paper.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
  });

  it('trims a projectPage with leading spaces (2025-03-17)', async () => {
    const listings = await source.dailyPapers('2025-03-17');
    const pages = listings.map((l) => l.paper.projectPage).filter((p): p is string => p !== null);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((p) => p === p.trim())).toBe(true);
  });

  it('syncs the sample days into SQLite, and a rerun adds nothing', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const first = await syncDays({ source, store }, { from: '2026-04-10', to: '2026-04-16' });
      expect(first.failedDays).toBe(0);
      // 2604.07429 is listed on both 2026-04-10 and 2026-04-16: one paper, two listings.
      const expected = new Set([...readDay('2026-04-10'), ...readDay('2026-04-16')].map((e) => e.paper.id)).size;
      expect(await store.countPapers()).toBe(expected);
      const again = await syncDays({ source, store }, { from: '2026-04-10', to: '2026-04-16' });
      expect(again.papersAdded).toBe(0);
      expect(await store.countPapers()).toBe(expected);
    } finally {
      await store.close();
    }
    expect(fake.unknownRoutes).toEqual([]);
  });
});
