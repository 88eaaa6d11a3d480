import { followUpdateText, shownRepos, type FollowUpdate } from '../../src/follow/follow-update.js';
import { fitBlocks, section, type SlackMessage } from './blocks.js';
import { mrkdwn, mrkdwnLink, safeUrl } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import { displayTitle, titleLine } from './render-paper.js';
import { fallback } from './render-digest.js';

/** A followed paper's news in its thread: the paper, then a line each for its code, models and datasets. */
export function renderFollowUpdate(update: FollowUpdate): SlackMessage {
  const lines = [`*Update:* ${titleLine(update.paper, update.links, { max: 300 })}`];
  const repo = update.found.githubRepo;
  if (repo) {
    const url = safeUrl(repo, SLACK_LIMITS.url);
    lines.push(`Code is out: ${url ? mrkdwnLink(url, repo, 200) : mrkdwn(repo, 200)}`);
  }
  for (const [kind, label] of [['models', 'Models'], ['datasets', 'Datasets']] as const) {
    const { shown, more } = shownRepos(update, kind);
    if (shown.length === 0) continue;
    const links = shown.map((item) => {
      const url = safeUrl(item.url, SLACK_LIMITS.url);
      return url ? mrkdwnLink(url, item.label, 120) : mrkdwn(item.label, 120);
    });
    lines.push(`${label}: ${links.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return { text: fallback(`${displayTitle(update.paper)}: ${followUpdateText(update)}`), blocks: fitBlocks([section(lines)]) };
}
