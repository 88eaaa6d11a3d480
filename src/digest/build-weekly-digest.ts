import type { ChannelRef } from '../channel.js';
import type { Paper } from '../papers/paper.js';
import { isoWeek } from '../schedule/weekdays.js';
import { addDays, daysBetween, formatDayLabel } from '../time.js';
import { digestItems, frozenSelection, type DigestDeps } from './build-digest.js';
import type { Digest } from './digest.js';
import type { Workspace } from '../workspace.js';

export interface WeeklyDigestRequest {
  channel: ChannelRef;
  /** Pays for summaries not cached yet (the channel's workspace); null: no new LLM call. */
  workspace: Workspace | null;
  size: number;
  /** The channel's local date the weekly digest fires on; it covers the seven HF days before it. */
  fireDate: string;
  /** The channel's summary language (BCP-47); default English. */
  language?: string | null;
}

/**
 * The week's top papers: every paper HF listed on the seven days before `fireDate`, once each, by upvotes (the
 * highest seen), top `size`. A recap: papers the channel already got in daily digests are included.
 */
export async function buildWeeklyDigest(deps: DigestDeps, request: WeeklyDigestRequest): Promise<Digest> {
  const { store, summariser } = deps;
  const from = addDays(request.fireDate, -7);
  const to = addDays(request.fireDate, -1);
  const week = isoWeek(to);
  const key = weeklyDigestKey(request.fireDate);
  const byId = new Map<string, Paper>();
  for (const day of daysBetween(from, to)) {
    for (const listing of await store.listingsForDay(day)) byId.set(listing.paper.id, listing.paper);
  }
  const papers = (await frozenSelection(store, request.channel, key, byId)) ?? topByUpvotes([...byId.values()], request.size);
  return {
    kind: 'weekly',
    key,
    day: to,
    week: { from, to, isoWeek: week },
    title: `Top papers of the week · ${formatDayLabel(from)} – ${formatDayLabel(to)}`,
    items: await digestItems(summariser, papers, { workspace: request.workspace, language: request.language }),
    alreadyReceived: 0,
  };
}

/**
 * `weekly:2026-W48` for a digest firing on `fireDate`: one weekly digest per channel and ISO week of the last day
 * it covers (a Monday digest is keyed by the week it recaps).
 */
export function weeklyDigestKey(fireDate: string): string {
  return `weekly:${isoWeek(addDays(fireDate, -1))}`;
}

/** Most upvoted first; ties by more comments, then by id so reruns pick the same papers. */
function topByUpvotes(papers: Paper[], size: number): Paper[] {
  return papers.sort((a, b) => b.upvotes - a.upvotes || b.comments - a.comments || a.id.localeCompare(b.id)).slice(0, size);
}
