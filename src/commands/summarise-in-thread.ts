import { attemptOwner, defaultLease } from '../delivery/lease.js';
import type { ChannelPublisher, PostedMessage } from '../delivery/publisher.js';
import { channelLanguage } from '../schedule/channels.js';
import { paperLinks } from '../papers/paper.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { withPaper } from './find-paper.js';
import { infoReply, successReply } from './replies.js';

/** How long one press may take to post before another press may try again (an LLM call included). */
const ATTEMPT_LEASE_MS = 5 * 60_000;

/** The ledger key of a paper's summary in one thread of a channel (or in the channel, when it is the thread). */
export function threadSummaryKey(paperId: string, threadId: string | null): string {
  return threadId === null ? `summary:${paperId}` : `summary:${paperId}:${threadId}`;
}

/**
 * *Summarise* under a digest paper: the summary is posted for everyone in that thread once, however many people
 * press (or how often), in however many processes. The ledger's claim on (channel, `summary:<paper>:<thread>`),
 * held under a lease, makes it once: a press while another is posting hears so; a later press gets a private link
 * to the summary already there. An attempt that failed, or whose ledger write failed after the post, lets its
 * lease go; the next press first looks in the thread for a summary that landed, and only then posts.
 */
export async function summariseInThread(ctx: CommandContext, command: Command, publisher: ChannelPublisher, paperId: string, threadId: string | null): Promise<Reply> {
  const { store, clock } = ctx;
  const { channel } = command;
  const key = threadSummaryKey(paperId, threadId);
  const owner = attemptOwner(ctx.lease ?? defaultLease());
  const now = clock();
  const { acquired, created, record } = await store.acquireDelivery(channel, key, owner, now, new Date(now.getTime() + ATTEMPT_LEASE_MS));
  if (record.completedAt && record.parentMessageId) return alreadyThere(publisher, command, { id: record.parentMessageId, threadId });
  if (!acquired) return infoReply('A summary of this paper is being posted in this thread right now.');

  let done = false;
  try {
    const landed = created ? null : await publisher.findSummary(channel, threadId, paperId);
    if (landed) {
      await remember(landed);
      return alreadyThere(publisher, command, landed);
    }
    return await withPaper(ctx, paperId, async (paper) => {
      const summary = await ctx.summariser.summarise(paper, command.workspace, await channelLanguage(store, channel));
      await remember(await publisher.postSummary(channel, threadId, { paper, links: paperLinks(paper), day: null }, summary));
      return successReply('Summary posted in this thread.');
    });
  } finally {
    // Not recorded as posted (no such paper, the platform refused, the ledger write failed): the next press tries.
    if (!done) await store.renewDelivery(channel, key, owner, new Date(0)).catch(() => undefined);
  }

  async function remember(message: PostedMessage): Promise<void> {
    await store.recordParent(channel, key, message.id, message.threadId);
    await store.completeDelivery(channel, key, clock());
    done = true;
  }
}

async function alreadyThere(publisher: ChannelPublisher, command: Command, message: PostedMessage): Promise<Reply> {
  const url = await publisher.messageLink(command.channel, message).catch(() => null);
  const reply = infoReply("This paper's summary is already in this thread.");
  return url && reply.type === 'message' ? { ...reply, link: { label: 'view it', url } } : reply;
}
