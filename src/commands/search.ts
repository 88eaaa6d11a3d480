import type { ChannelRef } from '../channel.js';
import { discussedHere, withLinks } from '../delivery/earlier-post.js';
import type { ChannelPublisher } from '../delivery/publisher.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import { matchesPaper } from '../search/match.js';
import { parseQuery } from '../search/parse.js';
import type { ParsedQuery } from '../search/query.js';
import { errorMessage, PaperboyError } from '../errors.js';
import type { PaperCard, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { errorReply, quoteUserText } from './replies.js';
import { queryRef, SAVED_QUERY_OVER, savedQueryKey } from './buttons.js';
import { chatSyntax, queryUsage } from './syntax.js';

/** Who asked, for their share of the Hugging Face fallback (the command line has no one to count). */
export interface Asker {
  platform: string;
  userId: string;
}

/** The channel a search was run in, and its publisher: results this channel already got link to their thread. */
export interface SearchPlace {
  channel: ChannelRef;
  publisher: Pick<ChannelPublisher, 'messageLink'>;
}

/** Each person's Hugging Face fallbacks: 3 at once, then one per 20 s, so one person can't spend everyone's budget. */
const FALLBACKS_PER_ASKER = { burst: 3, intervalMs: 20_000 };

/** Local index first; when it has fewer hits than a page, HF search fills up (deduplicated by id). */
export async function handleSearch(ctx: CommandContext, text: string, page: { limit?: number; offset?: number; asker?: Asker; here?: SearchPlace } = {}): Promise<Reply> {
  const limit = page.limit ?? ctx.pageSize;
  const parsed = parseQuery(text);
  if (!parsed.ok) return errorReply(`${parsed.error} ${queryUsage(ctx.syntax ?? chatSyntax)}`);
  const query = parsed.query;
  const offset = Math.max(0, page.offset ?? 0);

  // One extra row tells whether a next page exists.
  const hits = await ctx.store.searchPapers(query, { limit: limit + 1, offset, now: ctx.clock() });
  const cards: PaperCard[] = hits.slice(0, limit).map((hit) => ({ paper: hit.paper, links: paperLinks(hit.paper), day: hit.day }));
  const hasMoreLocal = hits.length > limit;

  let includesRemote = false;
  if (offset === 0 && cards.length < limit && (await mayAskRemote(ctx, page.asker))) {
    const remote = await remoteMatches(ctx, query, limit);
    const seen = new Set(cards.map((card) => card.paper.id));
    for (const paper of remote) {
      if (cards.length >= limit) break;
      if (seen.has(paper.id)) continue;
      seen.add(paper.id);
      cards.push({ paper, links: paperLinks(paper), day: null });
      includesRemote = true;
    }
  }

  const nextOffset = hasMoreLocal ? offset + limit : null;
  // A *More* button can't carry a long query: keep it where every process can find it by its hash.
  if (nextOffset !== null && query.text.length > SAVED_QUERY_OVER) await ctx.store.setState(savedQueryKey(queryRef(query.text)), query.text);
  if (cards.length === 0) {
    return { type: 'message', visibility: 'private', tone: 'info', text: `No papers match ${quoteUserText(query.text)}. ${queryUsage(ctx.syntax ?? chatSyntax)}` };
  }
  return {
    type: 'papers',
    visibility: 'private',
    query: query.text,
    cards: page.here ? await markDiscussed(ctx, page.here, cards) : cards,
    offset,
    nextOffset,
    includesRemote,
  };
}

/** Cards of papers this channel already got, marked with where (their first post) and when, linked when possible. */
async function markDiscussed(ctx: CommandContext, here: SearchPlace, cards: PaperCard[]): Promise<PaperCard[]> {
  const earlier = await ctx.store.earlierPosts(here.channel, cards.map((card) => card.paper.id));
  if (earlier.size === 0) return cards;
  const timeZone = (await ctx.store.getChannelSettings(here.channel))?.timeZone ?? ctx.defaults.timeZone;
  return Promise.all(
    cards.map(async (card) => {
      const post = earlier.get(card.paper.id);
      if (!post) return card;
      const [linked] = await withLinks(here.publisher, here.channel, [{ discussed: discussedHere(post, timeZone) }]);
      return { ...card, discussed: linked!.discussed };
    }),
  );
}

/**
 * HF's search is semantic, so its hits needn't contain every word; we still honour exclusions and author filters.
 * Results are saved so a later summary or search finds them locally. HF being down only costs the fallback.
 */
async function remoteMatches(ctx: CommandContext, query: ParsedQuery, limit: number): Promise<Paper[]> {
  const text = remoteQueryText(query.text);
  if (!text) return [];
  try {
    const papers = await ctx.source.searchPapers(text, Math.min(limit * 2, 120));
    const filter: ParsedQuery = { text: query.text, clauses: query.clauses.filter((clause) => clause.every((t) => t.field === 'author')), excluded: query.excluded };
    const kept = papers.filter((paper) => matchesPaper(filter, paper));
    if (kept.length > 0) await ctx.store.savePapers(kept);
    return kept;
  } catch (error) {
    // Out of budget is by design (searches answer from the store alone then); anything else is worth a warning.
    if (error instanceof PaperboyError && error.code === 'budget_exhausted') ctx.logger.info({ retryAfterMs: error.options.retryAfterMs }, 'HF search fallback skipped: interactive budget used up');
    else ctx.logger.warn({ err: errorMessage(error) }, 'HF search fallback failed');
    return [];
  }
}

async function mayAskRemote(ctx: CommandContext, asker: Asker | undefined): Promise<boolean> {
  if (!asker) return true;
  try {
    const wait = await ctx.store.admit(`hf-search:${asker.platform}:${asker.userId}`, FALLBACKS_PER_ASKER.intervalMs, FALLBACKS_PER_ASKER.burst, ctx.clock());
    return wait === 0;
  } catch {
    return true;
  }
}

/** The positive words of a query, without our operators, for HF's free-text search. */
export function remoteQueryText(text: string): string {
  return text
    .replace(/[“”]/g, '"')
    .replace(/-"[^"]*"/g, ' ')
    .replace(/(^|\s)-\S+/g, ' ')
    .replace(/author:("[^"]*"|\S+)/gi, ' ')
    .replace(/\b(?:OR|AND)\b/g, ' ')
    .replace(/\bNOT\s+("[^"]*"|\S+)/g, ' ')
    .replace(/"/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 250);
}
