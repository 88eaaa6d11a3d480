import type { ChannelRef } from '../channel.js';
import { paperLinks, type DailyListing, type Paper } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { SummaryProvider } from '../summarise/port.js';
import type { Workspace } from '../workspace.js';
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
  /**
   * Pays for summaries not cached yet (the channel's workspace, or the local one for the command line); null: no
   * new LLM call at all (cached summary or fallback), for instant refreshes.
   */
  workspace: Workspace | null;
  size: number;
  timeZone: string;
  /** HF day; default: the latest synced day with papers, on or before today in `timeZone`. */
  day?: string;
  /** Leave out papers this channel already received (the ledger). Off for previews. */
  skipReceived?: boolean;
}

/** Builds a day's digest: HF's order, minus papers the channel already has, top `size`, each summarised. */
export async function buildDailyDigest(deps: DigestDeps, request: DailyDigestRequest): Promise<Digest | null> {
  const { store, summariser, clock } = deps;
  const day = request.day ?? (await store.latestDayWithPapers(localDate(clock(), request.timeZone)));
  if (!day) return null;
  const listings = await store.listingsForDay(day);
  const skip = request.skipReceived !== false;
  const frozen = skip ? await frozenSelection(store, request.channel, day, listings) : null;
  const received = skip && !frozen ? await store.receivedPaperIds(request.channel, listings.map((l) => l.paper.id)) : new Set<string>();
  const fresh = frozen ?? listings.filter((listing) => !received.has(listing.paper.id)).slice(0, request.size);
  const { workspace } = request;
  const summarise = (paper: Paper) => (workspace ? summariser.summarise(paper, workspace) : summariser.quickSummary(paper));
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
 * A delivery already claimed for this day froze its paper list; rebuilding after a crash must give that same list
 * (HF's order may have moved since), so the resumed run posts only what is missing.
 */
async function frozenSelection(store: Store, channel: ChannelRef, day: string, listings: DailyListing[]): Promise<DailyListing[] | null> {
  const own = await store.getDelivery(channel, dailyDigestKey(day));
  if (!own || own.papers.size === 0) return null;
  const byId = new Map(listings.map((listing) => [listing.paper.id, listing]));
  const selection: DailyListing[] = [];
  for (const paperId of own.papers.keys()) {
    const listing = byId.get(paperId);
    const paper = listing?.paper ?? (await store.getPaper(paperId));
    if (paper) selection.push({ day, rank: listing?.rank ?? selection.length + 1, paper });
  }
  return selection;
}
