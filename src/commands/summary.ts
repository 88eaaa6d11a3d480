import type { ChannelRef } from '../channel.js';
import { canonicalArxivId } from '../papers/arxiv-id.js';
import { channelLanguage } from '../schedule/channels.js';
import { paperLinks } from '../papers/paper.js';
import type { Reply } from './command.js';
import type { CommandContext } from './context.js';
import { withPaper } from './find-paper.js';
import { errorReply, quoteUserText } from './replies.js';
import { chatSyntax, summaryUsage } from './syntax.js';
import type { Workspace } from '../workspace.js';

export async function handleSummary(ctx: CommandContext, channel: ChannelRef, args: string, workspace: Workspace): Promise<Reply> {
  const usage = summaryUsage(ctx.syntax ?? chatSyntax);
  if (!args) return errorReply(`Which paper? ${usage}`);
  const id = canonicalArxivId(args);
  if (!id) return errorReply(`${quoteUserText(args, 60)} is not an arXiv id or paper link. ${usage}`);
  return privateSummary(ctx, channel, id, workspace);
}

/** A paper's summary that only the asker sees (`summary <id>`, or *Summarise* on a search result), in the channel's language. */
export async function privateSummary(ctx: CommandContext, channel: ChannelRef, id: string, workspace: Workspace): Promise<Reply> {
  const language = await channelLanguage(ctx.store, channel);
  return withPaper(ctx, id, async (paper) => ({ type: 'summary', visibility: 'private', card: { paper, links: paperLinks(paper), day: null }, summary: await ctx.summariser.summarise(paper, workspace, language) }));
}
