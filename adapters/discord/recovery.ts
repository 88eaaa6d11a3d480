import type { Digest } from '../../src/digest/digest.js';
import type { DiscordApi, ListedMessage } from './api.js';
import { paperButtonValue } from '../../src/commands/buttons.js';
import { digestMarkerUrl } from './render.js';
import { summaryMarkerUrl } from './render-paper.js';

/**
 * Crash recovery for the delivery ledger: when a process died between Discord accepting a post and the ledger
 * recording it, these read the channel back to find what landed. Only the bot's own messages count; a parent
 * is recognised by its embed link (which names the digest key), a paper by its *Summarise* button's custom_id.
 * Reading needs Read Message History; the last 100 messages cover any digest (≤ 25 papers plus summaries).
 */
export async function findParentMessage(api: DiscordApi, channelId: string, digest: Digest): Promise<ListedMessage | null> {
  const me = await api.botUserId();
  const marker = digestMarkerUrl(digest);
  const messages = await api.listMessages(channelId);
  return messages.find((m) => m.author.id === me && m.embeds.some((embed) => embed.url === marker)) ?? null;
}

export async function findItemMessages(api: DiscordApi, channelId: string, after: string, paperIds: string[]): Promise<Map<string, string>> {
  const me = await api.botUserId();
  const wanted = new Map(paperIds.map((id) => [paperButtonValue('summarise', id), id]));
  const found = new Map<string, string>();
  // Oldest first (snowflakes grow with time), so a paper posted twice maps to its first message.
  const messages = (await api.listMessages(channelId, { after })).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const message of messages) {
    if (message.author.id !== me) continue;
    for (const row of message.components) {
      for (const button of row.components) {
        const paperId = button.custom_id ? wanted.get(button.custom_id) : undefined;
        if (paperId && !found.has(paperId)) found.set(paperId, message.id);
      }
    }
  }
  return found;
}

/** The bot's summary of `paperId` in a thread (its embed links to the paper's page with `#summary`), if any. */
export async function findSummaryMessage(api: DiscordApi, channelId: string, paperId: string): Promise<string | null> {
  const me = await api.botUserId();
  const marker = summaryMarkerUrl(paperId);
  const messages = await api.listMessages(channelId);
  return messages.find((m) => m.author.id === me && m.embeds.some((embed) => embed.url === marker))?.id ?? null;
}
