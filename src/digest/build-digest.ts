import type { ChannelRef } from '../channel.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { SummaryProvider } from '../summarise/port.js';
import type { Workspace } from '../workspace.js';
import { formatDayLabel, localDate, type Clock } from '../time.js';
import { mapLimit } from '../util/map-limit.js';
import type { Digest, DigestItem } from './digest.js';

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
  /** The channel's summary language (BCP-47); default English. */
  language?: string | null;
}

/** Builds a day's digest: HF's order, minus papers the channel already has, top `size`, each summarised. */
export async function buildDailyDigest(deps: DigestDeps, request: DailyDigestRequest): Promise<Digest | null> {
  const { store, summariser, clock } = deps;
  const day = request.day ?? (await store.latestDayWithPapers(localDate(clock(), request.timeZone)));
  if (!day) return null;
  const listings = await store.listingsForDay(day);
  const skip = request.skipReceived !== false;
  const frozen = skip ? await frozenSelection(store, request.channel, dailyDigestKey(day), new Map(listings.map((l) => [l.paper.id, l.paper]))) : null;
  const top = frozen ? { papers: frozen, alreadyReceived: 0 } : await unreceived(store, request.channel, listings.map((listing) => listing.paper), request.size, skip);
  const items = await digestItems(summariser, top.papers, { workspace: request.workspace, language: request.language });
  return {
    kind: 'daily',
    key: dailyDigestKey(day),
    day,
    title: `Trending papers · ${formatDayLabel(day)}`,
    items,
    alreadyReceived: top.alreadyReceived,
  };
}

/** The first `size` of `papers` the channel has not received yet (all of them when `skip` is off), and how many it had. */
export async function unreceived(store: Store, channel: ChannelRef, papers: Paper[], size: number, skip: boolean): Promise<{ papers: Paper[]; alreadyReceived: number }> {
  const received = skip ? await store.receivedPaperIds(channel, papers.map((paper) => paper.id)) : new Set<string>();
  return { papers: papers.filter((paper) => !received.has(paper.id)).slice(0, size), alreadyReceived: received.size };
}

export function dailyDigestKey(day: string): string {
  return `daily:${day}`;
}

/**
 * Each paper with its rank, links and summary in the channel's language (four summaries at a time). New LLM calls
 * are charged to `workspace`; null makes none (cached summary or fallback).
 */
export async function digestItems(summariser: SummaryProvider, papers: Paper[], options: { workspace: Workspace | null; language?: string | null }): Promise<DigestItem[]> {
  const { workspace } = options;
  const language = options.language ?? undefined;
  const summarise = (paper: Paper) => (workspace ? summariser.summarise(paper, workspace, language) : summariser.quickSummary(paper, language));
  return mapLimit(papers, 4, async (paper, index) => ({ rank: index + 1, paper, links: paperLinks(paper), summary: await summarise(paper) }));
}

/**
 * A delivery already claimed under `key` froze its paper list; rebuilding after a crash must give that same list
 * (HF's order may have moved since), so the resumed run posts only what is missing. `known` holds the papers the
 * rebuild read anyway; others are read from the store.
 */
export async function frozenSelection(store: Store, channel: ChannelRef, key: string, known: Map<string, Paper>): Promise<Paper[] | null> {
  const own = await store.getDelivery(channel, key);
  if (!own || own.papers.size === 0) return null;
  const selection: Paper[] = [];
  for (const paperId of own.papers.keys()) {
    const paper = known.get(paperId) ?? (await store.getPaper(paperId));
    if (paper) selection.push(paper);
  }
  return selection;
}
