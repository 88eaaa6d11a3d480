import { formatChannelRef } from '../channel.js';
import { deliverDigest, type DeliveryOutcome } from '../delivery/deliver-digest.js';
import type { ChannelPublisher } from '../delivery/publisher.js';
import type { Digest } from '../digest/digest.js';
import { errorMessage, PaperboyError } from '../errors.js';
import { formatDayLabel } from '../time.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { digestToPost } from './digest.js';
import { errorReply, infoReply, successReply } from './replies.js';

/** Least time between two new digests posted in one channel by command (scheduled ones don't count). */
export const DIGEST_COMMAND_GAP_MS = 10 * 60_000;

/**
 * `digest [date]`: the channel's digest, posted here for everyone through the delivery ledger (exactly once per
 * channel and day, like the scheduled one); the asker hears privately how it went.
 */
export async function postDigestHere(ctx: CommandContext, command: Command, publisher: ChannelPublisher, args: string): Promise<Reply> {
  const found = await digestToPost(ctx, command, args);
  if (found.type === 'reply') return found.reply;
  const { digest } = found;
  // A new digest by command at most every few minutes per channel, so a run of dates can't flood it. The ledger
  // asks only the process that would start a new delivery: finishing an interrupted one is always allowed, and a
  // process given the same command while another posts waits for it (and takes over if it dies) instead of refusing.
  const admit = () => ctx.store.markSeen(`digest-command:${formatChannelRef(command.channel)}`, ctx.clock(), new Date(ctx.clock().getTime() + DIGEST_COMMAND_GAP_MS));
  try {
    const outcome = await deliverDigest({ ledger: ctx.store, publisher, clock: ctx.clock, logger: ctx.logger, lease: ctx.lease }, command.channel, digest, { admit });
    if (outcome.status === 'refused') return errorReply(`A digest was posted here by command in the last ${DIGEST_COMMAND_GAP_MS / 60_000} minutes; try again later.`);
    return outcomeReply(outcome, digest);
  } catch (error) {
    ctx.logger.warn({ channel: `${command.channel.platform}:${command.channel.id}`, digest: digest.key, err: errorMessage(error) }, 'posting a digest on command failed');
    // The platform's own words for "can't post here" (invite the bot, missing permissions) say what to do.
    if (error instanceof PaperboyError && error.code === 'channel_unavailable') return errorReply(error.userMessage, 'unavailable');
    return errorReply('Posting the digest stopped part-way. Run the command again to finish it; nothing will be posted twice.', 'unavailable');
  }
}

/** The one wording of a digest delivery's outcome, for every platform and the command line. */
export function outcomeText(outcome: DeliveryOutcome, digest: Digest, where = 'here'): string {
  const day = formatDayLabel(digest.day);
  if (outcome.status === 'already_delivered') return `The digest for ${day} was already posted ${where}.`;
  if (outcome.status === 'empty') return `Nothing to post ${where}: it already has every paper of ${day}.`;
  if (outcome.status === 'in_progress') return `The digest for ${day} is being posted ${where} by another paperboy process right now.`;
  if (outcome.status === 'refused') return `The digest for ${day} was not posted ${where}.`;
  const papers = `${outcome.posted} paper${outcome.posted === 1 ? '' : 's'}`;
  return `Posted ${papers} of ${day} ${where}${outcome.resumed ? ' (finished an interrupted digest)' : ''}.`;
}

function outcomeReply(outcome: DeliveryOutcome, digest: Digest): Reply {
  const text = outcomeText(outcome, digest);
  return outcome.status === 'delivered' ? successReply(text) : infoReply(text);
}
