import type { ChannelRef, Platform } from '../channel.js';
import type { Digest, DigestItem } from '../digest/digest.js';

/** A message the platform accepted: its id, and the thread replies go into (Discord threads have their own id). */
export interface PostedMessage {
  id: string;
  threadId: string | null;
}

/**
 * The port each chat adapter implements to post a digest: one parent, then one threaded reply per item.
 * Errors should be `PaperboyError`s whose code says whether the channel is gone (`channel_unavailable`).
 */
export interface DigestPublisher {
  readonly platform: Platform;
  postParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage>;
  postItem(channel: ChannelRef, parent: PostedMessage, item: DigestItem, digest: Digest): Promise<PostedMessage>;
}
