import type { Database, Statement } from 'better-sqlite3';
import type { StateStore } from '../store.js';

export class SqliteStateStore implements StateStore {
  private readonly get: Statement;
  private readonly set: Statement;

  constructor(db: Database) {
    this.get = db.prepare('SELECT value FROM app_state WHERE key = ?');
    this.set = db.prepare('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  async getState(key: string): Promise<string | null> {
    return (this.get.get(key) as { value: string } | undefined)?.value ?? null;
  }

  async setState(key: string, value: string): Promise<void> {
    this.set.run(key, value);
  }
}
