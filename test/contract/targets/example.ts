import { PLATFORMS } from '../../../adapters/index.js';
import { startCoreHarness } from '../../support/core-harness.js';
import type { ContractTarget } from '../contract-target.js';
import type { ExampleAdapter } from '../example-platform/adapter.js';
import { ChatServer } from '../example-platform/chat-server.js';
import { examplePlatform } from '../example-platform/index.js';

/** The example platform: paperboy's adapter list plus one line, composed by createApp like the real ones. */
export const EXAMPLE_PLATFORMS = [...PLATFORMS, examplePlatform];

export const exampleTarget: ContractTarget = {
  name: 'example',
  can: { receive: true, resume: true, loseChannels: true },
  async start({ day, papers }) {
    const server = new ChatServer();
    const token = `example-${Math.random().toString(36).slice(2)}`;
    ChatServer.byToken.set(token, server);
    const core = await startCoreHarness({ env: { EXAMPLE_TOKEN: token }, platforms: EXAMPLE_PLATFORMS });
    await core.seedDay(day, papers);
    const adapter = core.adapters[0] as ExampleAdapter;
    let rooms = 0;
    return {
      store: core.store,
      summariser: core.summariser,
      publisher: adapter.publisher,
      restartedPublisher: () => core.app.publisherFor({ platform: 'example', id: 'room-any' }),
      newChannel: () => ({ platform: 'example', id: `room-${++rooms}` }),
      goneChannel() {
        const id = `room-gone${++rooms}`;
        server.deleteRoom(id);
        return { platform: 'example', id };
      },
      posts: (channel) =>
        server.messages
          .filter((m) => m.room === channel.id && m.thread === null)
          .map((parent) => ({ id: parent.id, thread: server.messages.filter((m) => m.thread === parent.id).map((m) => /\/papers\/(\d{4}\.\d{4,5})/.exec(m.text)?.[1] ?? null) })),
      sentBodies: () => server.messages.map((m) => m.text),
      canPing: (body) => String(body).includes('@room'),
      pingingBody: '@room look',
      refused: () => server.refused,
      command: async (channel, text) => ({ text: await adapter.receive({ room: channel.id, user: 'ada', text }) }),
      press: async (channel, where, button) => {
        const value = button.kind === 'more' ? `more:${button.offset}:q:${button.query}` : `${button.kind === 'summarise' ? 'sum' : 'abs'}:${button.paperId}`;
        const place = where === 'private' ? { thread: null, private: true } : { thread: where.parent.id, private: false };
        return { text: await adapter.receive({ room: channel.id, user: 'ada', button: value, ...place }) };
      },
      async close() {
        ChatServer.byToken.delete(token);
        await core.close();
      },
    };
  },
};
