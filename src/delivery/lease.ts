import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelRef } from '../channel.js';
import { PaperboyError } from '../errors.js';
import type { DeliveryLedger } from '../store/store.js';
import type { Clock } from '../time.js';

/** Who is posting (this process, across its restarts a new one) and for how long a claim holds without renewal. */
export interface Lease {
  owner: string;
  ms: number;
}

/** This process: host, pid and a random part, so a restarted process never mistakes an old claim for its own. */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** How long a dead process's delivery waits before another takes it over (DELIVERY_LEASE_SECONDS). */
export const DEFAULT_LEASE_MS = 30_000;

export function defaultLease(ms = DEFAULT_LEASE_MS): Lease {
  return { owner: PROCESS_OWNER, ms };
}

let attempts = 0;

/**
 * One attempt's own owner id: two deliveries of the same digest in one process (a sweep and `/papers digest`) are
 * as exclusive as two processes, and a failed attempt's claim is never mistaken for the next one's.
 */
export function attemptOwner(lease: Lease): string {
  return `${lease.owner}/${++attempts}`;
}

/**
 * Keeps a delivery's lease alive while this process posts: renewed every third of the lease, so a wait longer
 * than the lease (a 429's Retry-After, a slow LLM summary) never lets another process take over a live delivery.
 * If another did take it over (this process stalled past the lease), `assertHeld` throws before the next post.
 */
export function holdDelivery(ledger: Pick<DeliveryLedger, 'renewDelivery'>, channel: ChannelRef, key: string, lease: Lease, clock: Clock) {
  let lost = false;
  const renew = async () => {
    const held = await ledger.renewDelivery(channel, key, lease.owner, new Date(clock().getTime() + lease.ms)).catch(() => true);
    if (!held) lost = true;
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(lease.ms / 3)));
  timer.unref();
  return {
    assertHeld(): void {
      if (lost) throw new PaperboyError('delivery_taken_over', `another process took over ${key} in ${channel.platform}:${channel.id}; stopping here`);
    },
    /** Stops renewing; `letGo` also ends the lease now, so the next attempt need not wait for it to run out. */
    async stop(letGo: boolean): Promise<void> {
      clearInterval(timer);
      if (letGo && !lost) await ledger.renewDelivery(channel, key, lease.owner, new Date(0)).catch(() => undefined);
    },
  };
}
