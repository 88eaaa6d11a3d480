import { z } from 'zod';
import { baseUrl, optionalText } from '../../src/config-fields.js';

/** Discord's settings, read from the environment with the core's (see .env.example and this folder's README). */
export const discordSettings = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: z.string().trim().regex(/^\d{17,20}$/, 'must be a numeric snowflake').optional(),
  DISCORD_PUBLIC_KEY: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters').optional(),
  DISCORD_API_URL: baseUrl.default('https://discord.com/api'),
});

export type DiscordSettings = z.output<typeof discordSettings>;

export const DISCORD_SECRETS = ['DISCORD_TOKEN'] as const;
