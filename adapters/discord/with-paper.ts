import { findPaper } from '../../src/commands/summary.js';
import type { Paper } from '../../src/papers/paper.js';
import type { FlowDeps } from './flow-deps.js';
import type { DiscordMessage } from './message.js';
import { renderText } from './render.js';

/** Store first, then Hugging Face; a missing or unreachable paper becomes a short private reply. */
export async function withPaper(deps: FlowDeps, paperId: string, use: (paper: Paper) => Promise<DiscordMessage[]>): Promise<DiscordMessage[]> {
  const found = await findPaper(deps.commands, paperId);
  if (found.status === 'found') return use(found.paper);
  if (found.status === 'missing') return [renderText(`Hugging Face has no paper ${paperId} any more.`)];
  return [renderText(`Couldn't reach Hugging Face to look up ${paperId}; try again in a minute.`)];
}
