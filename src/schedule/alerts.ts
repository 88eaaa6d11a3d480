import { formatChannelRef, readChannelRef } from '../channel.js';
import { digestPaperIds, type Digest, type DigestItem } from '../digest/digest.js';
import { discussedHere, earlierPostsOf, type DiscussedPaper, type EarlierPost } from '../delivery/earlier-post.js';
import { deliverToChannels } from '../delivery/fan-out.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import { inertLinks } from '../util/inert-links.js';
import type { ChannelSettings, Store } from '../store/store.js';
import type { Summary } from '../summarise/summary.js';
import { summariserForChannel } from './channel-summaries.js';
import { countOutcome } from './deliver-due.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { SubscriptionMatcher, type ChannelMatches } from './subscription-matcher.js';
import { DAY_MS } from '../time.js';

const WATERMARK = 'alerts.watermark';

/**
 * After a sync: papers first seen since the last alert run that match a channel's subscriptions go to that channel
 * as one threaded alert, a paper once however many subscriptions it matches, and never a paper the channel
 * already received (in a digest or an earlier alert): such a paper gets at most a one-line pointer to its first
 * post (ALERT_POINTER_AFTER_DAYS). The watermark only moves once every channel's alert is claimed and its paper
 * list frozen, so a crash can't lose papers; an interrupted alert resumes in its thread.
 */
export async function runSubscriptionAlerts(deps: ScheduleDeps, now: Date): Promise<number> {
  const { store } = deps;
  await resumeInterruptedAlerts(deps);
  const since = new Date((await store.getState(WATERMARK)) ?? now.toISOString());
  const papers = await store.papersAddedSince(since);
  const matches = papers.length > 0 ? await matcherFor(store).run(store, papers, (channelKey) => deps.publishers.has(readChannelRef(channelKey)!.platform)) : new Map<string, ChannelMatches>();
  const key = `alert:${now.toISOString()}`;
  const digests = new Map<string, Digest>();
  for (const [channelKey, found] of matches) {
    const channel = readChannelRef(channelKey)!;
    const earlier = await store.earlierPosts(channel, found.papers.map((paper) => paper.id));
    const fresh = alertItems(found, (paper) => !earlier.has(paper.id));
    const pointer = found.papers.map((paper) => earlier.get(paper.id)).find((post) => post !== undefined && isOldNews(post, now));
    if (fresh.length === 0 && !pointer) continue;
    // Read once per channel: its summary language and the time zone its pointer's day is shown in.
    const settings = await store.getChannelSettings(channel);
    const summarise = await summariserForChannel(deps, channel, settings?.language ?? undefined);
    for (const item of fresh) item.summary = await summarise(item.paper);
    const discussed = pointer ? discussedPapers([pointer], found.papers, settings) : [];
    const digest = alertDigest(key, now, fresh, discussed);
    // Claimed and its paper list frozen before the watermark moves; the lease goes at once, for the delivery.
    const owner = attemptOwner(deps.lease ?? defaultLease());
    await store.acquireDelivery(channel, key, owner, now, new Date(now.getTime() + 60_000));
    await store.recordIntents(channel, key, digestPaperIds(digest), now);
    await store.renewDelivery(channel, key, owner, new Date(0));
    digests.set(channelKey, digest);
  }
  await store.setState(WATERMARK, now.toISOString());
  await deliverAlerts(deps, digests);
  return digests.size;
}

/** Each store's kept subscription index (tests and tools open several stores in one process). */
const matchers = new WeakMap<Store, SubscriptionMatcher>();

function matcherFor(store: Store): SubscriptionMatcher {
  let matcher = matchers.get(store);
  // A matcher whose worker thread failed starts over: a new one reads every subscription again.
  if (!matcher || matcher.broken) matchers.set(store, (matcher = new SubscriptionMatcher()));
  return matcher;
}

/** A channel's matches as alert items; what someone typed is shown in public, so it must not become a link. */
function alertItems(matches: ChannelMatches, keep: (paper: Paper) => boolean): DigestItem[] {
  const items: DigestItem[] = [];
  matches.papers.forEach((paper, i) => {
    if (!keep(paper)) return;
    items.push({ rank: items.length + 1, paper, links: paperLinks(paper), summary: noSummaryYet(), matchedSubscription: inertLinks(matches.subscriptions[i]!.query) });
  });
  return items;
}

/** Filled in per channel once its papers are known to be new there (summaries cost LLM calls). */
function noSummaryYet(): Summary {
  return { tldr: '', keyPoints: [], whyItMatters: null, source: 'abstract', model: null };
}

/**
 * A matching paper the channel already got is never posted again. One first posted here at least this long ago
 * is pointed to (once per alert run and channel, whatever else matched); a recent one is still in view, and
 * saying so would only be noise.
 */
export const ALERT_POINTER_AFTER_DAYS = 3;

function isOldNews(post: EarlierPost, now: Date): boolean {
  return now.getTime() - post.postedAt.getTime() >= ALERT_POINTER_AFTER_DAYS * DAY_MS;
}

/** Pointers to earlier posts, dated in the channel's time zone (UTC when it has no settings). */
function discussedPapers(posts: EarlierPost[], papers: readonly Paper[], settings: ChannelSettings | null): DiscussedPaper[] {
  const timeZone = settings?.timeZone ?? 'UTC';
  const byId = new Map(papers.map((paper) => [paper.id, paper]));
  return posts.flatMap((post) => {
    const paper = byId.get(post.paperId);
    return paper ? [{ paper, links: paperLinks(paper), discussed: discussedHere(post, timeZone) }] : [];
  });
}

function alertDigest(key: string, now: Date, items: DigestItem[], discussed: DiscussedPaper[]): Digest {
  const count = items.length;
  const title = count === 0 ? 'Already discussed here' : `${count} new paper${count === 1 ? '' : 's'} for your subscriptions`;
  return { kind: 'alert', key, day: now.toISOString().slice(0, 10), title, items, alreadyReceived: 0, discussed };
}

async function deliverAlerts(deps: ScheduleDeps, digests: Map<string, Digest>): Promise<void> {
  const channels = [...digests.keys()].map((key) => readChannelRef(key)!);
  const platforms = new Set(channels.map((channel) => channel.platform));
  await Promise.all(
    [...platforms].map(async (platform) => {
      const publisher = deps.publishers.get(platform)!;
      const results = await deliverToChannels(
        { ledger: deps.store, publisher, clock: deps.clock, logger: deps.logger, lease: deps.lease },
        channels.filter((channel) => channel.platform === platform),
        async (channel) => digests.get(formatChannelRef(channel)) ?? null,
        { whenHeld: 'skip' },
      );
      for (const result of results) countOutcome(deps, result, 'alert');
    }),
  );
}

/** Rebuilds alerts a crash left half-posted from their frozen paper lists, and finishes them. */
async function resumeInterruptedAlerts(deps: ScheduleDeps): Promise<void> {
  const interrupted = (await deps.store.incompleteDeliveries()).filter((record) => record.key.startsWith('alert:') && deps.publishers.has(record.channel.platform));
  if (interrupted.length === 0) return;
  // One at a time: a channel may have more than one interrupted alert.
  for (const record of interrupted) {
    const papers = (await Promise.all([...record.papers.keys()].map((id) => deps.store.getPaper(id)))).filter((p): p is Paper => p !== null);
    // Papers first posted under another delivery were this alert's pointer; the rest its own posts.
    const earlier = await earlierPostsOf(deps.store, record.channel, papers.map((paper) => paper.id), record.key);
    const posted = papers.filter((paper) => !earlier.has(paper.id));
    const own = await deps.store.listSubscriptions(record.channel);
    const found = (await SubscriptionMatcher.matchList(own, posted)).get(formatChannelRef(record.channel));
    const byId = new Map((found ? alertItems(found, () => true) : []).map((item) => [item.paper.id, item.matchedSubscription]));
    const items: DigestItem[] = [];
    const settings = await deps.store.getChannelSettings(record.channel);
    const summarise = await summariserForChannel(deps, record.channel, settings?.language ?? undefined);
    for (const paper of posted) {
      items.push({ rank: items.length + 1, paper, links: paperLinks(paper), summary: await summarise(paper), matchedSubscription: byId.get(paper.id) ?? 'a subscription' });
    }
    const discussed = discussedPapers([...earlier.values()], papers, settings);
    await deliverAlerts(deps, new Map([[formatChannelRef(record.channel), alertDigest(record.key, record.claimedAt, items, discussed)]]));
  }
}
