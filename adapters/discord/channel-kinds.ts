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
  private readonly channels = new Map<string, { type: number; guildId: string | null | undefined }>();

  constructor(private readonly capacity = 10_000) {}

  get(channelId: string): number | undefined {
    return this.channels.get(channelId)?.type;
  }

  /** The channel's server (null: a DM), when an interaction or a lookup told us; message links need it. */
  guildOf(channelId: string): string | null | undefined {
    return this.channels.get(channelId)?.guildId;
  }

  set(channelId: string, type: number, guildId?: string | null): void {
    const known = this.channels.get(channelId)?.guildId;
    this.channels.delete(channelId);
    this.channels.set(channelId, { type, guildId: guildId === undefined ? known : guildId });
    if (this.channels.size > this.capacity) this.channels.delete(this.channels.keys().next().value!);
  }
}
