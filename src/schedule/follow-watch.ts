import { formatChannelRef } from '../channel.js';
import { FOLLOW_DAYS } from '../commands/follow.js';
import { CHANNEL_UNAVAILABLE } from '../delivery/publisher.js';
import { errorMessage, PaperboyError } from '../errors.js';
import { hasArtifacts, mergeArtifacts, newArtifacts, type PaperArtifacts } from '../papers/artifacts.js';
import { paperLinks, type Paper } from '../papers/paper.js';
import type { ArtifactSource } from '../papers/source.js';
import type { Follow } from '../store/store.js';
import type { ScheduleDeps } from './schedule-deps.js';
import { DAY_MS } from '../time.js';

/** The lease one process holds while it checks followed papers (other replicas skip that round). */
export const FOLLOW_LEASE = 'follows';

export interface FollowWatchDeps extends ScheduleDeps {
  source: ArtifactSource;
}

/**
 * Each followed paper is looked up on Hugging Face once (its GitHub repository; the models and datasets citing
 * it), however many channels follow it; a channel whose follow has something new gets one reply in the paper's
 * thread. Follows older than FOLLOW_DAYS are forgotten first. Returns how many replies were posted.
 */
export async function runFollowWatch(deps: FollowWatchDeps, now: Date): Promise<number> {
  const { store, logger } = deps;
  const cutoff = new Date(now.getTime() - FOLLOW_DAYS * DAY_MS);
  const ended = await store.removeFollowsBefore(cutoff);
  if (ended > 0) logger.info({ follows: ended, days: FOLLOW_DAYS }, 'follows ended');
  const byPaper = new Map<string, Follow[]>();
  for (const follow of await store.followsSince(cutoff)) {
    if (!deps.publishers.has(follow.channel.platform)) continue;
    const follows = byPaper.get(follow.paperId) ?? [];
    follows.push(follow);
    byPaper.set(follow.paperId, follows);
  }
  let posted = 0;
  // One paper at a time: the lookups queue on sync's request budget anyway.
  for (const [paperId, follows] of byPaper) {
    let found: { paper: Paper; artifacts: PaperArtifacts } | null;
    try {
      found = await deps.source.paperArtifacts(paperId);
    } catch (error) {
      logger.warn({ paper: paperId, err: errorMessage(error) }, 'follow check failed; trying again next round');
      continue;
    }
    // HF no longer has it (or never had it under this id): nothing to announce; the follow ends in time.
    if (!found) continue;
    await store.savePapers([found.paper]);
    for (const follow of follows) if (await announce(deps, follow, found.paper, found.artifacts)) posted++;
  }
  return posted;
}

/**
 * Posts what is new for one channel's follow, exactly once. The follow row is the claim: its announced set moves on
 * (compare-and-set on its version) before anything is posted, so of two replicas or a rerun only one posts, and a
 * crash after the claim loses this reply rather than repeating it. A post that fails hands the claim back for the
 * next round; a channel that is gone ends its follow.
 */
async function announce(deps: FollowWatchDeps, follow: Follow, paper: Paper, artifacts: PaperArtifacts): Promise<boolean> {
  const { store, logger } = deps;
  const fresh = newArtifacts(follow.announced, artifacts);
  if (!hasArtifacts(fresh)) return false;
  const channel = formatChannelRef(follow.channel);
  if (!(await store.claimAnnouncement(follow.channel, follow.paperId, follow.version, mergeArtifacts(follow.announced, artifacts)))) return false;
  const publisher = deps.publishers.get(follow.channel.platform)!;
  try {
    await publisher.postFollowUpdate(follow.channel, follow.replyTo, { paper, links: paperLinks(paper), found: fresh });
    logger.info({ channel, paper: follow.paperId }, 'follow update posted');
    return true;
  } catch (error) {
    const code = error instanceof PaperboyError ? error.code : 'internal';
    if (code === CHANNEL_UNAVAILABLE) {
      await store.removeFollows(follow.channel, { paperId: follow.paperId });
      logger.info({ channel, paper: follow.paperId }, 'channel is gone; follow ended');
      return false;
    }
    deps.metrics?.postsFailed.inc({ platform: follow.channel.platform, reason: code });
    logger.warn({ channel, paper: follow.paperId, err: errorMessage(error) }, 'follow update failed; trying again next round');
    await store.claimAnnouncement(follow.channel, follow.paperId, follow.version + 1, follow.announced).catch(() => undefined);
    return false;
  }
}
