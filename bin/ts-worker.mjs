// A worker thread's entry when paperboy runs from its TypeScript sources (tests, `npm run bench`): registers tsx in
// the thread, then loads the worker module named in workerData. The built bundle starts its workers directly.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
