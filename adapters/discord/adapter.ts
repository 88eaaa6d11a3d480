import type { DiscordSettings } from './settings.js';
import { errorMessage, PaperboyError, UsageError } from '../../src/errors.js';
import { HealthCell } from '../../src/health.js';
import type { Logger } from '../../src/logger.js';
import type { AdapterDeps, PlatformAdapter } from '../../src/platform.js';
import { DiscordApi } from './api.js';
import { ChannelKinds } from './channel-kinds.js';
import { GatewayTransport } from './gateway-receiver.js';
import { interactionRoute } from './http-receiver.js';
import { RecentKeys } from '../../src/http/recent-keys.js';
import { InteractionHandler } from './dispatch.js';
import { DiscordPublisher } from './publisher.js';
import { createDiscordRest, type DiscordRestOptions } from './client.js';
import { ed25519PublicKey } from './signature.js';
import { discordStartupError } from './startup-error.js';

export { registerCommands, PAPERS_COMMAND } from './register-commands.js';
export { INTERACTIONS_PATH } from './http-receiver.js';
export { INVITE_PERMISSIONS } from './limits.js';
export { checkDiscordConnection } from './check-connection.js';

export interface DiscordAdapterOptions {
  rest?: DiscordRestOptions;
  /** Answer an interaction directly when its work takes less than this; otherwise defer. Default 1500 ms. */
  deferAfterMs?: number;
}

export interface DiscordAdapter extends PlatformAdapter {
  /** `http` when DISCORD_PUBLIC_KEY is set (interactions at POST /discord/interactions), else `gateway`. */
  readonly mode: 'http' | 'gateway';
  /** Resolves when every deferred answer and follow-up in flight has been sent. */
  idle(): Promise<void>;
}

/** Half of Discord's 3 s, leaving room for the network both ways and, in gateway mode, the callback request. */
const DEFAULT_DEFER_AFTER_MS = 1500;

/**
 * The Discord adapter. In HTTP mode its route is added to the shared server here, before the server listens;
 * in gateway mode `start()` connects. Either way interactions reach the same handler.
 */
export function createDiscordAdapter(deps: AdapterDeps, config: DiscordSettings, options: DiscordAdapterOptions = {}): DiscordAdapter {
  const { logger, clock } = deps;
  const { api, publisher, kinds } = discordClient(config, logger, options.rest);
  const handler = new InteractionHandler({
    api,
    publisher,
    kinds,
    recent: new RecentKeys('discord', clock, deps.shared),
    commands: deps.commands,
    logger,
    deferAfterMs: options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
  });
  const mode = config.DISCORD_PUBLIC_KEY ? 'http' : 'gateway';
  if (config.DISCORD_PUBLIC_KEY) deps.server.add(interactionRoute({ publicKey: ed25519PublicKey(config.DISCORD_PUBLIC_KEY), handler, clock, logger }));
  const health = new HealthCell('starting', `${mode} mode`);
  const gateway = mode === 'gateway' ? new GatewayTransport(config, handler, api, logger, (state) => health.set(state, 'gateway mode')) : null;

  return {
    platform: 'discord',
    publisher,
    mode,
    async start() {
      try {
        // HTTP mode has no connection to fail, so the token is checked here or not at all before the first post.
        const application = await api.application().catch((error: unknown) => {
          throw discordStartupError(error, 'GET /applications/@me', config);
        });
        if (config.DISCORD_APPLICATION_ID && application.id !== config.DISCORD_APPLICATION_ID) {
          const line = `DISCORD_APPLICATION_ID=${config.DISCORD_APPLICATION_ID} is not the application of DISCORD_TOKEN (${application.id}); copy both from the same application.`;
          throw new PaperboyError('discord_start_failed', line, { userMessage: line });
        }
        if (gateway) {
          await gateway.start().catch((error: unknown) => {
            throw error instanceof PaperboyError ? error : discordStartupError(error, 'gateway login', config);
          });
        }
        health.set('ready', `${mode} mode`);
        logger.info({ mode, application: application.id }, 'discord adapter ready');
      } catch (error) {
        health.set('failed', errorMessage(error));
        throw error;
      }
    },
    async stop() {
      health.set('stopped', `${mode} mode`);
      await gateway?.stop();
      await handler.idle();
      api.rest.clearHashSweeper();
      api.rest.clearHandlerSweeper();
    },
    idle: () => handler.idle(),
    health: () => health.get(),
  };
}

/** A publisher alone, for posting without receiving interactions (`paperboy digest --channel discord:…`). */
export function createDiscordPublisher(config: DiscordSettings, logger: Logger, rest?: DiscordRestOptions): DiscordPublisher {
  return discordClient(config, logger, rest).publisher;
}

function discordClient(config: DiscordSettings, logger: Logger, restOptions?: DiscordRestOptions) {
  if (!config.DISCORD_TOKEN) throw new UsageError('DISCORD_TOKEN is not set; create a bot token in the Discord Developer Portal (see README).');
  const api = new DiscordApi(createDiscordRest(config, restOptions));
  const kinds = new ChannelKinds();
  return { api, kinds, publisher: new DiscordPublisher(api, kinds, logger) };
}
