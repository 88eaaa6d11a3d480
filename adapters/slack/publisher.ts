import type { ChannelRef } from '../../src/channel.js';
import { LruCache } from '../../src/util/lru-cache.js';
import { CHANNEL_UNAVAILABLE, type ChannelPublisher, type PostedMessage } from '../../src/delivery/publisher.js';
import type { Digest, DigestItem } from '../../src/digest/digest.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { ListedMessage, SlackApi } from './api.js';
import type { PaperCard } from '../../src/commands/command.js';
import type { Summary } from '../../src/summarise/summary.js';
import type { FollowUpdate } from '../../src/follow/follow-update.js';
import { renderFollowUpdate } from './render-follow.js';
import type { SlackMessage } from './blocks.js';
import { checkedOnce } from './message.js';
import type { Workspace } from '../../src/workspace.js';
import { renderDigestGroup, renderDigestItem, renderDigestParent, renderNotice, renderSummary } from './render.js';

/** Message metadata event types: how a resumed delivery recognises what the bot already posted. */
export const METADATA = { digest: 'paperboy_digest', paper: 'paperboy_paper', papers: 'paperboy_papers', summary: 'paperboy_summary', follow: 'paperboy_follow' } as const;

/** Replies read back when resuming; a digest has at most 25 papers plus summaries. */
const READ_BACK_LIMIT = 200;

/**
 * Digests the Slack way: a parent message in the channel, then one reply per paper in its thread
 * (`thread_ts` = the parent's ts). 11 messages for a 10-paper digest, each paced by the API layer.
 * Every post carries message metadata (digest key, paper id) so a delivery interrupted between Slack's answer
 * and the ledger's write can find what landed; reading it back needs the history scopes (see manifest.yml),
 * and without them a resumed delivery posts again rather than skip.
 */
export class SlackPublisher implements ChannelPublisher {
  readonly platform = 'slack' as const;
  private readonly permalinks = new LruCache<string, string>(5_000);
  /** Messages of frozen digests and items, by what they render: see `renderOnce`. */
  private readonly rendered = new WeakMap<object, SlackMessage>();

  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
  ) {}

  /**
   * A frozen digest or item (a fan-out shares one among its channels) is rendered and checked once, and every
   * channel is sent that same message; anything else is rendered for each post.
   */
  private renderOnce<T extends object>(source: T, render: (source: T) => SlackMessage): SlackMessage {
    if (!Object.isFrozen(source)) return render(source);
    let message = this.rendered.get(source);
    if (!message) this.rendered.set(source, (message = checkedOnce(render(source))));
    return message;
  }

  /** One bot token is one workspace: the team auth.test names (asked once). */
  async workspaceOf(): Promise<Workspace> {
    const { teamId } = await this.api.whoAmI();
    if (!teamId) throw new PaperboyError('slack_bad_response', 'Slack auth.test named no team_id');
    return { platform: 'slack', id: teamId };
  }

  async postParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage> {
    const posted = await this.api.postMessage(channel.id, () => ({ ...this.renderOnce(digest, renderDigestParent), metadata: { event_type: METADATA.digest, event_payload: { key: digest.key } } }));
    return { id: posted.ts, threadId: null };
  }

  async postItem(channel: ChannelRef, parent: PostedMessage, item: DigestItem, digest: Digest): Promise<PostedMessage> {
    const metadata = { event_type: METADATA.paper, event_payload: { key: digest.key, paper: item.paper.id } };
    const posted = await this.api.postMessage(channel.id, () => ({ thread_ts: parent.id, ...this.renderOnce(item, renderDigestItem), metadata }));
    return { id: posted.ts, threadId: null };
  }

  async updateParent(channel: ChannelRef, parent: PostedMessage, digest: Digest): Promise<void> {
    await this.api.update({ channel: channel.id, ts: parent.id, ...renderDigestParent(digest), metadata: { event_type: METADATA.digest, event_payload: { key: digest.key } } });
  }

  async postNotice(channel: ChannelRef, text: string): Promise<PostedMessage> {
    const posted = await this.api.postMessage(channel.id, () => ({ ...renderNotice(text) }));
    return { id: posted.ts, threadId: null };
  }

  async postSummary(channel: ChannelRef, threadId: string | null, card: PaperCard, summary: Summary): Promise<PostedMessage> {
    const metadata = { event_type: METADATA.summary, event_payload: { paper: card.paper.id } };
    const posted = await this.api.postMessage(channel.id, () => ({ ...(threadId ? { thread_ts: threadId } : {}), ...renderSummary(card, summary, { buttons: true }), metadata }));
    return { id: posted.ts, threadId };
  }

  async postFollowUpdate(channel: ChannelRef, replyTo: PostedMessage | null, update: FollowUpdate): Promise<PostedMessage> {
    const metadata = { event_type: METADATA.follow, event_payload: { paper: update.paper.id } };
    const posted = await this.api.postMessage(channel.id, () => ({ ...(replyTo ? { thread_ts: replyTo.id } : {}), ...renderFollowUpdate(update), metadata }));
    return { id: posted.ts, threadId: null };
  }

  async findSummary(channel: ChannelRef, threadId: string | null, paperId: string): Promise<PostedMessage | null> {
    const messages = await this.readBack(channel, () => (threadId ? this.api.replies(channel.id, threadId, READ_BACK_LIMIT) : this.api.history(channel.id, READ_BACK_LIMIT)));
    const me = await this.botId();
    const found = messages?.find((m) => ours(m, me) && m.metadata?.event_type === METADATA.summary && m.metadata.event_payload?.paper === paperId);
    return found ? { id: found.ts, threadId } : null;
  }

  /** Permalinks never change, so each is asked once: a search listing a few discussed papers stays quick. */
  async messageLink(channel: ChannelRef, message: PostedMessage): Promise<string | null> {
    const key = `${channel.id}:${message.id}`;
    const known = this.permalinks.get(key);
    if (known) return known;
    const url = await this.api.permalink(channel.id, message.id);
    this.permalinks.set(key, url);
    return url;
  }

  async postGroup(channel: ChannelRef, parent: PostedMessage, heading: string, items: DigestItem[], digest: Digest): Promise<PostedMessage> {
    const metadata = { event_type: METADATA.papers, event_payload: { key: digest.key, papers: items.map((item) => item.paper.id) } };
    const posted = await this.api.postMessage(channel.id, () => ({ thread_ts: parent.id, ...renderDigestGroup(heading, items), metadata }));
    return { id: posted.ts, threadId: null };
  }

  async findParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage | null> {
    const messages = await this.readBack(channel, () => this.api.history(channel.id, READ_BACK_LIMIT));
    const me = await this.botId();
    const found = messages?.find((m) => ours(m, me) && m.metadata?.event_type === METADATA.digest && m.metadata.event_payload?.key === digest.key);
    return found ? { id: found.ts, threadId: null } : null;
  }

  async findPostedItems(channel: ChannelRef, parent: PostedMessage, digest: Digest, paperIds: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const messages = await this.readBack(channel, () => this.api.replies(channel.id, parent.id, READ_BACK_LIMIT));
    const me = await this.botId();
    const wanted = new Set(paperIds);
    // Oldest first, so a paper posted twice maps to its first message.
    for (const message of [...(messages ?? [])].sort((a, b) => Number(a.ts) - Number(b.ts))) {
      const payload = message.metadata?.event_payload;
      if (!ours(message, me) || payload?.key !== digest.key) continue;
      const ids = message.metadata?.event_type === METADATA.paper ? [payload.paper] : message.metadata?.event_type === METADATA.papers ? (Array.isArray(payload.papers) ? payload.papers : []) : [];
      for (const id of ids) if (typeof id === 'string' && wanted.has(id) && !found.has(id)) found.set(id, message.ts);
    }
    return found;
  }

  private async botId(): Promise<string | null> {
    return (await this.api.whoAmI().catch(() => null))?.botId ?? null;
  }

  /** Reading history may be refused (no history scope); then nothing is known to have landed. */
  private async readBack(channel: ChannelRef, read: () => Promise<ListedMessage[]>): Promise<ListedMessage[] | null> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof PaperboyError && error.code === CHANNEL_UNAVAILABLE) throw error;
      this.logger.warn({ channel: channel.id, err: errorMessage(error) }, 'slack: could not read the channel back to resume a delivery; posting again');
      return null;
    }
  }
}

/** A message the bot posted: its bot_id matches ours (when we know it; metadata alone otherwise). */
function ours(message: ListedMessage, botId: string | null): boolean {
  return botId === null || message.bot_id === botId;
}
