import { formatChannelRef, readChannelRef } from '../channel.js';
import type { Digest, DigestItem } from '../digest/digest.js';
import { deliverToChannels } from '../delivery/fan-out.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import { parseQuery } from '../search/parse.js';
import { buildSubscriptionIndex } from '../search/subscription-index.js';
import { inertLinks } from '../util/inert-links.js';
import type { Subscription } from '../store/store.js';
import { countOutcome } from './daily-digests.js';
import type { ScheduleDeps } from './schedule-deps.js';

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
  const subscriptions = (await store.listSubscriptions()).filter((s) => deps.publishers.has(s.channel.platform));
  const papers = subscriptions.length > 0 ? await store.papersAddedSince(since) : [];
  const matches = matchSubscriptions(subscriptions, papers);
  const key = `alert:${now.toISOString()}`;
  const digests = new Map<string, Digest>();
  for (const [channelKey, items] of matches) {
    const channel = readChannelRef(channelKey)!;
    const received = await store.receivedPaperIds(channel, items.map((item) => item.paper.id));
    const fresh = items.filter((item) => !received.has(item.paper.id)).map((item, index) => ({ ...item, rank: index + 1 }));
    if (fresh.length === 0) continue;
    for (const item of fresh) item.summary = await deps.summariser.summarise(item.paper);
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

/** channel → the papers that match one of its subscriptions, each with the first subscription it matched. */
export function matchSubscriptions(subscriptions: Subscription[], papers: Paper[]): Map<string, DigestItem[]> {
  const parsed = subscriptions.flatMap((subscription) => {
    const result = parseQuery(subscription.query);
    return result.ok ? [{ id: subscription, query: result.query }] : [];
  });
  const index = buildSubscriptionIndex(parsed);
  const byChannel = new Map<string, Map<string, DigestItem>>();
  for (const paper of papers) {
    for (const subscription of index.match(paper)) {
      const channelKey = formatChannelRef(subscription.channel);
      const items = byChannel.get(channelKey) ?? new Map<string, DigestItem>();
      if (!items.has(paper.id)) {
        items.set(paper.id, {
          rank: items.size + 1,
          paper,
          links: paperLinks(paper),
          summary: { tldr: '', keyPoints: [], whyItMatters: null, source: 'abstract', model: null },
          // Shown in public: what someone typed must not become a link there.
          matchedSubscription: inertLinks(subscription.query),
        });
      }
      byChannel.set(channelKey, items);
    }
  }
  return new Map([...byChannel].map(([channel, items]) => [channel, [...items.values()]]));
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
  const subscriptions = await deps.store.listSubscriptions();
  // One at a time: a channel may have more than one interrupted alert.
  for (const record of interrupted) {
    const papers = (await Promise.all([...record.papers.keys()].map((id) => deps.store.getPaper(id)))).filter((p): p is Paper => p !== null);
    const own = subscriptions.filter((s) => formatChannelRef(s.channel) === formatChannelRef(record.channel));
    const matched = matchSubscriptions(own, papers).get(formatChannelRef(record.channel)) ?? [];
    const byId = new Map(matched.map((item) => [item.paper.id, item.matchedSubscription]));
    const items: DigestItem[] = [];
    for (const paper of papers) {
      items.push({ rank: items.length + 1, paper, links: paperLinks(paper), summary: await deps.summariser.summarise(paper), matchedSubscription: byId.get(paper.id) ?? 'a subscription' });
    }
    await deliverAlerts(deps, new Map([[formatChannelRef(record.channel), alertDigest(record.key, record.claimedAt, items)]]));
  }
}
