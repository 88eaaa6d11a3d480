import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchChild } from '../lib/run-child.js';
import { loadPools } from '../search/corpus.js';

export const BENCH_DIR = join(tmpdir(), 'paperboy-bench');
const BUILD = fileURLToPath(new URL('./build-store.ts', import.meta.url));
/** What decides the file's content besides the texts: the generator and the schema. A change to either rebuilds. */
const INPUTS = ['../search/corpus.ts', '../../src/store/sqlite/migrations.ts'].map((file) => fileURLToPath(new URL(file, import.meta.url)));

export interface CachedStore {
  path: string;
  /** Where the texts came from (real papers or the built-in vocabulary). */
  source: string;
  /** Set when this run built the file. */
  buildMs: number | null;
  diskMb: number;
}

/**
 * The store a cold-start run reads, built once per size and corpus into `os.tmpdir()/paperboy-bench/` and
 * reused after: at 100k papers the build takes minutes, a search a fraction of a second.
 */
export async function cachedStore(papers: number): Promise<CachedStore> {
  const pools = loadPools();
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ ...pools, source: undefined }));
  for (const file of INPUTS) hash.update(readFileSync(file));
  const size = papers % 1000 === 0 ? `${papers / 1000}k` : String(papers);
  const path = join(BENCH_DIR, `cold-start-${size}-${hash.digest('hex').slice(0, 12)}.db`);
  if (existsSync(path)) return { path, source: pools.source, buildMs: null, diskMb: statSync(path).size / 1024 / 1024 };

  mkdirSync(BENCH_DIR, { recursive: true });
  process.stdout.write(`  building ${papers.toLocaleString('en-US')}-paper store (once; cached as ${path})… `);
  const built = (await runBenchChild(BUILD, [String(papers), path])) as { buildMs: number; diskMb: number };
  console.log(`${(built.buildMs / 1000).toFixed(1)} s`);
  return { path, source: pools.source, buildMs: built.buildMs, diskMb: built.diskMb };
}
