import type { ChannelRef } from '../channel.js';
import type { PaperLinks, Paper } from '../papers/paper.js';
import { formatDayLabel, localDate } from '../time.js';
import type { ChannelPublisher, PostedMessage } from './publisher.js';

/**
 * Where a paper was first posted in a channel, as the delivery ledger recorded it: the delivery (digest, alert,
 * late additions), the paper's own message and the thread it is in, and when. The first post, not the latest: a
 * paper shown again only as a pointer (below) is recorded too, and a link must lead to the real discussion.
 */
export interface EarlierPost {
  channel: ChannelRef;
  paperId: string;
  /** The delivery's ledger key (`daily:2026-05-18`, `alert:…`, `late:…`). */
  key: string;
  /** The paper's own message (Slack ts, Discord message id) and its thread (Discord's thread channel; null on Slack). */
  message: PostedMessage;
  /** The delivery's parent message. */
  parentMessageId: string | null;
  postedAt: Date;
}

/** An earlier post as people see it: the day (in the channel's time zone) and a link, null when none could be had. */
export interface DiscussedHere {
  post: EarlierPost;
  /** YYYY-MM-DD. */
  day: string;
  url: string | null;
}

/** A paper of a digest or alert this channel already got: listed with a pointer to its thread, never posted again. */
export interface DiscussedPaper {
  paper: Paper;
  links: PaperLinks;
  discussed: DiscussedHere;
}

/** Earlier posts of `paperIds` in the channel, leaving out the delivery `exceptKey` itself (a resumed one). */
export async function earlierPostsOf(
  store: { earlierPosts(channel: ChannelRef, paperIds: string[]): Promise<Map<string, EarlierPost>> },
  channel: ChannelRef,
  paperIds: string[],
  exceptKey?: string,
): Promise<Map<string, EarlierPost>> {
  const posts = await store.earlierPosts(channel, paperIds);
  if (exceptKey !== undefined) for (const [id, post] of posts) if (post.key === exceptKey) posts.delete(id);
  return posts;
}

/** "Discussed here Mon 18 May": the words every platform shows (and links, when it has the link). */
export function discussedLabel(discussed: DiscussedHere): string {
  return `Discussed here ${formatDayLabel(discussed.day)}`;
}

export function discussedHere(post: EarlierPost, timeZone: string): DiscussedHere {
  return { post, day: localDate(post.postedAt, timeZone), url: null };
}

/**
 * Asks the platform for a link to each earlier post (Slack chat.getPermalink, Discord's message URL). A link that
 * can't be had leaves `url` null: the pointer then names the day alone, and the post still goes out.
 */
export async function withLinks<T extends { discussed: DiscussedHere }>(publisher: Pick<ChannelPublisher, 'messageLink'>, channel: ChannelRef, entries: readonly T[]): Promise<T[]> {
  return Promise.all(
    entries.map(async (entry) => {
      if (entry.discussed.url !== null) return entry;
      const url = await publisher.messageLink(channel, entry.discussed.post.message).catch(() => null);
      return { ...entry, discussed: { ...entry.discussed, url } };
    }),
  );
}
