import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_PATH } from '../adapters/slack/adapter.js';

const manifest = readFileSync(new URL('../adapters/slack/manifest.yml', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../adapters/slack/README.md', import.meta.url), 'utf8');
const envExample = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
/** Lines that aren't comments: what Slack reads. */
const live = manifest.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');

describe('the install path documents what the code does', () => {
  it('manifest: /papers and interactivity at the route the adapter mounts, the scopes, the Socket Mode switch', () => {
    expect(live).toMatch(/- command: \/papers\n\s+url: https:\/\/YOUR-HOST\/slack\/events/);
    expect(live).toContain(`request_url: https://YOUR-HOST${EVENTS_PATH}`);
    const scopes = /bot:\n((?:\s+- .+\n)+)/.exec(live)![1]!.match(/- (\S+)/g)!.map((s) => s.slice(2));
    expect(scopes).toEqual(['commands', 'chat:write', 'chat:write.public', 'channels:history', 'groups:history']);
    expect(live).toMatch(/socket_mode_enabled: false/);
  });

  it('README names every Slack setting .env.example has', () => {
    const settings = envExample.match(/^SLACK_[A-Z_]+/gm)!.filter((name) => name !== 'SLACK_API_URL');
    for (const name of settings) expect(readme).toContain(name);
    expect(readme).toContain(EVENTS_PATH);
  });
});
