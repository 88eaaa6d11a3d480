import type { Summary, SummaryCacheKey } from '../../summarise/summary.js';
import type { SummaryCache } from '../store.js';
import type { Queryable } from './database.js';

export class PostgresSummaryCache implements SummaryCache {
  constructor(private readonly db: Queryable) {}

  async getSummary(key: SummaryCacheKey): Promise<Summary | null> {
    // `json` arrives parsed; what was stored is a Summary this module wrote.
    const [row] = await this.db.rows<{ summary: Summary }>('SELECT summary FROM summaries WHERE paper_id = $1 AND model = $2 AND prompt_hash = $3 AND language = $4', [
      key.paperId,
      key.model,
      key.promptHash,
      key.language,
    ]);
    return row?.summary ?? null;
  }

  async putSummary(key: SummaryCacheKey, summary: Summary, at: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO summaries (paper_id, model, prompt_hash, language, summary, created_at) VALUES ($1, $2, $3, $4, $5::json, $6)
       ON CONFLICT (paper_id, model, prompt_hash, language) DO UPDATE SET summary = excluded.summary, created_at = excluded.created_at`,
      [key.paperId, key.model, key.promptHash, key.language, JSON.stringify(summary), at],
    );
  }
}
