import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { ComponentHealth } from '../src/health.js';
import { afterEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../src/commands/handle-command.js';
import { silentLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { HttpServer, type HttpServerDeps } from '../src/server.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { listingsFor, makePaper } from './support/papers.js';
import { ThreadPublisher } from './support/thread-publisher.js';

let server: HttpServer | undefined;
const stores: SqliteStore[] = [];
afterEach(async () => {
  await server?.close();
  for (const store of stores.splice(0)) await store.close();
});

async function start(path = ':memory:', components: Pick<HttpServerDeps, 'adapters' | 'services'> = {}) {
  const store = openSqliteStore(path);
  stores.push(store);
  const metrics = createMetrics();
  const clock = () => new Date('2026-05-18T10:00:00Z');
  server = new HttpServer({ store, clock, logger: silentLogger, metrics: () => metrics.render(), ...components });
  const { port } = await server.listen(0, '127.0.0.1');
  return { store, metrics, clock, base: `http://127.0.0.1:${port}` };
}

describe('HTTP server', () => {
  it('/healthz reports the store and the age of the last sync', async () => {
    const { store, base } = await start();
    let res = await request(`${base}/healthz`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: 'ok', store: { state: 'ready', detail: 'in memory' }, adapters: {}, lastSyncAt: null, lastSyncAgeSeconds: null });
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001' })]), new Date('2026-05-18T09:00:00Z'));
    res = await request(`${base}/healthz`);
    expect(await res.body.json()).toMatchObject({ status: 'ok', lastSyncAgeSeconds: 3600 });
    await store.close();
    res = await request(`${base}/healthz`);
    expect(res.statusCode).toBe(503);
    expect(await res.body.json()).toMatchObject({ status: 'unavailable', store: { state: 'failed', detail: 'store is closed' } });
  });

  it('a store file overwritten or deleted under the running process is not "ok"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-health-'));
    const path = join(dir, 'paperboy.db');
    const { base, store } = await start(path);
    expect((await request(`${base}/healthz`)).statusCode).toBe(200);
    // At rest, as SQLite's automatic checkpoints leave it: the WAL holds no newer copy of the damaged pages.
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    // The open connection keeps answering from its page cache; the probe must read the file as a restart would.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 0);
    closeSync(fd);
    let res = await request(`${base}/healthz`);
    expect(res.statusCode).toBe(503);
    expect(await res.body.json()).toMatchObject({ status: 'unavailable', store: { state: 'failed', detail: expect.stringContaining('not a database') } });
    expect((await request(`${base}/readyz`)).statusCode).toBe(503);

    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    res = await request(`${base}/healthz`);
    expect(res.statusCode).toBe(503);
    expect(await res.body.json()).toMatchObject({ store: { state: 'failed', detail: expect.stringContaining('is missing') } });
  });

  it('/healthz and /readyz report each adapter: ready only when all are, unhealthy only when one failed', async () => {
    const states: Record<string, ComponentHealth> = { slack: { state: 'starting', detail: 'http mode' }, discord: { state: 'ready', detail: 'gateway mode' } };
    const { base } = await start(':memory:', { adapters: () => states, services: () => ({ llm: { state: 'failed', detail: 'OPENAI_BASE_URL=http://x is unreachable' } }) });

    let ready = await request(`${base}/readyz`);
    expect(ready.statusCode).toBe(503);
    expect(await ready.body.json()).toEqual({ ready: false, waiting: ['slack: starting (http mode)'] });
    let health = await request(`${base}/healthz`);
    expect(health.statusCode).toBe(200);
    // The LLM is reported but never fails a probe: summaries fall back without it.
    expect(await health.body.json()).toMatchObject({ status: 'ok', adapters: states, llm: { state: 'failed' } });

    states.slack = { state: 'ready', detail: 'http mode' };
    ready = await request(`${base}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toEqual({ ready: true, waiting: [] });

    states.discord = { state: 'failed', detail: 'Discord rejected DISCORD_TOKEN' };
    health = await request(`${base}/healthz`);
    expect(health.statusCode).toBe(503);
    expect(await health.body.json()).toMatchObject({ status: 'unavailable', adapters: { discord: { state: 'failed' } } });
    expect((await request(`${base}/readyz`)).statusCode).toBe(503);
  });

  it('/metrics exposes command latency, deliveries, sync and LLM figures in Prometheus text', async () => {
    const { store, metrics, clock, base } = await start();
    const summariser = createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock });
    await handleCommand(
      { store, summariser, source: { searchPapers: async () => [], getPaper: async () => null, paperArtifacts: async () => null }, defaults: { time: '09:00', timeZone: 'UTC', size: 5 }, clock, logger: silentLogger, pageSize: 5, metrics },
      { platform: 'slack', channel: { platform: 'slack', id: 'C0123ABCD' }, userId: 'U1', workspace: { platform: 'slack', id: 'T0123ABCD' }, canAdminister: true, input: { kind: 'text', text: 'help' } },
      new ThreadPublisher('slack'),
    );
    metrics.digestsPosted.inc({ platform: 'slack', kind: 'daily' });
    metrics.postsFailed.inc({ platform: 'discord', reason: 'channel_unavailable' });
    const res = await request(`${base}/metrics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = await res.body.text();
    expect(text).toContain('paperboy_command_latency_seconds_count{platform="slack",verb="help"} 1');
    expect(text).toContain('paperboy_digests_posted_total{platform="slack",kind="daily"} 1');
    expect(text).toContain('paperboy_posts_failed_total{platform="discord",reason="channel_unavailable"} 1');
    for (const name of ['paperboy_sync_duration_seconds', 'paperboy_llm_calls_total', 'paperboy_llm_tokens_total', 'paperboy_summary_cache_hits_total']) expect(text).toContain(name);
  });

  it('answers unknown routes 404 and wrong methods 405', async () => {
    const { base } = await start();
    expect((await request(`${base}/nope`)).statusCode).toBe(404);
    expect((await request(`${base}/healthz`, { method: 'POST' })).statusCode).toBe(405);
  });
});
