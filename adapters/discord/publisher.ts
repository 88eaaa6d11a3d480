import type { ChannelRef } from '../../src/channel.js';
import { CHANNEL_UNAVAILABLE, type ChannelPublisher, type PostedMessage } from '../../src/delivery/publisher.js';
import type { Digest, DigestItem } from '../../src/digest/digest.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { DiscordApi } from './api.js';
import { isForum, isThread, type ChannelKinds } from './channel-kinds.js';
import { THREAD_AUTO_ARCHIVE_MINUTES } from './limits.js';
import { findItemMessages, findParentMessage, findSummaryMessage } from './recovery.js';
import type { PaperCard } from '../../src/commands/command.js';
import type { Summary } from '../../src/summarise/summary.js';
import type { FollowUpdate } from '../../src/follow/follow-update.js';
import { renderFollowUpdate } from './render-follow.js';
import { DIRECT_MESSAGES_ID, type Workspace } from '../../src/workspace.js';
import { digestThreadName, renderDigestGroup, renderDigestItem, renderDigestParent, renderNotice, renderSummaryPost } from './render.js';
import { discordErrorCode } from './client.js';

/** "Cannot send messages in a non-text channel" / "Cannot execute action on this channel type". */
const WRONG_CHANNEL_TYPE = new Set([50008, 50024]);
/** Missing Permissions: e.g. the bot may post but not create threads. */
const MISSING_PERMISSIONS = 50013;
/** "A thread has already been created for this message". */
const THREAD_EXISTS = 160004;

/**
 * Posts digests the Discord way: a parent message, a public thread started from it, one message per paper in
 * the thread. A forum channel gets a new post instead (the parent is the post's first message); a thread (a
 * command run inside one) gets everything in that thread. 12 requests for a 10-paper digest in a text channel.
 */
export class DiscordPublisher implements ChannelPublisher {
  readonly platform = 'discord' as const;

  constructor(
    private readonly api: DiscordApi,
    private readonly kinds: ChannelKinds,
    private readonly logger: Logger,
  ) {}

  async postParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage> {
    const message = renderDigestParent(digest);
    const name = digestThreadName(digest);
    const kind = this.kinds.get(channel.id);
    if (kind !== undefined && isForum(kind)) return this.postForum(channel.id, name, digest);
    // Only a pointer to an earlier thread: one plain message, nothing to thread under it.
    if (digest.items.length === 0) return { id: (await this.api.createMessage(channel.id, message, `${digest.key}|parent|${channel.id}`)).id, threadId: null };

    let parent: { id: string; threadId: string | null };
    try {
      parent = await this.api.createMessage(channel.id, message, `${digest.key}|parent|${channel.id}`);
    } catch (error) {
      // We only learn a configured channel is a forum when a plain message is refused; then look it up once.
      if (kind !== undefined || !WRONG_CHANNEL_TYPE.has(discordErrorCode(error) ?? 0)) throw error;
      const info = await this.api.getChannel(channel.id);
      this.kinds.set(channel.id, info.type);
      if (isForum(info.type)) return this.postForum(channel.id, name, digest);
      throw error;
    }
    if (kind !== undefined && isThread(kind)) return { id: parent.id, threadId: channel.id };
    // Posted before (its nonce gave us the same message back), thread and all.
    if (parent.threadId) return { id: parent.id, threadId: parent.threadId };
    try {
      const thread = await this.api.startThread(channel.id, parent.id, name, THREAD_AUTO_ARCHIVE_MINUTES);
      return { id: parent.id, threadId: thread.id };
    } catch (error) {
      const code = discordErrorCode(error);
      // The parent was posted before (its nonce gave us the same message back) and so was its thread, whose id
      // is the message's.
      if (code === THREAD_EXISTS) return { id: parent.id, threadId: parent.id };
      if (code === MISSING_PERMISSIONS || (code !== null && WRONG_CHANNEL_TYPE.has(code))) {
        // No thread possible (permission, or we're already in a thread): the papers follow in the channel.
        this.logger.warn({ channel: channel.id, err: errorMessage(error) }, 'discord: no thread for the digest; posting papers in the channel');
        return { id: parent.id, threadId: null };
      }
      throw error;
    }
  }

  async postItem(channel: ChannelRef, parent: PostedMessage, item: DigestItem, digest: Digest): Promise<PostedMessage> {
    const target = parent.threadId ?? channel.id;
    const posted = await this.api.createMessage(target, renderDigestItem(item), `${digest.key}|${item.paper.id}|${channel.id}`);
    return { id: posted.id, threadId: parent.threadId };
  }

  async updateParent(channel: ChannelRef, parent: PostedMessage, digest: Digest): Promise<void> {
    // A forum post's first message lives in the post (thread) itself; a thread starter lives in the channel.
    const kind = this.kinds.get(channel.id);
    const where = kind !== undefined && isForum(kind) && parent.threadId ? parent.threadId : channel.id;
    await this.api.editMessage(where, parent.id, renderDigestParent(digest));
  }

  async postNotice(channel: ChannelRef, text: string): Promise<PostedMessage> {
    const posted = await this.api.createMessage(channel.id, renderNotice(text));
    return { id: posted.id, threadId: null };
  }

  async postSummary(channel: ChannelRef, _threadId: string | null, card: PaperCard, summary: Summary): Promise<PostedMessage> {
    // The button's channel is the thread itself on Discord, so the summary goes there.
    const posted = await this.api.createMessage(channel.id, renderSummaryPost(card, summary), `summary|${card.paper.id}|${channel.id}`);
    return { id: posted.id, threadId: null };
  }

  async postFollowUpdate(channel: ChannelRef, replyTo: PostedMessage | null, update: FollowUpdate): Promise<PostedMessage> {
    // The paper's thread is a channel of its own; a follow pressed inside it was stored with that channel.
    const target = replyTo?.threadId ?? channel.id;
    const posted = await this.api.createMessage(target, renderFollowUpdate(update));
    return { id: posted.id, threadId: replyTo?.threadId ?? null };
  }

  async findSummary(channel: ChannelRef, _threadId: string | null, paperId: string): Promise<PostedMessage | null> {
    const found = await this.readBack(channel, () => findSummaryMessage(this.api, channel.id, paperId));
    return found ? { id: found, threadId: null } : null;
  }

  async messageLink(channel: ChannelRef, message: PostedMessage): Promise<string | null> {
    const guild = await this.guildOf(channel);
    return `https://discord.com/channels/${guild ?? '@me'}/${message.threadId ?? channel.id}/${message.id}`;
  }

  /** The channel's server; DMs have none and share one workspace. */
  async workspaceOf(channel: ChannelRef): Promise<Workspace> {
    return { platform: 'discord', id: (await this.guildOf(channel)) ?? DIRECT_MESSAGES_ID };
  }

  /** From what interactions told us, else GET /channels/{id} once (remembered with the channel's type). */
  private async guildOf(channel: ChannelRef): Promise<string | null> {
    const known = this.kinds.guildOf(channel.id);
    if (known !== undefined) return known;
    const info = await this.api.getChannel(channel.id);
    this.kinds.set(channel.id, info.type, info.guild_id ?? null);
    return info.guild_id ?? null;
  }

  async postGroup(channel: ChannelRef, parent: PostedMessage, heading: string, items: DigestItem[], digest: Digest): Promise<PostedMessage> {
    const posted = await this.api.createMessage(parent.threadId ?? channel.id, renderDigestGroup(heading, items), `${digest.key}|group|${channel.id}`);
    return { id: posted.id, threadId: parent.threadId };
  }

  async findParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage | null> {
    const kind = this.kinds.get(channel.id);
    // A forum post can't be found from the forum without listing the guild's threads; it is posted again.
    if (kind !== undefined && isForum(kind)) return null;
    const found = await this.readBack(channel, () => findParentMessage(this.api, channel.id, digest));
    if (!found) return null;
    if (kind !== undefined && isThread(kind)) return { id: found.id, threadId: channel.id };
    if (found.thread) return { id: found.id, threadId: found.thread.id };
    // The parent landed but its thread didn't: start it now.
    const thread = await this.api.startThread(channel.id, found.id, digestThreadName(digest), THREAD_AUTO_ARCHIVE_MINUTES);
    return { id: found.id, threadId: thread.id };
  }

  async findPostedItems(channel: ChannelRef, parent: PostedMessage, _digest: Digest, paperIds: string[]): Promise<Map<string, string>> {
    const found = await this.readBack(channel, () => findItemMessages(this.api, parent.threadId ?? channel.id, parent.id, paperIds));
    return found ?? new Map();
  }

  /** Reading history may be refused (no Read Message History): then nothing is known to have landed. */
  private async readBack<T>(channel: ChannelRef, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof PaperboyError && error.code === CHANNEL_UNAVAILABLE) throw error;
      this.logger.warn({ channel: channel.id, err: errorMessage(error) }, 'discord: could not read the channel back to resume a delivery');
      return null;
    }
  }

  private async postForum(forumId: string, name: string, digest: Digest): Promise<PostedMessage> {
    const post = await this.api.startForumPost(forumId, name, THREAD_AUTO_ARCHIVE_MINUTES, renderDigestParent(digest));
    return { id: post.id, threadId: post.id };
  }
}
