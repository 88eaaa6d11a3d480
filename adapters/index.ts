import type { App } from '../src/app.js';
import type { ChannelRef } from '../src/channel.js';
import type { DigestPublisher } from '../src/delivery/publisher.js';
import { UsageError } from '../src/errors.js';
import type { AdapterDeps, PlatformAdapter } from '../src/platform.js';
import { createDiscordAdapter, createDiscordPublisher } from './discord/index.js';
import { createSlackAdapter, createSlackPublisher } from './slack/index.js';

/** The platform adapters `start` runs, chosen by which tokens are configured. */
export function createPlatformAdapters(deps: AdapterDeps): PlatformAdapter[] {
  const adapters: PlatformAdapter[] = [];
  if (deps.config.slackEnabled) adapters.push(createSlackAdapter(deps));
  if (deps.config.discordEnabled) adapters.push(createDiscordAdapter(deps));
  return adapters;
}

/** A publisher for one-off posts (`digest --channel …`), without starting the platform's listener. */
export async function publisherForChannel(app: App, channel: ChannelRef): Promise<DigestPublisher> {
  switch (channel.platform) {
    case 'slack':
      return createSlackPublisher(app.config, app.logger);
    case 'discord':
      return createDiscordPublisher(app.config, app.logger);
    default:
      throw new UsageError(`${channel.platform} is not configured; set its token in .env (see README).`);
  }
}
