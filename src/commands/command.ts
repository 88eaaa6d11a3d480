import type { ChannelRef } from '../channel.js';
import type { DiscussedHere } from '../delivery/earlier-post.js';
import type { Paper, PaperLinks } from '../papers/paper.js';
import type { ChannelSettings, Subscription } from '../store/store.js';
import type { Summary } from '../summarise/summary.js';
import type { Workspace } from '../workspace.js';

/**
 * What a person asked for, as an adapter hands it to the core: `/papers <text>`, or a button they pressed.
 * Adapters only translate; every use case (search paging, summarise-in-thread, post-digest-here) is the core's.
 */
export interface Command {
  platform: string;
  channel: ChannelRef;
  userId: string;
  /** The Slack workspace / Discord server it came from: pays for the LLM calls it causes (the daily token budget). */
  workspace: Workspace;
  /** Whether this user may change the channel (subscriptions, settings, posting); adapters decide by platform rules. */
  canAdminister: boolean;
  input: CommandInput;
}

export type CommandInput = { kind: 'text'; text: string } | { kind: 'button'; button: ButtonPress; place: ButtonPlace };

/** A button the core rendered (buttons.ts), decoded back from its platform id/value. */
export type ButtonPress =
  | { kind: 'summarise'; paperId: string }
  | { kind: 'abstract'; paperId: string }
  /** The channel follows the paper: a reply in its thread when its code, models or datasets appear. */
  | { kind: 'follow'; paperId: string }
  | { kind: 'more'; offset: number; query: string }
  /** A *More* button whose long query is saved in the store under `ref`. */
  | { kind: 'saved-more'; offset: number; ref: string }
  /** A *More* button whose saved query is gone. */
  | { kind: 'expired' }
  /** Not a button this version made (an older deployment's, or a forged value). */
  | { kind: 'unknown' };

/** Where the pressed button's message is. */
export interface ButtonPlace {
  /** The thread the message is in, as the platform names it (Slack thread_ts; a Discord thread's channel id). */
  threadId: string | null;
  /** An answer only the presser saw (search results): nothing may be posted for everyone from it. */
  privateMessage: boolean;
}

/** `private`: only the asker sees it (Slack ephemeral, Discord flag 64). `channel`: posted for everyone. */
export type Visibility = 'private' | 'channel';

export interface PaperCard {
  paper: Paper;
  links: PaperLinks;
  /** The HF day it was listed on, when known. */
  day: string | null;
  /** Search results: where this channel already got the paper (its first post there). */
  discussed?: DiscussedHere;
}

export interface HelpEntry {
  usage: string;
  description: string;
}

/** Every string in a Reply is plain text; adapters escape it for their markup. */
export type Reply =
  | {
      type: 'message';
      visibility: Visibility;
      tone: 'info' | 'success' | 'error';
      text: string;
      /** For errors: bad input (`usage`), a remote service down (`unavailable`) or our own fault (`internal`). */
      reason?: 'usage' | 'unavailable' | 'internal';
      /** A message of ours the text refers to ("already in this thread: view it"). */
      link?: { label: string; url: string };
    }
  | {
      type: 'papers';
      visibility: Visibility;
      query: string;
      cards: PaperCard[];
      offset: number;
      /** Offset of the next page, or null when there is none. */
      nextOffset: number | null;
      /** True when some results came from HF search rather than the local index. */
      includesRemote: boolean;
    }
  | { type: 'summary'; visibility: Visibility; card: PaperCard; summary: Summary }
  | { type: 'abstract'; visibility: Visibility; card: PaperCard }
  | { type: 'subscriptions'; visibility: Visibility; subscriptions: Subscription[] }
  | { type: 'settings'; visibility: Visibility; settings: ChannelSettings; changed: boolean }
  | { type: 'help'; visibility: Visibility; entries: HelpEntry[] };
