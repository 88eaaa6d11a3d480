import type { ChannelRef } from '../../src/channel.js';
import type { CommandContext } from '../../src/commands/context.js';
import type { Logger } from '../../src/logger.js';
import type { Store } from '../../src/store/store.js';
import type { SummaryProvider } from '../../src/summarise/port.js';
import type { Clock } from '../../src/time.js';
import type { DiscordApi } from './api.js';
import type { QueryMemo } from './custom-id.js';
import type { InteractionBase } from './interaction.js';
import type { DiscordPublisher } from './publisher.js';
import type { KeyedLock } from '../../src/util/keyed-lock.js';

/** What the interaction flows (commands, buttons) share. */
export interface FlowDeps {
  api: DiscordApi;
  commands: CommandContext;
  store: Store;
  summariser: SummaryProvider;
  publisher: DiscordPublisher;
  memo: QueryMemo;
  locks: KeyedLock;
  logger: Logger;
  clock: Clock;
}

export function channelOf(base: InteractionBase): ChannelRef {
  return { platform: 'discord', id: base.channelId };
}
