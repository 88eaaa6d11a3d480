import type { Database } from 'better-sqlite3';
import type { Summary, SummaryCacheKey } from '../../summarise/summary.js';
import type { SummaryCache } from '../store.js';

export class SqliteSummaryCache implements SummaryCache {
  private readonly get;
  private readonly put;

  constructor(db: Database) {
    this.get = db.prepare('SELECT summary FROM summaries WHERE paper_id = ? AND model = ? AND prompt_hash = ? AND language = ?');
    this.put = db.prepare(`
      INSERT INTO summaries (paper_id, model, prompt_hash, language, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (paper_id, model, prompt_hash, language) DO UPDATE SET summary = excluded.summary, created_at = excluded.created_at`);
  }

  async getSummary(key: SummaryCacheKey): Promise<Summary | null> {
    const row = this.get.get(key.paperId, key.model, key.promptHash, key.language) as { summary: string } | undefined;
    return row ? (JSON.parse(row.summary) as Summary) : null;
  }

  async putSummary(key: SummaryCacheKey, summary: Summary, at: Date): Promise<void> {
    this.put.run(key.paperId, key.model, key.promptHash, key.language, JSON.stringify(summary), at.toISOString());
  }
}
