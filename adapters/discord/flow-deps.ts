import type { ChannelRef } from '../../src/channel.js';
import type { CommandContext } from '../../src/commands/context.js';
import type { Logger } from '../../src/logger.js';
import type { DiscordApi } from './api.js';
import type { InteractionBase } from './inbound.js';
import type { DiscordPublisher } from './publisher.js';

/** What the interaction flows (commands, buttons) share. */
export interface FlowDeps {
  api: DiscordApi;
  commands: CommandContext;
  publisher: DiscordPublisher;
  logger: Logger;
}

export function channelOf(base: InteractionBase): ChannelRef {
  return { platform: 'discord', id: base.channelId };
}
