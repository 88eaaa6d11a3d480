import type { Config } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { AdapterDeps, PlatformAdapter } from '../../src/platform.js';
import { DiscordApi } from './api.js';
import { ChannelKinds } from './channel-kinds.js';
import { QueryMemo } from './custom-id.js';
import { KeyedLock } from '../../src/util/keyed-lock.js';
import { GatewayTransport } from './gateway.js';
import { interactionRoute } from './http-route.js';
import { InteractionHandler } from './interactions.js';
import { DiscordPublisher } from './publisher.js';
import { createDiscordRest, type DiscordRestOptions } from './rest.js';
import { ed25519PublicKey } from './signature.js';

export { registerCommands, PAPERS_COMMAND } from './register-commands.js';
export { INTERACTIONS_PATH } from './http-route.js';
export { INVITE_PERMISSIONS } from './limits.js';

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
export function createDiscordAdapter(deps: AdapterDeps, options: DiscordAdapterOptions = {}): DiscordAdapter {
  const { config, logger, clock } = deps;
  const { api, publisher, kinds } = discordClient(config, logger, options.rest);
  const handler = new InteractionHandler({
    api,
    publisher,
    kinds,
    commands: deps.commands,
    store: deps.store,
    summariser: deps.summariser,
    memo: new QueryMemo(),
    locks: new KeyedLock(),
    logger,
    clock,
    deferAfterMs: options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
  });
  const mode = config.DISCORD_PUBLIC_KEY ? 'http' : 'gateway';
  if (config.DISCORD_PUBLIC_KEY) deps.server.add(interactionRoute({ publicKey: ed25519PublicKey(config.DISCORD_PUBLIC_KEY), handler, clock, logger }));
  const gateway = mode === 'gateway' ? new GatewayTransport(config, handler, api, logger) : null;

  return {
    platform: 'discord',
    publisher,
    mode,
    async start() {
      if (gateway) await gateway.start();
      logger.info({ mode }, 'discord adapter ready');
    },
    async stop() {
      await gateway?.stop();
      await handler.idle();
      api.rest.clearHashSweeper();
      api.rest.clearHandlerSweeper();
    },
    idle: () => handler.idle(),
  };
}

/** A publisher alone, for posting without receiving interactions (`paperboy digest --channel discord:…`). */
export function createDiscordPublisher(config: Config, logger: Logger, rest?: DiscordRestOptions): DiscordPublisher {
  return discordClient(config, logger, rest).publisher;
}

function discordClient(config: Config, logger: Logger, restOptions?: DiscordRestOptions) {
  if (!config.DISCORD_TOKEN) throw new UsageError('DISCORD_TOKEN is not set; create a bot token in the Discord Developer Portal (see README).');
  const api = new DiscordApi(createDiscordRest(config, restOptions));
  const kinds = new ChannelKinds();
  return { api, kinds, publisher: new DiscordPublisher(api, kinds, logger) };
}
