import { createRateLimiter, type RateLimiter } from '../../src/http/rate-limiter.js';
import { realSleep, type Sleep } from '../../src/http/sleep.js';

export interface PacerOptions {
  /** Gap between the end of one post to a channel and the start of the next (Slack: ≈1 message/s/channel). */
  intervalMs: number;
  /** Posts per minute across the workspace (Slack: "several hundred"); null for no cap. */
  workspacePerMinute: number | null;
  /** Posts that may go at once after a quiet spell (default: ten seconds' worth). */
  workspaceBurst?: number;
  sleep?: Sleep;
  now?: () => number;
  /**
   * Other processes posting to the same channels (replicas): reserves the channel's next slot in the shared store
   * and resolves to the epoch ms it may go. Without it, pacing holds within this process only.
   */
  shared?: (channel: string, intervalMs: number) => Promise<number>;
}

/**
 * Spaces `chat.postMessage` calls so a fan-out to many channels runs concurrently without drawing 429s:
 * per channel, posts run one at a time with `intervalMs` between the end of one and the start of the next
 * (measured from the answer, so a request delayed on the way can't arrive too close to the next); across the
 * workspace, a token bucket caps the total rate. A 429 pushes that channel's next slot back by Retry-After.
 */
export class PostPacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly nextAt = new Map<string, number>();
  private readonly workspace: RateLimiter | null;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(private readonly options: PacerOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? (() => performance.now());
    const perMinute = options.workspacePerMinute;
    // A burst of ten seconds' worth lets a small fan-out start at once; the sustained rate is the cap.
    const burst = options.workspaceBurst ?? Math.max(1, perMinute ? perMinute / 6 : 1);
    this.workspace = perMinute ? createRateLimiter({ burst, perSecond: perMinute / 60 }, () => new Date(), this.sleep) : null;
  }

  /** Runs `task` in `channel`'s next slot; tasks for one channel run in call order. */
  run<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const result = previous.then(() => this.runInSlot(channel, task));
    const tail = result.catch(() => undefined);
    this.tails.set(channel, tail);
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return result;
  }

  /** Slack said 429: nothing more goes to this channel for `ms`. */
  holdOff(channel: string, ms: number): void {
    this.nextAt.set(channel, Math.max(this.nextAt.get(channel) ?? 0, this.now() + ms));
  }

  /** Waits out a hold-off set while the current task runs (a 429 answered mid-slot). */
  async waitForSlot(channel: string): Promise<void> {
    const wait = (this.nextAt.get(channel) ?? 0) - this.now();
    if (wait > 0) await this.sleep(Math.ceil(wait));
  }

  private async runInSlot<T>(channel: string, task: () => Promise<T>): Promise<T> {
    await this.waitForSlot(channel);
    if (this.options.shared) {
      const wait = (await this.options.shared(channel, this.options.intervalMs)) - Date.now();
      if (wait > 0) await this.sleep(wait);
    }
    await this.workspace?.take();
    try {
      return await task();
    } finally {
      this.nextAt.set(channel, Math.max(this.nextAt.get(channel) ?? 0, this.now() + this.options.intervalMs));
      this.forgetIdle();
    }
  }

  /** Channels whose slot is long past need no memory; keeps the map small across thousands of channels. */
  private forgetIdle(): void {
    if (this.nextAt.size < 10_000) return;
    const now = this.now();
    for (const [channel, at] of this.nextAt) if (at < now) this.nextAt.delete(channel);
  }
}
