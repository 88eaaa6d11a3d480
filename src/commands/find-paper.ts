import type { ChannelRef } from '../channel.js';
import { errorMessage } from '../errors.js';
import { channelLanguage } from '../schedule/channels.js';
import type { Paper } from '../papers/paper.js';
import type { Workspace } from '../workspace.js';
import type { Reply } from './command.js';
import type { CommandContext } from './context.js';
import { errorReply } from './replies.js';

export type FoundPaper = { status: 'found'; paper: Paper } | { status: 'missing' } | { status: 'unavailable' };

/** Store first; otherwise Hugging Face's paper endpoint, saving what it returns. */
export async function findPaper(ctx: CommandContext, id: string): Promise<FoundPaper> {
  const stored = await ctx.store.getPaper(id);
  if (stored) return { status: 'found', paper: stored };
  try {
    const paper = await ctx.source.getPaper(id);
    if (!paper) return { status: 'missing' };
    await ctx.store.savePapers([paper]);
    return { status: 'found', paper };
  } catch (error) {
    ctx.logger.warn({ err: errorMessage(error), paper: id }, 'paper lookup failed');
    return { status: 'unavailable' };
  }
}

/** The paper, or the short private answer for why there is none. */
export async function withPaper(ctx: CommandContext, id: string, use: (paper: Paper) => Promise<Reply>): Promise<Reply> {
  const found = await findPaper(ctx, id);
  if (found.status === 'found') return use(found.paper);
  if (found.status === 'missing') return errorReply(`Hugging Face has no paper ${id}. Check the id, or try its arXiv link.`, 'unavailable');
  return errorReply(`Couldn't reach Hugging Face to look up ${id}; try again in a minute.`, 'unavailable');
}

/**
 * Known before any network call: getting this paper's summary will take a while (the paper must be fetched, or
 * its summary is a fresh LLM call). The text says what, for a "working on it" answer.
 */
export async function slowSummary(ctx: CommandContext, channel: ChannelRef, id: string, workspace: Workspace): Promise<string | null> {
  const paper = await ctx.store.getPaper(id);
  if (!paper) return `Looking up ${id} on Hugging Face`;
  if (await ctx.summariser.needsLlmCall(paper, workspace, await channelLanguage(ctx.store, channel))) return `Summarising “${paper.title.replace(/\s+/g, ' ').trim().slice(0, 120) || id}”`;
  return null;
}
