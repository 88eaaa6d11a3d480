import type { PlatformDescriptor } from '../../src/platform.js';
import { DISCORD_SECRETS, discordSettings, type DiscordSettings } from './settings.js';

/** Discord, as the core sees it: discord.js loads only when `load()` (or `register-commands`) is called. */
export const discordPlatform: PlatformDescriptor<DiscordSettings> = {
  name: 'discord',
  channelId: /^\d{17,20}$/,
  settings: discordSettings,
  secrets: DISCORD_SECRETS,
  enabled: (settings) => Boolean(settings.DISCORD_TOKEN),
  async load() {
    const discord = await import('./adapter.js');
    return {
      createAdapter: (deps, settings, options) => discord.createDiscordAdapter(deps, settings, options as Parameters<typeof discord.createDiscordAdapter>[2]),
      createPublisher: (settings, logger) => discord.createDiscordPublisher(settings, logger),
      checkConnection: (settings) => discord.checkDiscordConnection(settings),
    };
  },
  verbs: [
    {
      name: 'register-commands',
      description: 'register the /papers slash command with Discord (idempotent)',
      options: [{ flags: '--guild <id>', description: 'register in one server only (instant) instead of globally' }],
      async run(settings, options) {
        const { registerCommands } = await import('./register-commands.js');
        const result = await registerCommands(settings, { guildId: typeof options.guild === 'string' ? options.guild : undefined });
        const where = result.scope === 'guild' ? `server ${result.guildId} (available at once)` : 'every server (global commands can take up to an hour to appear)';
        return `Registered ${result.commands.map((c) => `/${c.name}`).join(', ')} for ${where}.`;
      },
    },
  ],
};
