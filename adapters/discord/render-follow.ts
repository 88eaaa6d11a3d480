import { shownRepos, type FollowUpdate } from '../../src/follow/follow-update.js';
import { safeUrl } from './components.js';
import { markdown, plain } from './escape.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { NO_MENTIONS, type DiscordMessage } from './message.js';
import { EMBED_COLOR } from './render-paper.js';

/** A followed paper's news in its thread: one embed, a line each for its code, models and datasets. */
export function renderFollowUpdate(update: FollowUpdate): DiscordMessage {
  const lines: string[] = [];
  const repo = update.found.githubRepo;
  if (repo) lines.push(`Code is out: ${link(repo, repo)}`);
  for (const [kind, label] of [['models', 'Models'], ['datasets', 'Datasets']] as const) {
    const { shown, more } = shownRepos(update, kind);
    if (shown.length > 0) lines.push(`${label}: ${shown.map((item) => link(item.label, item.url)).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  const url = safeUrl(update.links.huggingFace, L.embed.url);
  return {
    embeds: [{ color: EMBED_COLOR, title: plain(`Update: ${update.paper.title.replace(/\s+/g, ' ').trim() || update.paper.id}`, L.embed.title), ...(url ? { url } : {}), description: lines.join('\n').slice(0, L.embed.description) }],
    allowed_mentions: NO_MENTIONS,
  };
}

function link(label: string, url: string): string {
  const href = safeUrl(url, 512);
  return href ? `[${markdown(label, 120)}](${href})` : markdown(label, 120);
}
