import type { App } from '../src/app.js';
import type { ChannelRef } from '../src/channel.js';
import type { Config } from '../src/config.js';
import type { ChannelPublisher } from '../src/delivery/publisher.js';
import { UsageError } from '../src/errors.js';
import type { ComponentHealth } from '../src/health.js';
import type { Logger } from '../src/logger.js';
import type { AdapterDeps, PlatformAdapter } from '../src/platform.js';

// Platform modules are imported only when their platform is configured: Bolt and discord.js each take a
// quarter of a second to load, which a terminal preview or a one-shot CLI verb should not pay.

/** The platform adapters `start` runs, chosen by which tokens are configured. */
export async function createPlatformAdapters(deps: AdapterDeps): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  if (deps.config.slackEnabled) adapters.push((await import('./slack/index.js')).createSlackAdapter(deps));
  if (deps.config.discordEnabled) adapters.push((await import('./discord/index.js')).createDiscordAdapter(deps));
  return adapters;
}

/** A publisher for one-off posts (`digest --channel …`), without starting the platform's listener. */
export async function publisherForChannel(app: App, channel: ChannelRef): Promise<ChannelPublisher> {
  switch (channel.platform) {
    case 'slack':
      return (await import('./slack/index.js')).createSlackPublisher(app.config, app.logger);
    case 'discord':
      return (await import('./discord/index.js')).createDiscordPublisher(app.config, app.logger);
    default:
      throw new UsageError(`${channel.platform} is not configured; set its token in .env (see README).`);
  }
}

/** `paperboy doctor`: one health line per configured platform, from a live call with its credentials. */
export async function checkPlatformConnections(config: Config, logger: Logger): Promise<Record<string, ComponentHealth>> {
  const checks: Record<string, ComponentHealth> = {};
  if (config.slackEnabled) checks.slack = await (await import('./slack/check-connection.js')).checkSlackConnection(config, logger);
  if (config.discordEnabled) checks.discord = await (await import('./discord/check-connection.js')).checkDiscordConnection(config);
  return checks;
}
