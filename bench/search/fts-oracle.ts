import Database from 'better-sqlite3';
import type { Paper } from '../../src/papers/paper.js';
import { indexedFields } from '../../src/search/paper-tokens.js';
import { parseQuery } from '../../src/search/parse.js';
import type { QueryTerm } from '../../src/search/query.js';

/**
 * What each channel's subscriptions match among `papers`, decided by SQLite's FTS5 engine: the papers' normalised
 * text in an in-memory FTS5 table and one MATCH per distinct query, written here from the parsed terms. It shares
 * the grammar and the normaliser with the index (they define what a match is) and none of its matching code.
 * Subscriptions are grouped by `key` (a channel, or the subscription itself): key → matched paper ids, sorted,
 * space-separated; keys without a match are left out.
 */
export function ftsOracle(subscriptions: readonly { key: string; query: string }[], papers: readonly Paper[]): Map<string, string> {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE oracle USING fts5(title, keywords, abstract, authors, tokenize = 'unicode61 remove_diacritics 0 tokenchars ''_''')`);
  const insert = db.prepare('INSERT INTO oracle (rowid, title, keywords, abstract, authors) VALUES (?, ?, ?, ?, ?)');
  papers.forEach((paper, i) => {
    const fields = indexedFields(paper);
    insert.run(i, fields.title, fields.keywords, fields.abstract, fields.authors);
  });
  const select = db.prepare('SELECT rowid FROM oracle WHERE oracle MATCH ?').pluck();
  const phrase = (term: QueryTerm) => `${term.field === 'author' ? 'authors : ' : ''}"${term.tokens.join(' ')}"`;
  const byText = new Map<string, number[]>();
  const byKey = new Map<string, Set<string>>();
  for (const subscription of subscriptions) {
    let rows = byText.get(subscription.query);
    if (!rows) {
      const parsed = parseQuery(subscription.query);
      const clauses = parsed.ok ? parsed.query.clauses.filter((clause) => clause.length > 0) : [];
      rows = [];
      if (parsed.ok && clauses.length > 0) {
        const positive = clauses.map((clause) => `(${clause.map(phrase).join(' OR ')})`).join(' AND ');
        const excluded = parsed.query.excluded;
        rows = select.all(excluded.length ? `(${positive}) NOT (${excluded.map(phrase).join(' OR ')})` : positive) as number[];
      }
      byText.set(subscription.query, rows);
    }
    if (rows.length === 0) continue;
    const ids = byKey.get(subscription.key) ?? new Set<string>();
    for (const row of rows) ids.add(papers[row]!.id);
    byKey.set(subscription.key, ids);
  }
  db.close();
  return new Map([...byKey].map(([key, ids]) => [key, [...ids].sort().join(' ')]));
}
