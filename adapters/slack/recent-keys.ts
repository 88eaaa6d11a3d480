import type { Clock } from '../../src/time.js';

/**
 * Keys of requests handled in the last few minutes, so a delivery Slack retries (`X-Slack-Retry-Num`, a socket
 * envelope's `retry_attempt`) or replays is handled once. Bounded: the oldest keys go first.
 */
export class RecentKeys {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 10 * 60_000,
    private readonly capacity = 20_000,
  ) {}

  /** True when `key` was already seen within the TTL; otherwise records it and returns false. */
  seen(key: string): boolean {
    const now = this.clock().getTime();
    const at = this.seenAt.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seenAt.delete(key);
    this.seenAt.set(key, now);
    for (const [oldKey, oldAt] of this.seenAt) {
      if (this.seenAt.size <= this.capacity && now - oldAt < this.ttlMs) break;
      this.seenAt.delete(oldKey);
    }
    return false;
  }
}
