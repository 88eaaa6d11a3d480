import { formatChannelRef, type ChannelRef } from '../channel.js';
import type { Digest } from '../digest/digest.js';
import { errorMessage, PaperboyError } from '../errors.js';
import { mapLimit } from '../util/map-limit.js';
import { deliverDigest, type DeliverDeps, type DeliverOptions, type DeliveryOutcome } from './deliver-digest.js';
import { CHANNEL_UNAVAILABLE } from './publisher.js';

export type ChannelResult =
  | { channel: ChannelRef; outcome: DeliveryOutcome }
  | { channel: ChannelRef; error: { code: string; message: string } };

export interface FanOutOptions {
  /**
   * Channels posted at once (default: all). Each channel's posts are sequential and its pace is per channel
   * (Slack 1/s, Discord's per-route buckets), so the floor is only reached when every channel runs side by side;
   * the platform-wide limits (Slack's workspace cap, Discord's 50/s) are the adapters' pacers' job.
   */
  concurrency?: number;
  /** How each delivery treats one another process is posting (default: wait for it). */
  whenHeld?: DeliverOptions['whenHeld'];
  /** Told when a channel is gone or removed the bot, so the caller can pause it. */
  onChannelUnavailable?: (channel: ChannelRef, error: PaperboyError) => Promise<void> | void;
}

/**
 * Delivers each channel's digest concurrently. One failing channel never blocks or fails the others; every
 * channel gets a result.
 */
export async function deliverToChannels(
  deps: DeliverDeps,
  channels: ChannelRef[],
  digestFor: (channel: ChannelRef) => Promise<Digest | null>,
  options: FanOutOptions = {},
): Promise<ChannelResult[]> {
  const nextTurn = turns();
  return mapLimit(channels, options.concurrency ?? channels.length, async (channel): Promise<ChannelResult> => {
    await nextTurn();
    try {
      const digest = await digestFor(channel);
      if (!digest) return { channel, outcome: { status: 'empty' } };
      return { channel, outcome: await deliverDigest(deps, channel, digest, { whenHeld: options.whenHeld }) };
    } catch (error) {
      const code = error instanceof PaperboyError ? error.code : 'internal';
      deps.logger?.warn({ channel: formatChannelRef(channel), code, err: errorMessage(error) }, 'channel delivery failed');
      if (error instanceof PaperboyError && code === CHANNEL_UNAVAILABLE) await options.onChannelUnavailable?.(channel, error);
      return { channel, error: { code, message: errorMessage(error) } };
    }
  });
}

/**
 * Channels start a few at a time, with a turn of the event loop between. Started in one go, every channel's store
 * reads and digest building interleave and nothing is posted until all of them are ready (0.6 s at 1,000
 * channels); started a few at a time, the first channels post while later ones are still being prepared. One per
 * turn would be slower again: each turn pays for everything else that is ready. A start is counted rather than
 * timed: a channel's preparation runs on after its start, so time at the start says little.
 */
function turns(): () => Promise<void> {
  let last = Promise.resolve();
  let started = 0;
  return () => {
    last = last.then(() => (++started % STARTS_PER_TURN === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined));
    return last;
  };
}

/** About 5 ms of preparation (a digest's store reads and rendering are ~0.6 ms a channel). */
const STARTS_PER_TURN = 8;
