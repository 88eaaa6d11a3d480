import { formatChannelRef, readChannelRef } from '../channel.js';
import type { Digest, DigestItem } from '../digest/digest.js';
import { deliverToChannels } from '../delivery/fan-out.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import { parseQuery } from '../search/parse.js';
import type { ParsedQuery } from '../search/query.js';
import { subscriptionIndexBuilder } from '../search/subscription-index.js';
import { loopSlices } from '../util/loop-slices.js';
import { inertLinks } from '../util/inert-links.js';
import type { Store, Subscription } from '../store/store.js';
import type { Summary } from '../summarise/summary.js';
import { channelLanguage } from './channels.js';
import { countOutcome } from './deliver-due.js';
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
  const papers = await store.papersAddedSince(since);
  const matches = papers.length > 0 ? await matchSubscriptions(subscriptionsFor(deps), papers) : new Map<string, DigestItem[]>();
  const key = `alert:${now.toISOString()}`;
  const digests = new Map<string, Digest>();
  for (const [channelKey, items] of matches) {
    const channel = readChannelRef(channelKey)!;
    const received = await store.receivedPaperIds(channel, items.map((item) => item.paper.id));
    const fresh = items.filter((item) => !received.has(item.paper.id)).map((item, index) => ({ ...item, rank: index + 1 }));
    if (fresh.length === 0) continue;
    const language = await channelLanguage(store, channel);
    for (const item of fresh) item.summary = await deps.summariser.summarise(item.paper, language);
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

/** Parsed subscription queries, kept between alert runs: most subscriptions outlive many syncs. */
const parsedQueries = new Map<string, ParsedQuery | null>();
const MAX_PARSED_QUERIES = 250_000;

function parsedQuery(text: string): ParsedQuery | null {
  let query = parsedQueries.get(text);
  if (query === undefined) {
    const result = parseQuery(text);
    query = result.ok ? result.query : null;
    // Wholesale rather than least-recently-used: a lookup per subscription per run must stay a plain Map read.
    if (parsedQueries.size >= MAX_PARSED_QUERIES) parsedQueries.clear();
    parsedQueries.set(text, query);
  }
  return query;
}

/** Every subscription, as pages of 2,000 rows (a few milliseconds each to read). */
export async function* subscriptionPages(store: Pick<Store, 'subscriptionsAfter'>, pageSize = 2_000): AsyncGenerator<Subscription[]> {
  for (let after = 0; ; ) {
    const page = await store.subscriptionsAfter(after, pageSize);
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.id;
  }
}

/** Every subscription of a platform this process posts to. */
async function* subscriptionsFor(deps: ScheduleDeps): AsyncGenerator<Subscription[]> {
  for await (const page of subscriptionPages(deps.store)) yield page.filter((subscription) => deps.publishers.has(subscription.channel.platform));
}

interface Indexed {
  subscription: Subscription;
  channelKey: string;
}

/**
 * channel → the papers that match one of its subscriptions, each with the first subscription it matched. Run in
 * slices (100k subscriptions take seconds of CPU): acks and posts keep flowing meanwhile.
 */
export async function matchSubscriptions(source: AsyncIterable<readonly Subscription[]> | readonly Subscription[], papers: Paper[]): Promise<Map<string, DigestItem[]>> {
  const slice = loopSlices();
  // Awaited only when a slice is over: an `await` per item would cost more than the matching itself.
  const pause = async () => {
    const turn = slice();
    if (turn) await turn;
  };
  const builder = subscriptionIndexBuilder<Indexed>();
  const pages: AsyncIterable<readonly Subscription[]> | (readonly Subscription[])[] = Symbol.asyncIterator in source ? source : [source as readonly Subscription[]];
  for await (const page of pages) {
    for (let i = 0; i < page.length; i++) {
      const subscription = page[i]!;
      const query = parsedQuery(subscription.query);
      if (query) builder.add({ id: { subscription, channelKey: formatChannelRef(subscription.channel) }, query });
      if ((i & 255) === 255) await pause();
    }
    await pause();
  }
  const index = builder.build();
  const byChannel = new Map<string, DigestItem[]>();
  // Shown in public: what someone typed must not become a link there.
  const shown = new Map<number, string>();
  for (const paper of papers) {
    const links = paperLinks(paper);
    const matches = index.match(paper);
    for (let i = 0; i < matches.length; i++) {
      const { subscription, channelKey } = matches[i]!;
      let items = byChannel.get(channelKey);
      if (!items) byChannel.set(channelKey, (items = []));
      // Papers are taken one at a time, so a channel already has this one only if it was the last added.
      if (items[items.length - 1]?.paper === paper) continue;
      let matched = shown.get(subscription.id);
      if (matched === undefined) shown.set(subscription.id, (matched = inertLinks(subscription.query)));
      items.push({ rank: items.length + 1, paper, links, summary: noSummaryYet(), matchedSubscription: matched });
      // A paper many subscriptions match is thousands of items: slices inside it too.
      if ((i & 255) === 255) await pause();
    }
    await pause();
  }
  return byChannel;
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
    const matched = (await matchSubscriptions(own, papers)).get(formatChannelRef(record.channel)) ?? [];
    const byId = new Map(matched.map((item) => [item.paper.id, item.matchedSubscription]));
    const items: DigestItem[] = [];
    const language = await channelLanguage(deps.store, record.channel);
    for (const paper of papers) {
      items.push({ rank: items.length + 1, paper, links: paperLinks(paper), summary: await deps.summariser.summarise(paper, language), matchedSubscription: byId.get(paper.id) ?? 'a subscription' });
    }
    await deliverAlerts(deps, new Map([[formatChannelRef(record.channel), alertDigest(record.key, record.claimedAt, items)]]));
  }
}
