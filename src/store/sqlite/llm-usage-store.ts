import type { Database, Statement } from 'better-sqlite3';
import type { Workspace } from '../../workspace.js';
import type { LlmUsageStore } from '../store.js';

export class SqliteLlmUsageStore implements LlmUsageStore {
  private readonly add: Statement;
  private readonly get: Statement;

  constructor(db: Database) {
    // One statement: the upsert is atomic even with other processes writing the same file.
    this.add = db.prepare(
      `INSERT INTO llm_token_usage (platform, workspace, day, tokens) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, workspace, day) DO UPDATE SET tokens = tokens + excluded.tokens
       RETURNING tokens`,
    );
    this.get = db.prepare('SELECT tokens FROM llm_token_usage WHERE platform = ? AND workspace = ? AND day = ?');
  }

  async addLlmTokens(workspace: Workspace, day: string, tokens: number): Promise<number> {
    return (this.add.get(workspace.platform, workspace.id, day, tokens) as { tokens: number }).tokens;
  }

  async llmTokensUsed(workspace: Workspace, day: string): Promise<number> {
    return (this.get.get(workspace.platform, workspace.id, day) as { tokens: number } | undefined)?.tokens ?? 0;
  }
}
