import type { Database } from 'better-sqlite3';
import type { CoordinationStore } from '../store.js';

/** Leases, keys seen once and send slots for processes sharing one SQLite file (each step one transaction). */
export class SqliteCoordinationStore implements CoordinationStore {
  private readonly s;

  constructor(private readonly db: Database) {
    this.s = {
      lease: db.prepare(`
        INSERT INTO leases (name, owner, lease_until) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
        WHERE leases.owner = excluded.owner OR leases.lease_until < ?`),
      release: db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?'),
      forget: db.prepare('DELETE FROM seen_keys WHERE expires_at < ?'),
      seen: db.prepare('INSERT OR IGNORE INTO seen_keys (key, expires_at) VALUES (?, ?)'),
      slot: db.prepare(`
        INSERT INTO send_slots (key, next_at) VALUES (?, ? + ?)
        ON CONFLICT (key) DO UPDATE SET next_at = max(send_slots.next_at, ?) + ?
        RETURNING next_at`),
      // GCRA: next_at is the theoretical arrival time; a call is admitted while it is at most `tolerance` ahead.
      admit: db.prepare(`
        INSERT INTO send_slots (key, next_at) VALUES (@key, @now + @interval)
        ON CONFLICT (key) DO UPDATE SET next_at = max(send_slots.next_at, @now) + @interval
        WHERE max(send_slots.next_at, @now) - @now <= @tolerance
        RETURNING next_at`),
      nextAt: db.prepare('SELECT next_at FROM send_slots WHERE key = ?'),
    };
  }

  async acquireLease(name: string, owner: string, now: Date, until: Date): Promise<boolean> {
    return this.s.lease.run(name, owner, until.toISOString(), now.toISOString()).changes === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.s.release.run(name, owner);
  }

  async markSeen(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    return this.db.transaction(() => {
      this.s.forget.run(now.toISOString());
      return this.s.seen.run(key, expiresAt.toISOString()).changes === 1;
    }).immediate();
  }

  async reserveSlot(key: string, intervalMs: number, now: Date): Promise<number> {
    const at = now.getTime();
    const { next_at } = this.s.slot.get(key, at, intervalMs, at, intervalMs) as { next_at: number };
    return next_at - intervalMs;
  }

  async admit(key: string, intervalMs: number, burst: number, now: Date): Promise<number> {
    const at = now.getTime();
    const tolerance = (burst - 1) * intervalMs;
    return this.db
      .transaction(() => {
        if (this.s.admit.get({ key, now: at, interval: intervalMs, tolerance })) return 0;
        const { next_at } = this.s.nextAt.get(key) as { next_at: number };
        return Math.max(1, next_at - at - tolerance);
      })
      .immediate();
  }
}
