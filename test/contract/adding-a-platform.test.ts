import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../adapters/index.js';
import { createApp } from '../../src/app.js';
import { ConfigError, parseConfig, settingNames } from '../../src/config.js';
import { ChatServer } from './example-platform/chat-server.js';
import { examplePlatform } from './example-platform/index.js';
import { EXAMPLE_PLATFORMS } from './targets/example.js';

/**
 * Adding a platform is one folder exporting a descriptor plus one line in the adapter list: with nothing else
 * changed, the core reads its settings, keeps its secret out of errors, accepts its channel ids, starts its
 * adapter, posts to its channels and checks its connection.
 */
describe('a third platform: one folder and one line in the list', () => {
  it('is one line: the list is paperboy’s own plus the example', () => {
    expect(EXAMPLE_PLATFORMS).toEqual([...PLATFORMS, examplePlatform]);
    expect(settingNames(EXAMPLE_PLATFORMS)).toContain('EXAMPLE_TOKEN');
  });

  it('its settings, secrets and channel ids are the core’s to check', () => {
    const config = parseConfig({ DATABASE_URL: ':memory:', EXAMPLE_TOKEN: 'tok-secret', DIGEST_CHANNELS: 'example:room-42,slack:C0123ABCD' }, EXAMPLE_PLATFORMS);
    expect(config.DIGEST_CHANNELS).toEqual([{ platform: 'example', id: 'room-42' }, { platform: 'slack', id: 'C0123ABCD' }]);
    expect(config.secrets.has('EXAMPLE_TOKEN')).toBe(true);
    expect(config.platforms.find((p) => p.descriptor.name === 'example')).toMatchObject({ enabled: true, settings: { EXAMPLE_TOKEN: 'tok-secret' } });

    const bad = (() => {
      try {
        parseConfig({ EXAMPLE_TOKEN: '   ', DIGEST_CHANNELS: 'example:Lobby' }, EXAMPLE_PLATFORMS);
      } catch (error) {
        return error;
      }
    })();
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).message).toContain('DIGEST_CHANNELS "example:Lobby" is not platform:id');
    // Without the line in the list, paperboy does not know the platform at all.
    expect(() => parseConfig({ DIGEST_CHANNELS: 'example:room-42' }, PLATFORMS)).toThrow(/not platform:id/);
  });

  it('createApp starts its adapter, posts to its channels and checks its connection', async () => {
    const server = new ChatServer();
    ChatServer.byToken.set('tok-app', server);
    const config = parseConfig({ DATABASE_URL: ':memory:', EXAMPLE_TOKEN: 'tok-app' }, EXAMPLE_PLATFORMS);
    const app = createApp(config);
    try {
      const adapters = await app.adapters();
      expect(adapters.map((adapter) => adapter.platform)).toEqual(['example']);
      await adapters[0]!.start();
      const publisher = await app.publisherFor({ platform: 'example', id: 'room-1' });
      await publisher.postNotice({ platform: 'example', id: 'room-1' }, 'No new papers today.');
      expect(server.messages).toMatchObject([{ room: 'room-1', text: 'No new papers today.' }]);
      const example = config.platforms.find((p) => p.descriptor.name === 'example')!;
      expect(await (await example.descriptor.load()).checkConnection(example.settings, app.logger)).toEqual({ state: 'ready', detail: 'example chat' });
    } finally {
      ChatServer.byToken.delete('tok-app');
      await app.close();
    }
  });
});
