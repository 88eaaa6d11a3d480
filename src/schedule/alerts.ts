import { formatChannelRef, readChannelRef } from '../channel.js';
import type { Digest, DigestItem } from '../digest/digest.js';
import { deliverToChannels } from '../delivery/fan-out.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import { inertLinks } from '../util/inert-links.js';
import type { Store } from '../store/store.js';
import type { Summary } from '../summarise/summary.js';
import { summariserForChannel } from './channel-summaries.js';
import { channelLanguage } from './channels.js';
import { countOutcome } from './deliver-due.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { SubscriptionMatcher, type ChannelMatches } from './subscription-matcher.js';

const WATERMARK = 'alerts.watermark';

/**
 * After a sync: papers first seen since the last alert run that match a channel's subscriptions go to that channel
 * as one threaded alert, a paper once however many subscriptions it matches, and never a paper the channel
 * already received (in a digest or an earlier alert). The watermark only moves once every channel's alert is
 * claimed and its paper list frozen, so a crash can't lose papers; an interrupted alert resumes in its thread.
 */
export async function runSubscriptionAlerts(deps: ScheduleDeps, now: Date): Promise<number> {
  const { store } = deps;
  await resumeInterruptedAlerts(deps);
  const since = new Date((await store.getState(WATERMARK)) ?? now.toISOString());
  const papers = await store.papersAddedSince(since);
  const matches = papers.length > 0 ? await matcherFor(store).run(store, papers, (subscription) => deps.publishers.has(subscription.channel.platform)) : new Map<string, ChannelMatches>();
  const key = `alert:${now.toISOString()}`;
  const digests = new Map<string, Digest>();
  for (const [channelKey, found] of matches) {
    const channel = readChannelRef(channelKey)!;
    const received = await store.receivedPaperIds(channel, found.papers.map((paper) => paper.id));
    const fresh = alertItems(found, (paper) => !received.has(paper.id));
    if (fresh.length === 0) continue;
    const summarise = await summariserForChannel(deps, channel, await channelLanguage(store, channel));
    for (const item of fresh) item.summary = await summarise(item.paper);
    const digest = alertDigest(key, now, fresh);
    // Claimed and its paper list frozen before the watermark moves; the lease goes at once, for the delivery.
    const owner = attemptOwner(deps.lease ?? defaultLease());
    await store.acquireDelivery(channel, key, owner, now, new Date(now.getTime() + 60_000));
    await store.recordIntents(channel, key, fresh.map((item) => item.paper.id), now);
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
  if (!matcher) matchers.set(store, (matcher = new SubscriptionMatcher()));
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

function alertDigest(key: string, now: Date, items: DigestItem[]): Digest {
  const count = items.length;
  return { kind: 'alert', key, day: now.toISOString().slice(0, 10), title: `${count} new paper${count === 1 ? '' : 's'} for your subscriptions`, items, alreadyReceived: 0 };
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
    const own = await deps.store.listSubscriptions(record.channel);
    const found = (await SubscriptionMatcher.matchList(own, papers)).get(formatChannelRef(record.channel));
    const byId = new Map((found ? alertItems(found, () => true) : []).map((item) => [item.paper.id, item.matchedSubscription]));
    const items: DigestItem[] = [];
    const summarise = await summariserForChannel(deps, record.channel, await channelLanguage(deps.store, record.channel));
    for (const paper of papers) {
      items.push({ rank: items.length + 1, paper, links: paperLinks(paper), summary: await summarise(paper), matchedSubscription: byId.get(paper.id) ?? 'a subscription' });
    }
    await deliverAlerts(deps, new Map([[formatChannelRef(record.channel), alertDigest(record.key, record.claimedAt, items)]]));
  }
}
