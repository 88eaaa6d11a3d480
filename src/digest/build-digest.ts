import type { ChannelRef } from '../channel.js';
import { discussedHere, earlierPostsOf, type EarlierPost } from '../delivery/earlier-post.js';
import { paperLinks, type DailyListing, type Paper } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { SummaryProvider } from '../summarise/port.js';
import { formatWorkspace, type Workspace } from '../workspace.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { promiseMemo } from '../util/promise-memo.js';
import { formatDayLabel, localDate, type Clock } from '../time.js';
import { mapLimit } from '../util/map-limit.js';
import type { Digest, DigestItem } from './digest.js';

export interface DigestDeps {
  store: Store;
  summariser: SummaryProvider;
  clock: Clock;
  /** A day's HF listings; default `store.listingsForDay`. A fan-out passes one read per day for all its channels. */
  listingsForDay?: (day: string) => Promise<DailyListing[]>;
  /**
   * Shares one digest among a fan-out's channels that would each build the same one (see `digestsOncePerRun`);
   * absent: every request builds its own.
   */
  sharedDigest?: (key: string, build: () => Promise<Digest>) => Promise<Digest>;
}

export function readListings(deps: DigestDeps, day: string): Promise<DailyListing[]> {
  return deps.listingsForDay ? deps.listingsForDay(day) : deps.store.listingsForDay(day);
}

/**
 * `store.listingsForDay`, read once per day for as long as the returned function is kept: one scheduled run's
 * channels all want the same day, and reading its rows a thousand times was a fifth of a fan-out's start-up.
 */
export function listingsOncePerDay(store: Store): (day: string) => Promise<DailyListing[]> {
  const once = promiseMemo<DailyListing[]>();
  return (day) => once(day, () => store.listingsForDay(day));
}

/**
 * Digests shared across one scheduled run. A channel that got none of the day's papers gets a digest decided by
 * the day, its size, language and paying workspace alone, and at 9:00 most channels are such channels: built once,
 * the digest is also rendered and checked once by the platforms' publishers, instead of once per channel (that work
 * was a fifth of a 1,000-channel fan-out's time before the last channel's first post). A shared digest is frozen,
 * papers and summaries included: what one channel's delivery did to it would show in every other channel's.
 */
export function digestsOncePerRun(): NonNullable<DigestDeps['sharedDigest']> {
  const once = promiseMemo<Digest>();
  return (key, build) => once(key, async () => deepFreeze(await build()));
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

/** At most this many already-received papers are pointed to in one digest's parent; the rest are only counted. */
export const MAX_DISCUSSED = 5;

/**
 * Builds a day's digest: HF's order, top `size` papers the channel doesn't have yet, each summarised. Papers it
 * already got that rank among them (up to MAX_DISCUSSED) are listed as `discussed`, pointing to their first post.
 */
export async function buildDailyDigest(deps: DigestDeps, request: DailyDigestRequest): Promise<Digest | null> {
  const { store, summariser, clock } = deps;
  const day = request.day ?? (await store.latestDayWithPapers(localDate(clock(), request.timeZone)));
  if (!day) return null;
  const key = dailyDigestKey(day);
  const listed = (await readListings(deps, day)).map((listing) => listing.paper);
  const skip = request.skipReceived !== false;
  const frozen = skip ? await frozenSelection(store, request.channel, key, new Map(listed.map((paper) => [paper.id, paper]))) : null;
  const ids = [...new Set([...listed, ...(frozen ?? [])].map((paper) => paper.id))];
  // A resumed digest's own posts are not "earlier" ones.
  const earlier = skip ? await earlierPostsOf(store, request.channel, ids, key) : new Map<string, EarlierPost>();
  const { fresh, repeats } = frozen ? splitFrozen(frozen, earlier) : select(listed, earlier, request.size);
  const build = async (): Promise<Digest> => {
    const items = await digestItems(summariser, fresh, { workspace: request.workspace, language: request.language });
    const shown = new Set([...fresh, ...repeats].map((paper) => paper.id));
    return {
      kind: 'daily',
      key,
      day,
      title: `Trending papers · ${formatDayLabel(day)}`,
      items,
      alreadyReceived: listed.filter((paper) => earlier.has(paper.id) && !shown.has(paper.id)).length,
      discussed: repeats.map((paper) => ({ paper, links: paperLinks(paper), discussed: discussedHere(earlier.get(paper.id)!, request.timeZone) })),
    };
  };
  // Nothing of the channel's own history shapes this digest: any channel asking the same of the same day shares it.
  if (deps.sharedDigest && !frozen && earlier.size === 0) {
    const workspace = request.workspace ? formatWorkspace(request.workspace) : '';
    return deps.sharedDigest([key, request.size, request.language ?? '', workspace].join('\n'), build);
  }
  return build();
}

/**
 * The top `size` papers not yet received, and the received ones ranked among them (none when nothing is new:
 * a digest of pointers alone is not worth a post).
 */
function select(papers: Paper[], earlier: Map<string, EarlierPost>, size: number): { fresh: Paper[]; repeats: Paper[] } {
  const fresh: Paper[] = [];
  const repeats: Paper[] = [];
  for (const paper of papers) {
    if (fresh.length >= size) break;
    if (!earlier.has(paper.id)) fresh.push(paper);
    else if (repeats.length < MAX_DISCUSSED) repeats.push(paper);
  }
  return { fresh, repeats: fresh.length > 0 ? repeats : [] };
}

/** A frozen list splits the same way it was built: papers first posted elsewhere were pointers. */
function splitFrozen(frozen: Paper[], earlier: Map<string, EarlierPost>): { fresh: Paper[]; repeats: Paper[] } {
  return { fresh: frozen.filter((paper) => !earlier.has(paper.id)), repeats: frozen.filter((paper) => earlier.has(paper.id)) };
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
