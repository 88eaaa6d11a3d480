import { readChannelRef, type ChannelRef } from '../channel.js';
import type { Paper } from '../papers/paper.js';
import { z } from 'zod';
import { isDigestSource } from '../digest/digest-source.js';
import { isWeekday } from '../schedule/weekdays.js';
import type { ChannelSettings, DeliveryRecord, Follow, PaperArtifacts, Subscription } from './store.js';
import type { EarlierPost } from '../delivery/earlier-post.js';

/**
 * Rows of the tables both back ends share, read into the model once. What differs is only how a driver hands
 * values back: SQLite JSON as text and booleans as 0/1, PostgreSQL `json` parsed and real booleans and dates.
 */

/** A `papers` row; `List` is how the driver returns a JSON list column. */
export interface PaperRowOf<List> {
  rowid: number;
  id: string;
  title: string;
  abstract: string;
  authors: List;
  published_at: string | null;
  upvotes: number;
  comments: number;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  ai_summary: string | null;
  ai_keywords: List;
  organization: string | null;
  thumbnail: string | null;
  latest_day: string | null;
}

/** `list` reads one JSON list column (named for its error) into strings. */
export function paperFromRow<List>(row: PaperRowOf<List>, list: (value: List, column: 'authors' | 'ai_keywords') => string[]): Paper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: list(row.authors, 'authors'),
    publishedAt: row.published_at,
    upvotes: row.upvotes,
    comments: row.comments,
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    aiSummary: row.ai_summary,
    aiKeywords: list(row.ai_keywords, 'ai_keywords'),
    organization: row.organization,
    thumbnail: row.thumbnail,
  };
}

export interface ChannelRow {
  channel: string;
  time: string;
  time_zone: string;
  size: number;
  paused: boolean | number;
  empty_day_note: boolean | number;
  paused_reason: string | null;
  weekly_day: string | null;
  weekly_time: string | null;
  language: string | null;
  digest_source: string;
}

/** Null for a row whose channel no known platform reads (a platform since removed). */
export function channelSettingsFromRow(row: ChannelRow): ChannelSettings | null {
  const channel = readChannelRef(row.channel);
  if (!channel) return null;
  return {
    channel,
    time: row.time,
    timeZone: row.time_zone,
    size: row.size,
    paused: Boolean(row.paused),
    emptyDayNote: Boolean(row.empty_day_note),
    pausedReason: row.paused_reason,
    language: row.language,
    source: isDigestSource(row.digest_source) ? row.digest_source : 'hf',
    weekly: row.weekly_day && row.weekly_time && isWeekday(row.weekly_day) ? { day: row.weekly_day, time: row.weekly_time } : null,
  };
}

export function channelSettingsFromRows(rows: readonly ChannelRow[]): ChannelSettings[] {
  return rows.flatMap((row) => {
    const settings = channelSettingsFromRow(row);
    return settings ? [settings] : [];
  });
}

export interface SubscriptionRow {
  id: number;
  channel: string;
  query: string;
  created_by: string;
  created_at: string | Date;
}

export function subscriptionFromRow(row: SubscriptionRow, channel: ChannelRef): Subscription {
  return { id: row.id, channel, query: row.query, createdBy: row.created_by, createdAt: new Date(row.created_at) };
}

/** All of one channel's rows when `channel` is given; otherwise each row's own, skipping unreadable ones. */
export function subscriptionsFromRows(rows: readonly SubscriptionRow[], channel?: ChannelRef): Subscription[] {
  return rows.flatMap((row) => {
    const ref = channel ?? readChannelRef(row.channel);
    return ref ? [subscriptionFromRow(row, ref)] : [];
  });
}

/** A `deliveries` row (SQLite times as ISO text, PostgreSQL's as dates). */
export interface DeliveryRow {
  parent_message_id: string | null;
  thread_id: string | null;
  claimed_at: string | Date;
  completed_at: string | Date | null;
  owner: string | null;
  lease_until: string | Date | null;
}

/** `papers`: paper id → platform message id (null: intent recorded, post not confirmed), in posting order. */
export function deliveryFromRow(channel: ChannelRef, key: string, row: DeliveryRow, papers: Map<string, string | null>): DeliveryRecord {
  return {
    channel,
    key,
    parentMessageId: row.parent_message_id,
    threadId: row.thread_id,
    papers,
    claimedAt: new Date(row.claimed_at),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
    owner: row.owner,
    leaseUntil: row.lease_until === null ? null : new Date(row.lease_until),
  };
}

/** A `follows` row; `announced` is JSON text in both back ends. */
export interface FollowRow {
  channel: string;
  paper_id: string;
  reply_message_id: string | null;
  reply_thread_id: string | null;
  followed_by: string;
  followed_at: string | Date;
  announced: string;
  version: number;
}

const artifactsSchema = z.object({ githubRepo: z.string().nullable(), models: z.array(z.string()), datasets: z.array(z.string()) });

export function artifactsToColumn(artifacts: PaperArtifacts): string {
  return JSON.stringify({ githubRepo: artifacts.githubRepo, models: artifacts.models, datasets: artifacts.datasets });
}

/** Each row's own channel, skipping rows no known platform reads. */
export function followsFromRows(rows: readonly FollowRow[]): Follow[] {
  return rows.flatMap((row) => {
    const channel = readChannelRef(row.channel);
    if (!channel) return [];
    const announced = artifactsSchema.parse(JSON.parse(row.announced));
    const replyTo = row.reply_message_id === null ? null : { id: row.reply_message_id, threadId: row.reply_thread_id };
    return [{ channel, paperId: row.paper_id, replyTo, followedBy: row.followed_by, followedAt: new Date(row.followed_at), announced, version: Number(row.version) }];
  });
}

/** A paper's confirmed post joined with its delivery (for `earlierPosts`). */
export interface EarlierPostRow {
  paper_id: string;
  key: string;
  message_id: string;
  posted_at: string | Date;
  parent_message_id: string | null;
  thread_id: string | null;
}

/** Rows ordered by paper, earliest post first: the first row of each paper is its earlier post. */
export function earlierPostsFromRows(channel: ChannelRef, rows: readonly EarlierPostRow[]): Map<string, EarlierPost> {
  const posts = new Map<string, EarlierPost>();
  for (const row of rows) {
    if (posts.has(row.paper_id)) continue;
    posts.set(row.paper_id, {
      channel,
      paperId: row.paper_id,
      key: row.key,
      message: { id: row.message_id, threadId: row.thread_id },
      parentMessageId: row.parent_message_id,
      postedAt: new Date(row.posted_at),
    });
  }
  return posts;
}
