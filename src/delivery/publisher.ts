import type { ChannelRef } from '../channel.js';
import type { PaperCard } from '../commands/command.js';
import type { Digest, DigestItem } from '../digest/digest.js';
import type { FollowUpdate } from '../follow/follow-update.js';
import type { Summary } from '../summarise/summary.js';
import type { Workspace } from '../workspace.js';

/** A message the platform accepted: its id, and the thread replies go into (Discord threads have their own id). */
export interface PostedMessage {
  id: string;
  threadId: string | null;
}

/**
 * The port each chat adapter implements to post for everyone in a channel: digests and alerts (one parent, then
 * one threaded reply per item), notices, and a paper's summary in a thread (the *Summarise* button).
 * Failures throw a `PaperboyError`; code `channel_unavailable` means the channel is gone or removed the bot
 * (Slack channel_not_found / not_in_channel / is_archived, Discord 10003 / 50001), so the caller pauses it.
 */
export interface ChannelPublisher {
  readonly platform: string;
  /**
   * The workspace a channel belongs to (Slack: the bot token's team; Discord: the channel's guild), which pays
   * for the LLM summaries of what is posted there. Rejects like a post would when the platform can't say.
   */
  workspaceOf(channel: ChannelRef): Promise<Workspace>;
  postParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage>;
  postItem(channel: ChannelRef, parent: PostedMessage, item: DigestItem, digest: Digest): Promise<PostedMessage>;
  /** Re-renders the parent (fresh upvote counts, late additions): Slack chat.update, Discord message edit. */
  updateParent(channel: ChannelRef, parent: PostedMessage, digest: Digest): Promise<void>;
  /** A short plain-text notice in the channel, e.g. "No new papers today". */
  postNotice(channel: ChannelRef, text: string): Promise<PostedMessage>;
  /**
   * A paper's summary, for everyone, in the thread the *Summarise* button was pressed in (`threadId` as the
   * command's ButtonPlace names it; null: the channel itself).
   */
  postSummary(channel: ChannelRef, threadId: string | null, card: PaperCard, summary: Summary): Promise<PostedMessage>;
  /**
   * A followed paper's news, for everyone, under `replyTo` (the paper's digest or alert post, or the message its
   * *Follow* was pressed on, as `PostedMessage`s name them); null: a new message in the channel.
   */
  postFollowUpdate(channel: ChannelRef, replyTo: PostedMessage | null, update: FollowUpdate): Promise<PostedMessage>;
  /** A summary of `paperId` already in that thread (a post whose ledger write failed), or null. */
  findSummary(channel: ChannelRef, threadId: string | null, paperId: string): Promise<PostedMessage | null>;
  /** A link people can open to one of our messages, or null when the platform can't give one. */
  messageLink(channel: ChannelRef, message: PostedMessage): Promise<string | null>;
  /** One threaded reply listing several papers, e.g. "Late additions" (rendered compactly, one message). */
  postGroup(channel: ChannelRef, parent: PostedMessage, heading: string, items: DigestItem[], digest: Digest): Promise<PostedMessage>;
  /**
   * Crash recovery: a process killed between the platform accepting a post and the ledger recording it leaves
   * the ledger unsure. These look at the channel itself (message metadata, embeds) to find what already landed.
   */
  findParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage | null>;
  findPostedItems(channel: ChannelRef, parent: PostedMessage, digest: Digest, paperIds: string[]): Promise<Map<string, string>>;
}

export const CHANNEL_UNAVAILABLE = 'channel_unavailable';
