import { verifySlackRequest } from '@slack/bolt';

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

/** Slack's replay window: a request more than five minutes from our clock is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Slack request signing: Bolt's `verifySlackRequest` checks the `v0=` HMAC-SHA256 of `v0:{timestamp}:{raw body}`
 * with the signing secret, against our injected clock (so Slack's own example is a test vector). Before it, the
 * headers' shape is checked and a timestamp too far in the future is refused like a stale one: Bolt only refuses
 * old ones, and a signature is only good near the moment it was made.
 */
export function checkSlackSignature(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: Buffer, now: Date): SignatureCheck {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return 'missing';
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS) return 'stale';
  try {
    verifySlackRequest({ signingSecret: secret, body: rawBody.toString('utf8'), headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) }, nowMilliseconds: now.getTime() });
    return 'ok';
  } catch {
    return 'mismatch';
  }
}
