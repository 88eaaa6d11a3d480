import type { Command } from '../../src/commands/command.js';
import { handleSearch } from '../../src/commands/search.js';
import { paperLinks } from '../../src/papers/paper.js';
import type { InteractionAnswer } from './answer.js';
import { render } from './command-flow.js';
import { parseCustomId } from './custom-id.js';
import { channelOf, type FlowDeps } from './flow-deps.js';
import type { InteractionBase } from './interaction.js';
import { renderAbstract, renderText } from './render.js';
import { summariseInThread } from './summarise-in-thread.js';
import { withPaper } from './with-paper.js';

/** *Summarise*, *Abstract* and *More* buttons. */
export async function runButton(deps: FlowDeps, answer: InteractionAnswer, base: InteractionBase, customId: string, message: { ephemeral: boolean }): Promise<void> {
  const action = parseCustomId(customId);
  if (!action) return answer.say(renderText('This button no longer works; run /papers again.'));
  switch (action.kind) {
    case 'abstract':
      return answer.answer(() => withPaper(deps, action.paperId, async (paper) => [renderAbstract(paper)]));
    case 'more': {
      const query = deps.memo.resolve(action.query);
      if (query === null) return answer.say(renderText('That search has expired; run it again with /papers.'));
      const command: Command = { platform: 'discord', channel: channelOf(base), userId: base.userId, text: query, canAdminister: base.canAdminister, offset: action.offset };
      return answer.answer(async () => render(deps, await handleSearch(deps.commands, command, query)));
    }
    case 'summarise':
      // On a search result (only the asker sees it) the summary is private too; on a digest it goes in the thread.
      if (message.ephemeral) return privateSummary(deps, answer, action.paperId);
      return summariseInThread(deps, answer, base, action.paperId);
  }
}

async function privateSummary(deps: FlowDeps, answer: InteractionAnswer, paperId: string): Promise<void> {
  const stored = await deps.store.getPaper(paperId);
  const deferNow = stored ? await deps.summariser.needsLlmCall(stored) : false;
  return answer.answer(
    () =>
      withPaper(deps, paperId, async (paper) => {
        const summary = await deps.summariser.summarise(paper);
        return render(deps, { type: 'summary', visibility: 'private', card: { paper, links: paperLinks(paper), day: null }, summary });
      }),
    { deferNow },
  );
}
