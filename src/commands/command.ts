import type { ChannelRef, Platform } from '../channel.js';
import type { Digest } from '../digest/digest.js';
import type { Paper, PaperLinks } from '../papers/paper.js';
import type { ChannelSettings, Subscription } from '../store/store.js';
import type { Summary } from '../summarise/summary.js';

/** A chat command as an adapter hands it to the core: `/papers <text>` in some channel. */
export interface Command {
  platform: Platform;
  channel: ChannelRef;
  userId: string;
  text: string;
  /** Whether this user may change the channel (subscriptions, settings); adapters decide by platform rules. */
  canAdminister: boolean;
  /** Search paging (the *More* button): results to skip. */
  offset?: number;
}

/** `private`: only the asker sees it (Slack ephemeral, Discord flag 64). `channel`: posted for everyone. */
export type Visibility = 'private' | 'channel';

export interface PaperCard {
  paper: Paper;
  links: PaperLinks;
  /** The HF day it was listed on, when known. */
  day: string | null;
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
  | { type: 'subscriptions'; visibility: Visibility; subscriptions: Subscription[] }
  | { type: 'digest'; visibility: 'channel'; digest: Digest }
  | { type: 'settings'; visibility: Visibility; settings: ChannelSettings; changed: boolean }
  | { type: 'help'; visibility: Visibility; entries: HelpEntry[] };
