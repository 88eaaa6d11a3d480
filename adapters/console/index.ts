import { z } from 'zod';
import type { PlatformDescriptor } from '../../src/platform.js';

/**
 * The terminal as a platform: what `paperboy start` posts to when no chat platform is configured, so a newcomer
 * sees the product at once. It receives no commands (the command line is its input).
 */
export const consolePlatform: PlatformDescriptor<Record<string, never>> = {
  name: 'console',
  channelId: /^[a-z0-9-]{1,40}$/,
  settings: z.object({}),
  secrets: [],
  enabled: () => false,
  fallback: true,
  async load() {
    const { createConsoleAdapter, ConsolePublisher } = await import('./adapter.js');
    const { styleFor } = await import('./style.js');
    return {
      createAdapter: () => createConsoleAdapter(process.stdout),
      createPublisher: () => new ConsolePublisher(process.stdout, styleFor(process.stdout)),
      checkConnection: async () => ({ state: 'ready', detail: 'the terminal' }),
    };
  },
};
