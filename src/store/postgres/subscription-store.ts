import { formatChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import { subscriptionFromRow, subscriptionsFromRows, type SubscriptionRow } from '../rows.js';
import type { Subscription, SubscriptionStore } from '../store.js';
import type { Queryable } from './database.js';

const COLUMNS = 'id, channel, query, created_by, created_at';

export class PostgresSubscriptionStore implements SubscriptionStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Two statements, not one: a statement's snapshot cannot see a row another process committed after it began,
   * so when ON CONFLICT finds one, only a second statement can read it.
   */
  async addSubscription(channel: ChannelRef, query: string, createdBy: string, at: Date) {
    const key = formatChannelRef(channel);
    const [inserted] = await this.db.rows<SubscriptionRow>(
      `INSERT INTO subscriptions (channel, query, created_by, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel, query) DO NOTHING RETURNING ${COLUMNS}`,
      [key, query, createdBy, at],
    );
    if (inserted) return { subscription: subscriptionFromRow(inserted, channel), created: true };
    const [row] = await this.db.rows<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE channel = $1 AND query = $2`, [key, query]);
    if (!row) throw new Error(`subscription ${JSON.stringify(query)} in ${key} vanished while being added`);
    return { subscription: subscriptionFromRow(row, channel), created: false };
  }

  async removeSubscriptions(channel: ChannelRef, selector: { id: number } | { query: string } | { all: true }): Promise<number> {
    const key = formatChannelRef(channel);
    if ('id' in selector) return this.db.run('DELETE FROM subscriptions WHERE channel = $1 AND id = $2', [key, selector.id]);
    if ('query' in selector) return this.db.run('DELETE FROM subscriptions WHERE channel = $1 AND query = $2', [key, selector.query]);
    return this.db.run('DELETE FROM subscriptions WHERE channel = $1', [key]);
  }

  async listSubscriptions(channel?: ChannelRef): Promise<Subscription[]> {
    const rows = channel
      ? await this.db.rows<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE channel = $1 ORDER BY id`, [formatChannelRef(channel)])
      : await this.db.rows<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions ORDER BY id`);
    return subscriptionsFromRows(rows, channel);
  }

  async subscriptionsAfter(afterId: number, limit: number): Promise<Subscription[]> {
    return subscriptionsFromRows(await this.db.rows<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]));
  }

  /** One row holding the ids: thousands of one-column rows would cost more on the wire than the list itself. */
  async subscriptionIdsAfter(afterId: number, limit: number): Promise<number[]> {
    const [row] = await this.db.rows<{ ids: string | null }>(
      `SELECT string_agg(id::text, ',' ORDER BY id) AS ids FROM (SELECT id FROM subscriptions WHERE id > $1 ORDER BY id LIMIT $2) AS page`,
      [afterId, limit],
    );
    return row?.ids ? row.ids.split(',').map(Number) : [];
  }
}
