import type { Paper } from '../papers/paper.js';
import type { Subscription } from '../store/store.js';

/** What an alert shows of the subscription a paper matched. */
export type MatchedSubscription = Pick<Subscription, 'id' | 'query'>;

/** One channel's matches, in paper order: each paper once, with the (lowest-id) subscription it matched. */
export interface ChannelMatches {
  readonly papers: readonly Paper[];
  readonly subscriptions: readonly MatchedSubscription[];
}

/** A run's result: channel key → its matches, each made when read. */
export class MatchRun implements ReadonlyMap<string, ChannelMatches> {
  private byKey: Map<string, { key: string; start: number; end: number }> | undefined;

  constructor(
    private readonly listed: readonly { key: string; start: number; end: number }[],
    private readonly make: (entry: { start: number; end: number }) => ChannelMatches,
  ) {}

  get size(): number {
    return this.listed.length;
  }

  get(key: string): ChannelMatches | undefined {
    this.byKey ??= new Map(this.listed.map((entry) => [entry.key, entry]));
    const entry = this.byKey.get(key);
    return entry && this.make(entry);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, ChannelMatches]> {
    for (const entry of this.listed) yield [entry.key, this.make(entry)];
  }

  *keys(): MapIterator<string> {
    for (const entry of this.listed) yield entry.key;
  }

  *values(): MapIterator<ChannelMatches> {
    for (const entry of this.listed) yield this.make(entry);
  }

  forEach(callback: (value: ChannelMatches, key: string, map: ReadonlyMap<string, ChannelMatches>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, ChannelMatches]> {
    return this.entries();
  }
}

/** One channel's stretch of a run's flat arrays, turned into lists the first time they are read. */
export function channelMatches(papers: readonly Paper[], paperAt: Int32Array, subscriptionAt: (at: number) => MatchedSubscription, start: number, end: number): ChannelMatches {
  let paperList: Paper[] | undefined;
  let subscriptionList: MatchedSubscription[] | undefined;
  return {
    get papers() {
      return (paperList ??= Array.from(paperAt.subarray(start, end), (p) => papers[p]!));
    },
    get subscriptions() {
      return (subscriptionList ??= Array.from({ length: end - start }, (_, i) => subscriptionAt(start + i)));
    },
  };
}
