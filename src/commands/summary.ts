import { canonicalArxivId } from '../papers/arxiv-id.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import { errorMessage } from '../errors.js';
import type { Reply } from './command.js';
import type { CommandContext } from './context.js';
import { errorReply, quoteUserText } from './replies.js';
import { chatSyntax, summaryUsage } from './syntax.js';

export async function handleSummary(ctx: CommandContext, args: string): Promise<Reply> {
  const usage = summaryUsage(ctx.syntax ?? chatSyntax);
  if (!args) return errorReply(`Which paper? ${usage}`);
  const id = canonicalArxivId(args);
  if (!id) return errorReply(`${quoteUserText(args, 60)} is not an arXiv id or paper link. ${usage}`);
  const found = await findPaper(ctx, id);
  if (found.status === 'unavailable') return errorReply(`Couldn't reach Hugging Face to look up ${id}; try again in a minute.`, 'unavailable');
  if (found.status === 'missing') return errorReply(`Hugging Face has no paper ${id}. Check the id, or try its arXiv link.`, 'unavailable');
  const summary = await ctx.summariser.summarise(found.paper);
  return { type: 'summary', visibility: 'private', card: { paper: found.paper, links: paperLinks(found.paper), day: null }, summary };
}

/** Store first; otherwise HF's paper endpoint, saving what it returns. */
export async function findPaper(ctx: CommandContext, id: string): Promise<{ status: 'found'; paper: Paper } | { status: 'missing' } | { status: 'unavailable' }> {
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
