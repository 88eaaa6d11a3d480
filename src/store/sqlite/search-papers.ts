// Placeholder until the search back end lands.
import type { Database } from 'better-sqlite3';
import type { ParsedQuery } from '../../search/query.js';
import type { SearchOptions } from '../store.js';

export interface RankedRow {
  rowid: number;
  score: number;
}

export function searchPaperRows(_db: Database, _query: ParsedQuery, _options: SearchOptions): RankedRow[] {
  return [];
}
