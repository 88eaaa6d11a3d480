import { z } from 'zod';
import { optionalText } from '../../../src/config-fields.js';
import type { PlatformDescriptor } from '../../../src/platform.js';

export const exampleSettings = z.object({ EXAMPLE_TOKEN: optionalText });
export type ExampleSettings = z.output<typeof exampleSettings>;

/**
 * A third platform, added the way the README says one is: this folder, and one line in a platform list. Nothing
 * in src/ knows its name; settings, channel ids, the adapter and `digest --channel` come from here.
 */
export const examplePlatform: PlatformDescriptor<ExampleSettings> = {
  name: 'example',
  channelId: /^room-[a-z0-9]{1,20}$/,
  settings: exampleSettings,
  secrets: ['EXAMPLE_TOKEN'],
  enabled: (settings) => Boolean(settings.EXAMPLE_TOKEN),
  async load() {
    const example = await import('./adapter.js');
    return {
      createAdapter: (deps, settings) => example.createExampleAdapter(deps, settings),
      createPublisher: (settings) => example.createExamplePublisher(settings),
      checkConnection: async (settings) => (example.serverFor(settings) ? { state: 'ready', detail: 'example chat' } : { state: 'failed', detail: 'EXAMPLE_TOKEN is not a known server' }),
    };
  },
};
