import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../adapters/index.js';
import { CORE_SETTING_NAMES, ConfigError, parseConfig as parseWith, settingNames, type Config } from '../src/config.js';
import { parseEnvText } from '../src/env-file.js';

/** The settings of the core and of every platform in the adapter list, as `paperboy` reads them. */
const parseConfig = (env: Record<string, string | undefined>) => parseWith(env, PLATFORMS);
const settingsOf = (config: Config, name: string) => config.platforms.find((p) => p.descriptor.name === name)!;

describe('config', () => {
  it('has DESIGN defaults with an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: './data/paperboy.db',
      HF_API_URL: 'https://huggingface.co',
      OPENAI_MODEL: 'gpt-4o-mini',
      DIGEST_CHANNELS: [],
      DIGEST_TIME: '09:00',
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_SIZE: 10,
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      llmEnabled: false,
    });
    expect(settingsOf(config, 'slack')).toMatchObject({ enabled: false, settings: { SLACK_API_URL: 'https://slack.com/api/', SLACK_POST_INTERVAL_MS: 1000 } });
    expect(settingsOf(config, 'discord')).toMatchObject({ enabled: false, settings: { DISCORD_API_URL: 'https://discord.com/api' } });
  });

  it('treats empty strings as unset', () => {
    const config = parseConfig({ PORT: '', SLACK_BOT_TOKEN: '  ', DIGEST_CHANNELS: '' });
    expect(config).toMatchObject({ PORT: 3000, DIGEST_CHANNELS: [] });
    expect(settingsOf(config, 'slack').enabled).toBe(false);
  });

  it('parses channel lists, URLs and switches', () => {
    const config = parseConfig({
      DIGEST_CHANNELS: 'slack:C0123ABCD, discord:123456789012345678',
      HF_API_URL: 'http://127.0.0.1:4000/',
      SLACK_API_URL: 'http://127.0.0.1:4001/api',
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      SLACK_ADMIN_USER_IDS: 'U0123ABCD, W0456EFGH',
    });
    expect(config.DIGEST_CHANNELS).toEqual([
      { platform: 'slack', id: 'C0123ABCD' },
      { platform: 'discord', id: '123456789012345678' },
    ]);
    expect(config.HF_API_URL).toBe('http://127.0.0.1:4000');
    expect(settingsOf(config, 'slack')).toMatchObject({ enabled: true, settings: { SLACK_API_URL: 'http://127.0.0.1:4001/api/', SLACK_ADMIN_USER_IDS: ['U0123ABCD', 'W0456EFGH'] } });
    expect(config).toMatchObject({ llmEnabled: true });
    expect([...config.secrets].sort()).toEqual(['DISCORD_TOKEN', 'HF_TOKEN', 'OPENAI_API_KEY', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  });

  it('names every bad setting in one error and never echoes a secret', () => {
    let caught: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        DIGEST_TIME: '25:00',
        DIGEST_TIMEZONE: 'Mars/Olympus',
        DIGEST_CHANNELS: 'slack:C0123ABCD,teams:42',
        SLACK_BOT_TOKEN: 'xoxp-super-secret-value',
        HF_API_URL: 'not a url',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    for (const name of ['PORT', 'DIGEST_TIME', 'DIGEST_TIMEZONE', 'DIGEST_CHANNELS', 'SLACK_BOT_TOKEN', 'HF_API_URL', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('super-secret');
    expect((caught as ConfigError).problems).toHaveLength(7);
  });

  it('reads ARXIV_CATEGORIES (off when unset) and refuses names arXiv does not have', () => {
    expect(parseConfig({})).toMatchObject({ ARXIV_CATEGORIES: [], ARXIV_API_URL: 'https://export.arxiv.org' });
    const config = parseConfig({ ARXIV_CATEGORIES: ' cs.CL, cs.LG,stat.ML , astro-ph.CO,hep-th,cond-mat.str-el,cs.CL', ARXIV_API_URL: 'http://127.0.0.1:4002/' });
    expect(config.ARXIV_CATEGORIES).toEqual(['cs.CL', 'cs.LG', 'stat.ML', 'astro-ph.CO', 'hep-th', 'cond-mat.str-el']);
    expect(config.ARXIV_API_URL).toBe('http://127.0.0.1:4002');
    for (const [value, named] of [
      ['cs.cl', '"cs.cl": not an arXiv category'],
      ['cs.CL,machine-learning,cs.XYZ', '"machine-learning", "cs.XYZ": not arXiv categories'],
      ['cat:cs.CL', '"cat:cs.CL": not an arXiv category'],
      ['hep', '"hep": not an arXiv category'],
    ] as const) {
      expect(() => parseConfig({ ARXIV_CATEGORIES: value }), value).toThrow(`ARXIV_CATEGORIES names ${named}; use names such as cs.CL, stat.ML, astro-ph.CO or hep-th (case matters)`);
    }
    expect(() => parseConfig({ ARXIV_API_URL: 'export.arxiv.org' })).toThrow(/ARXIV_API_URL/);
  });

  it('reads LLM_DAILY_TOKEN_BUDGET as a positive whole number of tokens; unset is no limit', () => {
    expect(parseConfig({}).LLM_DAILY_TOKEN_BUDGET).toBeUndefined();
    expect(parseConfig({ LLM_DAILY_TOKEN_BUDGET: ' 200000 ' }).LLM_DAILY_TOKEN_BUDGET).toBe(200_000);
    for (const [value, why] of [
      ['0', 'at least 1'],
      ['-5', 'at least 1'],
      ['1.5', 'whole number'],
      ['lots', 'whole number'],
      ['1e300', 'whole number'],
    ] as const) {
      let caught: unknown;
      try {
        parseConfig({ LLM_DAILY_TOKEN_BUDGET: value });
      } catch (error) {
        caught = error;
      }
      expect(caught, value).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).problems, value).toEqual([expect.stringMatching(new RegExp(`^LLM_DAILY_TOKEN_BUDGET .*${why}.*\\(got "${value.replace('.', '\\.')}"\\)$`))]);
    }
  });

  it('.env.example documents every core setting and no setting paperboy does not read', () => {
    const documented = [...parseEnvText(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')).keys()];
    for (const name of CORE_SETTING_NAMES) expect(documented).toContain(name);
    for (const name of documented) expect(settingNames(PLATFORMS)).toContain(name);
  });

  it("every platform's settings are documented, in .env.example or in the platform's own README", () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const platform of PLATFORMS) {
      const readme = new URL(`../adapters/${platform.name}/README.md`, import.meta.url);
      const docs = example + (existsSync(readme) ? readFileSync(readme, 'utf8') : '');
      for (const name of Object.keys(platform.settings.shape)) expect(docs, `${platform.name}: ${name}`).toContain(name);
    }
  });

  it('.env.example parses as a valid configuration', () => {
    const env = Object.fromEntries(parseEnvText(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')));
    expect(() => parseConfig(env)).not.toThrow();
  });

  it('reads .env text with quotes, comments and export', () => {
    const parsed = parseEnvText('# c\nexport A=1\nB="two words"\nC=three # trailing\nD=\'x#y\'\nnot a line\n');
    expect(Object.fromEntries(parsed)).toEqual({ A: '1', B: 'two words', C: 'three', D: 'x#y' });
  });
});
