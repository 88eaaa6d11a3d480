import { formatChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import { subscriptionFromRow, subscriptionsFromRows, type SubscriptionRow } from '../rows.js';
import { SUBSCRIPTION_REMOVALS_KEPT_MS, type Subscription, type SubscriptionStore } from '../store.js';
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

  /**
   * The cursor is a time on the server's clock. Sequence numbers are taken when a removal runs, not when it commits,
   * so a later number can be seen first; by time, each read looks back REMOVAL_LOOKBACK_MS past the last one and
   * sees what committed late (an id may come twice).
   */
  async subscriptionRemovalsSince(cursor: string | null): Promise<{ ids: number[]; cursor: string }> {
    await this.db.run('DELETE FROM subscription_removals WHERE removed_at < clock_timestamp() - $1::int * interval \'1 millisecond\'', [SUBSCRIPTION_REMOVALS_KEPT_MS]);
    const [now] = await this.db.rows<{ at: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`);
    if (cursor === null) return { ids: [], cursor: now!.at };
    const rows = await this.db.rows<{ id: string }>('SELECT id::text AS id FROM subscription_removals WHERE removed_at >= $1::timestamptz - $2::int * interval \'1 millisecond\' ORDER BY seq', [cursor, REMOVAL_LOOKBACK_MS]);
    return { ids: rows.map((row) => Number(row.id)), cursor: now!.at };
  }
}

/** Longer than any transaction that removes subscriptions takes to commit. */
const REMOVAL_LOOKBACK_MS = 60_000;
