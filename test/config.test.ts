import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, SETTING_NAMES } from '../src/config.js';
import { parseEnvText } from '../src/env-file.js';

describe('config', () => {
  it('has DESIGN defaults with an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: './data/paperboy.db',
      HF_API_URL: 'https://huggingface.co',
      SLACK_API_URL: 'https://slack.com/api/',
      DISCORD_API_URL: 'https://discord.com/api',
      OPENAI_MODEL: 'gpt-4o-mini',
      DIGEST_CHANNELS: [],
      DIGEST_TIME: '09:00',
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_SIZE: 10,
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      llmEnabled: false,
      slackEnabled: false,
      discordEnabled: false,
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', SLACK_BOT_TOKEN: '  ', DIGEST_CHANNELS: '' })).toMatchObject({ PORT: 3000, slackEnabled: false });
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
    expect(config.SLACK_API_URL).toBe('http://127.0.0.1:4001/api/');
    expect(config.SLACK_ADMIN_USER_IDS).toEqual(['U0123ABCD', 'W0456EFGH']);
    expect(config).toMatchObject({ slackEnabled: true, llmEnabled: true });
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

  it('.env.example documents exactly the settings the schema reads', () => {
    const documented = [...parseEnvText(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')).keys()].sort();
    expect(documented).toEqual([...SETTING_NAMES].sort());
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
