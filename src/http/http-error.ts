import { PaperboyError } from '../errors.js';

/** Stable codes for every way an outbound JSON call can fail. */
export type HttpErrorCode = 'http_timeout' | 'http_status' | 'http_bad_body' | 'http_network';

const HTTP_CODES = new Set<string>(['http_timeout', 'http_status', 'http_bad_body', 'http_network']);

export function isHttpError(error: unknown, code?: HttpErrorCode): error is PaperboyError {
  return error instanceof PaperboyError && HTTP_CODES.has(error.code) && (code === undefined || error.code === code);
}

export interface HttpErrorDetails {
  service: string;
  /** Path and query only (never the base URL, never headers), shortened for one-line messages. */
  target: string;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
  attempts?: number;
}

/** Builds the one-line error for `code`; the message names the service and target, never a credential. */
export function httpError(code: HttpErrorCode, detail: string, d: HttpErrorDetails): PaperboyError {
  const tries = d.attempts && d.attempts > 1 ? ` (after ${d.attempts} attempts)` : '';
  const target = shorten(d.target, 160);
  const message = oneLine(
    code === 'http_bad_body'
      ? `${d.service} returned a malformed response for ${target}: ${detail}`
      : code === 'http_status'
        ? `${d.service} answered HTTP ${d.status ?? '?'} for ${target}${detail ? `: ${detail}` : ''}${tries}`
        : code === 'http_timeout'
          ? `${d.service} did not answer in time for ${target}: ${detail}${tries}`
          : `Could not reach ${d.service} for ${target}: ${detail}${tries}`,
  );
  return new PaperboyError(code, message, {
    userMessage: userMessage(code, d),
    ...(d.status !== undefined ? { status: d.status } : {}),
    ...(d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
  });
}

/** Same error, restated with how many attempts were made. */
export function withAttempts(error: PaperboyError, d: HttpErrorDetails, detail: string): PaperboyError {
  return httpError(error.code as HttpErrorCode, detail, { ...d, status: error.options.status, retryAfterMs: error.options.retryAfterMs, cause: error.cause });
}

function userMessage(code: HttpErrorCode, d: HttpErrorDetails): string {
  if (d.status === 429) {
    const wait = d.retryAfterMs ? ` in about ${Math.ceil(d.retryAfterMs / 1000)} s` : ' in a few minutes';
    return `${d.service} is rate-limiting requests right now; try again${wait}.`;
  }
  if (code === 'http_bad_body') return `${d.service} sent an answer paperboy could not read.`;
  if (code === 'http_status' && d.status !== undefined && d.status < 500) return `${d.service} refused the request (HTTP ${d.status}).`;
  return `${d.service} is not answering right now; try again in a few minutes.`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
