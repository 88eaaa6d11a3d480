import { Writable } from 'node:stream';
import { ConsolePublisher } from '../../../adapters/console/publisher.js';
import { plainStyle } from '../../../adapters/console/style.js';
import { startCoreHarness } from '../../support/core-harness.js';
import type { ContractTarget } from '../contract-target.js';

/**
 * The terminal: no commands, nothing to read back, no channel to lose; what it must still do is print each digest
 * as its header then its papers in order, and never let third-party text drive the terminal (its "ping").
 */
export const consoleTarget: ContractTarget = {
  name: 'console',
  can: { receive: false, resume: false, loseChannels: false },
  async start({ day, papers }) {
    const core = await startCoreHarness({ env: {} });
    await core.seedDay(day, papers);
    let printed = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        printed += chunk.toString('utf8');
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const publisher = new ConsolePublisher(out, plainStyle);
    const unsupported = () => Promise.reject(new Error('the terminal takes no commands'));
    return {
      store: core.store,
      summariser: core.summariser,
      publisher,
      restartedPublisher: async () => publisher,
      newChannel: () => ({ platform: 'console', id: 'terminal' }),
      goneChannel: () => ({ platform: 'console', id: 'terminal' }),
      posts: () =>
        printed
          .split(/^(?=.*· Hugging Face Daily Papers$)/m)
          .filter((block) => /· Hugging Face Daily Papers$/m.test(block))
          .map((block, index) => ({ id: `digest-${index}`, thread: [...block.matchAll(/https:\/\/huggingface\.co\/papers\/(\d{4}\.\d{4,5})/g)].map((m) => m[1]!) })),
      sentBodies: () => [printed],
      // eslint-disable-next-line no-control-regex
      canPing: (body) => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(String(body)),
      pingingBody: 'title \u001b[2J\u001b]0;owned\u0007',
      refused: () => [],
      command: unsupported,
      press: unsupported,
      close: () => core.close(),
    };
  },
};
