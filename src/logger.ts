import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr (stdout belongs to CLI output). Values under a secret setting's name (the
 * config's `secrets`) or a token / authorization key are redacted wherever they appear in a logged object.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr, secrets: Iterable<string> = []): Logger {
  return pino(
    {
      level,
      base: { app: 'paperboy' },
      redact: { paths: [...secrets, 'token', 'authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
