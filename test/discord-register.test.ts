import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAPERS_COMMAND, registerCommands } from '../adapters/discord/adapter.js';
import { discordSettings } from '../adapters/discord/settings.js';
import { UsageError } from '../src/errors.js';
import { GUILD_ID, startFakeDiscord, type FakeDiscord } from './fakes/discord-api.js';

let discord: FakeDiscord;

beforeEach(async () => {
  discord = await startFakeDiscord();
});

afterEach(async () => {
  expect(discord.unknownRoutes).toEqual([]);
  expect(discord.rejected).toEqual([]);
  await discord.close();
});

const config = () => discordSettings.parse({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.url });

describe('register-commands', () => {
  it('PUTs /papers with one required string option `query`, idempotently', async () => {
    const first = await registerCommands(config());
    const second = await registerCommands(config());

    expect(first.scope).toBe('global');
    expect(second.commands).toEqual(first.commands);
    expect(discord.requests.map((r) => `${r.method} ${r.path}`)).toEqual(Array(2).fill(`PUT /applications/${discord.applicationId}/commands`));
    const [command] = discord.commands();
    expect(discord.commands()).toHaveLength(1);
    expect(command).toMatchObject({ name: 'papers', type: 1 });
    expect(command!.options).toEqual([expect.objectContaining({ type: 3, name: 'query', required: true, autocomplete: true })]);
    expect(command).toMatchObject(JSON.parse(JSON.stringify(PAPERS_COMMAND)));
  });

  it('registers in one server with --guild', async () => {
    const result = await registerCommands(config(), { guildId: GUILD_ID });
    expect(result).toMatchObject({ scope: 'guild', guildId: GUILD_ID, commands: [{ name: 'papers' }] });
    expect(discord.commands(GUILD_ID)).toHaveLength(1);
    expect(discord.commands()).toEqual([]);
  });

  it('explains what is missing without DISCORD_APPLICATION_ID, and refuses a bad guild id', async () => {
    const noApp = discordSettings.parse({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.url });
    await expect(registerCommands(noApp)).rejects.toThrow(UsageError);
    await expect(registerCommands(noApp)).rejects.toThrow(/DISCORD_APPLICATION_ID is not set/);
    await expect(registerCommands(config(), { guildId: 'my-server' })).rejects.toThrow(/--guild must be a server id/);
    expect(discord.requests).toEqual([]);
  });

  it('reports a wrong token as a Discord error, not a crash', async () => {
    const wrong = discordSettings.parse({ DISCORD_TOKEN: 'not-the-token', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.url });
    await expect(registerCommands(wrong)).rejects.toThrow(/register commands: 401: Unauthorized/);
  });
});
