import type { Database } from 'better-sqlite3';
import { formatChannelRef, type ChannelRef } from '../../channel.js';
import { artifactsToColumn, followsFromRows, type FollowRow } from '../rows.js';
import type { Follow, FollowStore, NewFollow, PaperArtifacts } from '../store.js';

export class SqliteFollowStore implements FollowStore {
  private readonly s;

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare(`
        INSERT OR IGNORE INTO follows (channel, paper_id, reply_message_id, reply_thread_id, followed_by, followed_at, announced)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      get: db.prepare('SELECT * FROM follows WHERE channel = ? AND paper_id = ?'),
      deleteOne: db.prepare('DELETE FROM follows WHERE channel = ? AND paper_id = ?'),
      deleteAll: db.prepare('DELETE FROM follows WHERE channel = ?'),
      forChannel: db.prepare('SELECT * FROM follows WHERE channel = ? ORDER BY followed_at, paper_id'),
      since: db.prepare('SELECT * FROM follows WHERE followed_at >= ? ORDER BY followed_at, channel, paper_id'),
      before: db.prepare('DELETE FROM follows WHERE followed_at < ?'),
      claim: db.prepare('UPDATE follows SET announced = ?, version = version + 1 WHERE channel = ? AND paper_id = ? AND version = ?'),
    };
  }

  async addFollow(follow: NewFollow): Promise<{ follow: Follow; created: boolean }> {
    const ref = formatChannelRef(follow.channel);
    return this.db
      .transaction(() => {
        const { changes } = this.s.insert.run(ref, follow.paperId, follow.replyTo?.id ?? null, follow.replyTo?.threadId ?? null, follow.followedBy, follow.at.toISOString(), artifactsToColumn(follow.announced));
        const [row] = followsFromRows([this.s.get.get(ref, follow.paperId) as FollowRow]);
        return { follow: row!, created: changes === 1 };
      })
      .immediate();
  }

  async removeFollows(channel: ChannelRef, selector: { paperId: string } | { all: true }): Promise<number> {
    const ref = formatChannelRef(channel);
    return 'paperId' in selector ? this.s.deleteOne.run(ref, selector.paperId).changes : this.s.deleteAll.run(ref).changes;
  }

  async listFollows(channel: ChannelRef): Promise<Follow[]> {
    return followsFromRows(this.s.forChannel.all(formatChannelRef(channel)) as FollowRow[]);
  }

  async followsSince(since: Date): Promise<Follow[]> {
    return followsFromRows(this.s.since.all(since.toISOString()) as FollowRow[]);
  }

  async removeFollowsBefore(before: Date): Promise<number> {
    return this.s.before.run(before.toISOString()).changes;
  }

  async claimAnnouncement(channel: ChannelRef, paperId: string, version: number, announced: PaperArtifacts): Promise<boolean> {
    return this.s.claim.run(artifactsToColumn(announced), formatChannelRef(channel), paperId, version).changes === 1;
  }
}
