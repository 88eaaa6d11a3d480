import type { CoordinationStore } from '../store.js';
import type { PostgresDatabase } from './database.js';

/**
 * Leases, keys seen once and send slots for processes sharing one database. Each step is one statement (or one
 * transaction) whose row lock makes concurrent callers take turns: a second caller waits, then sees the first
 * one's row (ON CONFLICT re-checks its WHERE against the committed version).
 */
export class PostgresCoordinationStore implements CoordinationStore {
  constructor(private readonly db: PostgresDatabase) {}

  async acquireLease(name: string, owner: string, now: Date, until: Date): Promise<boolean> {
    const taken = await this.db.run(
      `INSERT INTO leases (name, owner, lease_until) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
       WHERE leases.owner = excluded.owner OR leases.lease_until < $4`,
      [name, owner, until, now],
    );
    return taken === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.db.run('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
  }

  /** Two statements in one transaction: an expired key must be gone before the insert can claim it afresh. */
  async markSeen(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM seen_keys WHERE expires_at < $1', [now]);
      return (await tx.run('INSERT INTO seen_keys (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, expiresAt])) === 1;
    });
  }

  async reserveSlot(key: string, intervalMs: number, now: Date): Promise<number> {
    const [row] = await this.db.rows<{ next_at: number }>(
      `INSERT INTO send_slots (key, next_at) VALUES ($1, $2::float8 + $3::float8)
       ON CONFLICT (key) DO UPDATE SET next_at = greatest(send_slots.next_at, $2::float8) + $3::float8
       RETURNING next_at`,
      [key, now.getTime(), intervalMs],
    );
    if (!row) throw new Error(`send slot ${key}: no row returned`);
    return row.next_at - intervalMs;
  }

  /** GCRA: next_at is the theoretical arrival time; a call is admitted while it is at most `tolerance` ahead. */
  async admit(key: string, intervalMs: number, burst: number, now: Date): Promise<number> {
    const at = now.getTime();
    const tolerance = (burst - 1) * intervalMs;
    const [admitted] = await this.db.rows<{ next_at: number }>(
      `INSERT INTO send_slots (key, next_at) VALUES ($1, $2::float8 + $3::float8)
       ON CONFLICT (key) DO UPDATE SET next_at = greatest(send_slots.next_at, $2::float8) + $3::float8
       WHERE greatest(send_slots.next_at, $2::float8) - $2::float8 <= $4::float8
       RETURNING next_at`,
      [key, at, intervalMs, tolerance],
    );
    if (admitted) return 0;
    // Read after the refusal, so only an estimate under contention: the wait is advice, not a reservation.
    const [row] = await this.db.rows<{ next_at: number }>('SELECT next_at FROM send_slots WHERE key = $1', [key]);
    return Math.max(1, (row?.next_at ?? at) - at - tolerance);
  }
}
