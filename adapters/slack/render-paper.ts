import type { PaperCard } from '../../src/commands/command.js';
import { untranslatedNote } from '../../src/summarise/language.js';
import { discussedLabel, type DiscussedHere } from '../../src/delivery/earlier-post.js';
import type { Paper, PaperLinks } from '../../src/papers/paper.js';
import type { Summary } from '../../src/summarise/summary.js';
import { formatDayLabel } from '../../src/time.js';
import { button, type ButtonElement } from './blocks.js';
import { paperButtonValue } from '../../src/commands/buttons.js';
import { ACTION } from './button-values.js';
import { inline, mrkdwn, mrkdwnLink, plainText, safeUrl } from './escape.js';
import { SLACK_LIMITS } from './limits.js';

/** The pieces of a paper every Slack message shows, as mrkdwn already escaped and cut. */

const MAX_AUTHORS = 3;

/** A title to show: an empty one falls back to the id, so a link never has an empty label. */
export function displayTitle(paper: Paper): string {
  return inline(paper.title) || `arXiv ${paper.id}`;
}

/** `*<https://huggingface.co/papers/ID|Title>*`, with an optional rank in front. */
export function titleLine(paper: Paper, links: PaperLinks, options: { rank?: number; max?: number } = {}): string {
  const label = displayTitle(paper);
  const url = safeUrl(links.huggingFace, SLACK_LIMITS.url);
  const title = url ? `*${mrkdwnLink(url, label, options.max ?? 500)}*` : `*${mrkdwn(label, options.max ?? 500)}*`;
  return options.rank === undefined ? title : `${options.rank}. ${title}`;
}

/** "Ada Lovelace, Alan Turing, Grace Hopper +297 · Org", each name cut so 300 authors stay one short line. */
export function byline(paper: Paper): string {
  const names = paper.authors.map((name) => inline(name)).filter(Boolean);
  const shown = names.slice(0, MAX_AUTHORS).map((name) => plainText(name, 60));
  const authors = names.length > MAX_AUTHORS ? `${shown.join(', ')} +${names.length - MAX_AUTHORS}` : shown.join(', ');
  const organization = paper.organization ? plainText(inline(paper.organization), 80) : '';
  return mrkdwn([authors, organization].filter(Boolean).join(' · '), 400);
}

/** "▲ 123 · 💬 4 · ★ 1,234" — numbers only, nothing third-party. */
export function stats(paper: Paper): string {
  const parts = [`▲ ${count(paper.upvotes)}`];
  if (paper.comments > 0) parts.push(`💬 ${count(paper.comments)}`);
  if (paper.githubStars !== null && safeUrl(paper.githubRepo, SLACK_LIMITS.url)) parts.push(`★ ${count(paper.githubStars)}`);
  return parts.join('  ·  ');
}

export function cardContext(card: PaperCard, extra: string[] = []): string[] {
  return [stats(card.paper), card.day ? `listed ${dayLabel(card.day)}` : '', card.discussed ? discussedLink(card.discussed) : '', ...extra];
}

/** "Discussed here Mon 18 May", linked to the earlier thread when Slack gave a permalink. */
export function discussedLink(discussed: DiscussedHere): string {
  const label = discussedLabel(discussed);
  const url = safeUrl(discussed.url, SLACK_LIMITS.url);
  return url ? `:speech_balloon: ${mrkdwnLink(url, label, 100)}` : `:speech_balloon: ${mrkdwn(label, 100)}`;
}

/** Day labels repeat across every search answer; formatting one builds an Intl formatter, so keep a few. */
const dayLabels = new Map<string, string>();
function dayLabel(day: string): string {
  let label = dayLabels.get(day);
  if (label === undefined) {
    label = formatDayLabel(day);
    if (dayLabels.size >= 1000) dayLabels.clear();
    dayLabels.set(day, label);
  }
  return label;
}

/** The summary as lines: TL;DR, key points, why it matters — each cut, together within one section. */
export function summaryLines(summary: Summary, options: { full: boolean }): string[] {
  const lines = [mrkdwn(inline(summary.tldr), options.full ? 1200 : 700)];
  if (!options.full) return lines;
  for (const point of summary.keyPoints.slice(0, 8)) lines.push(`• ${mrkdwn(inline(point), 400)}`);
  if (summary.whyItMatters) lines.push(`_Why it matters:_ ${mrkdwn(inline(summary.whyItMatters), 600)}`);
  return lines;
}

export function summarySource(summary: Summary): string {
  if (summary.source === 'llm') return `Summary by ${mrkdwn(summary.model ?? 'an LLM', 100)}`;
  const note = untranslatedNote(summary);
  return `${summary.source === 'hf' ? "Hugging Face's AI summary" : 'Key sentences of the abstract'}${note ? ` · ${note}` : ''}`;
}

export interface PaperButtonOptions {
  summarise: boolean;
  abstract: boolean;
  /** *Follow*: the channel gets a reply when the paper's code, models or datasets appear. */
  follow?: boolean;
  links: boolean;
}

/** Summarise / Abstract / Follow plus link buttons; action ids are distinct, as Slack requires within a block. */
export function paperButtons(paper: Paper, links: PaperLinks, options: PaperButtonOptions): ButtonElement[] {
  const buttons = [
    options.summarise ? button({ text: 'Summarise', actionId: ACTION.summarise, value: paperButtonValue('summarise', paper.id), style: 'primary' }) : null,
    options.abstract ? button({ text: 'Abstract', actionId: ACTION.abstract, value: paperButtonValue('abstract', paper.id) }) : null,
    options.follow ? button({ text: 'Follow', actionId: ACTION.follow, value: paperButtonValue('follow', paper.id) }) : null,
  ];
  if (options.links) {
    buttons.push(
      button({ text: 'Hugging Face', actionId: `${ACTION.linkPrefix}hf`, url: links.huggingFace }),
      button({ text: 'PDF', actionId: `${ACTION.linkPrefix}pdf`, url: links.pdf }),
      links.code ? button({ text: 'Code', actionId: `${ACTION.linkPrefix}code`, url: links.code }) : null,
      links.project ? button({ text: 'Project page', actionId: `${ACTION.linkPrefix}project`, url: links.project }) : null,
    );
  }
  return buttons.filter((b): b is ButtonElement => b !== null);
}

function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '0';
}
