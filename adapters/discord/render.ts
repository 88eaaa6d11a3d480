import type { HelpEntry, PaperCard, Reply } from '../../src/commands/command.js';
import { settingsExtras } from '../../src/commands/settings-text.js';
import { sourceLabel } from '../../src/digest/digest-source.js';
import type { Digest, DigestItem } from '../../src/digest/digest.js';
import type { Paper } from '../../src/papers/paper.js';
import { paperLinks } from '../../src/papers/paper.js';
import type { ChannelSettings, Subscription } from '../../src/store/store.js';
import type { Summary } from '../../src/summarise/summary.js';
import { actionButton, digestItemRows, paperLinkButtons, toRows } from './components.js';
import { encodeButton, paperButtonValue } from '../../src/commands/buttons.js';
import { markdown, plain } from './escape.js';
import { DISCORD_LIMITS as L, EPHEMERAL } from './limits.js';
import { NO_MENTIONS, type DiscordMessage, type Embed } from './message.js';
import { packEmbeds } from './pack.js';
import { formatDayLabel } from '../../src/time.js';
import { abstractEmbed, digestItemEmbed, discussedLink, discussedUrl, EMBED_COLOR, fitLines, paperCardEmbed, summaryEmbed } from './render-paper.js';

/**
 * Pure renderers from core values (Digest, Reply) to Discord message bodies. Layout: a digest is one parent
 * message listing the papers, a thread started from it, and one message per paper in the thread (see README for
 * why one per message). Every body carries `allowed_mentions: {parse: []}`; third-party text is escaped.
 */

/** The parent: a numbered list of linked titles with ▲ counts (refreshed by `updateParent`). */
export function renderDigestParent(digest: Digest): DiscordMessage {
  const n = digest.items.length;
  const pointers = digest.discussed ?? [];
  // Only pointers (an alert whose match this channel already got): one line, no embed and no thread.
  if (n === 0 && pointers.length > 0) {
    const lines = pointers.map((entry) => `💬 Already discussed here: ${linkedTitle(entry.paper, entry.links.huggingFace, 200)} · ${discussedLink(entry.discussed)}`);
    return { content: fitLines(lines.join('\n'), L.content), allowed_mentions: NO_MENTIONS };
  }
  // Compact, so five fit one field: the title links to the earlier thread (to the paper when there is no link).
  const discussed = pointers.map((entry) => `${linkedTitle(entry.paper, discussedUrl(entry.discussed) ?? entry.links.huggingFace, 60)} · ${formatDayLabel(entry.discussed.day)}`);
  return {
    content: `📰 **${markdown(digest.title, 200)}** — ${n} paper${n === 1 ? '' : 's'} from ${sourceLabel(digest.source)}; summaries and links in the thread.`,
    embeds: [
      {
        title: markdown(digest.title, L.embed.title),
        url: digestMarkerUrl(digest),
        color: EMBED_COLOR,
        description: paperList(digest.items) || undefined,
        ...(discussed.length > 0 ? { fields: [{ name: 'Already discussed here', value: fitLines(discussed.join('\n'), L.embed.fieldValue) }] } : {}),
        footer: { text: digestFooter(digest) },
      },
    ],
    allowed_mentions: NO_MENTIONS,
  };
}

function digestFooter(digest: Digest): string {
  if (digest.week) return "The week's top papers by upvotes on Hugging Face Daily Papers; some were posted here before";
  return digest.alreadyReceived > 0 ? `${digest.alreadyReceived} more already posted here earlier` : sourceLabel(digest.source);
}

/**
 * The parent's link: Hugging Face's page for the day (or the week), with the digest key as fragment so that a delivery resumed
 * after a crash can recognise a parent it posted but never recorded.
 */
export function digestMarkerUrl(digest: Digest): string {
  const page = digest.week ? `week/${digest.week.isoWeek}` : `date/${digest.day}`;
  return `https://huggingface.co/papers/${page}#paperboy-${digest.key.replace(/[^A-Za-z0-9:._-]/g, '-')}`;
}

/** Several papers in one threaded message (e.g. late additions): a compact list and a *Summarise* per paper. */
export function renderDigestGroup(heading: string, items: DigestItem[]): DiscordMessage {
  return {
    content: `**${markdown(heading, 300)}**`,
    embeds: [{ color: EMBED_COLOR, description: paperList(items) || 'No papers.' }],
    components: toRows([items.map((item) => actionButton(`Summarise ${item.rank}`, paperButtonValue('summarise', item.paper.id), 1))]),
    allowed_mentions: NO_MENTIONS,
  };
}

/** `1. [Title](link) · ▲ 97` per paper, titles budgeted so even 25 papers fit one description. */
function paperList(items: DigestItem[]): string {
  const titleMax = Math.max(40, Math.min(150, Math.floor(3800 / Math.max(1, items.length)) - 70));
  const lines = items.map((item) => {
    return `${item.rank}. ${linkedTitle(item.paper, item.links.huggingFace, titleMax)} · ▲ ${item.paper.upvotes}`;
  });
  return fitLines(lines.join('\n'), L.embed.description);
}

function linkedTitle(paper: Paper, url: string, max: number): string {
  const title = paper.title.trim() ? markdown(paper.title, max) : `Untitled paper ${paper.id}`;
  return `[${title}](${url})`;
}

export function digestThreadName(digest: Digest): string {
  return plain(digest.title, L.threadName) || `Papers ${digest.day}`;
}

/** One paper in the thread: its embed, link buttons, *Summarise* and *Abstract*. */
export function renderDigestItem(item: DigestItem): DiscordMessage {
  return { embeds: [digestItemEmbed(item)], components: digestItemRows(item.paper.id, item.links), allowed_mentions: NO_MENTIONS };
}

export function renderNotice(text: string): DiscordMessage {
  return { content: markdown(text, L.content), allowed_mentions: NO_MENTIONS };
}

/** The public summary a *Summarise* click posts into the paper's thread. */
export function renderSummaryPost(card: PaperCard, summary: Summary): DiscordMessage {
  return { embeds: [summaryEmbed(card, summary)], components: toRows([paperLinkButtons(card.links)]), allowed_mentions: NO_MENTIONS };
}

export function renderAbstract(paper: Paper): DiscordMessage {
  const links = paperLinks(paper);
  return { embeds: [abstractEmbed(paper, links.huggingFace)], components: toRows([paperLinkButtons(links)]), flags: EPHEMERAL, allowed_mentions: NO_MENTIONS };
}

/** A short text reply (status, refusal, error); `private` replies are ephemeral. */
export function renderText(text: string, visibility: 'private' | 'channel' = 'private'): DiscordMessage {
  return withVisibility({ content: markdown(text, L.content), allowed_mentions: NO_MENTIONS }, visibility);
}

/** A Reply as one or more messages: the first answers the interaction, the rest are follow-ups. */
export function renderReply(reply: Reply): DiscordMessage[] {
  switch (reply.type) {
    case 'message': {
      const icon = reply.tone === 'error' ? '⚠️ ' : reply.tone === 'success' ? '✅ ' : '';
      // Our own message's link, from the publisher (never user text): shown as a link, not embedded.
      const link = reply.link && /^https:\/\/\S+$/.test(reply.link.url) ? ` [${markdown(reply.link.label, 40)}](<${reply.link.url}>)` : '';
      return [withVisibility({ content: `${icon}${markdown(reply.text, L.content - icon.length - link.length)}${link}`, allowed_mentions: NO_MENTIONS }, reply.visibility)];
    }
    case 'papers':
      return renderPapers(reply).map((message) => withVisibility(message, reply.visibility));
    case 'summary':
      return [withVisibility(renderSummaryPost(reply.card, reply.summary), reply.visibility)];
    case 'subscriptions':
      return [withVisibility(renderSubscriptions(reply.subscriptions), reply.visibility)];
    case 'abstract':
      return [withVisibility(renderAbstract(reply.card.paper), reply.visibility)];
    case 'settings':
      return [renderText(settingsText(reply.settings, reply.changed), reply.visibility)];
    case 'help':
      return [withVisibility(renderHelp(reply.entries), reply.visibility)];
  }
}

function renderPapers(reply: Extract<Reply, { type: 'papers' }>): DiscordMessage[] {
  const embeds = reply.cards.map((card, index) => paperCardEmbed(card, reply.offset + index + 1));
  const numbers = reply.cards.map((_, index) => reply.offset + index + 1);
  const more = reply.nextOffset !== null ? encodeButton({ kind: 'more', offset: reply.nextOffset, query: reply.query }, L.customId) : null;
  const components = toRows([
    reply.cards.map((card, index) => actionButton(`Summarise ${numbers[index]}`, paperButtonValue('summarise', card.paper.id), 1)),
    reply.cards.map((card, index) => actionButton(`Abstract ${numbers[index]}`, paperButtonValue('abstract', card.paper.id))),
    reply.cards.map((card, index) => actionButton(`Follow ${numbers[index]}`, paperButtonValue('follow', card.paper.id))),
    more ? [actionButton('More results', more)] : [],
  ]);
  const note = reply.includesRemote ? ' (some from Hugging Face search)' : '';
  const content = `Papers matching “${markdown(reply.query, 200)}”${note}`;
  const groups = packEmbeds(embeds);
  return groups.map((group, index) => ({
    ...(index === 0 ? { content } : {}),
    embeds: group,
    // Buttons go under the last group, after every card they refer to.
    ...(index === groups.length - 1 && components.length > 0 ? { components } : {}),
    allowed_mentions: NO_MENTIONS,
  }));
}

function renderSubscriptions(subscriptions: Subscription[]): DiscordMessage {
  if (subscriptions.length === 0) return { content: 'This channel has no subscriptions yet. Add one with `/papers subscribe <query>`.', allowed_mentions: NO_MENTIONS };
  const lines = subscriptions.map((s) => `**#${s.id}** · ${markdown(s.query, 200)}`);
  const embed: Embed = {
    title: 'Subscriptions in this channel',
    color: EMBED_COLOR,
    description: fitLines(lines.join('\n'), L.embed.description),
    footer: { text: 'Remove one with /papers unsubscribe <id>' },
  };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}

function settingsText(settings: ChannelSettings, changed: boolean): string {
  const state = settings.paused ? 'paused' : `daily at ${settings.time} (${settings.timeZone}), ${settings.size} papers`;
  const extras = [settings.emptyDayNote ? 'a note on days without papers' : '', ...settingsExtras(settings)].filter(Boolean);
  return `${changed ? 'Saved. ' : ''}Digest for this channel: ${[state, ...extras].join('; ')}.`;
}

function renderHelp(entries: HelpEntry[]): DiscordMessage {
  const lines = entries.map((entry) => `\`${entry.usage.replace(/`/g, "'")}\` — ${markdown(entry.description, 300)}`);
  return {
    embeds: [{ title: 'paperboy', color: EMBED_COLOR, description: fitLines(lines.join('\n'), L.embed.description) }],
    allowed_mentions: NO_MENTIONS,
  };
}

function withVisibility(message: DiscordMessage, visibility: 'private' | 'channel'): DiscordMessage {
  return visibility === 'private' ? { ...message, flags: (message.flags ?? 0) | EPHEMERAL } : message;
}
