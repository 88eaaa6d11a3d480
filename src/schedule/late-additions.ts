import { formatChannelRef } from '../channel.js';
import { buildDailyDigest, dailyDigestKey } from '../digest/build-digest.js';
import { withDiscussedLinks } from '../delivery/deliver-digest.js';
import { attemptOwner, defaultLease } from '../delivery/lease.js';
import type { Digest, DigestItem } from '../digest/digest.js';
import { effectiveSource } from '../digest/digest-source.js';
import { errorMessage, PaperboyError } from '../errors.js';
import { paperLinks } from '../papers/paper.js';
import type { ChannelSettings } from '../store/store.js';
import { mapLimit } from '../util/map-limit.js';
import { summariserForChannel } from './channel-summaries.js';
import { runDailyDigests } from './daily-digests.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { slotOn } from './slot.js';

export const LATE_ADDITIONS_HEADING = 'Late additions';

/**
 * Some hours after a channel's digest, the day has grown and upvotes have moved. Papers that entered the top N
 * since are posted as one "Late additions" reply in the digest's thread, and the parent is re-rendered with fresh
 * counts. A slot that posted nothing (HF had nothing new yet) gets its digest tried again instead. Once per
 * channel and day, through the ledger (`late:<day>`).
 */
export async function runLateAdditions(deps: ScheduleDeps, channels: ChannelSettings[], now: Date, recheckHours: number): Promise<void> {
  if (recheckHours <= 0) return;
  const due = channels.filter((settings) => {
    if (settings.paused || !deps.publishers.has(settings.channel.platform)) return false;
    return now.getTime() >= slotOn(settings, now).at.getTime() + recheckHours * 3_600_000;
  });
  const retry: ChannelSettings[] = [];
  await mapLimit(due, 50, async (settings) => {
    try {
      const outcome = await recheckChannel(deps, settings, now);
      if (outcome === 'nothing_posted_yet') retry.push(settings);
    } catch (error) {
      const code = error instanceof PaperboyError ? error.code : 'internal';
      deps.metrics?.postsFailed.inc({ platform: settings.channel.platform, reason: code });
      deps.logger.warn({ channel: formatChannelRef(settings.channel), err: errorMessage(error) }, 'late additions failed');
    }
  });
  if (retry.length > 0) await runDailyDigests(deps, retry, now);
}

async function recheckChannel(deps: ScheduleDeps, settings: ChannelSettings, now: Date): Promise<'done' | 'nothing_posted_yet'> {
  const { store } = deps;
  const slot = slotOn(settings, now);
  const source = effectiveSource(settings.source, deps.arxivCategories ?? []);
  // A digest with arXiv papers has no late additions (its window closed at the slot); one that posted nothing
  // yet is tried again, for HF's list that `both` leads with.
  if (source === 'arxiv') return 'done';
  if (source === 'both') return (await store.getDelivery(settings.channel, dailyDigestKey(slot.localDate)))?.completedAt ? 'done' : 'nothing_posted_yet';
  const day = await store.latestDayWithPapers(slot.localDate);
  if (!day) return 'done';
  const delivery = await store.getDelivery(settings.channel, dailyDigestKey(day));
  if (!delivery?.completedAt || !delivery.parentMessageId) return 'nothing_posted_yet';
  // Only the digest this slot posted; an older day's thread is left alone.
  if (delivery.claimedAt.getTime() < slot.at.getTime() - 3_600_000) return 'done';
  const lateKey = `late:${day}`;
  const late = await store.getDelivery(settings.channel, lateKey);
  if (late?.completedAt) return 'done';

  // Another process checking the same channel's late additions holds this; it will post them, once.
  const lease = deps.lease ?? defaultLease();
  const owner = attemptOwner(lease);
  const acquireLate = () => {
    const at = deps.clock();
    return store.acquireDelivery(settings.channel, lateKey, owner, at, new Date(at.getTime() + lease.ms));
  };
  const parent = { id: delivery.parentMessageId, threadId: delivery.threadId };
  const publisher = deps.publishers.get(settings.channel.platform)!;
  const digestDeps = { store, summariser: deps.summariser, clock: deps.clock };
  const refreshed = await buildDailyDigest(digestDeps, { channel: settings.channel, workspace: null, size: settings.size, timeZone: settings.timeZone, day, language: settings.language });
  if (!refreshed) return 'done';

  const topIds = (await store.listingsForDay(day, settings.size)).map((listing) => listing.paper.id);
  const received = await store.receivedPaperIds(settings.channel, topIds);
  const frozenLate = late ? [...late.papers.keys()] : null;
  const newIds = frozenLate ?? topIds.filter((id) => !delivery.papers.has(id) && !received.has(id));

  const items = await lateItems(deps, settings, newIds, refreshed.items.length);
  if (items.length > 0) {
    const lateDigest: Digest = { kind: 'late', key: lateKey, day, title: LATE_ADDITIONS_HEADING, items, alreadyReceived: 0 };
    const { acquired, record } = await acquireLate();
    if (!acquired) return 'done';
    if (record.papers.size === 0) await store.recordIntents(settings.channel, lateKey, newIds, deps.clock());
    const landed = late ? await publisher.findPostedItems(settings.channel, parent, lateDigest, newIds) : new Map<string, string>();
    const missing = items.filter((item) => !landed.has(item.paper.id));
    let messageId = [...landed.values()][0];
    if (missing.length > 0) messageId = (await publisher.postGroup(settings.channel, parent, LATE_ADDITIONS_HEADING, missing, lateDigest)).id;
    for (const item of items) await store.recordPosted(settings.channel, lateKey, item.paper.id, landed.get(item.paper.id) ?? messageId!, deps.clock());
    await store.recordParent(settings.channel, lateKey, parent.id, parent.threadId);
    await store.completeDelivery(settings.channel, lateKey, deps.clock());
  } else {
    if (!(await acquireLate()).acquired) return 'done';
    await store.completeDelivery(settings.channel, lateKey, deps.clock());
  }
  // Fresh counts on the parent, listing the posted papers and any late additions.
  await publisher.updateParent(settings.channel, parent, await withDiscussedLinks(publisher, settings.channel, { ...refreshed, items: [...refreshed.items, ...items] }));
  deps.logger.info({ channel: formatChannelRef(settings.channel), digest: dailyDigestKey(day), late: newIds.length }, 'late additions checked');
  return 'done';
}

async function lateItems(deps: ScheduleDeps, settings: ChannelSettings, paperIds: string[], rankOffset: number): Promise<DigestItem[]> {
  const items: DigestItem[] = [];
  const summarise = await summariserForChannel(deps, settings.channel, settings.language ?? undefined);
  for (const paperId of paperIds) {
    const paper = await deps.store.getPaper(paperId);
    if (!paper) continue;
    items.push({ rank: rankOffset + items.length + 1, paper, links: paperLinks(paper), summary: await summarise(paper) });
  }
  return items;
}
