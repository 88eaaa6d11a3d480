/**
 * The daily LLM token count on every back end: adds are atomic (concurrent adds on PostgreSQL run on separate
 * pool connections, as separate replicas' would, and none is lost), and counts are kept apart per platform,
 * workspace and UTC day.
 */
import { describe, expect, it } from 'vitest';
import { EACH_BACKEND, useBackend } from './support/stores.js';

const team = { platform: 'slack', id: 'T0123ABCD' };
const guild = { platform: 'discord', id: '123456789012345678' };

describe.each(EACH_BACKEND)('%s LLM token usage', (_, backend) => {
  const open = useBackend(backend);

  it('starts at 0 and adds up, returning the new count', async () => {
    const store = open();
    expect(await store.llmTokensUsed(team, '2026-05-18')).toBe(0);
    expect(await store.addLlmTokens(team, '2026-05-18', 120)).toBe(120);
    expect(await store.addLlmTokens(team, '2026-05-18', 80)).toBe(200);
    expect(await store.llmTokensUsed(team, '2026-05-18')).toBe(200);
  });

  it('keeps each workspace, platform and day apart', async () => {
    const store = open();
    await store.addLlmTokens(team, '2026-05-18', 500);
    await store.addLlmTokens(guild, '2026-05-18', 7);
    // Same id on another platform is another workspace.
    await store.addLlmTokens({ platform: 'discord', id: team.id }, '2026-05-18', 3);
    expect(await store.llmTokensUsed(team, '2026-05-18')).toBe(500);
    expect(await store.llmTokensUsed(guild, '2026-05-18')).toBe(7);
    expect(await store.llmTokensUsed({ platform: 'discord', id: team.id }, '2026-05-18')).toBe(3);
    expect(await store.llmTokensUsed(team, '2026-05-19')).toBe(0);
  });

  it('loses no add when many land at once', async () => {
    const store = open();
    const totals = await Promise.all(Array.from({ length: 25 }, () => store.addLlmTokens(guild, '2026-05-18', 40)));
    expect(await store.llmTokensUsed(guild, '2026-05-18')).toBe(1000);
    // Every caller saw a distinct running total: each add was applied on top of the others.
    expect(new Set(totals).size).toBe(25);
    expect(Math.max(...totals)).toBe(1000);
  });

  it('counts past 2^31 tokens exactly', async () => {
    const store = open();
    await store.addLlmTokens(team, '2026-05-18', 2 ** 31);
    expect(await store.addLlmTokens(team, '2026-05-18', 5)).toBe(2 ** 31 + 5);
  });
});
