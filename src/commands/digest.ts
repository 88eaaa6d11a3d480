import { buildDailyDigest, dailyDigestKey } from '../digest/build-digest.js';
import { formatDayLabel, isIsoDay } from '../time.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { channelSettings } from './settings.js';
import { errorReply, infoReply } from './replies.js';

/** `digest [YYYY-MM-DD]`: the channel's digest for that day (default: the latest day with papers), to post here. */
export async function handleDigest(ctx: CommandContext, command: Command, args: string): Promise<Reply> {
  const day = args.trim() || undefined;
  if (day !== undefined && !isIsoDay(day)) return errorReply('Use /papers digest or /papers digest 2026-05-18 (a date as YYYY-MM-DD).');
  const settings = await channelSettings(ctx, command.channel);
  if (day) {
    const delivered = await ctx.store.getDelivery(command.channel, dailyDigestKey(day));
    if (delivered?.completedAt) return infoReply(`The digest for ${formatDayLabel(day)} was already posted here.`);
  }
  const digest = await buildDailyDigest(
    { store: ctx.store, summariser: ctx.summariser, clock: ctx.clock },
    { channel: command.channel, size: settings.size, timeZone: settings.timeZone, day },
  );
  if (!digest || (digest.items.length === 0 && digest.alreadyReceived === 0)) {
    return infoReply(day ? `No papers are listed for ${formatDayLabel(day)} (weekends are usually empty).` : 'No papers synced yet; try again after the first sync.');
  }
  if (digest.items.length === 0) return infoReply(`This channel already has every paper of ${formatDayLabel(digest.day)}.`);
  return { type: 'digest', visibility: 'channel', digest };
}
