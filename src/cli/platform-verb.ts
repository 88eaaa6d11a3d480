import type { PlatformDescriptor, PlatformVerb } from '../platform.js';
import { loadConfig } from './runtime.js';

/** A platform's own verb, with that platform's settings from the environment. */
export async function runPlatformVerb(platform: PlatformDescriptor, verb: PlatformVerb<unknown>, options: Record<string, unknown>): Promise<void> {
  const config = loadConfig();
  const settings = config.platforms.find((configured) => configured.descriptor === platform)!.settings;
  process.stdout.write(`${await verb.run(settings, options)}\n`);
}
