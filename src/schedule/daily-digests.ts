import { formatChannelRef } from '../channel.js';
import type { ChannelResult } from '../delivery/fan-out.js';
import { defaultLease } from '../delivery/lease.js';
import { buildDailyDigest, dailyDigestKey } from '../digest/build-digest.js';
import type { Digest } from '../digest/digest.js';
import { errorMessage } from '../errors.js';
import type { ChannelSettings } from '../store/store.js';
import { channelWorkspace } from './channel-summaries.js';
import { deliverDue } from './deliver-due.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { slotOn } from './slot.js';

export const EMPTY_DAY_NOTE = 'No new papers on Hugging Face Daily Papers today.';

/**
 * Runs the daily digest for every channel whose slot has come today, concurrently per platform. Idempotent:
 * the ledger makes a second run (a sweep, a restart, a second process) post nothing already posted.
 * A channel's digest covers the latest HF day with papers on or before its local date.
 */
export async function runDailyDigests(deps: ScheduleDeps, channels: ChannelSettings[], now: Date): Promise<ChannelResult[]> {
  const due = channels.filter((settings) => !settings.paused && deps.publishers.has(settings.channel.platform) && now >= slotOn(settings, now).at);
  return deliverDue(deps, due, (settings) => digestForSlot(deps, settings, now), 'daily');
}

/** Null when there is nothing new: the day was already delivered here, or there are no papers yet. */
async function digestForSlot(deps: ScheduleDeps, settings: ChannelSettings, now: Date): Promise<Digest | null> {
  const { localDate } = slotOn(settings, now);
  const day = await deps.store.latestDayWithPapers(localDate);
  const delivered = day ? await deps.store.getDelivery(settings.channel, dailyDigestKey(day)) : null;
  if (day && !delivered?.completedAt) {
    const digest = await buildDailyDigest(
      { store: deps.store, summariser: deps.summariser, clock: deps.clock },
      { channel: settings.channel, workspace: await channelWorkspace(deps, settings.channel), size: settings.size, timeZone: settings.timeZone, day, language: settings.language },
    );
    if (digest && digest.items.length > 0) return digest;
    if (digest && delivered) return digest; // an interrupted delivery: resume it even if nothing is new
  }
  if (settings.emptyDayNote) await postEmptyDayNote(deps, settings, localDate);
  return null;
}

/** At most one "no new papers" note per channel and local date, through the same ledger. */
async function postEmptyDayNote(deps: ScheduleDeps, settings: ChannelSettings, localDate: string): Promise<void> {
  const key = `note:${localDate}`;
  const lease = deps.lease ?? defaultLease();
  const now = deps.clock();
  const { acquired, created } = await deps.store.acquireDelivery(settings.channel, key, lease.owner, now, new Date(now.getTime() + lease.ms));
  // A note is not worth reading the channel back for: only the process that created the claim posts it.
  if (!acquired || !created) return;
  try {
    const message = await deps.publishers.get(settings.channel.platform)!.postNotice(settings.channel, EMPTY_DAY_NOTE);
    await deps.store.recordParent(settings.channel, key, message.id, message.threadId);
    await deps.store.completeDelivery(settings.channel, key, deps.clock());
  } catch (error) {
    // Forget the claim so a later sweep can try again; a note is not worth a pause.
    await deps.store.releaseDelivery(settings.channel, key);
    deps.logger.warn({ channel: formatChannelRef(settings.channel), err: errorMessage(error) }, 'empty-day note failed');
  }
}
