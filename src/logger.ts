import { pino, type Logger } from 'pino';
import { redactUrlsIn } from './http/redact-url.js';

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
      // A URL's `user:password@` can reach a log inside any message or error (a client library's retry line):
      // it is cut from every string logged, whatever its key.
      formatters: { log: (object) => withoutUrlCredentials(object, 3) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg: unknown) => (typeof arg === 'string' ? redactUrlsIn(arg) : arg));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

function withoutUrlCredentials(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.includes('@') ? redactUrlsIn(value) : value;
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // Still an Error, so pino's serialiser names its type and keeps its own fields (code, cause…).
    const copy = Object.assign(new Error(redactUrlsIn(value.message)), withoutUrlCredentials({ ...value }, depth - 1));
    copy.name = value.name;
    copy.stack = value.stack && redactUrlsIn(value.stack);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => withoutUrlCredentials(item, depth - 1));
  // Plain objects, and pino's serialised errors (own `message`); a Date or a Buffer logs as it is.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null && !Object.hasOwn(value, 'message')) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutUrlCredentials(item, depth - 1)]));
}

export const silentLogger: Logger = pino({ level: 'silent' });
