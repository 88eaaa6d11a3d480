import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';

// undici is loaded with the first request: a CLI call answered from the store (most searches) never needs it,
// and it costs ~0.1 s to load.
let undiciModule: Promise<typeof Undici> | null = null;

export const loadUndici = (): Promise<typeof Undici> => (undiciModule ??= import('undici'));

/** A kept-alive undici Agent made with the first request (so undici loads only then), and closed on `close`. */
export class LazyAgent {
  private agent: Dispatcher | null = null;

  /** `timeoutMs`: connecting, the answer's headers and its body, each. */
  constructor(private readonly timeoutMs: number) {}

  async get(): Promise<Dispatcher> {
    const undici = await loadUndici();
    const timeout = this.timeoutMs;
    return (this.agent ??= new undici.Agent({ headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout } }));
  }

  /** Closes its connections; a later `get` makes a new agent. */
  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = null;
    await agent?.close();
  }
}
