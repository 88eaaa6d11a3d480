import type { ChannelRef } from '../../src/channel.js';
import type { ButtonAction } from '../../src/commands/buttons.js';
import type { ChannelPublisher, PostedMessage } from '../../src/delivery/publisher.js';
import type { Paper } from '../../src/papers/paper.js';
import type { Store } from '../../src/store/store.js';
import type { Summariser } from '../../src/summarise/summariser.js';

/**
 * One platform under the contract suite: the real adapter, composed by createApp, against a fake that speaks the
 * platform's wire format and enforces its limits. Every adapter passes the same cases; what a platform cannot do
 * at all (the terminal has no buttons) it declares here, and those cases are skipped for it, saying so.
 */
export interface ContractTarget {
  name: string;
  can: { receive: boolean; resume: boolean; loseChannels: boolean };
  start(papers: { day: string; papers: Paper[] }): Promise<ContractWorld>;
}

/** What a person sees after pressing or typing: every text of the private answer, as one string to search. */
export interface Answer {
  text: string;
}

export interface ContractWorld {
  store: Store;
  summariser: Summariser;
  /** The adapter's publisher, as the scheduler and `/papers digest` use it. */
  publisher: ChannelPublisher;
  /** A second publisher on the same platform state, as a restarted process would have. */
  restartedPublisher(): Promise<ChannelPublisher>;
  newChannel(): ChannelRef;
  /** A channel that was deleted, or that the bot was removed from. */
  goneChannel(): ChannelRef;
  /** Top-level posts in the channel, each with the paper ids of its thread's messages, as the platform holds them. */
  posts(channel: ChannelRef): { id: string; thread: (string | null)[] }[];
  /** Everything sent to the platform, for the mention check. */
  sentBodies(): unknown[];
  /** Whether a body could ping (`@everyone`, a user or a channel) when the platform shows it. */
  canPing(body: unknown): boolean;
  /** A body that does ping there, so the check above is shown not to be vacuous. */
  pingingBody: unknown;
  /** Requests the fake refused (over a limit, malformed) or did not know: every case expects none. */
  refused(): unknown[];
  /** `/papers <text>` typed in the channel; resolves when the whole answer (direct or deferred) has arrived. */
  command(channel: ChannelRef, text: string): Promise<Answer>;
  /** A button pressed on one of our messages (`item` in the thread of `parent`, or a private answer). */
  press(channel: ChannelRef, where: { parent: PostedMessage; item: string } | 'private', button: ButtonAction): Promise<Answer>;
  close(): Promise<void>;
}
