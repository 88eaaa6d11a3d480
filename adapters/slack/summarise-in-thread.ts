import type { ChannelRef } from '../../src/channel.js';
import { findPaper } from '../../src/commands/summary.js';
import { paperLinks } from '../../src/papers/paper.js';
import type { FlowDeps, Tell } from './flow-deps.js';
import { renderAlreadyPosted, renderSummary, renderText } from './render.js';

/** A claim older than this with no message is from a crashed or failed attempt and may be taken over. */
const ABANDONED_AFTER_MS = 5 * 60_000;

export function summaryKey(paperId: string, threadTs: string): string {
  return `summary:${paperId}:${threadTs}`;
}

export interface ThreadPlace {
  channelId: string;
  /** The thread root: the digest parent the paper's reply hangs under. */
  threadTs: string;
}

/**
 * *Summarise* under a digest paper: its summary is posted into that thread once, however many people press
 * (or how often). The delivery ledger's claim on (channel, `summary:<paper>:<thread>`) is what makes it once;
 * a later press gets a private link to the summary already there.
 */
export async function summariseInThread(deps: FlowDeps, place: ThreadPlace, paperId: string, tell: Tell): Promise<void> {
  const { store, clock } = deps;
  const channel: ChannelRef = { platform: 'slack', id: place.channelId };
  const key = summaryKey(paperId, place.threadTs);
  let { record, created } = await store.claimDelivery(channel, key, clock());
  if (!created && !record.parentMessageId && clock().getTime() - record.claimedAt.getTime() > ABANDONED_AFTER_MS) {
    await store.releaseDelivery(channel, key);
    ({ record, created } = await store.claimDelivery(channel, key, clock()));
  }
  if (!created) {
    if (!record.parentMessageId) return tell(renderText('A summary of this paper is being posted in this thread right now.'));
    const link = await deps.api.permalink(place.channelId, record.parentMessageId).catch(() => null);
    return tell(renderAlreadyPosted("This paper's summary is already in this thread", link));
  }

  let posted = false;
  try {
    const found = await findPaper(deps.commands, paperId);
    if (found.status !== 'found') {
      return await tell(renderText(found.status === 'missing' ? `Hugging Face has no paper ${paperId}.` : `Couldn't reach Hugging Face to look up ${paperId}; try again in a minute.`));
    }
    const summary = await deps.summariser.summarise(found.paper);
    const message = await deps.api.postMessage({
      channel: place.channelId,
      thread_ts: place.threadTs,
      ...renderSummary({ paper: found.paper, links: paperLinks(found.paper), day: null }, summary, { buttons: true }),
    });
    await store.recordParent(channel, key, message.ts, null);
    await store.completeDelivery(channel, key, clock());
    posted = true;
  } finally {
    // Not posted (no such paper, Slack refused): let a later press try again.
    if (!posted) await store.releaseDelivery(channel, key);
  }
}
