import type { PaperArtifacts } from '../papers/artifacts.js';
import type { Paper, PaperLinks } from '../papers/paper.js';

/** The one reply a followed paper gets in its thread when something new appears; adapters render and escape it. */
export interface FollowUpdate {
  paper: Paper;
  links: PaperLinks;
  /** Only what is new since the channel's last reply (or since it followed the paper). */
  found: PaperArtifacts;
}

/** Names shown per list before "and N more": a paper can gather dozens of quantised copies of one model. */
export const SHOWN_PER_LIST = 8;

export interface NamedLink {
  label: string;
  url: string;
}

/** The models and datasets shown (each with its Hugging Face page), and how many more there are. */
export function shownRepos(update: FollowUpdate, kind: 'models' | 'datasets'): { shown: NamedLink[]; more: number } {
  const ids = update.found[kind];
  const base = kind === 'models' ? 'https://huggingface.co/' : 'https://huggingface.co/datasets/';
  const shown = ids.slice(0, SHOWN_PER_LIST).map((id) => ({ label: id, url: `${base}${id.split('/').map(encodeURIComponent).join('/')}` }));
  return { shown, more: ids.length - shown.length };
}

/** "Code is out: … · Models: a, b · Datasets: c", plain: for notifications and platforms without links. */
export function followUpdateText(update: FollowUpdate): string {
  const parts: string[] = [];
  if (update.found.githubRepo) parts.push(`Code is out: ${update.found.githubRepo}`);
  for (const [kind, label] of [['models', 'Models'], ['datasets', 'Datasets']] as const) {
    const { shown, more } = shownRepos(update, kind);
    if (shown.length > 0) parts.push(`${label}: ${shown.map((repo) => repo.label).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return parts.join(' · ');
}
