/**
 * A worker thread holding part of the subscription index (see remote-index.ts): it files and drops subscriptions
 * by their place in the matcher's table, and answers a match request with the places each paper matched.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { Paper } from '../papers/paper.js';
import { paperTokens } from '../search/paper-tokens.js';
import { parseQuery } from '../search/parse.js';
import { createSubscriptionIndex } from '../search/subscription-index.js';
import type { WorkerReply, WorkerRequest } from './remote-index.js';

/** The lowest priority: the thread takes only the CPU time the main thread leaves. */
const WORKER_NICE = 19;

// Matching is background work: when cores are short, the main thread's acks and posts go first. On Linux a
// thread's nice value is its own, and pid 0 is the calling thread; elsewhere it would lower the whole process.
if (process.platform === 'linux') {
  try {
    setPriority(WORKER_NICE);
  } catch {
    // Not allowed here (a sandbox); the worker runs at the process's priority.
  }
}

const frequencies = new Map<string, number>();
const index = createSubscriptionIndex<number>({ documentFrequency: (token) => frequencies.get(token) });
const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  if (request.forgetFrequencies) frequencies.clear();
  for (const [token, count] of request.frequencies) frequencies.set(token, count);
  for (const place of request.removes) index.remove(place);
  for (const [place, text] of request.adds) {
    const parsed = parseQuery(text);
    // The matcher sends only queries it could parse itself.
    if (parsed.ok) index.add({ id: place, query: parsed.query });
  }
  if (!request.papers) return;
  port.postMessage(matchPapers(request.papers));
});

function matchPapers(papers: readonly Paper[]): WorkerReply {
  const offsets = new Int32Array(papers.length + 1);
  let places = new Int32Array(4096);
  let count = 0;
  papers.forEach((paper, p) => {
    index.forEachMatch(paperTokens(paper), (matched) => {
      if (count + matched.length > places.length) {
        const grown = new Int32Array(Math.max(places.length * 2, count + matched.length));
        grown.set(places.subarray(0, count));
        places = grown;
      }
      for (let i = 0; i < matched.length; i++) places[count++] = matched[i]!;
    });
    offsets[p + 1] = count;
  });
  return { places: places.slice(0, count), offsets };
}
