import type { ChannelRef } from '../channel.js';
import { paperLinks } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { SummaryProvider } from '../summarise/port.js';
import { formatDayLabel, localDate, type Clock } from '../time.js';
import { mapLimit } from '../util/map-limit.js';
import type { Digest } from './digest.js';

export interface DigestDeps {
  store: Store;
  summariser: SummaryProvider;
  clock: Clock;
}

export interface DailyDigestRequest {
  channel: ChannelRef;
  size: number;
  timeZone: string;
  /** HF day; default: the latest synced day with papers, on or before today in `timeZone`. */
  day?: string;
  /** Leave out papers this channel already received (the ledger). Off for previews. */
  skipReceived?: boolean;
  /** Summaries without network calls (cached LLM summary or fallback), for instant previews. */
  quickSummaries?: boolean;
}

/** Builds a day's digest: HF's order, minus papers the channel already has, top `size`, each summarised. */
export async function buildDailyDigest(deps: DigestDeps, request: DailyDigestRequest): Promise<Digest | null> {
  const { store, summariser, clock } = deps;
  const day = request.day ?? (await store.latestDayWithPapers(localDate(clock(), request.timeZone)));
  if (!day) return null;
  const listings = await store.listingsForDay(day);
  const received = request.skipReceived === false ? new Set<string>() : await receivedElsewhere(store, request.channel, day, listings.map((l) => l.paper.id));
  const fresh = listings.filter((listing) => !received.has(listing.paper.id)).slice(0, request.size);
  const summarise = request.quickSummaries ? summariser.quickSummary.bind(summariser) : summariser.summarise.bind(summariser);
  const items = await mapLimit(fresh, 4, async (listing, index) => ({
    rank: index + 1,
    paper: listing.paper,
    links: paperLinks(listing.paper),
    summary: await summarise(listing.paper),
  }));
  return {
    kind: 'daily',
    key: dailyDigestKey(day),
    day,
    title: `Trending papers · ${formatDayLabel(day)}`,
    items,
    alreadyReceived: listings.filter((listing) => received.has(listing.paper.id)).length,
  };
}

export function dailyDigestKey(day: string): string {
  return `daily:${day}`;
}

/**
 * Papers the channel got in other digests or alerts. Papers already posted under this day's own key stay in, so
 * a resumed delivery rebuilds the same list instead of topping it up with the next papers.
 */
async function receivedElsewhere(store: Store, channel: ChannelRef, day: string, paperIds: string[]): Promise<Set<string>> {
  const received = await store.receivedPaperIds(channel, paperIds);
  const own = await store.getDelivery(channel, dailyDigestKey(day));
  for (const paperId of own?.papers.keys() ?? []) received.delete(paperId);
  return received;
}
