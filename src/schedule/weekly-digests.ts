import { channelWorkspace } from './channel-summaries.js';
import type { ChannelResult } from '../delivery/fan-out.js';
import { buildWeeklyDigest, weeklyDigestKey } from '../digest/build-weekly-digest.js';
import type { Digest } from '../digest/digest.js';
import type { ChannelSettings } from '../store/store.js';
import { deliverDue } from './deliver-due.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { weeklySlotOn } from './slot.js';

/**
 * Runs the weekly digest for every channel whose weekly slot has come today (its local weekday and time),
 * through the same ledger as daily digests under `weekly:<ISO week>`, so reruns, restarts and other replicas
 * post it once. Independent of the daily digest; a paused channel gets neither.
 */
export async function runWeeklyDigests(deps: ScheduleDeps, channels: ChannelSettings[], now: Date): Promise<ChannelResult[]> {
  const due = channels.filter((settings) => {
    if (settings.paused || !deps.publishers.has(settings.channel.platform)) return false;
    const slot = weeklySlotOn(settings, now);
    return slot !== null && now >= slot.at;
  });
  return deliverDue(deps, due, (settings) => weeklyDigestFor(deps, settings, now), 'weekly');
}

/** Null when this week's digest was already delivered here (nothing is built) or the week had no papers. */
async function weeklyDigestFor(deps: ScheduleDeps, settings: ChannelSettings, now: Date): Promise<Digest | null> {
  const { localDate } = weeklySlotOn(settings, now)!;
  // Checked before building: a sweep every few minutes must not summarise the week again once it is posted.
  const delivered = await deps.store.getDelivery(settings.channel, weeklyDigestKey(localDate));
  if (delivered?.completedAt) return null;
  const digest = await buildWeeklyDigest(deps, { channel: settings.channel, workspace: await channelWorkspace(deps, settings.channel), size: settings.size, fireDate: localDate, language: settings.language });
  return digest.items.length > 0 || delivered ? digest : null;
}
