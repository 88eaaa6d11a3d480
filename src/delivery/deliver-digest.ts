import { formatChannelRef, type ChannelRef } from '../channel.js';
import { digestPaperIds, type Digest, type DigestItem } from '../digest/digest.js';
import { withLinks } from './earlier-post.js';
import { realSleep, type Sleep } from '../http/sleep.js';
import type { Logger } from '../logger.js';
import type { DeliveryLedger } from '../store/store.js';
import type { Clock } from '../time.js';
import { attemptOwner, defaultLease, holdDelivery, type Lease } from './lease.js';
import type { ChannelPublisher, PostedMessage } from './publisher.js';

export interface DeliverDeps {
  ledger: DeliveryLedger;
  publisher: ChannelPublisher;
  clock: Clock;
  logger?: Logger;
  /** This process's owner id and lease length (default: PROCESS_OWNER, 30 s). */
  lease?: Lease;
  sleep?: Sleep;
}

export type DeliveryOutcome =
  | { status: 'delivered'; parent: PostedMessage; posted: number; resumed: boolean }
  | { status: 'already_delivered' }
  | { status: 'empty' }
  /** Another process holds it (`whenHeld: 'skip'`); try again once its lease runs out. */
  | { status: 'in_progress'; leaseUntil: Date }
  /** `admit` said no to a new delivery; nothing was posted and the claim was given back. */
  | { status: 'refused' };

export interface DeliverOptions {
  /** Forget an earlier delivery first: an explicit repost (`digest --force`). */
  force?: boolean;
  /** Another process is posting it: wait until it finishes (or dies and its lease runs out), or return at once. */
  whenHeld?: 'wait' | 'skip';
  /**
   * Asked by whichever process claims a delivery that has nothing frozen or posted yet, just before it would start
   * (false: give the claim back and return `refused`). A process that finds the delivery held waits rather than
   * asking, so a limit checked here never strands a delivery whose poster dies.
   */
  admit?: () => Promise<boolean>;
}

/**
 * Posts a digest exactly once per (channel, digest key), across processes, resumable after a crash at any point:
 * - the claim is acquired with a lease, atomically in the store: one process posts, the others wait or skip, and
 *   a dead process's delivery is taken over once its lease runs out;
 * - the paper list is frozen in the ledger before the first post, so a resumed run posts the same papers;
 * - each post's platform id is recorded after it lands. A run that takes over (or resumes) first asks the platform
 *   which unconfirmed posts did land (a kill, or a failed ledger write, can fall between the platform's answer and
 *   ours), then posts the rest.
 */
export async function deliverDigest(deps: DeliverDeps, channel: ChannelRef, digest: Digest, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  const { ledger, clock } = deps;
  const lease = { ...(deps.lease ?? defaultLease()) };
  lease.owner = attemptOwner(lease);
  if (options.force) await ledger.releaseDelivery(channel, digest.key);
  const existing = await ledger.getDelivery(channel, digest.key);
  if (existing?.completedAt) return { status: 'already_delivered' };
  if (!existing && digest.items.length === 0 && !digest.discussed?.length) return { status: 'empty' };

  for (;;) {
    const now = clock();
    const taken = await ledger.acquireDelivery(channel, digest.key, lease.owner, now, new Date(now.getTime() + lease.ms));
    if (taken.record.completedAt) return { status: 'already_delivered' };
    if (taken.acquired) {
      const fresh = taken.record.papers.size === 0 && taken.record.parentMessageId === null;
      if (fresh && options.admit && !(await options.admit())) {
        await ledger.releaseDelivery(channel, digest.key);
        return { status: 'refused' };
      }
      const holding = holdDelivery(ledger, channel, digest.key, lease, clock);
      let failed = true;
      try {
        const outcome = await post(deps, channel, digest, { ...taken, check: holding.assertHeld });
        failed = false;
        return outcome;
      } finally {
        await holding.stop(failed);
      }
    }
    const leaseUntil = taken.record.leaseUntil ?? now;
    if (options.whenHeld === 'skip') return { status: 'in_progress', leaseUntil };
    // Poll: the holder finishes (then it was delivered), or dies and its lease runs out (then take it over).
    await (deps.sleep ?? realSleep)(Math.min(250, Math.max(50, leaseUntil.getTime() - now.getTime())));
  }
}

/** The digest with a link to each already-discussed paper's first post, where the platform gives one. */
export async function withDiscussedLinks(publisher: ChannelPublisher, channel: ChannelRef, digest: Digest): Promise<Digest> {
  return digest.discussed?.length ? { ...digest, discussed: await withLinks(publisher, channel, digest.discussed) } : digest;
}

async function post(
  deps: DeliverDeps,
  channel: ChannelRef,
  digest: Digest,
  held: { created: boolean; record: Awaited<ReturnType<DeliveryLedger['acquireDelivery']>>['record']; check: () => void },
): Promise<DeliveryOutcome> {
  const { ledger, publisher, clock } = deps;
  const { record } = held;
  const resuming = !held.created || record.papers.size > 0 || record.parentMessageId !== null;
  if (record.papers.size === 0) {
    const paperIds = digestPaperIds(digest);
    await ledger.recordIntents(channel, digest.key, paperIds, clock());
    for (const paperId of paperIds) record.papers.set(paperId, null);
  }

  let parent: PostedMessage | null = record.parentMessageId ? { id: record.parentMessageId, threadId: record.threadId } : null;
  if (!parent && resuming) parent = await publisher.findParent(channel, digest);
  if (!parent) {
    held.check();
    parent = await publisher.postParent(channel, await withDiscussedLinks(publisher, channel, digest));
  }
  if (parent.id !== record.parentMessageId) await ledger.recordParent(channel, digest.key, parent.id, parent.threadId);

  const items = new Map(digest.items.map((item) => [item.paper.id, item]));
  const pointedTo = new Set((digest.discussed ?? []).map((entry) => entry.paper.id));
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
    // Already discussed here: the parent's pointer is all this digest shows of it.
    if (pointedTo.has(paperId)) {
      await ledger.recordPosted(channel, digest.key, paperId, parent.id, clock());
      continue;
    }
    const item: DigestItem | undefined = items.get(paperId);
    if (!item) {
      deps.logger?.warn({ channel: formatChannelRef(channel), digest: digest.key, paper: paperId }, 'frozen paper missing from the rebuilt digest; skipped');
      continue;
    }
    held.check();
    const message = await publisher.postItem(channel, parent, item, digest);
    await ledger.recordPosted(channel, digest.key, paperId, message.id, clock());
    posted++;
  }
  await ledger.completeDelivery(channel, digest.key, clock());
  deps.logger?.info({ channel: formatChannelRef(channel), digest: digest.key, posted, resumed: resuming }, 'digest delivered');
  return { status: 'delivered', parent, posted, resumed: resuming };
}
