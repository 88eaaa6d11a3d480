import type { StateStore } from '../store.js';
import type { Queryable } from './database.js';

export class PostgresStateStore implements StateStore {
  constructor(private readonly db: Queryable) {}

  async getState(key: string): Promise<string | null> {
    const [row] = await this.db.rows<{ value: string }>('SELECT value FROM app_state WHERE key = $1', [key]);
    return row?.value ?? null;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.db.run('INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }
}
