import { formatChannelRef, type ChannelRef } from '../channel.js';
import { errorMessage } from '../errors.js';
import type { Paper } from '../papers/paper.js';
import type { Summary } from '../summarise/summary.js';
import type { Workspace } from '../workspace.js';
import type { ScheduleDeps } from './schedule-deps.js';

/** The workspace a channel belongs to, which pays for the LLM summaries posted there; its platform names it. */
export function channelWorkspace(deps: Pick<ScheduleDeps, 'publishers'>, channel: ChannelRef): Promise<Workspace> {
  const publisher = deps.publishers.get(channel.platform);
  if (!publisher) return Promise.reject(new Error(`no publisher for ${channel.platform}`));
  return publisher.workspaceOf(channel);
}

/**
 * Summaries for papers going to `channel`, in its `language`, charged to its workspace. When the platform can't name the workspace
 * (a channel deleted since, the API down), no LLM call is made: cached summaries or the fallback, and the post
 * itself then fails or succeeds on its own terms, so one such channel never holds up the others.
 */
export async function summariserForChannel(deps: Pick<ScheduleDeps, 'publishers' | 'summariser' | 'logger'>, channel: ChannelRef, language?: string): Promise<(paper: Paper) => Promise<Summary>> {
  try {
    const workspace = await channelWorkspace(deps, channel);
    return (paper) => deps.summariser.summarise(paper, workspace, language);
  } catch (error) {
    deps.logger.warn({ channel: formatChannelRef(channel), err: errorMessage(error) }, "couldn't tell the channel's workspace; summaries without new LLM calls");
    return (paper) => deps.summariser.quickSummary(paper, language);
  }
}
