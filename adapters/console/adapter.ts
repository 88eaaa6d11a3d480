import type { PlatformAdapter } from '../../src/platform.js';
import { ConsolePublisher } from './publisher.js';
import { styleFor } from './style.js';

export { ConsolePublisher };

/** Digests and alerts printed to a stream; nothing to connect, so always ready. */
export function createConsoleAdapter(out: NodeJS.WriteStream): PlatformAdapter {
  return {
    platform: 'console',
    publisher: new ConsolePublisher(out, styleFor(out)),
    start: async () => undefined,
    stop: async () => undefined,
    health: () => ({ state: 'ready', detail: 'the terminal' }),
  };
}
