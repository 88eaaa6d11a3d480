import { once } from 'node:events';
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { DiscordSettings } from './settings.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { DiscordApi } from './api.js';
import { parseInteraction } from './inbound.js';
import type { InteractionHandler } from './dispatch.js';

const READY_TIMEOUT_MS = 30_000;

/**
 * Gateway mode: a discord.js Client with the Guilds intent only (interactions need no privileged intents).
 * It listens for the gateway's INTERACTION_CREATE dispatch, the event discord.js turns into `interactionCreate`,
 * because that raw payload is the very JSON the HTTP endpoint receives: both transports share one parser and
 * one handler. Answers go back through the REST callback route.
 */
export class GatewayTransport {
  private client: Client | null = null;

  constructor(
    private readonly config: Pick<DiscordSettings, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>,
    private readonly handler: InteractionHandler,
    private readonly api: DiscordApi,
    private readonly logger: Logger,
    /** Told when the connection drops (discord.js reconnects by itself), comes back, or is refused for good. */
    private readonly onState: (state: 'ready' | 'reconnecting' | 'failed') => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: this.config.DISCORD_API_URL, version: '10' } });
    this.client = client;
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => void this.onInteraction(data));
    client.on(Events.Error, (error) => this.logger.error({ err: errorMessage(error) }, 'discord: gateway error'));
    client.on(Events.ShardDisconnect, () => this.onState('reconnecting'));
    client.on(Events.ShardReconnecting, () => this.onState('reconnecting'));
    client.on(Events.ShardResume, () => this.onState('ready'));
    client.on(Events.ShardReady, () => this.onState('ready'));
    client.on(Events.Invalidated, () => this.onState('failed'));
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) }).catch(() => {
      throw new PaperboyError('discord_start_failed', `Discord's gateway did not say READY within ${READY_TIMEOUT_MS / 1000} s; check the network (wss to gateway.discord.gg).`);
    });
    try {
      // Both at once, so a login that fails leaves no READY wait pending behind it.
      await Promise.all([client.login(this.config.DISCORD_TOKEN), ready]);
    } catch (error) {
      await client.destroy().catch(() => undefined);
      this.client = null;
      throw error;
    }
    this.logger.info({ user: client.user?.id }, 'discord: connected to the gateway');
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.destroy();
  }

  private async onInteraction(data: unknown): Promise<void> {
    const interaction = parseInteraction(data);
    if (!interaction || interaction.kind === 'ping') {
      this.logger.warn('discord: ignored a gateway interaction that did not validate');
      return;
    }
    const { id, token } = interaction.base;
    try {
      await this.handler.handle(interaction, (response) => this.api.respond(id, token, response));
    } catch (error) {
      this.logger.error({ err: errorMessage(error), interaction: id }, 'discord: answering a gateway interaction failed');
    }
  }
}
