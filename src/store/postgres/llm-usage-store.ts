import type { Workspace } from '../../workspace.js';
import type { LlmUsageStore } from '../store.js';
import type { Queryable } from './database.js';

export class PostgresLlmUsageStore implements LlmUsageStore {
  constructor(private readonly db: Queryable) {}

  async addLlmTokens(workspace: Workspace, day: string, tokens: number): Promise<number> {
    // One statement: concurrent adds from every replica serialise on the row and none is lost.
    const [row] = await this.db.rows<{ tokens: number }>(
      `INSERT INTO llm_token_usage (platform, workspace, day, tokens) VALUES ($1, $2, $3, $4)
       ON CONFLICT (platform, workspace, day) DO UPDATE SET tokens = llm_token_usage.tokens + excluded.tokens
       RETURNING tokens::float8 AS tokens`,
      [workspace.platform, workspace.id, day, tokens],
    );
    return row!.tokens;
  }

  async llmTokensUsed(workspace: Workspace, day: string): Promise<number> {
    const [row] = await this.db.rows<{ tokens: number }>('SELECT tokens::float8 AS tokens FROM llm_token_usage WHERE platform = $1 AND workspace = $2 AND day = $3', [
      workspace.platform,
      workspace.id,
      day,
    ]);
    return row?.tokens ?? 0;
  }
}
