import { formatChannelRef } from '../channel.js';
import type { Paper } from '../papers/paper.js';
import { paperTokens } from '../search/paper-tokens.js';
import { parseQuery } from '../search/parse.js';
import type { ParsedQuery } from '../search/query.js';
import { createSubscriptionIndex } from '../search/subscription-index.js';
import type { Store, Subscription } from '../store/store.js';
import { loopSlices } from '../util/loop-slices.js';
import { ShardedMap } from '../util/sharded-map.js';
import { channelMatches, MatchRun, type ChannelMatches, type MatchedSubscription } from './match-run.js';
import { RemoteIndex } from './remote-index.js';

export type { ChannelMatches, MatchedSubscription } from './match-run.js';

type SubscriptionSource = Pick<Store, 'subscriptionsAfter' | 'subscriptionIdsAfter' | 'subscriptionRemovalsSince' | 'documentFrequencies'>;
/** Awaited only when a slice is over (`loopSlices`): an `await` per item would cost more than the matching itself. */
type Pause = () => Promise<void> | void;

/**
 * A subscription as the index holds it: a number (its place in the subscriber table), with its id, query text and
 * channel slot beside it. Numbers rather than objects: 100k long-lived objects, and arrays of them per match run,
 * are what made garbage collection pause the event loop.
 */
interface SubscriberTable {
  ids: number[];
  queries: string[];
  slots: number[];
  /** The refresh that last saw each one in the store. */
  stamps: number[];
  /** Places of removed subscriptions, for reuse. */
  free: number[];
}

/**
 * Small pages and steps: SQLite answers synchronously, and a 2,000-row page took up to 15 ms to read, 10,000 ids
 * up to 6 ms, 100 word counts up to 27 ms (a common word's count reads its whole posting list).
 */
const PAGE_SIZE = 500;
const ID_PAGE_SIZE = 2_000;
const MAX_FREQUENCIES = 200_000;
const FREQUENCY_STEP = 25;
/**
 * Ids below the highest known that a refresh still reads: PostgreSQL takes an id when the insert runs, not when it
 * commits, so one can appear after a higher one was read; SQLite gives the highest id again once its row is gone.
 */
const LATE_ID_WINDOW = 1_000;
/** Past this since the last refresh, every id is read again rather than the store's removal log (kept 7 days). */
const REMOVAL_LOG_TRUST_MS = 24 * 3_600_000;
/**
 * Short slices: a slice can overrun by one indivisible step (one paper against the index) and by a collection, and
 * what a command waits for is the sum, once per turn its answer takes. 2 ms rather than 5 halved the ack p99 of 50
 * commands sent during back-to-back alert runs (204 → 98 ms) and cost the runs nothing measurable.
 */
const SLICE_MS = 2;
/**
 * From this many subscriptions at start-up, the index goes to worker threads, half to each, and both halves match
 * at once while this thread only files changes and gathers the matches. With half of it kept here, alert runs
 * matched back to back held 50 commands' acks to a p99 of 54 and 101 ms, against 49 and 69 ms with none here, and
 * a later run took 167–232 ms rather than 104–160 (100k subscriptions, 2 cores, alternating runs).
 */
export const DEFAULT_WORKER_THRESHOLD = 5_000;
const WORKER_THREADS = 2;

/** Stops a matcher's worker threads once the matcher itself is gone (a store closed in a test, say). */
const workers = new FinalizationRegistry<RemoteIndex[]>((remotes) => remotes.forEach((remote) => void remote.stop()));

/**
 * The subscription index, kept for as long as the process runs: an alert run only files subscriptions added since
 * the last one and takes out those removed (whichever process changed them), instead of reading and indexing all
 * of them again. Every step runs in slices, so acks and posts keep flowing during a run.
 */
export class SubscriptionMatcher {
  /**
   * In how many stored papers each query token occurs, as the store said when its first subscription was filed:
   * anchors go on rare words. Not refreshed: a stale count only makes an anchor a little less than the best.
   */
  private readonly frequencies = new ShardedMap<string, number>();
  private readonly index = createSubscriptionIndex<number>({ documentFrequency: (token) => this.frequencies.get(token) });
  private readonly table: SubscriberTable = { ids: [], queries: [], slots: [], stamps: [], free: [] };
  /**
   * Every subscription seen: id → its place in the table; -1 for one whose query does not parse (an older grammar's).
   * This and the other maps that reach 100k entries are sharded: a plain Map's growth step held the loop 26 ms.
   */
  private readonly byId = new ShardedMap<number, number>();
  /** Ids of subscriptions whose query does not parse → the refresh that last saw them. */
  private readonly unparsed = new Map<number, number>();
  private refreshes = 0;
  /** Where the store's removal log was read up to, and when (null: read every id). */
  private removals: { cursor: string; readAt: number } | null = null;
  /** The highest subscription id in the index (-1: to be worked out again). */
  private maxId = 0;
  /** channel key → slot, and back: slots are never given back (a channel seldom goes for good). */
  private readonly slots = new ShardedMap<string, number>();
  private readonly channelKeys: string[] = [];
  private running: Promise<unknown> = Promise.resolve();
  /**
   * Runs whose matches may still be read, each with what (id, query) the places it matched held before a later
   * refresh gave them to other subscriptions. A run's matches read the table itself otherwise: copying the id and
   * query of all ~470k matches out, in case, took 30–80 ms of every run.
   */
  private readers: WeakRef<Map<number, MatchedSubscription>>[] = [];
  /** The index in worker threads, place p in `remotes[p % WORKER_THREADS]`; none: all of it in `index`, here. */
  private remotes: RemoteIndex[] = [];

  /** `workerThreshold`: subscriptions at the first run from which the index goes to worker threads (null: never). */
  constructor(private readonly options: { workerThreshold?: number | null } = {}) {}

  /** A worker thread failed: this matcher refuses to run, and its owner should start a new one. */
  get broken(): boolean {
    return this.remotes.some((remote) => remote.failed);
  }

  /**
   * Matches `papers` against every subscription in `store`, keeping the channels `accept` takes. One run at a time
   * per matcher.
   */
  run(store: SubscriptionSource, papers: readonly Paper[], accept: (channelKey: string) => boolean = () => true): Promise<ReadonlyMap<string, ChannelMatches>> {
    const run = this.running.then(async () => {
      const pause = loopSlices(SLICE_MS);
      await this.refresh(store, pause);
      return this.match(papers, accept, pause);
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Matches against a fixed list (one channel's subscriptions, a test's) instead of a store's. */
  static async matchList(subscriptions: readonly Subscription[], papers: readonly Paper[]): Promise<ReadonlyMap<string, ChannelMatches>> {
    const matcher = new SubscriptionMatcher();
    const pause = loopSlices(SLICE_MS);
    for (let i = 0; i < subscriptions.length; i++) {
      matcher.add(subscriptions[i]!, parseOrNull(subscriptions[i]!.query));
      if ((i & 15) === 15) await pause();
    }
    return matcher.match(papers, () => true, pause);
  }

  /**
   * Brings the index up to date: takes out what the store's removal log says went, then files ids above the highest
   * known (less LATE_ID_WINDOW). The first refresh, and one after a long gap, reads every id instead.
   */
  private async refresh(store: SubscriptionSource, pause: Pause): Promise<void> {
    const now = Date.now();
    let firstNew: number;
    if (this.removals && now - this.removals.readAt < REMOVAL_LOG_TRUST_MS) {
      const { ids, cursor } = await store.subscriptionRemovalsSince(this.removals.cursor);
      this.removals = { cursor, readAt: now };
      for (const id of ids) this.forget(id);
      firstNew = await this.firstUnknownIdAfter(store, Math.max(0, this.highestId() - LATE_ID_WINDOW), pause);
    } else {
      // The log's position first: whatever goes while every id is read is in the log for the next refresh.
      const { cursor } = await store.subscriptionRemovalsSince(null);
      this.removals = { cursor, readAt: now };
      const firstRefresh = this.byId.size === 0;
      const scan = await this.scanAllIds(store, pause);
      if (firstRefresh) this.startWorkerFor(scan.ids);
      firstNew = scan.firstNew;
    }
    for (let after = firstNew - 1; Number.isFinite(after); ) {
      const page = await store.subscriptionsAfter(after, PAGE_SIZE);
      const queries = await this.parsePage(page, pause);
      await this.learnFrequencies(store, queries, pause);
      for (let i = 0; i < page.length; i++) {
        this.add(page[i]!, queries[i]!);
        if ((i & 15) === 15) await pause();
      }
      await pause();
      after = page.length < PAGE_SIZE ? Number.POSITIVE_INFINITY : page[page.length - 1]!.id;
    }
  }

  /** The smallest id above `after` that the index does not have (Infinity: none). */
  private async firstUnknownIdAfter(store: SubscriptionSource, after: number, pause: Pause): Promise<number> {
    for (;;) {
      const ids = await store.subscriptionIdsAfter(after, ID_PAGE_SIZE);
      for (const id of ids) if (!this.byId.has(id)) return id;
      if (ids.length < ID_PAGE_SIZE) return Number.POSITIVE_INFINITY;
      after = ids[ids.length - 1]!;
      await pause();
    }
  }

  /**
   * Reads every id: each the store has is stamped with this run, and what is left unstamped was removed; returns
   * how many ids there are and the smallest new one. No set of 100k ids is built: that garbage, every run, made
   * collections pause the loop.
   */
  private async scanAllIds(store: SubscriptionSource, pause: Pause): Promise<{ ids: number; firstNew: number }> {
    const stamp = ++this.refreshes;
    const { table } = this;
    let known = 0;
    let total = 0;
    let firstNew = Number.POSITIVE_INFINITY;
    for (let after = 0; ; ) {
      const ids = await store.subscriptionIdsAfter(after, ID_PAGE_SIZE);
      total += ids.length;
      for (const id of ids) {
        const place = this.byId.get(id);
        if (place === undefined) firstNew = Math.min(firstNew, id);
        else {
          known++;
          if (place >= 0) table.stamps[place] = stamp;
          else this.unparsed.set(id, stamp);
        }
      }
      if (ids.length < ID_PAGE_SIZE) break;
      after = ids[ids.length - 1]!;
      await pause();
    }
    if (known < this.byId.size) {
      let i = 0;
      // Deleting while iterating a Map is safe: entries not yet reached are still visited.
      for (const [id, place] of this.byId) {
        if (place >= 0 ? table.stamps[place] !== stamp : this.unparsed.get(id) !== stamp) this.forget(id);
        if ((++i & 1023) === 0) await pause();
      }
    }
    return { ids: total, firstNew };
  }

  /** Moves the index to worker threads (before anything is filed) when the store holds enough subscriptions. */
  private startWorkerFor(subscriptions: number): void {
    const threshold = this.options.workerThreshold === undefined ? DEFAULT_WORKER_THRESHOLD : this.options.workerThreshold;
    if (this.remotes.length > 0 || threshold === null || subscriptions < threshold) return;
    this.remotes = Array.from({ length: WORKER_THREADS }, () => RemoteIndex.start());
    workers.register(this, this.remotes);
  }

  /** Takes a subscription out of the index (nothing when it is not in it). */
  private forget(id: number): void {
    const place = this.byId.get(id);
    if (place === undefined) return;
    if (place >= 0) {
      const remote = this.remoteFor(place);
      if (remote) remote.remove(place);
      else this.index.remove(place);
      this.table.free.push(place);
    } else this.unparsed.delete(id);
    this.byId.delete(id);
    if (id === this.maxId) this.maxId = -1;
  }

  private highestId(): number {
    if (this.maxId < 0) {
      this.maxId = 0;
      for (const id of this.byId.keys()) if (id > this.maxId) this.maxId = id;
    }
    return this.maxId;
  }

  /**
   * Each new subscription's parsed query (null: it does not parse, or the index has it already), a text repeated in
   * the page parsed once. Nothing is kept past the page: the index (here or in the workers) keeps its own queries,
   * and a cache of every text's parse held 39 MB on this thread at 100k subscriptions, all of it copied by the first
   * run's young-generation collections.
   */
  private async parsePage(page: readonly Subscription[], pause: Pause): Promise<(ParsedQuery | null)[]> {
    const byText = new Map<string, ParsedQuery | null>();
    const queries: (ParsedQuery | null)[] = [];
    for (let i = 0; i < page.length; i++) {
      const { id, query: text } = page[i]!;
      let query = this.byId.has(id) ? null : byText.get(text);
      if (query === undefined) byText.set(text, (query = parseOrNull(text)));
      queries.push(query);
      if ((i & 15) === 15) await pause();
    }
    return queries;
  }

  /** Asks the store about the tokens of a page's queries it has not been asked about yet. */
  private async learnFrequencies(store: SubscriptionSource, queries: readonly (ParsedQuery | null)[], pause: Pause): Promise<void> {
    const unknown = new Set<string>();
    for (let i = 0; i < queries.length; i++) {
      const query = queries[i];
      if (query) for (const clause of query.clauses) for (const term of clause) for (const token of term.tokens) if (!this.frequencies.has(token)) unknown.add(token);
      if ((i & 15) === 15) await pause();
    }
    if (unknown.size === 0) return;
    if (this.frequencies.size + unknown.size > MAX_FREQUENCIES) {
      this.frequencies.clear();
      for (const remote of this.remotes) remote.forgetFrequencies();
    }
    const tokens = [...unknown];
    // In steps: SQLite answers each token synchronously, and a first page has thousands.
    for (let start = 0; start < tokens.length; start += FREQUENCY_STEP) {
      const step = tokens.slice(start, start + FREQUENCY_STEP);
      const counts = await store.documentFrequencies(step);
      for (const token of step) {
        const count = counts.get(token) ?? 0;
        this.frequencies.set(token, count);
        for (const remote of this.remotes) remote.learn(token, count);
      }
      await pause();
    }
  }

  /** Files `subscription`, whose text parsed to `query` (null: it does not parse). */
  private add(subscription: Subscription, query: ParsedQuery | null): void {
    if (this.byId.has(subscription.id)) return;
    if (this.maxId >= 0 && subscription.id > this.maxId) this.maxId = subscription.id;
    if (!query) {
      this.byId.set(subscription.id, -1);
      this.unparsed.set(subscription.id, this.refreshes);
      return;
    }
    const channelKey = formatChannelRef(subscription.channel);
    let slot = this.slots.get(channelKey);
    if (slot === undefined) this.slots.set(channelKey, (slot = this.channelKeys.push(channelKey) - 1));
    const { table } = this;
    const reused = table.free.pop();
    if (reused !== undefined) this.keepForReaders(reused);
    const place = reused ?? table.ids.length;
    table.ids[place] = subscription.id;
    table.queries[place] = subscription.query;
    table.slots[place] = slot;
    table.stamps[place] = this.refreshes;
    this.byId.set(subscription.id, place);
    const remote = this.remoteFor(place);
    if (remote) remote.add(place, subscription.query);
    else this.index.add({ id: place, query });
  }

  private remoteFor(place: number): RemoteIndex | null {
    return this.remotes.length > 0 ? this.remotes[place % this.remotes.length]! : null;
  }

  /** Saves what `place` holds for the runs that may still read it, before it is given to another subscription. */
  private keepForReaders(place: number): void {
    let live = 0;
    for (const reader of this.readers) {
      const saved = reader.deref();
      if (!saved) continue;
      if (!saved.has(place)) saved.set(place, { id: this.table.ids[place]!, query: this.table.queries[place]! });
      this.readers[live++] = reader;
    }
    this.readers.length = live;
  }

  /**
   * Each channel's papers are counted as the matches are found, then one pass over the matched queries' subscribers
   * fills flat arrays by channel slot: ~470k (channel, paper) pairs cost no object, and no array growth, per pair.
   * Each channel's lists are made when read.
   */
  private async match(papers: readonly Paper[], accept: (channelKey: string) => boolean, pause: Pause): Promise<ReadonlyMap<string, ChannelMatches>> {
    const { table } = this;
    const matchedByPaper: ArrayLike<number>[][] = [];
    // The workers' halves match at once; each is awaited in turn: a failed worker's rejection must not count as
    // unhandled meanwhile (a process that treats those as fatal would stop).
    const replies = this.remotes.map((remote) => remote.match(papers));
    for (const reply of replies) reply.catch(() => undefined);
    const slots = this.channelKeys.length;
    const slotOf = table.slots;
    const counts = new Int32Array(slots + 1);
    // The last paper each slot got, + 1 (0: none yet): a channel gets a paper once, however many subscriptions match.
    const lastPaper = new Int32Array(slots);
    // Each channel's papers are counted as the matches are found (the layout below needs the counts), while the
    // subscribers' slots are still in cache.
    const found = (p: number, places: ArrayLike<number>): void => {
      matchedByPaper[p]!.push(places);
      for (let i = 0; i < places.length; i++) {
        const slot = slotOf[places[i]!]!;
        if (lastPaper[slot] === p + 1) continue;
        lastPaper[slot] = p + 1;
        counts[slot + 1]!++;
      }
    };
    for (let p = 0; p < papers.length; p++) matchedByPaper.push([]);
    if (replies.length === 0) {
      for (let p = 0; p < papers.length; p++) {
        this.index.forEachMatch(paperTokens(papers[p]!), (places) => found(p, places));
        await pause();
      }
    }
    for (const reply of replies) {
      const { places, offsets } = await reply;
      // A paper at a time: a broad topic is thousands of subscribers in one paper.
      for (let p = 0; p < papers.length; p++) {
        if (offsets[p + 1]! > offsets[p]!) found(p, places.subarray(offsets[p]!, offsets[p + 1]!));
        await pause();
      }
    }
    for (let slot = 0; slot < slots; slot++) counts[slot + 1]! += counts[slot]!;
    const starts = counts.slice(0, slots);
    const cursor = counts.slice(0, slots);
    const paperAt = new Int32Array(counts[slots]!);
    const placeAt = new Int32Array(counts[slots]!);
    lastPaper.fill(0);
    await forEachPair(matchedByPaper, slotOf, pause, (slot, p, place) => {
      if (lastPaper[slot] === p + 1) {
        // Named by the channel's lowest-id subscription that matched.
        const at = cursor[slot]! - 1;
        if (table.ids[place]! < table.ids[placeAt[at]!]!) placeAt[at] = place;
        return;
      }
      lastPaper[slot] = p + 1;
      const at = cursor[slot]!++;
      paperAt[at] = p;
      placeAt[at] = place;
    });
    // A later refresh may give a removed subscription's place to another before the caller reads these.
    const saved = new Map<number, MatchedSubscription>();
    this.readers = this.readers.filter((reader) => reader.deref() !== undefined);
    this.readers.push(new WeakRef(saved));
    const subscriptionAt = (at: number): MatchedSubscription => {
      const place = placeAt[at]!;
      return saved.get(place) ?? { id: table.ids[place]!, query: table.queries[place]! };
    };
    // Channels are listed now (cheap), their matches made only as the caller reaches them: 30k objects made at once
    // would outlive a young-generation collection and make it slow.
    const listed: { key: string; start: number; end: number }[] = [];
    for (let slot = 0; slot < slots; slot++) {
      if (cursor[slot]! > starts[slot]! && accept(this.channelKeys[slot]!)) listed.push({ key: this.channelKeys[slot]!, start: starts[slot]!, end: cursor[slot]! });
      if ((slot & 4095) === 4095) await pause();
    }
    return new MatchRun(listed, (entry) => channelMatches(papers, paperAt, subscriptionAt, entry.start, entry.end));
  }
}

async function forEachPair(matchedByPaper: ArrayLike<number>[][], slotOf: readonly number[], pause: Pause, visit: (slot: number, paper: number, place: number) => void): Promise<void> {
  for (let p = 0; p < matchedByPaper.length; p++) {
    const matched = matchedByPaper[p]!;
    for (let m = 0; m < matched.length; m++) {
      const places = matched[m]!;
      for (let i = 0; i < places.length; i++) visit(slotOf[places[i]!]!, p, places[i]!);
      // A broad topic is thousands of subscribers in one paper.
      if ((m & 63) === 63) await pause();
    }
    await pause();
  }
}

function parseOrNull(text: string): ParsedQuery | null {
  const result = parseQuery(text);
  return result.ok ? result.query : null;
}
