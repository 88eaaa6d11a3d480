import { paperLinks } from '../../src/papers/paper.js';
import type { InteractionAnswer } from './answer.js';
import { channelOf, type FlowDeps } from './flow-deps.js';
import type { InteractionBase } from './interaction.js';
import { renderSummaryPost, renderText } from './render.js';
import { withPaper } from './with-paper.js';

/** A claim older than this with no message is from a crashed or failed attempt and may be taken over. */
const ABANDONED_AFTER_MS = 5 * 60_000;

function summaryKey(paperId: string): string {
  return `summary:${paperId}`;
}

/**
 * *Summarise* under a digest paper: the summary is posted into that thread once, however many people click
 * (or how often). The delivery ledger's claim row for (thread, `summary:<paper>`) is what makes it once.
 */
export async function summariseInThread(deps: FlowDeps, answer: InteractionAnswer, base: InteractionBase, paperId: string): Promise<void> {
  const { store, clock } = deps;
  const channel = channelOf(base);
  const key = summaryKey(paperId);
  let { record, created } = await store.claimDelivery(channel, key, clock());
  if (!created && !record.parentMessageId && clock().getTime() - record.claimedAt.getTime() > ABANDONED_AFTER_MS) {
    await store.releaseDelivery(channel, key);
    ({ record, created } = await store.claimDelivery(channel, key, clock()));
  }
  if (!created) {
    const text = record.parentMessageId
      ? `This paper's summary is already in this thread: ${messageLink(base, record.parentMessageId)}`
      : 'A summary of this paper is being posted in this thread right now.';
    return answer.say(renderText(text));
  }

  const stored = await store.getPaper(paperId);
  const deferNow = stored ? await deps.summariser.needsLlmCall(stored) : false;
  return answer.answer(
    async () => {
      try {
        const messages = await withPaper(deps, paperId, async (paper) => {
          const summary = await deps.summariser.summarise(paper);
          const posted = await deps.api.createMessage(base.channelId, renderSummaryPost({ paper, links: paperLinks(paper), day: null }, summary));
          await store.recordParent(channel, key, posted.id, null);
          await store.completeDelivery(channel, key, clock());
          return [renderText('Summary posted in this thread.')];
        });
        // Not posted (paper not found): let a later click try again.
        if ((await store.getDelivery(channel, key))?.completedAt == null) await store.releaseDelivery(channel, key);
        return messages;
      } catch (error) {
        await store.releaseDelivery(channel, key);
        throw error;
      }
    },
    { deferNow },
  );
}

function messageLink(base: InteractionBase, messageId: string): string {
  return `https://discord.com/channels/${base.guildId ?? '@me'}/${base.channelId}/${messageId}`;
}
