import { formatChannelRef } from '../channel.js';
import { deliverToChannels, type ChannelResult } from '../delivery/fan-out.js';
import type { Digest } from '../digest/digest.js';
import type { ChannelSettings } from '../store/store.js';
import { pauseChannel } from './channels.js';
import type { ScheduleDeps } from './schedule-deps.js';

/**
 * Delivers each due channel's scheduled digest (daily or weekly), concurrently per platform, through the ledger.
 * A channel the platform says is gone is paused; the rest carry on.
 */
export async function deliverDue(
  deps: ScheduleDeps,
  due: ChannelSettings[],
  digestFor: (settings: ChannelSettings) => Promise<Digest | null>,
  kind: 'daily' | 'weekly',
): Promise<ChannelResult[]> {
  const settingsFor = new Map(due.map((settings) => [formatChannelRef(settings.channel), settings]));
  const results: ChannelResult[] = [];
  await Promise.all(
    groupByPlatform(due).map(async ([platform, group]) => {
      const publisher = deps.publishers.get(platform)!;
      const outcome = await deliverToChannels(
        { ledger: deps.store, publisher, clock: deps.clock, logger: deps.logger, lease: deps.lease },
        group.map((settings) => settings.channel),
        (channel) => digestFor(settingsFor.get(formatChannelRef(channel))!),
        {
          // Another replica posting it is not waited for: the scheduler retries once that lease runs out.
          whenHeld: 'skip',
          onChannelUnavailable: async (channel, error) => {
            deps.logger.warn({ channel: formatChannelRef(channel), reason: error.code, err: error.message }, 'channel unavailable: paused');
            await pauseChannel(deps.store, settingsFor.get(formatChannelRef(channel))!, error.message);
          },
        },
      );
      results.push(...outcome);
    }),
  );
  for (const result of results) countOutcome(deps, result, kind);
  return results;
}

export function groupByPlatform(channels: ChannelSettings[]): [string, ChannelSettings[]][] {
  const groups = new Map<string, ChannelSettings[]>();
  for (const settings of channels) {
    const group = groups.get(settings.channel.platform) ?? [];
    group.push(settings);
    groups.set(settings.channel.platform, group);
  }
  return [...groups];
}

export function countOutcome(deps: ScheduleDeps, result: ChannelResult, kind: string): void {
  if (!deps.metrics) return;
  const platform = result.channel.platform;
  if ('error' in result) deps.metrics.postsFailed.inc({ platform, reason: result.error.code });
  else if (result.outcome.status === 'delivered') deps.metrics.digestsPosted.inc({ platform, kind });
}
