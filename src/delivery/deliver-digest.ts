import type { ChannelRef } from '../channel.js';
import type { Digest } from '../digest/digest.js';
import type { Logger } from '../logger.js';
import type { DeliveryLedger } from '../store/store.js';
import type { Clock } from '../time.js';
import type { DigestPublisher, PostedMessage } from './publisher.js';

export interface DeliverDeps {
  ledger: DeliveryLedger;
  publisher: DigestPublisher;
  clock: Clock;
  logger?: Logger;
}

export type DeliveryOutcome =
  | { status: 'delivered'; parent: PostedMessage; posted: number; resumed: boolean }
  | { status: 'already_delivered' }
  | { status: 'empty' };

/**
 * Posts a digest exactly once per (channel, digest key), resumable after a crash: the claim row stops a second
 * parent, intent rows are written before each post and the message id after, so a rerun posts only what is missing.
 * `force` forgets an earlier delivery first (an explicit repost).
 */
export async function deliverDigest(deps: DeliverDeps, channel: ChannelRef, digest: Digest, options: { force?: boolean } = {}): Promise<DeliveryOutcome> {
  const { ledger, publisher, clock } = deps;
  if (options.force) await ledger.releaseDelivery(channel, digest.key);
  const existing = await ledger.getDelivery(channel, digest.key);
  if (existing?.completedAt) return { status: 'already_delivered' };
  if (!existing && digest.items.length === 0) return { status: 'empty' };

  const { record, created } = await ledger.claimDelivery(channel, digest.key, clock());
  let parent: PostedMessage;
  if (record.parentMessageId) {
    parent = { id: record.parentMessageId, threadId: record.threadId };
  } else {
    parent = await publisher.postParent(channel, digest);
    await ledger.recordParent(channel, digest.key, parent.id, parent.threadId);
  }

  let posted = 0;
  for (const item of digest.items) {
    if (record.papers.get(item.paper.id)) continue;
    await ledger.recordIntent(channel, digest.key, item.paper.id, clock());
    const message = await publisher.postItem(channel, parent, item, digest);
    await ledger.recordPosted(channel, digest.key, item.paper.id, message.id, clock());
    posted++;
  }
  await ledger.completeDelivery(channel, digest.key, clock());
  deps.logger?.info({ channel: `${channel.platform}:${channel.id}`, digest: digest.key, posted, resumed: !created }, 'digest delivered');
  return { status: 'delivered', parent, posted, resumed: !created };
}
