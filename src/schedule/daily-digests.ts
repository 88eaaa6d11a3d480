import { formatChannelRef } from '../channel.js';
import type { ChannelResult } from '../delivery/fan-out.js';
import { defaultLease } from '../delivery/lease.js';
import { buildArxivDigest } from '../digest/build-arxiv-digest.js';
import { buildDailyDigest, dailyDigestKey, digestsOncePerRun, listingsOncePerDay, type DigestDeps } from '../digest/build-digest.js';
import { effectiveSource, sourceLabel, type DigestSource } from '../digest/digest-source.js';
import type { Digest } from '../digest/digest.js';
import { errorMessage } from '../errors.js';
import type { ChannelSettings } from '../store/store.js';
import { channelWorkspace } from './channel-summaries.js';
import { deliverDue } from './deliver-due.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { localDate } from '../time.js';
import { previousSlotAt, slotOn, type Slot } from './slot.js';

export const EMPTY_DAY_NOTE = 'No new papers on Hugging Face Daily Papers today.';

function emptyDayNote(source: DigestSource): string {
  return source === 'hf' ? EMPTY_DAY_NOTE : `No new papers on ${sourceLabel(source)} today.`;
}

/**
 * Runs the daily digest for every channel whose slot has come today, concurrently per platform. Idempotent:
 * the ledger makes a second run (a sweep, a restart, a second process) post nothing already posted.
 * A channel's digest covers the latest HF day with papers on or before its local date.
 */
export async function runDailyDigests(deps: ScheduleDeps, channels: ChannelSettings[], now: Date): Promise<ChannelResult[]> {
  const due = channels.filter((settings) => !settings.paused && deps.publishers.has(settings.channel.platform) && now >= slotOn(settings, now).at);
  const shared: SharedForRun = { listingsForDay: listingsOncePerDay(deps.store), sharedDigest: digestsOncePerRun() };
  return deliverDue(deps, due, (settings) => digestForSlot(deps, settings, now, shared), 'daily');
}

/** What one run's channels read or build once between them. */
type SharedForRun = Pick<DigestDeps, 'listingsForDay' | 'sharedDigest'>;

/** Null when there is nothing new: the day was already delivered here, or there are no papers yet. */
async function digestForSlot(deps: ScheduleDeps, settings: ChannelSettings, now: Date, shared: SharedForRun): Promise<Digest | null> {
  const slot = slotOn(settings, now);
  const source = effectiveSource(settings.source, deps.arxivCategories ?? []);
  const hfDay = await deps.store.latestDayWithPapers(slot.localDate);
  // An HF digest is keyed by its HF day, one with arXiv papers by the slot's date: both `daily:<day>`.
  const day = source === 'hf' ? hfDay : slot.localDate;
  const delivered = day ? await deps.store.getDelivery(settings.channel, dailyDigestKey(day)) : null;
  if (day && !delivered?.completedAt && !(await otherSourceDeliveredToday(deps, settings, slot, source === 'hf' ? slot.localDate : hfDay, day))) {
    const digest = await buildForSource(deps, settings, { source, slot, hfDay: hfDay, day }, shared);
    if (digest && digest.items.length > 0) return digest;
    if (digest && delivered) return digest; // an interrupted delivery: resume it even if nothing is new
  }
  if (settings.emptyDayNote) await postEmptyDayNote(deps, settings, slot.localDate, source);
  return null;
}

async function buildForSource(
  deps: ScheduleDeps,
  settings: ChannelSettings,
  at: { source: DigestSource; slot: Slot; hfDay: string | null; day: string },
  shared: SharedForRun,
): Promise<Digest | null> {
  const digestDeps: DigestDeps = { store: deps.store, summariser: deps.summariser, clock: deps.clock, ...shared };
  const workspace = await channelWorkspace(deps, settings.channel);
  const { channel, size, language } = settings;
  if (at.source === 'hf') return buildDailyDigest(digestDeps, { channel, workspace, size, timeZone: settings.timeZone, day: at.day, language });
  return buildArxivDigest(digestDeps, {
    channel,
    workspace,
    source: at.source,
    size,
    language,
    categories: deps.arxivCategories ?? [],
    date: at.day,
    hfDay: at.hfDay,
    window: { from: previousSlotAt(settings, at.slot), to: at.slot.at },
  });
}

/**
 * A channel that switched source today already got today's digest under the other source's key (an HF day, or
 * the date): one daily digest a day, whatever it holds.
 */
async function otherSourceDeliveredToday(deps: ScheduleDeps, settings: ChannelSettings, slot: Slot, otherDay: string | null, day: string): Promise<boolean> {
  if (!otherDay || otherDay === day) return false;
  const other = await deps.store.getDelivery(settings.channel, dailyDigestKey(otherDay));
  return Boolean(other?.completedAt && localDate(other.completedAt, settings.timeZone) === slot.localDate);
}

/** At most one "no new papers" note per channel and local date, through the same ledger. */
async function postEmptyDayNote(deps: ScheduleDeps, settings: ChannelSettings, date: string, source: DigestSource): Promise<void> {
  const key = `note:${date}`;
  const lease = deps.lease ?? defaultLease();
  const now = deps.clock();
  const { acquired, created } = await deps.store.acquireDelivery(settings.channel, key, lease.owner, now, new Date(now.getTime() + lease.ms));
  // A note is not worth reading the channel back for: only the process that created the claim posts it.
  if (!acquired || !created) return;
  try {
    const message = await deps.publishers.get(settings.channel.platform)!.postNotice(settings.channel, emptyDayNote(source));
    await deps.store.recordParent(settings.channel, key, message.id, message.threadId);
    await deps.store.completeDelivery(settings.channel, key, deps.clock());
  } catch (error) {
    // Forget the claim so a later sweep can try again; a note is not worth a pause.
    await deps.store.releaseDelivery(settings.channel, key);
    deps.logger.warn({ channel: formatChannelRef(settings.channel), err: errorMessage(error) }, 'empty-day note failed');
  }
}
