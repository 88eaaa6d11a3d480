/**
 * Real arXiv API responses, kept outside the project (../shared/data/arxiv): every file must read as arXiv
 * meant it. Skipped, saying why, when the folder is not there (a user's clone).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arxivErrorMessage, parseArxivFeed } from '../src/papers/arxiv-atom.js';

const dataDir = fileURLToPath(new URL('../../shared/data/arxiv/', import.meta.url));
const present = existsSync(dataDir);
if (!present) console.log(`Real arXiv responses skipped: ${dataDir} is not there.`);

describe.skipIf(!present)('real arXiv API responses', () => {
  const files = present ? readdirSync(dataDir).filter((name) => name.endsWith('.xml')).sort() : [];
  const read = (name: string) => readFileSync(`${dataDir}${name}`, 'utf8');

  it('reads every file: entries with canonical ids, titles, dates; the error feed as its message', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const xml = read(name);
      if (name.includes('error')) {
        expect(() => parseArxivFeed(xml), name).toThrow(/^arXiv refused the query: \S/);
        expect(arxivErrorMessage(xml), name).not.toBeNull();
        continue;
      }
      const feed = parseArxivFeed(xml);
      expect(feed.skipped, name).toEqual([]);
      expect(feed.entries.length, name).toBe(Math.min(feed.totalResults, (xml.match(/<entry>/g) ?? []).length));
      for (const entry of feed.entries) {
        expect(entry.id, name).toMatch(/^(?:\d{4}\.\d{4,5}|[a-z-]+\/\d{7})$/);
        expect(entry.title, name).toMatch(/^\S(?:.*\S)?$/);
        expect(entry.title, name).not.toMatch(/\s{2}|\n/);
        expect(entry.abstract, name).not.toMatch(/^\s|\n/);
        expect(entry.authors.length, name).toBeGreaterThan(0);
        expect(entry.published, name).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      }
    }
  });

  it('old-style ids, wrapped legacy titles and empty answers', () => {
    const oldStyle = files.find((name) => name.includes('astro-ph'));
    if (oldStyle) expect(parseArxivFeed(read(oldStyle)).entries.map((e) => e.id)).toEqual(['astro-ph/0601001']);
    const legacy = files.find((name) => name.startsWith('api_2016'));
    if (legacy) expect(parseArxivFeed(read(legacy)).entries[0]!.title).toBe('From stripe to checkerboard order on the square lattice in the presence of quenched disorder');
    const empty = files.find((name) => name.includes('empty'));
    if (empty) expect(parseArxivFeed(read(empty))).toMatchObject({ totalResults: 0, entries: [] });
  });
});
