import { formatChannelRef, type ChannelRef } from '../channel.js';
import type { Digest, DigestItem } from '../digest/digest.js';
import type { Logger } from '../logger.js';
import type { DeliveryLedger } from '../store/store.js';
import type { Clock } from '../time.js';
import { KeyedLock } from '../util/keyed-lock.js';
import type { ChannelPublisher, PostedMessage } from './publisher.js';

export interface DeliverDeps {
  ledger: DeliveryLedger;
  publisher: ChannelPublisher;
  clock: Clock;
  logger?: Logger;
}

export type DeliveryOutcome =
  | { status: 'delivered'; parent: PostedMessage; posted: number; resumed: boolean }
  | { status: 'already_delivered' }
  | { status: 'empty' };

/**
 * Posts a digest exactly once per (channel, digest key), resumable after a crash at any point:
 * - the claim row (INSERT OR IGNORE) stops a second run from starting a second digest;
 * - the paper list is frozen in the ledger before the first post, so a resumed run posts the same papers;
 * - each post's platform id is recorded after it lands. A resumed run first asks the platform which of the
 *   unconfirmed posts did land (a kill can fall between the platform's answer and our write), then posts the rest.
 * `force` forgets an earlier delivery first (an explicit repost).
 */
export function deliverDigest(deps: DeliverDeps, channel: ChannelRef, digest: Digest, options: { force?: boolean } = {}): Promise<DeliveryOutcome> {
  // A slot job and a sweep may reach the same digest at once; one of them does the work, the other then sees it done.
  return deliveries.run(`${formatChannelRef(channel)}|${digest.key}`, () => deliverOnce(deps, channel, digest, options));
}

const deliveries = new KeyedLock();

async function deliverOnce(deps: DeliverDeps, channel: ChannelRef, digest: Digest, options: { force?: boolean }): Promise<DeliveryOutcome> {
  const { ledger, publisher, clock } = deps;
  if (options.force) await ledger.releaseDelivery(channel, digest.key);
  const existing = await ledger.getDelivery(channel, digest.key);
  if (existing?.completedAt) return { status: 'already_delivered' };
  if (!existing && digest.items.length === 0) return { status: 'empty' };

  const { record } = await ledger.claimDelivery(channel, digest.key, clock());
  const resuming = record.papers.size > 0 || record.parentMessageId !== null;
  if (record.papers.size === 0) {
    await ledger.recordIntents(channel, digest.key, digest.items.map((item) => item.paper.id), clock());
    for (const item of digest.items) record.papers.set(item.paper.id, null);
  }

  let parent: PostedMessage | null = record.parentMessageId ? { id: record.parentMessageId, threadId: record.threadId } : null;
  if (!parent && resuming) parent = await publisher.findParent(channel, digest);
  if (!parent) parent = await publisher.postParent(channel, digest);
  if (parent.id !== record.parentMessageId) await ledger.recordParent(channel, digest.key, parent.id, parent.threadId);

  const items = new Map(digest.items.map((item) => [item.paper.id, item]));
  const pending = [...record.papers].filter(([, messageId]) => messageId === null).map(([paperId]) => paperId);
  if (resuming && pending.length > 0) {
    const landed = await publisher.findPostedItems(channel, parent, digest, pending);
    for (const [paperId, messageId] of landed) {
      await ledger.recordPosted(channel, digest.key, paperId, messageId, clock());
      record.papers.set(paperId, messageId);
    }
  }

  let posted = 0;
  for (const [paperId, messageId] of record.papers) {
    if (messageId !== null) continue;
    const item: DigestItem | undefined = items.get(paperId);
    if (!item) {
      deps.logger?.warn({ channel: formatChannelRef(channel), digest: digest.key, paper: paperId }, 'frozen paper missing from the rebuilt digest; skipped');
      continue;
    }
    const message = await publisher.postItem(channel, parent, item, digest);
    await ledger.recordPosted(channel, digest.key, paperId, message.id, clock());
    posted++;
  }
  await ledger.completeDelivery(channel, digest.key, clock());
  deps.logger?.info({ channel: formatChannelRef(channel), digest: digest.key, posted, resumed: resuming }, 'digest delivered');
  return { status: 'delivered', parent, posted, resumed: resuming };
}
