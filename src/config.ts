import { z } from 'zod';
import { parseChannelRef, type ChannelRef } from './channel.js';
import { isValidTimeZone, parseClockTime } from './time.js';

/** Settings whose values must never appear in logs or error messages. */
export const SECRET_SETTINGS = new Set([
  'HF_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DISCORD_TOKEN',
  'OPENAI_API_KEY',
]);

const optionalText = z.string().trim().min(1).optional();
const baseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const schema = z.object({
  DATABASE_URL: z.string().trim().min(1).default('./data/paperboy.db'),
  HF_API_URL: baseUrl.default('https://huggingface.co'),
  HF_TOKEN: optionalText,

  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must start with xoxb-').optional(),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must start with xapp-').optional(),
  // Bolt's WebClient expects the trailing slash.
  SLACK_API_URL: baseUrl.default('https://slack.com/api').transform((url) => `${url}/`),
  SLACK_ADMIN_USER_IDS: z
    .string()
    .trim()
    .transform((list) => list.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids like U0123ABCD')))
    .optional(),
  // Slack's own pace for chat.postMessage is about one message per second per channel; only a Slack-compatible
  // test server (the crash and CLI tests) has reason to set another.
  SLACK_POST_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),

  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: z.string().trim().regex(/^\d{17,20}$/, 'must be a numeric snowflake').optional(),
  DISCORD_PUBLIC_KEY: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters').optional(),
  DISCORD_API_URL: baseUrl.default('https://discord.com/api'),

  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: baseUrl.optional(),
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),

  DIGEST_CHANNELS: z
    .string()
    .trim()
    .transform((list, ctx) => {
      const refs: ChannelRef[] = [];
      for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
        const ref = parseChannelRef(item);
        if (ref) refs.push(ref);
        else ctx.addIssue({ code: 'custom', message: `"${item}" is not platform:id (slack:C0123 or discord:123…)` });
      }
      return refs;
    })
    .default([]),
  DIGEST_TIME: z
    .string()
    .trim()
    .refine((v) => parseClockTime(v) !== null, 'must be HH:MM (24-hour)')
    .default('09:00'),
  DIGEST_TIMEZONE: z.string().trim().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  DIGEST_SIZE: z.coerce.number().int().min(1).max(25).default(10),
  SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  LATE_RECHECK_HOURS: z.coerce.number().min(0).max(23).default(6),

  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.output<typeof schema>;

export interface Config extends RawConfig {
  /** The LLM summariser is on when a key or a custom (e.g. local) endpoint is configured. */
  llmEnabled: boolean;
  slackEnabled: boolean;
  discordEnabled: boolean;
}

/** All setting names, for docs tests (`.env.example` must list exactly these). */
export const SETTING_NAMES = Object.keys(schema.shape) as (keyof RawConfig)[];

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`Invalid settings: ${problems.join('; ')}`);
  }
}

/** Pure: reads only the env it is given. Empty strings count as unset. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'settings');
      const shown = SECRET_SETTINGS.has(name) || input[name] === undefined ? '' : ` (got ${JSON.stringify(truncate(input[name]!))})`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const raw = result.data;
  return {
    ...raw,
    llmEnabled: Boolean(raw.OPENAI_API_KEY || raw.OPENAI_BASE_URL),
    slackEnabled: Boolean(raw.SLACK_BOT_TOKEN),
    discordEnabled: Boolean(raw.DISCORD_TOKEN),
  };
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
