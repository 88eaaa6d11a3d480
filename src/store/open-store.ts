import { errorMessage, PaperboyError } from '../errors.js';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * Opens the store named by DATABASE_URL: `postgres://` or `postgresql://` is a PostgreSQL server (several
 * replicas can share it); anything else is a SQLite file path, optionally written `sqlite:path`.
 */
export function openStore(databaseUrl: string): Store {
  if (POSTGRES_URL.test(databaseUrl)) return openPostgresStore(databaseUrl);
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  try {
    return openSqliteStore(path);
  } catch (error) {
    const line = `DATABASE_URL=${path} could not be opened: ${errorMessage(error)}`;
    throw new PaperboyError('store_open_failed', line, { cause: error, userMessage: line });
  }
}
