import { formatChannelRef, type ChannelRef } from '../../channel.js';
import { artifactsToColumn, followsFromRows, type FollowRow } from '../rows.js';
import type { Follow, FollowStore, NewFollow, PaperArtifacts } from '../store.js';
import type { Queryable } from './database.js';

const COLUMNS = 'channel, paper_id, reply_message_id, reply_thread_id, followed_by, followed_at, announced, version';

/** The twin of sqlite/follow-store.ts. */
export class PostgresFollowStore implements FollowStore {
  constructor(private readonly db: Queryable) {}

  /** Two statements, as for subscriptions: only a second statement sees a row another process just committed. */
  async addFollow(follow: NewFollow): Promise<{ follow: Follow; created: boolean }> {
    const ref = formatChannelRef(follow.channel);
    const [inserted] = await this.db.rows<FollowRow>(
      `INSERT INTO follows (channel, paper_id, reply_message_id, reply_thread_id, followed_by, followed_at, announced)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (channel, paper_id) DO NOTHING RETURNING ${COLUMNS}`,
      [ref, follow.paperId, follow.replyTo?.id ?? null, follow.replyTo?.threadId ?? null, follow.followedBy, follow.at, artifactsToColumn(follow.announced)],
    );
    const row = inserted ?? (await this.db.rows<FollowRow>(`SELECT ${COLUMNS} FROM follows WHERE channel = $1 AND paper_id = $2`, [ref, follow.paperId]))[0];
    const [read] = row ? followsFromRows([row]) : [];
    if (!read) throw new Error(`follow of ${follow.paperId} in ${ref} vanished while being added`);
    return { follow: read, created: inserted !== undefined };
  }

  async removeFollows(channel: ChannelRef, selector: { paperId: string } | { all: true }): Promise<number> {
    const ref = formatChannelRef(channel);
    if ('paperId' in selector) return this.db.run('DELETE FROM follows WHERE channel = $1 AND paper_id = $2', [ref, selector.paperId]);
    return this.db.run('DELETE FROM follows WHERE channel = $1', [ref]);
  }

  async listFollows(channel: ChannelRef): Promise<Follow[]> {
    return followsFromRows(await this.db.rows<FollowRow>(`SELECT ${COLUMNS} FROM follows WHERE channel = $1 ORDER BY followed_at, paper_id`, [formatChannelRef(channel)]));
  }

  async followsSince(since: Date): Promise<Follow[]> {
    return followsFromRows(await this.db.rows<FollowRow>(`SELECT ${COLUMNS} FROM follows WHERE followed_at >= $1 ORDER BY followed_at, channel, paper_id`, [since]));
  }

  async removeFollowsBefore(before: Date): Promise<number> {
    return this.db.run('DELETE FROM follows WHERE followed_at < $1', [before]);
  }

  async claimAnnouncement(channel: ChannelRef, paperId: string, version: number, announced: PaperArtifacts): Promise<boolean> {
    const changed = await this.db.run('UPDATE follows SET announced = $1, version = version + 1 WHERE channel = $2 AND paper_id = $3 AND version = $4', [
      artifactsToColumn(announced),
      formatChannelRef(channel),
      paperId,
      version,
    ]);
    return changed === 1;
  }
}
