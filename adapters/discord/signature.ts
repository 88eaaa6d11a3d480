import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; Discord gives the bare 32-byte key as hex. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Requests older (or further in the future) than this are refused, so a captured request can't be replayed later. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export function ed25519PublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters)');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export type SignatureCheck = 'ok' | 'missing' | 'invalid' | 'stale';

/**
 * Discord signs `X-Signature-Timestamp` + raw body with Ed25519 (`X-Signature-Ed25519`, hex). Verified on the
 * exact bytes received, before any parsing.
 */
export function checkSignature(publicKey: KeyObject, signature: string | undefined, timestamp: string | undefined, rawBody: Buffer, now: Date): SignatureCheck {
  if (!signature || !timestamp) return 'missing';
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const valid = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), publicKey, Buffer.from(signature, 'hex'));
  if (!valid) return 'invalid';
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS ? 'stale' : 'ok';
}
