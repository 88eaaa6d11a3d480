/** Discord channel types that change how a digest is posted. */
const FORUM_TYPES = new Set([15, 16]); // forum, media
const THREAD_TYPES = new Set([10, 11, 12]); // announcement thread, public thread, private thread

export function isForum(type: number): boolean {
  return FORUM_TYPES.has(type);
}

export function isThread(type: number): boolean {
  return THREAD_TYPES.has(type);
}

/**
 * Channel types we have seen (interactions carry their channel; a refused post makes us look one up), so a
 * text channel costs no extra request. Bounded: only ids we actually post to or hear from end up here.
 */
export class ChannelKinds {
  private readonly types = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  get(channelId: string): number | undefined {
    return this.types.get(channelId);
  }

  set(channelId: string, type: number): void {
    this.types.delete(channelId);
    this.types.set(channelId, type);
    if (this.types.size > this.capacity) this.types.delete(this.types.keys().next().value!);
  }
}
