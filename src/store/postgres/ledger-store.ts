import { formatChannelRef, readChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import type { Acquired, DeliveryLedger, DeliveryRecord } from '../store.js';
import type { PostedMessage } from '../../delivery/publisher.js';
import type { EarlierPost } from '../../delivery/earlier-post.js';
import { deliveryFromRow, earlierPostsFromRows, type DeliveryRow as DeliveryRowFields, type EarlierPostRow } from '../rows.js';
import type { PostgresDatabase, Queryable } from './database.js';

interface DeliveryRow extends DeliveryRowFields {
  channel: string;
  key: string;
}

interface DeliveredRow {
  channel: string;
  key: string;
  paper_id: string;
  message_id: string | null;
}

const DELIVERY_COLUMNS = 'channel, key, parent_message_id, thread_id, claimed_at, completed_at, owner, lease_until';
/** Frozen posting order; paper_id breaks ties the way SQLite's (channel, key, paper_id) key order does. */
const PAPER_ORDER = 'ORDER BY position, intent_at, paper_id';
/** Position of a paper posted without a recorded intent: after every planned one. */
const UNPLANNED_POSITION = 1_000_000;

/**
 * The delivery ledger, the twin of sqlite/ledger-store.ts. Taking a claim is one transaction of single-row
 * statements: the INSERT or the conditional UPDATE locks the row until COMMIT, so of two processes racing for the
 * same delivery the second waits and then re-checks the owner and lease against what the first wrote.
 */
export class PostgresDeliveryLedger implements DeliveryLedger {
  constructor(private readonly db: PostgresDatabase) {}

  async acquireDelivery(channel: ChannelRef, key: string, owner: string, now: Date, leaseUntil: Date): Promise<Acquired> {
    const ref = formatChannelRef(channel);
    return this.db.transaction(async (tx): Promise<Acquired> => {
      const created =
        (await tx.run(
          `INSERT INTO deliveries (channel, key, claimed_at, owner, lease_until) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (channel, key) DO NOTHING`,
          [ref, key, now, owner, leaseUntil],
        )) === 1;
      // Free: nobody holds it, this owner does, or its owner's lease ran out (it died); never once completed.
      const acquired =
        created ||
        (await tx.run(
          `UPDATE deliveries SET owner = $3, lease_until = $4
           WHERE channel = $1 AND key = $2 AND completed_at IS NULL AND (owner IS NULL OR owner = $3 OR lease_until < $5)`,
          [ref, key, owner, leaseUntil, now],
        )) === 1;
      const record = await read(tx, channel, key);
      if (!record) throw new Error(`delivery ${ref} ${key} vanished while being acquired`);
      return { acquired, created, record };
    });
  }

  async renewDelivery(channel: ChannelRef, key: string, owner: string, leaseUntil: Date): Promise<boolean> {
    const renewed = await this.db.run(
      'UPDATE deliveries SET lease_until = $4 WHERE channel = $1 AND key = $2 AND owner = $3 AND completed_at IS NULL',
      [formatChannelRef(channel), key, owner, leaseUntil],
    );
    return renewed === 1;
  }

  async getDelivery(channel: ChannelRef, key: string): Promise<DeliveryRecord | null> {
    return read(this.db, channel, key);
  }

  async recordParent(channel: ChannelRef, key: string, messageId: string, threadId: string | null): Promise<void> {
    await this.db.run('UPDATE deliveries SET parent_message_id = $3, thread_id = $4 WHERE channel = $1 AND key = $2', [formatChannelRef(channel), key, messageId, threadId]);
  }

  /**
   * One statement: positions continue after the highest recorded, one per id in order (an id already recorded
   * keeps its place and uses up its number, as in SQLite).
   */
  async recordIntents(channel: ChannelRef, key: string, paperIds: string[], at: Date): Promise<void> {
    if (paperIds.length === 0) return;
    await this.db.run(
      `INSERT INTO delivered_papers (channel, key, paper_id, intent_at, position)
       SELECT $1, $2, p.id, $3,
         (SELECT coalesce(max(position), -1) FROM delivered_papers WHERE channel = $1 AND key = $2) + p.n::int
       FROM unnest($4::text[]) WITH ORDINALITY AS p (id, n)
       ORDER BY p.n
       ON CONFLICT (channel, key, paper_id) DO NOTHING`,
      [formatChannelRef(channel), key, at, paperIds],
    );
  }

  async recordPosted(channel: ChannelRef, key: string, paperId: string, messageId: string, at: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO delivered_papers (channel, key, paper_id, intent_at, message_id, posted_at, position) VALUES ($1, $2, $3, $4, $5, $4, $6)
       ON CONFLICT (channel, key, paper_id) DO UPDATE SET message_id = excluded.message_id, posted_at = excluded.posted_at`,
      [formatChannelRef(channel), key, paperId, at, messageId, UNPLANNED_POSITION],
    );
  }

  async completeDelivery(channel: ChannelRef, key: string, at: Date): Promise<void> {
    await this.db.run('UPDATE deliveries SET completed_at = $3, owner = NULL, lease_until = NULL WHERE channel = $1 AND key = $2', [formatChannelRef(channel), key, at]);
  }

  async incompleteDeliveries(channel?: ChannelRef): Promise<DeliveryRecord[]> {
    const filter = channel ? 'AND channel = $1' : '';
    const values = channel ? [formatChannelRef(channel)] : [];
    const [deliveries, papers] = await Promise.all([
      this.db.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE completed_at IS NULL ${filter} ORDER BY claimed_at`, values),
      this.db.rows<DeliveredRow>(
        `SELECT channel, key, paper_id, message_id FROM delivered_papers
         WHERE (channel, key) IN (SELECT channel, key FROM deliveries WHERE completed_at IS NULL ${filter}) ${PAPER_ORDER}`,
        values,
      ),
    ]);
    const byDelivery = groupPapers(papers);
    return deliveries.flatMap((row) => {
      const ref = channel ?? readChannelRef(row.channel);
      return ref ? [deliveryFromRow(ref, row.key, row, byDelivery.get(deliveryKey(row)) ?? new Map())] : [];
    });
  }

  async releaseDelivery(channel: ChannelRef, key: string): Promise<void> {
    // delivered_papers rows go with it (ON DELETE CASCADE).
    await this.db.run('DELETE FROM deliveries WHERE channel = $1 AND key = $2', [formatChannelRef(channel), key]);
  }

  async receivedPaperIds(channel: ChannelRef, paperIds: string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    // A weekly recap repeats papers on purpose: what it posted must not keep them out of daily digests or alerts.
    const rows = await this.db.rows<{ paper_id: string }>(
      "SELECT DISTINCT paper_id FROM delivered_papers WHERE channel = $1 AND message_id IS NOT NULL AND key NOT LIKE 'weekly:%' AND paper_id = ANY($2::text[])",
      [formatChannelRef(channel), paperIds],
    );
    return new Set(rows.map((row) => row.paper_id));
  }

  async lastPostOf(channel: ChannelRef, paperId: string): Promise<PostedMessage | null> {
    const [row] = await this.db.rows<{ parent_message_id: string; thread_id: string | null }>(
      `SELECT d.parent_message_id, d.thread_id FROM delivered_papers p JOIN deliveries d ON d.channel = p.channel AND d.key = p.key
       WHERE p.channel = $1 AND p.paper_id = $2 AND p.message_id IS NOT NULL AND d.parent_message_id IS NOT NULL
         AND p.message_id <> d.parent_message_id
       ORDER BY p.posted_at DESC NULLS LAST LIMIT 1`,
      [formatChannelRef(channel), paperId],
    );
    return row ? { id: row.parent_message_id, threadId: row.thread_id } : null;
  }

  async earlierPosts(channel: ChannelRef, paperIds: string[]): Promise<Map<string, EarlierPost>> {
    if (paperIds.length === 0) return new Map();
    const rows = await this.db.rows<EarlierPostRow>(
      `SELECT DISTINCT ON (p.paper_id) p.paper_id, p.key, p.message_id, coalesce(p.posted_at, p.intent_at) AS posted_at, d.parent_message_id, d.thread_id
       FROM delivered_papers p JOIN deliveries d ON d.channel = p.channel AND d.key = p.key
       WHERE p.channel = $1 AND p.message_id IS NOT NULL AND p.key NOT LIKE 'weekly:%' AND p.paper_id = ANY($2::text[])
       ORDER BY p.paper_id, 4, p.key`,
      [formatChannelRef(channel), paperIds],
    );
    return earlierPostsFromRows(channel, rows);
  }
}

async function read(db: Queryable, channel: ChannelRef, key: string): Promise<DeliveryRecord | null> {
  const ref = formatChannelRef(channel);
  const [row] = await db.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE channel = $1 AND key = $2`, [ref, key]);
  if (!row) return null;
  const papers = await db.rows<DeliveredRow>(`SELECT channel, key, paper_id, message_id FROM delivered_papers WHERE channel = $1 AND key = $2 ${PAPER_ORDER}`, [ref, key]);
  return deliveryFromRow(channel, row.key, row, groupPapers(papers).get(deliveryKey(row)) ?? new Map());
}

function deliveryKey(row: { channel: string; key: string }): string {
  return JSON.stringify([row.channel, row.key]);
}

/** paper id → message id per delivery, in the rows' (posting) order. */
function groupPapers(rows: readonly DeliveredRow[]): Map<string, Map<string, string | null>> {
  const byDelivery = new Map<string, Map<string, string | null>>();
  for (const row of rows) {
    const id = deliveryKey(row);
    let papers = byDelivery.get(id);
    if (!papers) byDelivery.set(id, (papers = new Map()));
    papers.set(row.paper_id, row.message_id);
  }
  return byDelivery;
}
