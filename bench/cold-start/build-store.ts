/**
 * Child process: fills the SQLite store a cold-start run reads, through the production saveDay (as sync does),
 * into `<path>.partial` then renames it, so an interrupted build is never taken for a finished one.
 *
 *   run-ts bench/cold-start/build-store.ts <papers> <path>   → RESULT {"buildMs":…,"diskMb":…}
 */
import { renameSync, statSync } from 'node:fs';
import { generateCorpus, loadPools } from '../search/corpus.js';
import { buildSqlite } from '../search/sqlite-engine.js';

const [count, path] = process.argv.slice(2);
if (!count || !path) throw new Error('usage: build-store.ts <papers> <path>');

const started = performance.now();
const partial = `${path}.partial`;
const engine = await buildSqlite(generateCorpus(loadPools(), Number(count)), partial);
// store.close(), not engine.close(): the engine deletes its file on close, and this one is kept.
await engine.store.close();
renameSync(partial, path);
process.stdout.write(`RESULT ${JSON.stringify({ buildMs: performance.now() - started, diskMb: statSync(path).size / 1024 / 1024 })}\n`);
