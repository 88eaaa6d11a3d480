import { pino, type Logger } from 'pino';
import { SECRET_SETTINGS } from './config.js';

export type { Logger };

/** Structured JSON logs on stderr (stdout belongs to CLI output); secrets are redacted by name. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { app: 'paperboy' },
      redact: { paths: [...SECRET_SETTINGS, 'token', 'authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
