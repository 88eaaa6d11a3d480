import type { SharedCoordination } from '../platform.js';
import type { Clock } from '../time.js';

/**
 * Keys of requests handled in the last few minutes, so a request a platform retries (Slack's `X-Slack-Retry-Num`,
 * a socket envelope's `retry_attempt`) or someone replays (the same signed Discord interaction bytes) is handled
 * once. Checked here first (bounded, oldest keys go first), then in the store every replica shares, since a retry
 * may reach another replica behind the load balancer. The TTL must cover the platform's signature window.
 */
export class RecentKeys {
  private readonly seenAt = new Map<string, number>();

  constructor(
    /** Keeps each platform's keys apart in the shared store (`slack`, `discord`). */
    private readonly namespace: string,
    private readonly clock: Clock,
    private readonly shared?: Pick<SharedCoordination, 'markSeen'>,
    private readonly ttlMs = 10 * 60_000,
    private readonly capacity = 20_000,
  ) {}

  /** True when `key` was already seen within the TTL, here or by another replica; otherwise records it. */
  async seen(key: string): Promise<boolean> {
    const now = this.clock().getTime();
    const at = this.seenAt.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seenAt.delete(key);
    this.seenAt.set(key, now);
    for (const [oldKey, oldAt] of this.seenAt) {
      if (this.seenAt.size <= this.capacity && now - oldAt < this.ttlMs) break;
      this.seenAt.delete(oldKey);
    }
    if (!this.shared) return false;
    const first = await this.shared.markSeen(`${this.namespace}:${key}`, new Date(now), new Date(now + this.ttlMs)).catch(() => true);
    return !first;
  }
}
