import type { HelpEntry, PaperCard, Reply } from '../../src/commands/command.js';
import { settingsExtras } from '../../src/commands/settings-text.js';
import { ADMIN_REFUSAL } from '../../src/commands/replies.js';
import type { Paper, PaperLinks } from '../../src/papers/paper.js';
import type { ChannelSettings, Subscription } from '../../src/store/store.js';
import type { Summary } from '../../src/summarise/summary.js';
import { actions, button, context, fitBlocks, section, type Block, type SlackMessage } from './blocks.js';
import { encodeButton } from '../../src/commands/buttons.js';
import { ACTION } from './button-values.js';
import { inline, mrkdwn, mrkdwnChunks, mrkdwnLink, safeUrl } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import { fallback } from './render-digest.js';
import { byline, cardContext, displayTitle, paperButtons, stats, summaryLines, summarySource, titleLine } from './render-paper.js';

/** Pure: Reply values (and the adapter's own short answers) to ephemeral or in-channel Slack messages. */

export interface ReplyMessage extends SlackMessage {
  responseType: 'ephemeral' | 'in_channel';
}

export interface ReplyContext {
  /** SLACK_ADMIN_USER_IDS, named in the refusal so people know whom to ask. */
  admins?: string[];
}

const TONE_ICON = { info: '', success: ':white_check_mark: ', error: ':warning: ' } as const;

export function renderReply(reply: Reply, ctx: ReplyContext = {}): ReplyMessage {
  const responseType = reply.visibility === 'channel' ? 'in_channel' : 'ephemeral';
  switch (reply.type) {
    case 'message': {
      const refusal = reply.tone === 'error' && reply.text === ADMIN_REFUSAL && ctx.admins?.length;
      const admins = refusal ? [`Ask one of this workspace's paperboy admins: ${ctx.admins!.slice(0, 10).map((id) => `<@${id}>`).join(', ')}`] : [];
      const url = reply.link ? safeUrl(reply.link.url, SLACK_LIMITS.url) : null;
      const link = url ? ` ${mrkdwnLink(url, reply.link!.label, 40)}` : '';
      return { responseType, text: fallback(reply.text), blocks: fitBlocks([section([`${TONE_ICON[reply.tone]}${mrkdwn(reply.text, 2700)}${link}`]), context(admins)]) };
    }
    case 'papers':
      return { responseType, ...renderPapers(reply) };
    case 'summary':
      return { responseType, ...renderSummary(reply.card, reply.summary, { buttons: true }) };
    case 'subscriptions':
      return { responseType, ...renderSubscriptions(reply.subscriptions) };
    case 'abstract':
      return { responseType, ...renderAbstract(reply.card.paper, reply.card.links) };
    case 'settings':
      return { responseType, ...renderSettings(reply.settings, reply.changed) };
    case 'help':
      return { responseType, ...renderHelp(reply.entries) };
  }
}

/** Search results: one section per paper with its buttons, and *More* when there is a next page. */
function renderPapers(reply: Extract<Reply, { type: 'papers' }>): SlackMessage {
  const first = reply.offset + 1;
  const last = reply.offset + reply.cards.length;
  const heading = `*Papers matching “${mrkdwn(inline(reply.query), 300)}”*${reply.offset > 0 || reply.nextOffset !== null ? `  (${first}–${last})` : ''}`;
  // Three blocks a paper while they fit in 50 with the heading and More; two (no buttons) past that.
  const withButtons = reply.cards.length * 3 + 3 <= SLACK_LIMITS.blocksPerMessage;
  const blocks: (Block | null)[] = [section([heading])];
  reply.cards.forEach((card, index) => {
    blocks.push(section([titleLine(card.paper, card.links, { rank: first + index }), byline(card.paper)]));
    blocks.push(context(cardContext(card)));
    if (withButtons) blocks.push(actions(paperButtons(card.paper, card.links, { summarise: true, abstract: true, follow: true, links: false })));
  });
  const notes = reply.includesRemote ? ['Some results come from Hugging Face search.'] : [];
  const more = reply.nextOffset !== null ? button({ text: 'More results', actionId: ACTION.more, value: encodeButton({ kind: 'more', offset: reply.nextOffset, query: reply.query }, SLACK_LIMITS.buttonValue) }) : null;
  const tail = [context(notes), more ? actions([more]) : null];
  const kept = fitBlocks([...blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 2), ...tail]);
  const titles = reply.cards.map((card) => displayTitle(card.paper)).join(' · ');
  return { text: fallback(`Papers matching “${reply.query}”: ${titles}`), blocks: kept };
}

/** A summary: the paper, the full summary, where it came from. `buttons` adds Abstract and links. */
export function renderSummary(card: PaperCard, summary: Summary, options: { buttons: boolean }): SlackMessage {
  const { paper, links } = card;
  return {
    text: fallback(`Summary: ${displayTitle(paper)}`),
    blocks: fitBlocks([
      section([titleLine(paper, links), byline(paper)]),
      section(summaryLines(summary, { full: true })),
      context([stats(paper), summarySource(summary)]),
      options.buttons ? actions(paperButtons(paper, links, { summarise: false, abstract: true, links: true })) : null,
    ]),
  };
}

/** The full abstract, split over as many sections as it needs (within 50 blocks). */
export function renderAbstract(paper: Paper, links: PaperLinks): SlackMessage {
  const chunks = paper.abstract.trim() ? mrkdwnChunks(paper.abstract, SLACK_LIMITS.sectionText, SLACK_LIMITS.blocksPerMessage - 2) : ['_No abstract available._'];
  return {
    text: fallback(`Abstract: ${displayTitle(paper)}`),
    blocks: fitBlocks([section([titleLine(paper, links), byline(paper)]), ...chunks.map((chunk) => section([chunk]))]),
  };
}

function renderSubscriptions(subscriptions: Subscription[]): SlackMessage {
  if (subscriptions.length === 0) {
    return { text: 'No subscriptions here yet.', blocks: [section(['No subscriptions here yet. Add one with `/papers subscribe &lt;query&gt;`.'])!] };
  }
  const lines = subscriptions.map((s) => `\`#${s.id}\`  ${mrkdwn(inline(s.query), 300)}`);
  const blocks: (Block | null)[] = [section([`*This channel's subscriptions* (${subscriptions.length})`])];
  // Several sections when the list is longer than one may hold.
  for (let i = 0; i < lines.length; i += 8) blocks.push(section(lines.slice(i, i + 8)));
  blocks.push(context(['Remove one with `/papers unsubscribe &lt;id&gt;`.']));
  return { text: fallback(`${subscriptions.length} subscriptions`), blocks: fitBlocks(blocks) };
}

function renderSettings(settings: ChannelSettings, changed: boolean): SlackMessage {
  const state = settings.paused ? 'paused' : `daily at ${settings.time} (${settings.timeZone}), ${settings.size} paper${settings.size === 1 ? '' : 's'}`;
  const note = [settings.emptyDayNote ? 'a short note on days without papers' : '', ...settingsExtras(settings)].filter(Boolean).map((part) => `; ${part}`).join('');
  const text = `${changed ? ':white_check_mark: Saved. ' : ''}Digest here: *${mrkdwn(state, 300)}*${note}.`;
  return { text: fallback(`${changed ? 'Saved. ' : ''}Digest here: ${state}${note}.`), blocks: fitBlocks([section([text]), changed ? null : context(['Change it with `/papers settings time 08:30 tz Europe/Berlin size 5` (or `off` / `on`); a weekly digest with `weekly mon 09:00`.'])]) };
}

function renderHelp(entries: HelpEntry[]): SlackMessage {
  const lines = entries.map((entry) => `*${mrkdwn(entry.usage, 200)}*\n${mrkdwn(entry.description, 400)}`);
  return { text: 'paperboy: how to use /papers', blocks: fitBlocks([section(['*paperboy* posts trending ML papers from Hugging Face.']), section(lines)]) };
}

/** The first answer to slow work (an LLM summary, a Hugging Face search): the rest comes via response_url. */
export function renderWorking(what: string): ReplyMessage {
  return { responseType: 'ephemeral', text: fallback(`${what}…`), blocks: [section([`:hourglass_flowing_sand: ${mrkdwn(what, 500)}…`])!] };
}

export function renderText(text: string, responseType: ReplyMessage['responseType'] = 'ephemeral'): ReplyMessage {
  return { responseType, text: fallback(text), blocks: fitBlocks([section([mrkdwn(text, 2900)])]) };
}
