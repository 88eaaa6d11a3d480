import type { Digest, DigestItem } from '../../src/digest/digest.js';
import { actions, button, context, fitBlocks, header, section, type SlackMessage } from './blocks.js';
import { paperButtonValue } from '../../src/commands/buttons.js';
import { sourceLabel } from '../../src/digest/digest-source.js';
import { ACTION } from './button-values.js';
import { inline, mrkdwn } from './escape.js';
import { FALLBACK_TEXT_MAX } from './limits.js';
import { byline, discussedLink, displayTitle, paperButtons, stats, summaryLines, titleLine } from './render-paper.js';

/** Pure: Digest values to Slack messages — the parent, one thread reply per paper, a compact group, a notice. */

/** "Trending papers · Tue 12 May" (or the week's top papers and their dates), the top titles, a pointer to the thread. */
export function renderDigestParent(digest: Digest): SlackMessage {
  const count = digest.items.length;
  const discussed = (digest.discussed ?? []).map((entry) => `${titleLine(entry.paper, entry.links, { max: 150 })}  ${discussedLink(entry.discussed)}`);
  // Only pointers (an alert whose match this channel already got): one line, no header, no thread to follow.
  if (count === 0 && discussed.length > 0) {
    const first = digest.discussed![0]!;
    return { text: fallback(`Already discussed here: ${displayTitle(first.paper)}`), blocks: fitBlocks([section(discussed.map((line) => `Already discussed here: ${line}`))]) };
  }
  const lines = digest.items.map((item) => `${titleLine(item.paper, item.links, { rank: item.rank, max: 150 })}  ▲ ${Math.round(item.paper.upvotes)}`);
  const what = digest.week ? `The week's top ${count} by upvotes, some posted here before` : `${count} paper${count === 1 ? '' : 's'}`;
  const note = [`${what} · ${sourceLabel(digest.source)} · details in the thread`];
  if (digest.alreadyReceived > 0) note.push(`${digest.alreadyReceived}${discussed.length > 0 ? ' more' : ''} already posted here earlier`);
  const first = digest.items[0];
  const teaser = first ? `: ${displayTitle(first.paper)}${count > 1 ? ` and ${count - 1} more` : ''}` : '';
  return {
    text: fallback(`${inline(digest.title)}${teaser}`),
    blocks: fitBlocks([header(digest.title), section(lines), discussed.length > 0 ? section(['*Already discussed here*', ...discussed]) : null, context(note)]),
  };
}

/** One paper as a thread reply: linked title, authors, ▲ upvotes, comments, code ★, short summary, buttons. */
export function renderDigestItem(item: DigestItem): SlackMessage {
  const { paper, links } = item;
  const matched = item.matchedSubscription ? `matches “${mrkdwn(inline(item.matchedSubscription), 200)}”` : '';
  return {
    text: fallback(`${item.rank}. ${displayTitle(paper)}`),
    blocks: fitBlocks([
      section([titleLine(paper, links, { rank: item.rank }), byline(paper)]),
      context([stats(paper), matched]),
      section(summaryLines(item.summary, { full: false })),
      actions(paperButtons(paper, links, { summarise: true, abstract: true, follow: true, links: true })),
    ]),
  };
}

/** Several papers in one reply (late additions): one section per paper with a Summarise button beside it. */
export function renderDigestGroup(heading: string, items: DigestItem[]): SlackMessage {
  const blocks = [section([`*${mrkdwn(inline(heading), 300)}*`])];
  for (const item of items) {
    const summarise = button({ text: 'Summarise', actionId: ACTION.summarise, value: paperButtonValue('summarise', item.paper.id) });
    blocks.push(section([titleLine(item.paper, item.links, { max: 300 }), `${byline(item.paper)}  ·  ${stats(item.paper)}`], summarise ?? undefined));
  }
  return { text: fallback(`${inline(heading)}: ${items.map((item) => displayTitle(item.paper)).join(' · ')}`), blocks: fitBlocks(blocks) };
}

export function renderNotice(text: string): SlackMessage {
  return { text: fallback(inline(text)), blocks: fitBlocks([section([mrkdwn(text, 2900)])]) };
}

/** The fallback `text` is mrkdwn too (notifications render it), so it is escaped like everything else. */
export function fallback(text: string): string {
  return mrkdwn(text, FALLBACK_TEXT_MAX) || 'paperboy';
}
