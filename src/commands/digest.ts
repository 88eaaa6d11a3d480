import { buildDailyDigest, dailyDigestKey } from '../digest/build-digest.js';
import type { Digest } from '../digest/digest.js';
import { buildArxivDigestNow } from '../digest/build-arxiv-digest.js';
import { effectiveSource, sourceLabel } from '../digest/digest-source.js';
import { formatDayLabel, isIsoDay } from '../time.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { channelSettings } from './settings.js';
import { errorReply, infoReply } from './replies.js';

/**
 * `digest [YYYY-MM-DD]`: the channel's digest for that day (default: the latest day with papers), ready to post,
 * or the short answer for why there is nothing to post.
 */
export async function digestToPost(
  ctx: CommandContext,
  command: Command,
  args: string,
): Promise<{ type: 'digest'; digest: Digest } | { type: 'reply'; reply: Reply }> {
  const day = args.trim() || undefined;
  if (day !== undefined && !isIsoDay(day)) return { type: 'reply', reply: errorReply('Give the day as YYYY-MM-DD (e.g. 2026-05-18), or nothing for the latest day.') };
  const settings = await channelSettings(ctx, command.channel);
  const source = effectiveSource(settings.source, ctx.arxivCategories ?? []);
  if (day) {
    const delivered = await ctx.store.getDelivery(command.channel, dailyDigestKey(day));
    if (delivered?.completedAt) return { type: 'reply', reply: infoReply(`The digest for ${formatDayLabel(day)} was already posted here.`) };
  }
  const deps = { store: ctx.store, summariser: ctx.summariser, clock: ctx.clock };
  const { channel, workspace } = command;
  // A day asked for by name is that day of Hugging Face's; "now" is what this channel's schedule would post now.
  const digest =
    day || source === 'hf'
      ? await buildDailyDigest(deps, { channel, workspace, size: settings.size, timeZone: settings.timeZone, day, language: settings.language })
      : await buildArxivDigestNow(deps, { channel, workspace, settings, source, categories: ctx.arxivCategories ?? [] });
  const delivery = digest ? await ctx.store.getDelivery(command.channel, digest.key) : null;
  if (digest && delivery?.completedAt) {
    return { type: 'reply', reply: infoReply(`The digest for ${formatDayLabel(digest.day)} was already posted here.`) };
  }
  if (!digest || (digest.items.length === 0 && digest.alreadyReceived === 0)) {
    if (source !== 'hf' && !day) return { type: 'reply', reply: infoReply(`No new papers on ${sourceLabel(source)} since yesterday at this time.`) };
    return { type: 'reply', reply: infoReply(day ? `No papers are listed for ${formatDayLabel(day)} (weekends are usually empty).` : 'No papers synced yet; try again after the first sync.') };
  }
  if (digest.items.length === 0) return { type: 'reply', reply: infoReply(`This channel already has every paper of ${formatDayLabel(digest.day)}.`) };
  return { type: 'digest', digest };
}
