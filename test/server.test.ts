import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../src/commands/handle-command.js';
import { silentLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { HttpServer } from '../src/server.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createSummariser } from '../src/summarise/summariser.js';
import { listingsFor, makePaper } from './support/papers.js';

let server: HttpServer | undefined;
afterEach(async () => server?.close());

async function start() {
  const store = openSqliteStore(':memory:');
  const metrics = createMetrics();
  const clock = () => new Date('2026-05-18T10:00:00Z');
  server = new HttpServer({ store, clock, logger: silentLogger, metrics: () => metrics.render() });
  const { port } = await server.listen(0, '127.0.0.1');
  return { store, metrics, clock, base: `http://127.0.0.1:${port}` };
}

describe('HTTP server', () => {
  it('/healthz reports the store and the age of the last sync', async () => {
    const { store, base } = await start();
    let res = await request(`${base}/healthz`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: 'ok', store: 'ok', lastSyncAt: null, lastSyncAgeSeconds: null });
    await store.saveDay('2026-05-18', listingsFor('2026-05-18', [makePaper({ id: '2605.00001' })]), new Date('2026-05-18T09:00:00Z'));
    res = await request(`${base}/healthz`);
    expect(await res.body.json()).toMatchObject({ status: 'ok', lastSyncAgeSeconds: 3600 });
    await store.close();
    res = await request(`${base}/healthz`);
    expect(res.statusCode).toBe(503);
    expect(await res.body.json()).toMatchObject({ status: 'unavailable', store: 'unreachable' });
  });

  it('/metrics exposes command latency, deliveries, sync and LLM figures in Prometheus text', async () => {
    const { store, metrics, clock, base } = await start();
    const summariser = createSummariser({ config: { llmEnabled: false, OPENAI_MODEL: 'none' }, cache: store, clock });
    await handleCommand(
      { store, summariser, source: { searchPapers: async () => [], getPaper: async () => null }, defaults: { time: '09:00', timeZone: 'UTC', size: 5 }, clock, logger: silentLogger, pageSize: 5, metrics },
      { platform: 'slack', channel: { platform: 'slack', id: 'C0123ABCD' }, userId: 'U1', text: 'help', canAdminister: true },
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
