import type { Database, Statement } from 'better-sqlite3';
import { formatChannelRef, readChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import type { Acquired, DeliveryLedger, DeliveryRecord } from '../store.js';
import type { PostedMessage } from '../../delivery/publisher.js';
import type { EarlierPost } from '../../delivery/earlier-post.js';
import { deliveryFromRow, earlierPostsFromRows, type DeliveryRow, type EarlierPostRow } from '../rows.js';

/**
 * The delivery ledger. A claim row per (channel, key) carries an owner and a lease: taking it is one IMMEDIATE
 * transaction (SQLite's write lock, so processes on one file take turns), and of any number of processes only the
 * owner posts until its lease runs out. Per-paper rows record intent before posting and the platform id after, so
 * a resumed run posts only what is missing.
 */
export class SqliteDeliveryLedger implements DeliveryLedger {
  private readonly s;
  /** `byPaper` statements by SQL text: preparing one costs more than running it (it ran on every search reply). */
  private readonly byPaperStatements = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare('INSERT INTO deliveries (channel, key, claimed_at, owner, lease_until) VALUES (?, ?, ?, ?, ?)'),
      takeOver: db.prepare('UPDATE deliveries SET owner = ?, lease_until = ? WHERE channel = ? AND key = ?'),
      renew: db.prepare('UPDATE deliveries SET lease_until = ? WHERE channel = ? AND key = ? AND owner = ? AND completed_at IS NULL'),
      get: db.prepare('SELECT * FROM deliveries WHERE channel = ? AND key = ?'),
      papers: db.prepare('SELECT paper_id, message_id FROM delivered_papers WHERE channel = ? AND key = ? ORDER BY position, intent_at'),
      incomplete: db.prepare('SELECT * FROM deliveries WHERE completed_at IS NULL ORDER BY claimed_at'),
      incompleteFor: db.prepare('SELECT * FROM deliveries WHERE channel = ? AND completed_at IS NULL ORDER BY claimed_at'),
      parent: db.prepare('UPDATE deliveries SET parent_message_id = ?, thread_id = ? WHERE channel = ? AND key = ?'),
      intent: db.prepare('INSERT OR IGNORE INTO delivered_papers (channel, key, paper_id, intent_at, position) VALUES (?, ?, ?, ?, ?)'),
      maxPosition: db.prepare('SELECT coalesce(max(position), -1) AS p FROM delivered_papers WHERE channel = ? AND key = ?'),
      posted: db.prepare(`
        INSERT INTO delivered_papers (channel, key, paper_id, intent_at, message_id, posted_at, position) VALUES (?, ?, ?, ?, ?, ?, 1000000)
        ON CONFLICT (channel, key, paper_id) DO UPDATE SET message_id = excluded.message_id, posted_at = excluded.posted_at`),
      complete: db.prepare('UPDATE deliveries SET completed_at = ?, owner = NULL, lease_until = NULL WHERE channel = ? AND key = ?'),
      releasePapers: db.prepare('DELETE FROM delivered_papers WHERE channel = ? AND key = ?'),
      release: db.prepare('DELETE FROM deliveries WHERE channel = ? AND key = ?'),
      lastPost: db.prepare(`
        SELECT d.parent_message_id, d.thread_id FROM delivered_papers p JOIN deliveries d ON d.channel = p.channel AND d.key = p.key
        WHERE p.channel = ? AND p.paper_id = ? AND p.message_id IS NOT NULL AND d.parent_message_id IS NOT NULL
          AND p.message_id <> d.parent_message_id
        ORDER BY p.posted_at DESC LIMIT 1`),
    };
  }

  async acquireDelivery(channel: ChannelRef, key: string, owner: string, now: Date, leaseUntil: Date): Promise<Acquired> {
    const ref = formatChannelRef(channel);
    return this.db
      .transaction((): Acquired => {
        const row = this.s.get.get(ref, key) as DeliveryRow | undefined;
        if (!row) {
          this.s.insert.run(ref, key, now.toISOString(), owner, leaseUntil.toISOString());
          return { acquired: true, created: true, record: this.read(channel, key)! };
        }
        const free = row.owner === null || row.owner === owner || (row.lease_until !== null && row.lease_until < now.toISOString());
        if (row.completed_at !== null || !free) return { acquired: false, created: false, record: this.read(channel, key)! };
        this.s.takeOver.run(owner, leaseUntil.toISOString(), ref, key);
        return { acquired: true, created: false, record: this.read(channel, key)! };
      })
      .immediate();
  }

  async renewDelivery(channel: ChannelRef, key: string, owner: string, leaseUntil: Date): Promise<boolean> {
    return this.s.renew.run(leaseUntil.toISOString(), formatChannelRef(channel), key, owner).changes === 1;
  }

  async getDelivery(channel: ChannelRef, key: string): Promise<DeliveryRecord | null> {
    return this.read(channel, key);
  }

  async recordParent(channel: ChannelRef, key: string, messageId: string, threadId: string | null): Promise<void> {
    this.s.parent.run(messageId, threadId, formatChannelRef(channel), key);
  }

  async recordIntents(channel: ChannelRef, key: string, paperIds: string[], at: Date): Promise<void> {
    const ref = formatChannelRef(channel);
    const iso = at.toISOString();
    this.db.transaction(() => {
      let position = (this.s.maxPosition.get(ref, key) as { p: number }).p;
      for (const paperId of paperIds) this.s.intent.run(ref, key, paperId, iso, ++position);
    }).immediate();
  }

  async incompleteDeliveries(channel?: ChannelRef): Promise<DeliveryRecord[]> {
    const rows = (channel ? this.s.incompleteFor.all(formatChannelRef(channel)) : this.s.incomplete.all()) as (DeliveryRow & { channel: string; key: string })[];
    return rows.flatMap((row) => {
      const ref = channel ?? readChannelRef(row.channel);
      const record = ref ? this.read(ref, row.key) : null;
      return record ? [record] : [];
    });
  }

  async recordPosted(channel: ChannelRef, key: string, paperId: string, messageId: string, at: Date): Promise<void> {
    const iso = at.toISOString();
    this.s.posted.run(formatChannelRef(channel), key, paperId, iso, messageId, iso);
  }

  async completeDelivery(channel: ChannelRef, key: string, at: Date): Promise<void> {
    this.s.complete.run(at.toISOString(), formatChannelRef(channel), key);
  }

  async releaseDelivery(channel: ChannelRef, key: string): Promise<void> {
    const ref = formatChannelRef(channel);
    this.db.transaction(() => {
      this.s.releasePapers.run(ref, key);
      this.s.release.run(ref, key);
    }).immediate();
  }

  async lastPostOf(channel: ChannelRef, paperId: string): Promise<PostedMessage | null> {
    const row = this.s.lastPost.get(formatChannelRef(channel), paperId) as { parent_message_id: string; thread_id: string | null } | undefined;
    return row ? { id: row.parent_message_id, threadId: row.thread_id } : null;
  }

  async receivedPaperIds(channel: ChannelRef, paperIds: string[]): Promise<Set<string>> {
    // A weekly recap repeats papers on purpose, so what it posted must not keep them out of daily digests or alerts.
    const rows = this.byPaper<{ paper_id: string }>(
      (ids) => `SELECT DISTINCT paper_id FROM delivered_papers WHERE channel = ? AND message_id IS NOT NULL AND key NOT LIKE 'weekly:%' AND paper_id IN (${ids})`,
      channel,
      paperIds,
    );
    return new Set(rows.map((row) => row.paper_id));
  }

  async earlierPosts(channel: ChannelRef, paperIds: string[]): Promise<Map<string, EarlierPost>> {
    const rows = this.byPaper<EarlierPostRow>(
      (ids) => `SELECT p.paper_id, p.key, p.message_id, coalesce(p.posted_at, p.intent_at) AS posted_at, d.parent_message_id, d.thread_id
        FROM delivered_papers p JOIN deliveries d ON d.channel = p.channel AND d.key = p.key
        WHERE p.channel = ? AND p.message_id IS NOT NULL AND p.key NOT LIKE 'weekly:%' AND p.paper_id IN (${ids})`,
      channel,
      paperIds,
    );
    // Chunks each come back in their own order: sorted once here, earliest post of each paper first.
    rows.sort((a, b) => compare(a.paper_id, b.paper_id) || compare(String(a.posted_at), String(b.posted_at)) || compare(a.key, b.key));
    return earlierPostsFromRows(channel, rows);
  }

  /** One channel's rows for a list of papers, chunked so a long list stays under SQLite's bound-parameter limit. */
  private byPaper<Row>(sql: (placeholders: string) => string, channel: ChannelRef, paperIds: string[]): Row[] {
    const rows: Row[] = [];
    const ref = formatChannelRef(channel);
    for (let start = 0; start < paperIds.length; start += BY_PAPER_CHUNK) {
      const chunk = paperIds.slice(start, start + BY_PAPER_CHUNK);
      // Padded to a power of two with repeats of the last id (IN ignores them), so only a few statements, one per
      // size, are ever prepared and kept.
      const size = Math.min(BY_PAPER_CHUNK, 2 ** Math.ceil(Math.log2(chunk.length)));
      while (chunk.length < size) chunk.push(chunk[chunk.length - 1]!);
      const text = sql(chunk.map(() => '?').join(','));
      let statement = this.byPaperStatements.get(text);
      if (!statement) {
        statement = this.db.prepare(text);
        this.byPaperStatements.set(text, statement);
      }
      rows.push(...(statement.all(ref, ...chunk) as Row[]));
    }
    return rows;
  }

  private read(channel: ChannelRef, key: string): DeliveryRecord | null {
    const ref = formatChannelRef(channel);
    const row = this.s.get.get(ref, key) as DeliveryRow | undefined;
    if (!row) return null;
    const papers = new Map<string, string | null>();
    for (const paper of this.s.papers.all(ref, key) as { paper_id: string; message_id: string | null }[]) {
      papers.set(paper.paper_id, paper.message_id);
    }
    return deliveryFromRow(channel, key, row, papers);
  }
}

/** Ids per `byPaper` statement: well under SQLite's bound-parameter limit. */
const BY_PAPER_CHUNK = 500;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
