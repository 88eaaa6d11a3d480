import { z } from 'zod';
import { channelRefParser, type ChannelRef } from './channel.js';
import { baseUrl, optionalText } from './config-fields.js';
import { redactCredentials } from './http/redact-url.js';
import { isArxivCategory, splitCategories } from './papers/arxiv-category.js';
import type { PlatformDescriptor } from './platform.js';
import { isValidTimeZone, parseClockTime } from './time.js';

/** The core's settings whose values must never appear in logs or error messages; platforms declare their own. */
const CORE_SECRETS = ['HF_TOKEN', 'OPENAI_API_KEY'] as const;

const coreSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).default('./data/paperboy.db'),
  HF_API_URL: baseUrl.default('https://huggingface.co'),
  HF_TOKEN: optionalText,
  // A second source of papers, for subscriptions and search only; unset leaves it off.
  ARXIV_CATEGORIES: z
    .string()
    .transform(splitCategories)
    .superRefine((names, ctx) => {
      const bad = names.filter((name) => !isArxivCategory(name));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `names ${bad.map((name) => `"${truncate(name)}"`).join(', ')}: not ${bad.length === 1 ? 'an arXiv category' : 'arXiv categories'}; use names such as cs.CL, stat.ML, astro-ph.CO or hep-th (case matters)` });
    })
    .default([]),
  ARXIV_API_URL: baseUrl.default('https://export.arxiv.org'),

  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: baseUrl.optional(),
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  // Tokens each workspace (Slack team, Discord server) may spend on LLM summaries per UTC day; unset = no limit.
  LLM_DAILY_TOKEN_BUDGET: z.coerce
    .number({ error: 'must be a whole number of tokens' })
    .int('must be a whole number of tokens')
    .min(1, 'must be at least 1 (leave it unset for no limit)')
    .optional(),

  // Parsed into channel refs below, once the platforms (and so their id patterns) are known.
  DIGEST_CHANNELS: z.string().trim().default(''),
  DIGEST_TIME: z
    .string()
    .trim()
    .refine((v) => parseClockTime(v) !== null, 'must be HH:MM (24-hour)')
    .default('09:00'),
  DIGEST_TIMEZONE: z.string().trim().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  DIGEST_SIZE: z.coerce.number().int().min(1).max(25).default(10),
  SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  LATE_RECHECK_HOURS: z.coerce.number().min(0).max(23).default(6),
  // How long a delivery claimed by a process that then died waits before another process takes it over.
  DELIVERY_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(30),

  // Each person's commands and button presses, across replicas; 0 turns the limit off.
  COMMANDS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(10),

  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type CoreSettings = Omit<z.output<typeof coreSchema>, 'DIGEST_CHANNELS'>;

/** A known platform with its settings read: `enabled` when its token is set. */
export interface ConfiguredPlatform<Settings = unknown> {
  descriptor: PlatformDescriptor<Settings>;
  settings: Settings;
  enabled: boolean;
}

export interface Config extends CoreSettings {
  DIGEST_CHANNELS: ChannelRef[];
  /** The LLM summariser is on when a key or a custom (e.g. local) endpoint is configured. */
  llmEnabled: boolean;
  /** Every known platform, configured or not, in the adapter list's order. */
  platforms: ConfiguredPlatform[];
  /** Names of every setting (core and platforms) whose value is secret. */
  secrets: ReadonlySet<string>;
}

/** The core's setting names; `settingNames(platforms)` adds every platform's. */
export const CORE_SETTING_NAMES = Object.keys(coreSchema.shape);

export function settingNames(platforms: readonly PlatformDescriptor[]): string[] {
  return [...CORE_SETTING_NAMES, ...platforms.flatMap((platform) => Object.keys(platform.settings.shape))];
}

export function secretSettings(platforms: readonly PlatformDescriptor[]): Set<string> {
  return new Set([...CORE_SECRETS, ...platforms.flatMap((platform) => platform.secrets)]);
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`Invalid settings: ${problems.join('; ')}`);
  }
}

/**
 * Pure: reads only the env it is given, for the core and every platform in `platforms`. Empty strings count as
 * unset. Every bad setting is named in one ConfigError; secret values are never quoted.
 */
export function parseConfig(env: Record<string, string | undefined>, platforms: readonly PlatformDescriptor[] = []): Config {
  const secrets = secretSettings(platforms);
  const problems: string[] = [];
  const read = <T>(schema: z.ZodObject<z.ZodRawShape> & z.ZodType<T>): T | null => {
    const input: Record<string, string> = {};
    for (const name of Object.keys(schema.shape)) {
      const value = env[name];
      if (value !== undefined && value.trim() !== '') input[name] = value;
    }
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'settings');
      // A URL's `user:password@` is a secret too, even in a setting that isn't one.
      const shown = secrets.has(name) || input[name] === undefined ? '' : ` (got ${JSON.stringify(truncate(redactCredentials(input[name]!)))})`;
      problems.push(`${name} ${issue.message}${shown}`);
    }
    return null;
  };

  const core = read(coreSchema);
  const configured = platforms.map((descriptor) => ({ descriptor, settings: read(descriptor.settings) }));
  // Checked even when other settings failed, so one run names every bad setting.
  const channels = digestChannels(env.DIGEST_CHANNELS ?? '', platforms, problems);
  if (!core || problems.length > 0) throw new ConfigError(problems);
  return {
    ...core,
    DIGEST_CHANNELS: channels,
    llmEnabled: Boolean(core.OPENAI_API_KEY || core.OPENAI_BASE_URL),
    platforms: configured.map(({ descriptor, settings }) => ({ descriptor, settings, enabled: descriptor.enabled(settings) })),
    secrets,
  };
}

/** The enabled platform named `name`, if any. */
export function enabledPlatform(config: Config, name: string): ConfiguredPlatform | undefined {
  return config.platforms.find((platform) => platform.enabled && platform.descriptor.name === name);
}

function digestChannels(list: string, platforms: readonly PlatformDescriptor[], problems: string[]): ChannelRef[] {
  const parse = channelRefParser(platforms);
  const refs: ChannelRef[] = [];
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const ref = parse(item);
    if (ref) refs.push(ref);
    else problems.push(`DIGEST_CHANNELS "${truncate(item)}" is not platform:id (${platforms.map((p) => `${p.name}:…`).join(', ') || 'no platforms known'})`);
  }
  return refs;
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
