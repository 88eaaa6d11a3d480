import { formatChannelRef, type ChannelRef } from '../../src/channel.js';
import type { PaperCard } from '../../src/commands/command.js';
import type { Summary } from '../../src/summarise/summary.js';
import { CHANNEL_UNAVAILABLE, type ChannelPublisher, type PostedMessage } from '../../src/delivery/publisher.js';
import type { Digest, DigestItem } from '../../src/digest/digest.js';
import { PaperboyError } from '../../src/errors.js';
import type { FollowUpdate } from '../../src/follow/follow-update.js';
import type { Workspace } from '../../src/workspace.js';

/** The workspace of every channel not in `workspaces`. */
export const WORKSPACE = 'T0CORE';

interface Post {
  channel: string;
  id: string;
}

/**
 * The platform as the core sees it, in memory: channels of threads. For core scheduling tests; the adapters are
 * tested against their HTTP fakes. `crashAfter` makes the Nth post land and then throw, like a process killed
 * before it could record the platform's answer; `unavailable` channels answer like a deleted channel.
 */
export class ThreadPublisher implements ChannelPublisher {
  parents: (Post & { title: string; key: string })[] = [];
  items: (Post & { parent: string; paperId: string; matched?: string })[] = [];
  notices: (Post & { text: string })[] = [];
  groups: (Post & { parent: string; heading: string; paperIds: string[] })[] = [];
  summaries: (Post & { thread: string | null; paperId: string; source: string })[] = [];
  updates: { channel: string; parent: string; digest: Digest }[] = [];
  followUpdates: (Post & { replyTo: PostedMessage | null; update: FollowUpdate })[] = [];
  unavailable = new Set<string>();
  /** Channel id → its workspace's id; channels not listed are in `WORKSPACE`. */
  workspaces = new Map<string, string>();
  posts = 0;

  constructor(
    readonly platform: string = 'slack',
    private crashAfter = Infinity,
    /** Each post waits a turn of the event loop, as a network call does, so concurrent deliveries interleave. */
    private readonly options: { yieldEachPost?: boolean } = {},
  ) {}

  /** A second process on the same platform state, as after a restart. */
  restarted(): ThreadPublisher {
    const next = new ThreadPublisher(this.platform, Infinity, this.options);
    Object.assign(next, { parents: this.parents, items: this.items, notices: this.notices, groups: this.groups, summaries: this.summaries, updates: this.updates, followUpdates: this.followUpdates, posts: this.posts, unavailable: this.unavailable, workspaces: this.workspaces });
    return next;
  }

  async workspaceOf(channel: ChannelRef): Promise<Workspace> {
    const ref = formatChannelRef(channel);
    if (this.unavailable.has(ref)) throw new PaperboyError(CHANNEL_UNAVAILABLE, `channel_not_found: ${ref}`);
    return { platform: this.platform, id: this.workspaces.get(channel.id) ?? WORKSPACE };
  }

  private async land(channel: ChannelRef): Promise<string> {
    if (this.options.yieldEachPost) await new Promise((resolve) => setImmediate(resolve));
    const ref = formatChannelRef(channel);
    if (this.unavailable.has(ref)) throw new PaperboyError(CHANNEL_UNAVAILABLE, `channel_not_found: ${ref}`);
    this.posts++;
    return `m${this.posts}`;
  }

  private maybeCrash(): void {
    if (this.posts >= this.crashAfter) throw new Error('killed');
  }

  async postParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage> {
    const id = await this.land(channel);
    this.parents.push({ channel: formatChannelRef(channel), id, title: digest.title, key: digest.key });
    this.maybeCrash();
    return { id, threadId: null };
  }

  async postItem(channel: ChannelRef, parent: PostedMessage, item: DigestItem): Promise<PostedMessage> {
    const id = await this.land(channel);
    this.items.push({ channel: formatChannelRef(channel), id, parent: parent.id, paperId: item.paper.id, matched: item.matchedSubscription });
    this.maybeCrash();
    return { id, threadId: null };
  }

  async updateParent(channel: ChannelRef, parent: PostedMessage, digest: Digest): Promise<void> {
    this.updates.push({ channel: formatChannelRef(channel), parent: parent.id, digest });
  }

  async postNotice(channel: ChannelRef, text: string): Promise<PostedMessage> {
    const id = await this.land(channel);
    this.notices.push({ channel: formatChannelRef(channel), id, text });
    return { id, threadId: null };
  }

  async postGroup(channel: ChannelRef, parent: PostedMessage, heading: string, items: DigestItem[]): Promise<PostedMessage> {
    const id = await this.land(channel);
    this.groups.push({ channel: formatChannelRef(channel), id, parent: parent.id, heading, paperIds: items.map((i) => i.paper.id) });
    return { id, threadId: null };
  }

  async postSummary(channel: ChannelRef, threadId: string | null, card: PaperCard, summary: Summary): Promise<PostedMessage> {
    const id = await this.land(channel);
    this.summaries.push({ channel: formatChannelRef(channel), id, thread: threadId, paperId: card.paper.id, source: summary.source });
    return { id, threadId };
  }

  async postFollowUpdate(channel: ChannelRef, replyTo: PostedMessage | null, update: FollowUpdate): Promise<PostedMessage> {
    const id = await this.land(channel);
    this.followUpdates.push({ channel: formatChannelRef(channel), id, replyTo, update });
    return { id, threadId: null };
  }

  async findSummary(channel: ChannelRef, threadId: string | null, paperId: string): Promise<PostedMessage | null> {
    const found = this.summaries.find((s) => s.channel === formatChannelRef(channel) && s.thread === threadId && s.paperId === paperId);
    return found ? { id: found.id, threadId } : null;
  }

  async messageLink(channel: ChannelRef, message: PostedMessage): Promise<string | null> {
    return `https://chat.example/${formatChannelRef(channel)}/${message.id}`;
  }

  async findParent(channel: ChannelRef, digest: Digest): Promise<PostedMessage | null> {
    const found = this.parents.find((p) => p.channel === formatChannelRef(channel) && p.key === digest.key);
    return found ? { id: found.id, threadId: null } : null;
  }

  async findPostedItems(channel: ChannelRef, parent: PostedMessage, _digest: Digest, paperIds: string[]): Promise<Map<string, string>> {
    const ref = formatChannelRef(channel);
    const found = new Map<string, string>();
    for (const item of this.items) if (item.channel === ref && item.parent === parent.id && paperIds.includes(item.paperId)) found.set(item.paperId, item.id);
    for (const group of this.groups) if (group.channel === ref && group.parent === parent.id) for (const id of group.paperIds) if (paperIds.includes(id)) found.set(id, group.id);
    return found;
  }

  /** Paper ids posted in a channel, in order (items and groups). */
  papersIn(channel: string): string[] {
    return this.items.filter((i) => i.channel === channel).map((i) => i.paperId);
  }
}
