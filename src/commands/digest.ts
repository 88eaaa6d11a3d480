import { buildDailyDigest, dailyDigestKey } from '../digest/build-digest.js';
import type { Digest } from '../digest/digest.js';
import { buildArxivDigest } from '../digest/build-arxiv-digest.js';
import { effectiveSource, sourceLabel } from '../digest/digest-source.js';
import type { ChannelSettings, DeliveryRecord } from '../store/store.js';
import { formatDayLabel, isIsoDay, localDate } from '../time.js';

const DAY_MS = 24 * 60 * 60_000;
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
): Promise<{ type: 'digest'; digest: Digest; /** Its delivery here, when one was started before. */ delivery: DeliveryRecord | null } | { type: 'reply'; reply: Reply }> {
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
      : await arxivDigestNow(ctx, command, settings, source);
  const delivery = digest ? await ctx.store.getDelivery(command.channel, digest.key) : null;
  if (digest && delivery?.completedAt) {
    return { type: 'reply', reply: infoReply(`The digest for ${formatDayLabel(digest.day)} was already posted here.`) };
  }
  if (!digest || (digest.items.length === 0 && digest.alreadyReceived === 0)) {
    if (source !== 'hf' && !day) return { type: 'reply', reply: infoReply(`No new papers on ${sourceLabel(source)} since yesterday at this time.`) };
    return { type: 'reply', reply: infoReply(day ? `No papers are listed for ${formatDayLabel(day)} (weekends are usually empty).` : 'No papers synced yet; try again after the first sync.') };
  }
  if (digest.items.length === 0) return { type: 'reply', reply: infoReply(`This channel already has every paper of ${formatDayLabel(digest.day)}.`) };
  return { type: 'digest', digest, delivery };
}

/**
 * The digest a channel with arXiv in its digests gets now: today's (its local date, the key its schedule uses, so
 * the two never both post), with arXiv papers first stored in the last 24 hours.
 */
async function arxivDigestNow(ctx: CommandContext, command: Command, settings: ChannelSettings, source: 'arxiv' | 'both'): Promise<Digest> {
  const now = ctx.clock();
  const date = localDate(now, settings.timeZone);
  return buildArxivDigest(
    { store: ctx.store, summariser: ctx.summariser, clock: ctx.clock },
    {
      channel: command.channel,
      workspace: command.workspace,
      source,
      size: settings.size,
      language: settings.language,
      categories: ctx.arxivCategories ?? [],
      date,
      hfDay: await ctx.store.latestDayWithPapers(date),
      window: { from: new Date(now.getTime() - DAY_MS), to: now },
    },
  );
}
