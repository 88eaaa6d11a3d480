import { formatChannelRef } from '../channel.js';
import type { Paper } from '../papers/paper.js';
import { paperTokens } from '../search/paper-tokens.js';
import { parseQuery } from '../search/parse.js';
import type { ParsedQuery } from '../search/query.js';
import { createSubscriptionIndex } from '../search/subscription-index.js';
import type { Store, Subscription } from '../store/store.js';
import { loopSlices } from '../util/loop-slices.js';

/** One channel's matches, in paper order: each paper once, with the (lowest-id) subscription it matched. */
export interface ChannelMatches {
  readonly papers: readonly Paper[];
  readonly subscriptions: readonly Subscription[];
}

type SubscriptionSource = Pick<Store, 'subscriptionsAfter' | 'subscriptionIds'>;
/** Awaited only when a slice is over (`loopSlices`): an `await` per item would cost more than the matching itself. */
type Pause = () => Promise<void> | void;

/** A subscription as the index holds it, with its channel's slot: a match run finds a channel by array index. */
interface Subscriber {
  subscription: Subscription;
  slot: number;
}

const PAGE_SIZE = 2_000;
const MAX_PARSED = 250_000;

/**
 * The subscription index, kept for as long as the process runs: an alert run only files subscriptions added since
 * the last one and takes out those removed (whichever process changed them), instead of reading and indexing all
 * of them again. Every step runs in slices, so acks and posts keep flowing during a run.
 */
export class SubscriptionMatcher {
  private readonly index = createSubscriptionIndex<Subscriber>();
  /** Every subscription seen, by id; null for one whose query does not parse (an older grammar's): not indexed. */
  private readonly byId = new Map<number, Subscriber | null>();
  /** Parsed once per distinct text: many people subscribe to the same few topics. */
  private readonly parsed = new Map<string, ParsedQuery | null>();
  /** channel key → slot, and back: slots are never given back (a channel seldom goes for good). */
  private readonly slots = new Map<string, number>();
  private readonly channelKeys: string[] = [];
  private running: Promise<unknown> = Promise.resolve();

  /**
   * Matches `papers` against every subscription in `store`, keeping the channels `accept` takes (judged by one of
   * the channel's subscriptions: all of them share its platform). One run at a time per matcher.
   */
  run(store: SubscriptionSource, papers: readonly Paper[], accept: (subscription: Subscription) => boolean = () => true): Promise<Map<string, ChannelMatches>> {
    const run = this.running.then(async () => {
      const pause = loopSlices();
      await this.refresh(store, pause);
      return this.match(papers, accept, pause);
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Matches against a fixed list (one channel's subscriptions, a test's) instead of a store's. */
  static async matchList(subscriptions: readonly Subscription[], papers: readonly Paper[]): Promise<Map<string, ChannelMatches>> {
    const matcher = new SubscriptionMatcher();
    const pause = loopSlices();
    for (let i = 0; i < subscriptions.length; i++) {
      matcher.add(subscriptions[i]!);
      if ((i & 255) === 255) await pause();
    }
    return matcher.match(papers, () => true, pause);
  }

  private async refresh(store: SubscriptionSource, pause: Pause): Promise<void> {
    const ids = await store.subscriptionIds();
    let known = 0;
    let firstNew = Number.POSITIVE_INFINITY;
    for (let i = 0; i < ids.length; i++) {
      if (this.byId.has(ids[i]!)) known++;
      else if (ids[i]! < firstNew) firstNew = ids[i]!;
      if ((i & 8191) === 8191) await pause();
    }
    if (known < this.byId.size) {
      const present = new Set<number>();
      for (let i = 0; i < ids.length; i++) {
        present.add(ids[i]!);
        if ((i & 8191) === 8191) await pause();
      }
      let i = 0;
      for (const [id, subscriber] of [...this.byId]) {
        if (!present.has(id)) {
          if (subscriber) this.index.remove(subscriber);
          this.byId.delete(id);
        }
        if ((++i & 8191) === 0) await pause();
      }
    }
    // Usually only ids above the last run's; one committed late with a lower id (PostgreSQL) is read too.
    for (let after = firstNew - 1; Number.isFinite(after); ) {
      const page = await store.subscriptionsAfter(after, PAGE_SIZE);
      for (let i = 0; i < page.length; i++) {
        this.add(page[i]!);
        if ((i & 255) === 255) await pause();
      }
      await pause();
      after = page.length < PAGE_SIZE ? Number.POSITIVE_INFINITY : page[page.length - 1]!.id;
    }
  }

  private add(subscription: Subscription): void {
    if (this.byId.has(subscription.id)) return;
    const query = this.parse(subscription.query);
    if (!query) {
      this.byId.set(subscription.id, null);
      return;
    }
    const channelKey = formatChannelRef(subscription.channel);
    let slot = this.slots.get(channelKey);
    if (slot === undefined) this.slots.set(channelKey, (slot = this.channelKeys.push(channelKey) - 1));
    const subscriber = { subscription, slot };
    this.byId.set(subscription.id, subscriber);
    this.index.add({ id: subscriber, query });
  }

  private parse(text: string): ParsedQuery | null {
    let query = this.parsed.get(text);
    if (query === undefined) {
      const result = parseQuery(text);
      query = result.ok ? result.query : null;
      // Wholesale rather than least-recently-used: texts of removed subscriptions must not pile up forever.
      if (this.parsed.size >= MAX_PARSED) this.parsed.clear();
      this.parsed.set(text, query);
    }
    return query;
  }

  /**
   * Two passes over the matched queries' subscribers, counting then filling flat arrays by channel slot: ~470k
   * (channel, paper) pairs cost no object, and no array growth, per pair. Each channel's lists are made when read.
   */
  private async match(papers: readonly Paper[], accept: (subscription: Subscription) => boolean, pause: Pause): Promise<Map<string, ChannelMatches>> {
    const matchedByPaper: (readonly Subscriber[])[][] = [];
    for (const paper of papers) {
      const matched: (readonly Subscriber[])[] = [];
      this.index.forEachMatch(paperTokens(paper), (subscribers) => matched.push(subscribers));
      matchedByPaper.push(matched);
      await pause();
    }
    const slots = this.channelKeys.length;
    const counts = new Int32Array(slots + 1);
    // The last paper each slot got, + 1 (0: none yet): a channel gets a paper once, however many subscriptions match.
    const lastPaper = new Int32Array(slots);
    await forEachPair(matchedByPaper, pause, (slot, p) => {
      if (lastPaper[slot] === p + 1) return;
      lastPaper[slot] = p + 1;
      counts[slot + 1]!++;
    });
    for (let slot = 0; slot < slots; slot++) counts[slot + 1]! += counts[slot]!;
    const starts = counts.slice(0, slots);
    const cursor = counts.slice(0, slots);
    const paperAt = new Int32Array(counts[slots]!);
    const subscriberAt: Subscriber[] = new Array(counts[slots]!);
    lastPaper.fill(0);
    await forEachPair(matchedByPaper, pause, (slot, p, subscriber) => {
      if (lastPaper[slot] === p + 1) {
        // Named by the channel's lowest-id subscription that matched.
        const at = cursor[slot]! - 1;
        if (subscriber.subscription.id < subscriberAt[at]!.subscription.id) subscriberAt[at] = subscriber;
        return;
      }
      lastPaper[slot] = p + 1;
      const at = cursor[slot]!++;
      paperAt[at] = p;
      subscriberAt[at] = subscriber;
    });
    const byChannel = new Map<string, ChannelMatches>();
    for (let slot = 0; slot < slots; slot++) {
      const start = starts[slot]!;
      const end = cursor[slot]!;
      // Per channel, not per match: every subscription of a channel shares its platform.
      if (end > start && accept(subscriberAt[start]!.subscription)) byChannel.set(this.channelKeys[slot]!, channelMatches(papers, paperAt, subscriberAt, start, end));
      if ((slot & 4095) === 4095) await pause();
    }
    return byChannel;
  }

}

async function forEachPair(matchedByPaper: (readonly Subscriber[])[][], pause: Pause, visit: (slot: number, paper: number, subscriber: Subscriber) => void): Promise<void> {
  for (let p = 0; p < matchedByPaper.length; p++) {
    const matched = matchedByPaper[p]!;
    for (let m = 0; m < matched.length; m++) {
      const subscribers = matched[m]!;
      for (let i = 0; i < subscribers.length; i++) visit(subscribers[i]!.slot, p, subscribers[i]!);
    }
    await pause();
  }
}

/** One channel's stretch of the flat arrays, turned into lists the first time they are read. */
function channelMatches(papers: readonly Paper[], paperAt: Int32Array, subscriberAt: readonly Subscriber[], start: number, end: number): ChannelMatches {
  let paperList: Paper[] | undefined;
  let subscriptionList: Subscription[] | undefined;
  return {
    get papers() {
      return (paperList ??= Array.from(paperAt.subarray(start, end), (p) => papers[p]!));
    },
    get subscriptions() {
      return (subscriptionList ??= subscriberAt.slice(start, end).map((subscriber) => subscriber.subscription));
    },
  };
}
