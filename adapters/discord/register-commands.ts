import { Routes } from 'discord.js';
import { z } from 'zod';
import type { DiscordSettings } from './settings.js';
import { PaperboyError, UsageError } from '../../src/errors.js';
import { PAPERS_COMMAND } from './command-definition.js';
import { createDiscordRest, toPaperboyError, type DiscordRestOptions } from './client.js';

export interface RegisterOptions {
  /** Register in one server (instant; good for trying it out) instead of globally. */
  guildId?: string;
  rest?: DiscordRestOptions;
}

export interface RegisterResult {
  scope: 'global' | 'guild';
  guildId: string | null;
  commands: { id: string; name: string }[];
}

const registered = z.array(z.object({ id: z.string(), name: z.string() }));

/**
 * `paperboy register-commands [--guild ID]`: replaces the application's commands with ours in one PUT, so
 * running it again changes nothing (Discord keeps the command's id when its definition is unchanged).
 */
export { PAPERS_COMMAND };

export async function registerCommands(config: Pick<DiscordSettings, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL'>, options: RegisterOptions = {}): Promise<RegisterResult> {
  if (!config.DISCORD_APPLICATION_ID) {
    throw new UsageError('DISCORD_APPLICATION_ID is not set: copy the Application ID from the Discord Developer Portal (General Information) into .env.');
  }
  if (!config.DISCORD_TOKEN) throw new UsageError('DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (Bot) into .env.');
  const guildId = options.guildId?.trim();
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) throw new UsageError(`--guild must be a server id (a number like 123456789012345678), not "${guildId.slice(0, 40)}".`);

  const rest = createDiscordRest(config, options.rest);
  const route = guildId ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, guildId) : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  try {
    const body = await rest.put(route, { body: [PAPERS_COMMAND] });
    const parsed = registered.safeParse(body);
    if (!parsed.success) throw new PaperboyError('discord_bad_response', 'Discord answered the command registration with something unexpected.');
    return { scope: guildId ? 'guild' : 'global', guildId: guildId ?? null, commands: parsed.data.map(({ id, name }) => ({ id, name })) };
  } catch (error) {
    throw toPaperboyError(error, 'register commands');
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
