import type { ChannelRef } from '../channel.js';
import type { DigestSource } from '../digest/digest-source.js';
import type { PaperArtifacts } from '../papers/artifacts.js';
import type { EarlierPost } from '../delivery/earlier-post.js';
import type { PostedMessage } from '../delivery/publisher.js';
import type { DailyListing, Paper } from '../papers/paper.js';

export type { PaperArtifacts };
import type { ParsedQuery } from '../search/query.js';
import type { Weekday } from '../schedule/weekdays.js';
import type { Summary, SummaryCacheKey } from '../summarise/summary.js';
import type { Workspace } from '../workspace.js';

/**
 * Persistence port. Every method is async so a PostgreSQL implementation can stand in for SQLite without
 * touching callers; implementations compile `ParsedQuery` into their own full-text dialect.
 */
export interface Store extends PaperStore, ChannelStore, SubscriptionStore, FollowStore, DeliveryLedger, SummaryCache, StateStore, CoordinationStore, LlmUsageStore {
  /**
   * Whether the store can really be read: cheap enough for every /healthz probe, or `thorough` (`doctor`) to
   * check every page, which takes seconds on a large store.
   */
  health(options?: { thorough?: boolean }): Promise<StoreHealth>;
  close(): Promise<void>;
}

export interface StoreHealth {
  ok: boolean;
  /** Where the store is, or what is wrong with it (no secrets). */
  detail: string;
}

export interface SaveDayResult {
  papersAdded: number;
  papersUpdated: number;
  listingsAdded: number;
}

export interface AddPapersResult {
  papersAdded: number;
  /** Papers already stored (from either source); their stored fields were kept. */
  papersKnown: number;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Latest HF day the paper was listed on, if any. */
  day: string | null;
}

export interface SearchOptions {
  limit: number;
  offset: number;
  /** Reference time for the recency part of the ranking. */
  now: Date;
}

/** A page of `unlistedPapersAddedBetween`: papers published on or after `publishedFrom` (YYYY-MM-DD). */
export interface UnlistedPage {
  publishedFrom: string;
  limit: number;
  offset: number;
}

export interface SyncRecord {
  day: string;
  papers: number;
  syncedAt: Date;
}

/** Where a back end may stop counting a token's papers (see `documentFrequencies`). */
export const DOCUMENT_FREQUENCY_CAP = 1_000;

export interface PaperStore {
  /**
   * Replaces day `day`'s listing with `listings` (HF's order) and upserts their papers, in one transaction:
   * either all of it lands or none. Upserts keep the highest upvotes/comments seen.
   */
  saveDay(day: string, listings: DailyListing[], syncedAt: Date): Promise<SaveDayResult>;
  /** Upserts papers seen outside a daily listing (HF search, `/api/papers/{id}`). */
  savePapers(papers: Paper[]): Promise<void>;
  /**
   * Adds papers from a source that has none of HF's fields (arXiv), in one transaction. New ones are inserted,
   * first seen `at`, so subscription alerts and search reach them; a stored paper keeps every field (HF's
   * upvotes, AI summary, code, day), only a missing publication date is filled in. An HF save later fills the rest.
   */
  addPapers(papers: Paper[], at: Date): Promise<AddPapersResult>;
  getPaper(id: string): Promise<Paper | null>;
  /** The day's listings in HF's order. */
  listingsForDay(day: string, limit?: number): Promise<DailyListing[]>;
  /** The latest synced day on or before `day` that has at least one paper. */
  latestDayWithPapers(onOrBefore: string): Promise<string | null>;
  lastSync(): Promise<SyncRecord | null>;
  syncedDays(from: string, to: string): Promise<SyncRecord[]>;
  countPapers(): Promise<number>;
  /**
   * In how many papers each token occurs (the normalised tokens search indexes), for those any paper has. Counts
   * may stop at DOCUMENT_FREQUENCY_CAP where counting further is costly: they rank tokens by rarity, no more.
   */
  documentFrequencies(tokens: readonly string[]): Promise<Map<string, number>>;
  searchPapers(query: ParsedQuery, options: SearchOptions): Promise<SearchHit[]>;
  /** Papers first saved at or after `since` (for subscription alerts after a sync). */
  papersAddedSince(since: Date): Promise<Paper[]>;
  /**
   * Papers first stored in [from, to) that no Hugging Face daily listing has, published on or after
   * `publishedFrom` (YYYY-MM-DD): the arXiv sync's new submissions, since papers an HF search stored outside a
   * listing are older than that. Newest submission first (publication date, then arXiv id, both descending).
   */
  unlistedPapersAddedBetween(from: Date, to: Date, page: UnlistedPage): Promise<Paper[]>;
}

export interface ChannelSettings {
  channel: ChannelRef;
  /** HH:MM, 24-hour, in `timeZone`. */
  time: string;
  timeZone: string;
  size: number;
  paused: boolean;
  /** Why the bot paused it itself (e.g. the channel is gone); null when a person paused it or it runs. */
  pausedReason?: string | null;
  /** Post a short "no new papers today" note instead of staying silent on empty days. */
  emptyDayNote: boolean;
  /** A weekly recap of the week's top papers, besides the daily digest; null or absent: none. */
  weekly?: WeeklySchedule | null;
  /** BCP-47 tag LLM summaries for this channel are written in; null or absent: English. */
  language?: string | null;
  /** Where the daily digest's papers come from; absent: `hf`, Hugging Face's trending list. */
  source?: DigestSource;
}

/** When a channel's weekly digest is due: a day and a time in the channel's time zone. */
export interface WeeklySchedule {
  day: Weekday;
  /** HH:MM, 24-hour. */
  time: string;
}

export interface ChannelStore {
  getChannelSettings(channel: ChannelRef): Promise<ChannelSettings | null>;
  saveChannelSettings(settings: ChannelSettings): Promise<void>;
  listChannelSettings(): Promise<ChannelSettings[]>;
}

export interface Subscription {
  id: number;
  channel: ChannelRef;
  query: string;
  createdBy: string;
  createdAt: Date;
}

export interface SubscriptionStore {
  /** Returns the existing subscription when the channel already has the same query. */
  addSubscription(channel: ChannelRef, query: string, createdBy: string, at: Date): Promise<{ subscription: Subscription; created: boolean }>;
  /** Removes by id or exact query text; returns how many went. */
  removeSubscriptions(channel: ChannelRef, selector: { id: number } | { query: string } | { all: true }): Promise<number>;
  listSubscriptions(channel?: ChannelRef): Promise<Subscription[]>;
  /** Every channel's subscriptions with id > `afterId`, by id, at most `limit`: reading 100k in short steps. */
  subscriptionsAfter(afterId: number, limit: number): Promise<Subscription[]>;
  /**
   * Subscription ids above `afterId`, ascending, at most `limit`: how an index kept in memory learns which ones went
   * (read in steps, so 100k ids never hold the event loop at once).
   */
  subscriptionIdsAfter(afterId: number, limit: number): Promise<number[]>;
  /**
   * Ids of the subscriptions removed since `cursor` (null: none; start from now), and the cursor to pass next time.
   * An id may come twice; removals older than SUBSCRIPTION_REMOVALS_KEPT_MS are forgotten, so a reader that waited
   * longer must read every id instead (`subscriptionIdsAfter`).
   */
  subscriptionRemovalsSince(cursor: string | null): Promise<{ ids: number[]; cursor: string }>;
}

/** How long the store remembers a removed subscription's id (`subscriptionRemovalsSince`). */
export const SUBSCRIPTION_REMOVALS_KEPT_MS = 7 * 24 * 3_600_000;

/** A channel following one paper until its code, models or datasets appear. */
export interface Follow {
  channel: ChannelRef;
  paperId: string;
  /** The paper's post in this channel, whose thread gets the replies; null: replies are new channel messages. */
  replyTo: PostedMessage | null;
  followedBy: string;
  followedAt: Date;
  /** Everything already announced in the channel (or already there when the follow began). */
  announced: PaperArtifacts;
  /** Announcements claimed so far: a claim names the version it saw, so of two processes only one announces. */
  version: number;
}

export interface NewFollow {
  channel: ChannelRef;
  paperId: string;
  replyTo: PostedMessage | null;
  followedBy: string;
  at: Date;
  /** What is there already, so that only what appears later is announced. */
  announced: PaperArtifacts;
}

export interface FollowStore {
  /** Returns the existing follow when the channel already follows the paper. */
  addFollow(follow: NewFollow): Promise<{ follow: Follow; created: boolean }>;
  /** Removes one paper's follow or all of the channel's; returns how many went. */
  removeFollows(channel: ChannelRef, selector: { paperId: string } | { all: true }): Promise<number>;
  /** The channel's follows, oldest first. */
  listFollows(channel: ChannelRef): Promise<Follow[]>;
  /** Every channel's follows made at or after `since`, oldest first: the ones still watched. */
  followsSince(since: Date): Promise<Follow[]>;
  /** Forgets follows made before `before` (no longer watched); returns how many went. */
  removeFollowsBefore(before: Date): Promise<number>;
  /**
   * Records `announced` as announced if the follow is still at `version` (and moves it on): true for the one
   * caller that may post the announcement, false when another process claimed it first or the follow is gone.
   */
  claimAnnouncement(channel: ChannelRef, paperId: string, version: number, announced: PaperArtifacts): Promise<boolean>;
}

/** One claimed (channel, digest key) delivery: a parent message plus one threaded post per paper. */
export interface DeliveryRecord {
  channel: ChannelRef;
  key: string;
  parentMessageId: string | null;
  /** Platform thread id, when it differs from the parent message id (Discord threads). */
  threadId: string | null;
  /** paper id → platform message id (null: intent recorded, post not confirmed), in posting order. */
  papers: Map<string, string | null>;
  claimedAt: Date;
  completedAt: Date | null;
  /** The process posting it now, while its lease runs (null once completed). */
  owner: string | null;
  leaseUntil: Date | null;
}

export interface Acquired {
  /** This owner holds the delivery now: it alone may post under it until `leaseUntil` (renewing as it goes). */
  acquired: boolean;
  /** The claim row did not exist before this call. */
  created: boolean;
  record: DeliveryRecord;
}

export interface DeliveryLedger {
  /**
   * Takes (channel, key) for `owner` until `leaseUntil`, atomically in the database: creates the claim, renews
   * this owner's, or takes over one whose lease ran out (its owner died). Not acquired while another owner's lease
   * runs, nor once completed. Of any number of processes, one holds a delivery at a time.
   */
  acquireDelivery(channel: ChannelRef, key: string, owner: string, now: Date, leaseUntil: Date): Promise<Acquired>;
  /** Extends `owner`'s lease; false when it no longer holds the delivery (taken over, released, completed). */
  renewDelivery(channel: ChannelRef, key: string, owner: string, leaseUntil: Date): Promise<boolean>;
  getDelivery(channel: ChannelRef, key: string): Promise<DeliveryRecord | null>;
  recordParent(channel: ChannelRef, key: string, messageId: string, threadId: string | null): Promise<void>;
  /** Freezes the delivery's paper list, in posting order, before anything is posted (one transaction). */
  recordIntents(channel: ChannelRef, key: string, paperIds: string[], at: Date): Promise<void>;
  recordPosted(channel: ChannelRef, key: string, paperId: string, messageId: string, at: Date): Promise<void>;
  /** Marks it delivered for good and lets the lease go. */
  completeDelivery(channel: ChannelRef, key: string, at: Date): Promise<void>;
  /** Deliveries claimed but never completed (a crash or failure mid-way), oldest first. */
  incompleteDeliveries(channel?: ChannelRef): Promise<DeliveryRecord[]>;
  /** Forgets a delivery so it can be posted again on purpose (`digest --force`). */
  releaseDelivery(channel: ChannelRef, key: string): Promise<void>;
  /** Which of `paperIds` this channel has already been sent (in any digest or alert; weekly recaps don't count). */
  receivedPaperIds(channel: ChannelRef, paperIds: string[]): Promise<Set<string>>;
  /**
   * The digest or alert that last posted `paperId` in this channel: its parent message, or null. A digest that only
   * pointed to an earlier post (recorded under its parent's own id) is not a post of the paper.
   */
  lastPostOf(channel: ChannelRef, paperId: string): Promise<PostedMessage | null>;
  /**
   * paper id → its first confirmed post in this channel (earliest `posted_at`), for those of `paperIds` it has
   * one: the delivery, the paper's message and thread, and when. Weekly recaps repeat papers on purpose and are
   * not counted, as in `receivedPaperIds`. Uses the (channel, paper_id) index.
   */
  earlierPosts(channel: ChannelRef, paperIds: string[]): Promise<Map<string, EarlierPost>>;
}

export interface SummaryCache {
  getSummary(key: SummaryCacheKey): Promise<Summary | null>;
  putSummary(key: SummaryCacheKey, summary: Summary, at: Date): Promise<void>;
}

/**
 * LLM tokens each workspace used per UTC day, counted in the store every process shares so a daily budget holds
 * across replicas.
 */
export interface LlmUsageStore {
  /** Adds `tokens` to the workspace's count for `day` (YYYY-MM-DD, UTC) in one atomic step; returns the new count. */
  addLlmTokens(workspace: Workspace, day: string, tokens: number): Promise<number>;
  /** The workspace's count for `day`; 0 when it made no call that day. */
  llmTokensUsed(workspace: Workspace, day: string): Promise<number>;
}

/** Named values the scheduler keeps across restarts. */
export interface StateStore {
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
}

/**
 * What processes sharing one store coordinate through: named leases (one sync at a time across replicas), keys seen
 * once (a platform's retried request, whichever replica it reaches), send slots spaced per channel (Slack's
 * one message a second, across replicas) and rate limits (each person's commands).
 */
export interface CoordinationStore {
  /** Takes the lease `name` for `owner` until `until`: true when free, already this owner's, or expired. */
  acquireLease(name: string, owner: string, now: Date, until: Date): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  /** True the first time `key` is seen before it expires; false for every later sighting (any process). */
  markSeen(key: string, now: Date, expiresAt: Date): Promise<boolean>;
  /**
   * Reserves the next send slot on `key`, `intervalMs` after the previous one reserved by any process; returns
   * the epoch milliseconds at which this sender may go (now, or later).
   */
  reserveSlot(key: string, intervalMs: number, now: Date): Promise<number>;
  /**
   * A rate limit on `key` shared by every process: `burst` at once, then one per `intervalMs`. Returns 0 when this
   * call is admitted (and counted), else the milliseconds until one would be; a refusal counts for nothing.
   */
  admit(key: string, intervalMs: number, burst: number, now: Date): Promise<number>;
}
