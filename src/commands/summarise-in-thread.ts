import type { ChannelPublisher } from '../delivery/publisher.js';
import { paperLinks } from '../papers/paper.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { withPaper } from './find-paper.js';
import { infoReply, successReply } from './replies.js';

/** A claim older than this with no message is from a crashed or failed attempt and may be taken over. */
const ABANDONED_AFTER_MS = 5 * 60_000;

/** The ledger key of a paper's summary in one thread of a channel (or in the channel, when it is the thread). */
export function threadSummaryKey(paperId: string, threadId: string | null): string {
  return threadId === null ? `summary:${paperId}` : `summary:${paperId}:${threadId}`;
}

/**
 * *Summarise* under a digest paper: the summary is posted for everyone in that thread once, however many people
 * press (or how often). The delivery ledger's claim on (channel, `summary:<paper>:<thread>`) makes it once; a
 * later press gets a private link to the summary already there, and a claim left by a crashed attempt is taken
 * over after five minutes.
 */
export async function summariseInThread(ctx: CommandContext, command: Command, publisher: ChannelPublisher, paperId: string, threadId: string | null): Promise<Reply> {
  const { store, clock } = ctx;
  const { channel } = command;
  const key = threadSummaryKey(paperId, threadId);
  let { record, created } = await store.claimDelivery(channel, key, clock());
  if (!created && !record.parentMessageId && clock().getTime() - record.claimedAt.getTime() > ABANDONED_AFTER_MS) {
    await store.releaseDelivery(channel, key);
    ({ record, created } = await store.claimDelivery(channel, key, clock()));
  }
  if (!created) {
    if (!record.parentMessageId) return infoReply('A summary of this paper is being posted in this thread right now.');
    const url = await publisher.messageLink(channel, { id: record.parentMessageId, threadId }).catch(() => null);
    const reply = infoReply("This paper's summary is already in this thread.");
    return url && reply.type === 'message' ? { ...reply, link: { label: 'view it', url } } : reply;
  }

  let posted = false;
  try {
    return await withPaper(ctx, paperId, async (paper) => {
      const summary = await ctx.summariser.summarise(paper);
      const message = await publisher.postSummary(channel, threadId, { paper, links: paperLinks(paper), day: null }, summary);
      await store.recordParent(channel, key, message.id, message.threadId);
      await store.completeDelivery(channel, key, clock());
      posted = true;
      return successReply('Summary posted in this thread.');
    });
  } finally {
    // Not posted (no such paper, the platform refused): a later press tries again.
    if (!posted) await store.releaseDelivery(channel, key);
  }
}
