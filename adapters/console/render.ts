import type { HelpEntry, PaperCard, Reply } from '../../src/commands/command.js';
import { untranslatedNote } from '../../src/summarise/language.js';
import { settingsExtras } from '../../src/commands/settings-text.js';
import { sourceLabel } from '../../src/digest/digest-source.js';
import type { Digest, DigestItem } from '../../src/digest/digest.js';
import { discussedLabel } from '../../src/delivery/earlier-post.js';
import type { Paper, PaperLinks } from '../../src/papers/paper.js';
import type { ChannelSettings, Subscription } from '../../src/store/store.js';
import { FALLBACK_EXPLANATIONS, type Summary } from '../../src/summarise/summary.js';
import { formatDayLabel } from '../../src/time.js';
import { plainStyle, terminalSafe, type Style } from './style.js';

/** Pure renderers from core values to terminal text. */

export function renderDigestHeader(digest: Digest, style: Style = plainStyle): string {
  const count = `${digest.items.length} paper${digest.items.length === 1 ? '' : 's'}`;
  const header = `${style.bold(terminalSafe(digest.title))}  ${style.dim(`${count} · ${sourceLabel(digest.source)}`)}`;
  const discussed = (digest.discussed ?? []).map((entry) => `  ${style.dim(`${discussedLabel(entry.discussed)}:`)} ${terminalSafe(entry.paper.title)}`);
  return [header, ...discussed].join('\n');
}

export function renderDigestItem(item: DigestItem, style: Style = plainStyle): string {
  const lines = [renderPaperHeadline(item.rank, item.paper, style)];
  if (item.matchedSubscription) lines.push(`    ${style.yellow(`matched: ${terminalSafe(item.matchedSubscription)}`)}`);
  lines.push(...renderSummaryLines(item.summary, style).map((line) => `    ${line}`));
  lines.push(`    ${style.dim(renderLinks(item.links))}`);
  return lines.join('\n');
}

export function renderDigest(digest: Digest, style: Style = plainStyle): string {
  return [renderDigestHeader(digest, style), '', ...digest.items.map((item) => `${renderDigestItem(item, style)}\n`)].join('\n');
}

export function renderReply(reply: Reply, style: Style = plainStyle): string {
  switch (reply.type) {
    case 'message': {
      const paint = reply.tone === 'error' ? style.red : reply.tone === 'success' ? style.green : (t: string) => t;
      return paint(terminalSafe(reply.text)) + (reply.link ? ` ${style.dim(terminalSafe(reply.link.url))}` : '');
    }
    case 'papers':
      return renderPaperList(reply.cards, reply.offset, reply.query, reply.includesRemote, reply.nextOffset, style);
    case 'summary':
      return renderSummary(reply.card, reply.summary, style);
    case 'abstract':
      return [renderPaperHeadline(null, reply.card.paper, style), `    ${terminalSafe(reply.card.paper.abstract.trim() || 'No abstract available.')}`, `    ${style.dim(renderLinks(reply.card.links))}`].join('\n');
    case 'subscriptions':
      return renderSubscriptions(reply.subscriptions, style);
    case 'settings':
      return renderSettings(reply.settings, reply.changed, style);
    case 'help':
      return renderHelp(reply.entries, style);
  }
}

export function renderSummary(card: PaperCard, summary: Summary, style: Style = plainStyle): string {
  return [
    renderPaperHeadline(null, card.paper, style),
    ...renderSummaryLines(summary, style).map((line) => `    ${line}`),
    `    ${style.dim(renderLinks(card.links))}`,
    `    ${style.dim(summarySourceLabel(summary))}`,
  ].join('\n');
}

function renderPaperList(cards: PaperCard[], offset: number, query: string, remote: boolean, nextOffset: number | null, style: Style): string {
  const lines = cards.map((card, index) => {
    const day = card.day ? style.dim(` · ${formatDayLabel(card.day)}`) : '';
    return `${renderPaperHeadline(offset + index + 1, card.paper, style)}${day}\n    ${style.dim(card.links.huggingFace)}`;
  });
  const notes: string[] = [];
  if (remote) notes.push('some results from Hugging Face search');
  if (nextOffset !== null) notes.push(`more: --offset ${nextOffset}`);
  const heading = style.bold(`Papers matching ${terminalSafe(query)}`);
  return [heading, ...lines, ...(notes.length ? [style.dim(`(${notes.join('; ')})`)] : [])].join('\n');
}

function renderPaperHeadline(rank: number | null, paper: Paper, style: Style): string {
  const stats = [`▲ ${paper.upvotes}`];
  if (paper.comments > 0) stats.push(`💬 ${paper.comments}`);
  if (paper.githubStars !== null) stats.push(`★ ${paper.githubStars}`);
  const prefix = rank === null ? '' : `${String(rank).padStart(2)}. `;
  const authors = formatAuthors(paper.authors);
  const byline = [authors, paper.organization].filter(Boolean).map((s) => terminalSafe(s!)).join(' · ');
  return `${prefix}${style.bold(terminalSafe(paper.title))}  ${style.cyan(stats.join('  '))}${byline ? `\n    ${style.dim(byline)}` : ''}`;
}

function renderSummaryLines(summary: Summary, style: Style): string[] {
  const lines = [terminalSafe(summary.tldr)];
  for (const point of summary.keyPoints) lines.push(`• ${terminalSafe(point)}`);
  if (summary.whyItMatters) lines.push(style.dim(`Why it matters: ${terminalSafe(summary.whyItMatters)}`));
  return lines;
}

function renderLinks(links: PaperLinks): string {
  return [links.huggingFace, links.pdf, links.code, links.project].filter(Boolean).map((url) => terminalSafe(url!)).join('  ');
}

function renderSubscriptions(subscriptions: Subscription[], style: Style): string {
  if (subscriptions.length === 0) return 'No subscriptions here yet. Add one with: subscribe <query>';
  return [style.bold('Subscriptions'), ...subscriptions.map((s) => `  #${s.id}  ${terminalSafe(s.query)}`)].join('\n');
}

function renderSettings(settings: ChannelSettings, changed: boolean, style: Style): string {
  const state = settings.paused ? 'paused' : `daily at ${settings.time} (${settings.timeZone}), ${settings.size} papers`;
  const extras = [settings.emptyDayNote ? 'a note on empty days' : '', ...settingsExtras(settings)].filter(Boolean);
  return `${changed ? style.green('Saved. ') : ''}Digest: ${[state, ...extras].join('; ')}.`;
}

function renderHelp(entries: HelpEntry[], style: Style): string {
  return entries.map((entry) => `${style.bold(entry.usage)}\n    ${entry.description}`).join('\n');
}

export function formatAuthors(authors: string[], max = 3): string {
  if (authors.length <= max) return authors.join(', ');
  return `${authors.slice(0, max).join(', ')} +${authors.length - max}`;
}

export function summarySourceLabel(summary: Summary): string {
  if (summary.source === 'llm') return `summary by ${summary.model ?? 'LLM'}`;
  // With an LLM configured, say why its summary isn't the one shown.
  const why = summary.fallback && summary.fallback !== 'llm_disabled' ? ` (LLM not used: ${FALLBACK_EXPLANATIONS[summary.fallback]})` : '';
  const note = untranslatedNote(summary);
  const language = note ? ` · ${note}` : '';
  if (summary.source === 'hf') return `summary: Hugging Face's AI summary${language}${why}`;
  return `summary: key sentences of the abstract${language}${why}`;
}
