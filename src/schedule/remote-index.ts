import { Worker } from 'node:worker_threads';
import type { Paper } from '../papers/paper.js';

const FLUSH_AT = 1_000;

function emptyRequest(): WorkerRequest {
  return { forgetFrequencies: false, adds: [], removes: [], frequencies: [], papers: null };
}

/** Everything since the last request, then (with `papers`) a match. Messages are handled in order. */
export interface WorkerRequest {
  /** Drop the word counts learned so far (before taking `frequencies`), as the matcher did: both stay bounded. */
  forgetFrequencies: boolean;
  adds: [place: number, query: string][];
  removes: number[];
  frequencies: [token: string, count: number][];
  papers: Paper[] | null;
}

/** For each paper p, the places it matched: `places[offsets[p] .. offsets[p + 1])`. */
export interface WorkerReply {
  places: Int32Array;
  offsets: Int32Array;
}

/**
 * Part of the subscription index in a worker thread, so an alert run matches on two cores at once and the main
 * thread stays free for acks and posts: the matcher gives each of its workers a share of the places. Changes are
 * queued and go with the next match request. The thread does not keep the process alive; if it fails, every later
 * match is refused (the owner starts over).
 */
export class RemoteIndex {
  private request = emptyRequest();
  private failure: Error | null = null;
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null = null;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.pending?.reject(error);
      this.pending = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the subscription index worker stopped (exit code ${code})`)));
  }

  static start(): RemoteIndex {
    // From TypeScript sources (tests, the bench) the worker loads through tsx; from the bundle, as built.
    const fromSource = import.meta.url.endsWith('.ts');
    const entry = new URL(fromSource ? './match-worker.ts' : './match-worker.js', import.meta.url);
    const worker = fromSource ? new Worker(new URL('../../bin/ts-worker.mjs', import.meta.url), { workerData: { entry: entry.href } }) : new Worker(entry);
    return new RemoteIndex(worker);
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  add(place: number, query: string): void {
    // Sent in steps: copying 50k queries into one message would hold this thread for tens of milliseconds.
    if (this.request.adds.push([place, query]) >= FLUSH_AT) this.flush();
  }

  remove(place: number): void {
    this.request.removes.push(place);
  }

  forgetFrequencies(): void {
    this.request.forgetFrequencies = true;
    this.request.frequencies = [];
  }

  learn(token: string, count: number): void {
    this.request.frequencies.push([token, count]);
  }

  private flush(): void {
    if (!this.failure) this.send(null);
  }

  /** The places each paper matched, with every queued change applied first. One match at a time. */
  match(papers: readonly Paper[]): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.send([...papers]);
    });
  }

  private send(papers: Paper[] | null): void {
    this.worker.postMessage({ ...this.request, papers } satisfies WorkerRequest);
    this.request = emptyRequest();
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
