import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

/** Slack's replay window: a request more than five minutes from our clock is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Slack request signing (DESIGN §6): `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing
 * secret. The clock is injected so the check is testable with Slack's own example; timestamps too far in the
 * future are refused like stale ones (a signature is only good near the moment it was made).
 */
export function checkSlackSignature(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: Buffer, now: Date): SignatureCheck {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return 'missing';
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS) return 'stale';
  const expected = Buffer.from(signSlackRequest(secret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'mismatch';
}

export function signSlackRequest(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}
