import type { ChannelRef } from '../channel.js';
import { ARXIV_MAX_LOOKBACK_DAYS } from '../papers/arxiv-sync.js';
import type { Paper } from '../papers/paper.js';
import type { ChannelSettings, Store } from '../store/store.js';
import { addDays, DAY_MS, formatDayLabel, localDate } from '../time.js';
import type { Workspace } from '../workspace.js';
import { dailyDigestKey, digestItems, frozenSelection, readListings, type DigestDeps } from './build-digest.js';
import { categoriesLabel } from './digest-source.js';
import type { Digest } from './digest.js';

/** Candidates read per step while skipping papers the channel already has (an alert may have sent many). */
const PAGE = 100;

export interface ArxivDigestRequest {
  channel: ChannelRef;
  /** Pays for summaries not cached yet; null: no new LLM call (see DailyDigestRequest). */
  workspace: Workspace | null;
  /** `both` puts Hugging Face's list of `hfDay` first, then the arXiv papers; ranks run on across both. */
  source: 'arxiv' | 'both';
  size: number;
  language?: string | null;
  /** ARXIV_CATEGORIES, for the header. */
  categories: readonly string[];
  /** The slot's local date: the digest's day and, like every daily digest, its ledger key (`daily:<date>`). */
  date: string;
  /** `both`: the HF day whose trending list leads the digest (null when there is none yet). */
  hfDay: string | null;
  /** arXiv papers first stored in [from, to): since the previous slot, up to this one. */
  window: { from: Date; to: Date };
}

/**
 * A daily digest with arXiv's new papers Hugging Face has not listed (a paper HF lists belongs to HF's digest),
 * newest submission first, minus papers the channel already received, top `size`; after HF's top `size` for
 * `both`. A delivery already claimed under the key keeps its frozen paper list.
 */
export async function buildArxivDigest(deps: DigestDeps, request: ArxivDigestRequest): Promise<Digest> {
  const { store, summariser } = deps;
  const key = dailyDigestKey(request.date);
  const listings = request.source === 'both' && request.hfDay ? await readListings(deps, request.hfDay) : [];
  const frozen = await frozenSelection(store, request.channel, key, new Map(listings.map((listing) => [listing.paper.id, listing.paper])));
  let papers = frozen;
  let alreadyReceived = 0;
  if (!papers) {
    const hf = await unreceived(store, request.channel, listings.map((listing) => listing.paper), request.size);
    const arxiv = await newArxivPapers(store, request);
    papers = [...hf.papers, ...arxiv.papers];
    alreadyReceived = hf.alreadyReceived + arxiv.alreadyReceived;
  }
  const items = await digestItems(summariser, papers, { workspace: request.workspace, language: request.language });
  const what = request.source === 'both' ? 'Trending papers + new on arXiv' : 'New on arXiv';
  return {
    kind: 'daily',
    key,
    day: request.date,
    title: `${what} · ${categoriesLabel(request.categories)} · ${formatDayLabel(request.date)}`,
    items,
    alreadyReceived,
    source: request.source,
  };
}

/**
 * The newest `size` arXiv-only papers of the window the channel has not received, read a page at a time. Only
 * papers published within the arXiv sync's longest look-back of the window count: older unlisted papers in the
 * store came from an HF search, not from arXiv's new submissions.
 */
async function newArxivPapers(store: Store, request: ArxivDigestRequest): Promise<{ papers: Paper[]; alreadyReceived: number }> {
  const { from, to } = request.window;
  const publishedFrom = addDays(from.toISOString().slice(0, 10), -(ARXIV_MAX_LOOKBACK_DAYS + 1));
  const papers: Paper[] = [];
  let alreadyReceived = 0;
  for (let offset = 0; papers.length < request.size; offset += PAGE) {
    const page = await store.unlistedPapersAddedBetween(from, to, { publishedFrom, limit: PAGE, offset });
    const fresh = await unreceived(store, request.channel, page, request.size - papers.length);
    papers.push(...fresh.papers);
    alreadyReceived += fresh.alreadyReceived;
    if (page.length < PAGE) break;
  }
  return { papers, alreadyReceived };
}

/**
 * The first `size` of `papers` the channel has not received yet, and how many it had. A digest with arXiv papers
 * leaves received ones out without pointing to their earlier post (HF's daily digest does point).
 */
async function unreceived(store: Store, channel: ChannelRef, papers: Paper[], size: number): Promise<{ papers: Paper[]; alreadyReceived: number }> {
  const received = await store.receivedPaperIds(channel, papers.map((paper) => paper.id));
  return { papers: papers.filter((paper) => !received.has(paper.id)).slice(0, size), alreadyReceived: received.size };
}

/**
 * The digest a channel with arXiv in its digests gets when asked for one now (`/papers digest`, `paperboy digest
 * --channel`): today's (its local date, the key its schedule uses, so the two never both post), with the arXiv
 * papers first stored in the last 24 hours.
 */
export async function buildArxivDigestNow(
  deps: DigestDeps,
  request: { channel: ChannelRef; workspace: Workspace | null; settings: ChannelSettings; source: 'arxiv' | 'both'; categories: readonly string[] },
): Promise<Digest> {
  const now = deps.clock();
  const { settings } = request;
  const date = localDate(now, settings.timeZone);
  return buildArxivDigest(deps, {
    channel: request.channel,
    workspace: request.workspace,
    source: request.source,
    size: settings.size,
    language: settings.language,
    categories: request.categories,
    date,
    hfDay: await deps.store.latestDayWithPapers(date),
    window: { from: new Date(now.getTime() - DAY_MS), to: now },
  });
}
