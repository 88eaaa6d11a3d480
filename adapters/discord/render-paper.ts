import type { PaperCard } from '../../src/commands/command.js';
import { untranslatedNote } from '../../src/summarise/language.js';
import type { DigestItem } from '../../src/digest/digest.js';
import { discussedLabel, type DiscussedHere } from '../../src/delivery/earlier-post.js';
import type { Paper } from '../../src/papers/paper.js';
import type { Summary } from '../../src/summarise/summary.js';
import { formatDayLabel } from '../../src/time.js';
import { safeUrl } from './components.js';
import { markdown, plain } from './escape.js';
import { DISCORD_LIMITS as L } from './limits.js';
import type { Embed, EmbedField } from './message.js';

/** Hugging Face yellow, so paperboy's embeds are recognisable in a busy channel. */
export const EMBED_COLOR = 0xffd21e;

const TLDR_MAX = 700;
const CARD_SNIPPET_MAX = 320;
const AUTHORS_SHOWN = 3;

/** One paper of a digest: linked title, authors, TL;DR, ▲ upvotes and code ★. */
export function digestItemEmbed(item: DigestItem): Embed {
  const { paper, summary } = item;
  const fields: EmbedField[] = [{ name: 'Upvotes', value: `▲ ${paper.upvotes}`, inline: true }];
  if (paper.comments > 0) fields.push({ name: 'Comments', value: `💬 ${paper.comments}`, inline: true });
  if (paper.githubStars !== null) fields.push({ name: 'Code', value: `★ ${formatCount(paper.githubStars)}`, inline: true });
  if (item.matchedSubscription) fields.push({ name: 'Matched subscription', value: markdown(item.matchedSubscription, L.embed.fieldValue) });
  return {
    ...paperHeading(paper, `${item.rank}. `, item.links.huggingFace),
    description: markdown(summary.tldr, TLDR_MAX) || undefined,
    fields,
    footer: { text: plain(`arXiv ${paper.id} · ${summarySourceLabel(summary)}`, L.embed.footer) },
    ...thumbnail(paper),
  };
}

/** A search result: linked title, authors and a short snippet. */
export function paperCardEmbed(card: PaperCard, position: number): Embed {
  const { paper } = card;
  const snippet = paper.aiSummary ?? paper.abstract;
  const footer = [`arXiv ${paper.id}`, card.day ? formatDayLabel(card.day) : null, `▲ ${paper.upvotes}`, paper.githubStars !== null ? `★ ${formatCount(paper.githubStars)}` : null];
  return {
    ...paperHeading(paper, `${position}. `, card.links.huggingFace),
    description: markdown(snippet, CARD_SNIPPET_MAX) || undefined,
    ...(card.discussed ? { fields: [{ name: '💬', value: discussedLink(card.discussed) }] } : {}),
    footer: { text: plain(footer.filter(Boolean).join(' · '), L.embed.footer) },
  };
}

/** "Discussed here Mon 18 May", linked to the earlier thread (Discord shows message links as a chip, no preview). */
export function discussedLink(discussed: DiscussedHere): string {
  const label = discussedLabel(discussed);
  const url = discussedUrl(discussed);
  return url ? `[${label}](${url})` : label;
}

/** The earlier post's link when it is a Discord message link (the publisher's own making), else null. */
export function discussedUrl(discussed: DiscussedHere): string | null {
  return discussed.url && /^https:\/\/discord\.com\/channels\/(\d+|@me)\/\d+\/\d+$/.test(discussed.url) ? discussed.url : null;
}

/** A summary's embed link: the paper's page, with a fragment that lets a resumed *Summarise* find it. */
export function summaryMarkerUrl(paperId: string): string {
  return `https://huggingface.co/papers/${paperId}#summary`;
}

/** The full summary: TL;DR, key points and why it matters. */
export function summaryEmbed(card: PaperCard, summary: Summary): Embed {
  const parts = [markdown(summary.tldr, 1500)];
  if (summary.keyPoints.length > 0) parts.push(summary.keyPoints.map((point) => `• ${markdown(point, 400)}`).join('\n'));
  if (summary.whyItMatters) parts.push(`**Why it matters:** ${markdown(summary.whyItMatters, 600)}`);
  return {
    ...paperHeading(card.paper, '', summaryMarkerUrl(card.paper.id)),
    description: fitLines(parts.filter(Boolean).join('\n\n'), L.embed.description) || undefined,
    footer: { text: plain(`arXiv ${card.paper.id} · ${summarySourceLabel(summary)}`, L.embed.footer) },
  };
}

export function abstractEmbed(paper: Paper, url: string): Embed {
  return {
    ...paperHeading(paper, '', url),
    description: markdown(paper.abstract, L.embed.description) || 'No abstract available.',
    footer: { text: plain(`arXiv ${paper.id} · abstract`, L.embed.footer) },
  };
}

export function summarySourceLabel(summary: Summary): string {
  if (summary.source === 'llm') return `summary by ${summary.model ?? 'an LLM'}`;
  const note = untranslatedNote(summary);
  return `${summary.source === 'hf' ? "Hugging Face's AI summary" : 'key sentences of the abstract'}${note ? ` · ${note}` : ''}`;
}

/** Title (never empty: an untitled paper shows its id), link and byline shared by every paper embed. */
function paperHeading(paper: Paper, prefix: string, url: string): Pick<Embed, 'title' | 'url' | 'color' | 'author'> {
  const title = paper.title.trim() ? paper.title : `Untitled paper ${paper.id}`;
  const byline = [formatAuthors(paper.authors), paper.organization].filter((part) => part && part.trim()).join(' · ');
  const link = safeUrl(url, L.embed.url);
  return {
    title: `${prefix}${markdown(title, L.embed.title - prefix.length)}`,
    ...(link ? { url: link } : {}),
    color: EMBED_COLOR,
    ...(byline ? { author: { name: plain(byline, L.embed.author) } } : {}),
  };
}

function thumbnail(paper: Paper): Pick<Embed, 'thumbnail'> {
  const url = safeUrl(paper.thumbnail, L.embed.url);
  return url?.startsWith('https://') ? { thumbnail: { url } } : {};
}

export function formatAuthors(authors: string[]): string {
  const named = authors.map((a) => a.trim()).filter(Boolean);
  if (named.length <= AUTHORS_SHOWN) return named.join(', ');
  return `${named.slice(0, AUTHORS_SHOWN).join(', ')} +${named.length - AUTHORS_SHOWN} more`;
}

function formatCount(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

/** Joins already-escaped lines, cutting whole lines (never mid-escape) when they would pass `max`. */
export function fitLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length > max - 2) break;
    out = next;
  }
  return `${out}\n…`;
}
