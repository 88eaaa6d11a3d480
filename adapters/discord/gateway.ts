import { once } from 'node:events';
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { Config } from '../../src/config.js';
import { errorMessage } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { DiscordApi } from './api.js';
import { parseInteraction } from './interaction.js';
import type { InteractionHandler } from './interactions.js';

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
    private readonly config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>,
    private readonly handler: InteractionHandler,
    private readonly api: DiscordApi,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: this.config.DISCORD_API_URL, version: '10' } });
    this.client = client;
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => void this.onInteraction(data));
    client.on(Events.Error, (error) => this.logger.error({ err: errorMessage(error) }, 'discord: gateway error'));
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
    await client.login(this.config.DISCORD_TOKEN);
    await ready;
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
