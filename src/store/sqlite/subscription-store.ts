import type { Database } from 'better-sqlite3';
import { formatChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import { subscriptionFromRow, subscriptionsFromRows, type SubscriptionRow } from '../rows.js';
import { SUBSCRIPTION_REMOVALS_KEPT_MS, type Subscription, type SubscriptionStore } from '../store.js';

export class SqliteSubscriptionStore implements SubscriptionStore {
  private readonly s;

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare('INSERT OR IGNORE INTO subscriptions (channel, query, created_by, created_at) VALUES (?, ?, ?, ?)'),
      byQuery: db.prepare('SELECT * FROM subscriptions WHERE channel = ? AND query = ?'),
      deleteById: db.prepare('DELETE FROM subscriptions WHERE channel = ? AND id = ?'),
      deleteByQuery: db.prepare('DELETE FROM subscriptions WHERE channel = ? AND query = ?'),
      deleteAll: db.prepare('DELETE FROM subscriptions WHERE channel = ?'),
      forChannel: db.prepare('SELECT * FROM subscriptions WHERE channel = ? ORDER BY id'),
      all: db.prepare('SELECT * FROM subscriptions ORDER BY id'),
      after: db.prepare('SELECT * FROM subscriptions WHERE id > ? ORDER BY id LIMIT ?'),
      idsAfter: db.prepare('SELECT id FROM subscriptions WHERE id > ? ORDER BY id LIMIT ?').pluck(),
      removalsAfter: db.prepare('SELECT seq, id FROM subscription_removals WHERE seq > ? ORDER BY seq').raw(),
      lastRemoval: db.prepare("SELECT coalesce(max(seq), 0) FROM subscription_removals").pluck(),
      forgetRemovals: db.prepare('DELETE FROM subscription_removals WHERE removed_at < ?'),
    };
  }

  async addSubscription(channel: ChannelRef, query: string, createdBy: string, at: Date) {
    const key = formatChannelRef(channel);
    return this.db.transaction(() => {
      const { changes } = this.s.insert.run(key, query, createdBy, at.toISOString());
      const row = this.s.byQuery.get(key, query) as SubscriptionRow;
      return { subscription: subscriptionFromRow(row, channel), created: changes === 1 };
    }).immediate();
  }

  async removeSubscriptions(channel: ChannelRef, selector: { id: number } | { query: string } | { all: true }): Promise<number> {
    const key = formatChannelRef(channel);
    if ('id' in selector) return this.s.deleteById.run(key, selector.id).changes;
    if ('query' in selector) return this.s.deleteByQuery.run(key, selector.query).changes;
    return this.s.deleteAll.run(key).changes;
  }

  async listSubscriptions(channel?: ChannelRef): Promise<Subscription[]> {
    return subscriptionsFromRows((channel ? this.s.forChannel.all(formatChannelRef(channel)) : this.s.all.all()) as SubscriptionRow[], channel);
  }

  async subscriptionsAfter(afterId: number, limit: number): Promise<Subscription[]> {
    return subscriptionsFromRows(this.s.after.all(afterId, limit) as SubscriptionRow[]);
  }

  async subscriptionIdsAfter(afterId: number, limit: number): Promise<number[]> {
    return this.s.idsAfter.all(afterId, limit) as number[];
  }

  /** The cursor is the last log sequence number read: one writer at a time, so numbers commit in order. */
  async subscriptionRemovalsSince(cursor: string | null): Promise<{ ids: number[]; cursor: string }> {
    this.s.forgetRemovals.run(new Date(Date.now() - SUBSCRIPTION_REMOVALS_KEPT_MS).toISOString());
    if (cursor === null) return { ids: [], cursor: String(this.s.lastRemoval.get() as number) };
    const rows = this.s.removalsAfter.all(Number(cursor)) as [number, number][];
    return { ids: rows.map((row) => row[1]), cursor: rows.length > 0 ? String(rows[rows.length - 1]![0]) : cursor };
  }
}
