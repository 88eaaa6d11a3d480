/**
 * What processes sharing one store coordinate through, on every back end: the delivery ledger's leases (one
 * owner posts at a time, a dead owner's claim is taken over, a completed one never again) and the
 * CoordinationStore (named leases, keys seen once, spaced send slots). Concurrent calls go through one store
 * here; on PostgreSQL they run on separate pool connections, as separate processes' would.
 */
import { describe, expect, it } from 'vitest';
import { EACH_BACKEND, useBackend } from './support/stores.js';

const slack = { platform: 'slack' as const, id: 'C0123ABCD' };
const key = 'daily:2026-05-18';
const t0 = new Date('2026-05-18T09:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

describe.each(EACH_BACKEND)('%s delivery leases', (_, backend) => {
  const open = useBackend(backend);

  it('one owner holds a delivery; another is refused until the lease runs out, then takes it over', async () => {
    const store = open();
    const first = await store.acquireDelivery(slack, key, 'p1', t0, after(30_000));
    expect(first).toMatchObject({ acquired: true, created: true, record: { owner: 'p1', leaseUntil: after(30_000), completedAt: null } });

    // Held: p2 is refused while p1's lease runs, and learns who holds it.
    const refused = await store.acquireDelivery(slack, key, 'p2', after(10_000), after(40_000));
    expect(refused).toMatchObject({ acquired: false, created: false, record: { owner: 'p1', leaseUntil: after(30_000) } });

    // p1 renews as it goes; the claim is still p1's after its first lease would have ended.
    expect(await store.renewDelivery(slack, key, 'p1', after(60_000))).toBe(true);
    expect((await store.acquireDelivery(slack, key, 'p2', after(45_000), after(75_000))).acquired).toBe(false);
    expect((await store.getDelivery(slack, key))?.leaseUntil).toEqual(after(60_000));

    // p1 dies: once its lease has run out, p2 takes the claim over (same row, same claim time).
    const takenOver = await store.acquireDelivery(slack, key, 'p2', after(61_000), after(91_000));
    expect(takenOver).toMatchObject({ acquired: true, created: false, record: { owner: 'p2', leaseUntil: after(91_000), claimedAt: t0 } });

    // p1 comes back: it can neither renew nor re-acquire while p2's lease runs.
    expect(await store.renewDelivery(slack, key, 'p1', after(120_000))).toBe(false);
    expect((await store.acquireDelivery(slack, key, 'p1', after(62_000), after(92_000))).acquired).toBe(false);
    expect((await store.getDelivery(slack, key))?.owner).toBe('p2');

    // Completing clears owner and lease; nobody acquires or renews a completed delivery, however late.
    await store.completeDelivery(slack, key, after(70_000));
    expect(await store.getDelivery(slack, key)).toMatchObject({ owner: null, leaseUntil: null, completedAt: after(70_000) });
    expect(await store.renewDelivery(slack, key, 'p2', after(200_000))).toBe(false);
    expect((await store.acquireDelivery(slack, key, 'p2', after(71_000), after(101_000))).acquired).toBe(false);
    expect((await store.acquireDelivery(slack, key, 'p3', after(3_600_000), after(3_630_000))).acquired).toBe(false);
    expect(await store.incompleteDeliveries(slack)).toEqual([]);
  });

  it('the same owner re-acquires its own claim and extends it', async () => {
    const store = open();
    await store.acquireDelivery(slack, key, 'p1', t0, after(30_000));
    const again = await store.acquireDelivery(slack, key, 'p1', after(5_000), after(35_000));
    expect(again).toMatchObject({ acquired: true, created: false, record: { owner: 'p1', leaseUntil: after(35_000) } });
  });

  it('keeps frozen positions and the claim across a take-over, and lists it as incomplete until done', async () => {
    const store = open();
    await store.acquireDelivery(slack, key, 'p1', t0, after(30_000));
    await store.recordIntents(slack, key, ['2605.00003', '2605.00001', '2605.00002'], t0);
    await store.recordPosted(slack, key, '2605.00003', 'm3', after(1_000));
    await store.acquireDelivery(slack, key, 'p2', after(31_000), after(61_000));
    // A resumed run re-records its intents: known papers keep their place, a new one goes last.
    await store.recordIntents(slack, key, ['2605.00001', '2605.00004'], after(32_000));
    await store.recordPosted(slack, key, '2605.00009', 'm9', after(33_000));
    const [incomplete] = await store.incompleteDeliveries();
    expect(incomplete).toMatchObject({ key, owner: 'p2', claimedAt: t0 });
    expect([...incomplete!.papers]).toEqual([
      ['2605.00003', 'm3'],
      ['2605.00001', null],
      ['2605.00002', null],
      ['2605.00004', null],
      ['2605.00009', 'm9'],
    ]);
    expect(await store.receivedPaperIds(slack, ['2605.00001', '2605.00003', '2605.00009'])).toEqual(new Set(['2605.00003', '2605.00009']));
  });

  it('a released delivery is claimed afresh', async () => {
    const store = open();
    await store.acquireDelivery(slack, key, 'p1', t0, after(30_000));
    await store.completeDelivery(slack, key, after(1_000));
    await store.releaseDelivery(slack, key);
    expect(await store.acquireDelivery(slack, key, 'p2', after(2_000), after(32_000))).toMatchObject({ acquired: true, created: true, record: { owner: 'p2', papers: new Map() } });
  });

  it('of owners racing for a new delivery, exactly one gets it', async () => {
    const store = open();
    const owners = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const results = await Promise.all(owners.map((owner) => store.acquireDelivery(slack, key, owner, t0, after(30_000))));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.acquired)!.record.owner;
    expect(results.every((r) => r.record.owner === winner)).toBe(true);
  });

  it('of owners racing to take over an expired claim, exactly one gets it', async () => {
    const store = open();
    await store.acquireDelivery(slack, key, 'dead', t0, after(30_000));
    const owners = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const results = await Promise.all(owners.map((owner) => store.acquireDelivery(slack, key, owner, after(31_000), after(61_000))));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    expect((await store.getDelivery(slack, key))?.owner).toBe(results.find((r) => r.acquired)!.record.owner);
  });
});

describe.each(EACH_BACKEND)('%s coordination', (_, backend) => {
  const open = useBackend(backend);

  it('a named lease is held by one owner until it expires or is released', async () => {
    const store = open();
    expect(await store.acquireLease('sync', 'a', t0, after(60_000))).toBe(true);
    expect(await store.acquireLease('sync', 'b', after(1_000), after(61_000))).toBe(false);
    expect(await store.acquireLease('sync', 'a', after(2_000), after(62_000))).toBe(true);
    expect(await store.acquireLease('other', 'b', after(2_000), after(62_000))).toBe(true);
    // Expired: b takes it, and a is refused from then on.
    expect(await store.acquireLease('sync', 'b', after(63_000), after(123_000))).toBe(true);
    expect(await store.acquireLease('sync', 'a', after(64_000), after(124_000))).toBe(false);
    // Only the owner releases.
    await store.releaseLease('sync', 'a');
    expect(await store.acquireLease('sync', 'c', after(65_000), after(125_000))).toBe(false);
    await store.releaseLease('sync', 'b');
    expect(await store.acquireLease('sync', 'c', after(66_000), after(126_000))).toBe(true);
  });

  it('of processes racing for a free lease, exactly one gets it', async () => {
    const store = open();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.acquireLease('sync', owner, t0, after(60_000))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('marks a key seen the first time only, and forgets it once expired', async () => {
    const store = open();
    expect(await store.markSeen('slack:req-1', t0, after(60_000))).toBe(true);
    expect(await store.markSeen('slack:req-1', after(1_000), after(61_000))).toBe(false);
    expect(await store.markSeen('slack:req-2', after(1_000), after(61_000))).toBe(true);
    expect(await store.markSeen('slack:req-1', after(59_000), after(119_000))).toBe(false);
    // Expired: forgotten, so a new sighting is a first one again.
    expect(await store.markSeen('slack:req-1', after(61_000), after(121_000))).toBe(true);
    expect(await store.markSeen('slack:req-1', after(62_000), after(122_000))).toBe(false);
  });

  it('of replicas seeing one key at once, exactly one sees it first', async () => {
    const store = open();
    const results = await Promise.all(Array.from({ length: 5 }, () => store.markSeen('slack:retry', t0, after(60_000))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('spaces send slots intervalMs apart across callers, per key', async () => {
    const store = open();
    const at = t0.getTime();
    expect(await store.reserveSlot('slack:C1', 1_000, t0)).toBe(at);
    expect(await store.reserveSlot('slack:C1', 1_000, t0)).toBe(at + 1_000);
    expect(await store.reserveSlot('slack:C1', 1_000, after(500))).toBe(at + 2_000);
    expect(await store.reserveSlot('slack:C2', 1_000, after(500))).toBe(at + 500);
    // Long after the reserved slots: the sender goes at once.
    expect(await store.reserveSlot('slack:C1', 1_000, after(10_000))).toBe(at + 10_000);
  });

  it('hands concurrent senders distinct slots, one interval apart', async () => {
    const store = open();
    const slots = await Promise.all(Array.from({ length: 5 }, () => store.reserveSlot('slack:C1', 1_000, t0)));
    expect([...slots].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4].map((i) => t0.getTime() + i * 1_000));
  });

  it('admits a burst, then one per interval, telling the refused how long to wait; a refusal costs nothing', async () => {
    const store = open();
    // Burst 3, one more every 10 s.
    const admitted = [];
    for (let i = 0; i < 4; i++) admitted.push(await store.admit('cmd:u1', 10_000, 3, t0));
    expect(admitted).toEqual([0, 0, 0, 10_000]);
    // Refused again and again: the wait only shrinks with time (refusals don't push it further out).
    expect(await store.admit('cmd:u1', 10_000, 3, after(4_000))).toBe(6_000);
    expect(await store.admit('cmd:u1', 10_000, 3, after(4_000))).toBe(6_000);
    expect(await store.admit('cmd:u1', 10_000, 3, after(10_000))).toBe(0);
    expect(await store.admit('cmd:u1', 10_000, 3, after(10_000))).toBe(10_000);
    // Another key has its own budget; after a long quiet spell the whole burst is back.
    expect(await store.admit('cmd:u2', 10_000, 3, after(10_000))).toBe(0);
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await store.admit('cmd:u1', 10_000, 3, after(120_000)));
    expect(later).toEqual([0, 0, 0, 10_000]);
  });

  it('admits exactly the burst from concurrent callers', async () => {
    const store = open();
    const waits = await Promise.all(Array.from({ length: 8 }, () => store.admit('cmd:u1', 10_000, 5, t0)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });
});
